package io.kubemu.kubeproxy;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kubemu.component.Durations;
import io.kubemu.component.HostPort;
import io.kubemu.component.Version;
import io.kubemu.component.client.ClientConfig;
import io.kubemu.component.client.ClientFlags;
import io.kubemu.component.informers.EventHandlers;
import io.kubemu.component.informers.InformerFactory;
import io.kubemu.component.server.HealthServer;
import io.kubemu.kubeproxy.healthcheck.ProxierHealthServer;
import io.kubemu.kubeproxy.iptables.IptablesRunner;
import io.kubemu.kubeproxy.iptables.Proxier;
import io.kubemu.kubeproxy.iptables.ProxyRules;
import io.kubemu.kubeproxy.metrics.ProxyMetrics;
import io.kubemu.kubeproxy.model.ServicePort;
import io.kubemu.kubeproxy.model.ServiceSnapshot;
import io.kubemu.kubeproxy.userspace.UserspaceProxier;
import io.vertx.core.Vertx;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kubemu kube-proxy}: follows Services and EndpointSlices and makes each ClusterIP and
 * NodePort reach the ready endpoints behind it, with iptables rules as Kubernetes' kube-proxy
 * writes them ({@code --mode iptables}, the default, which needs root or NET_ADMIN), or with a
 * TCP proxy per service port on 127.0.0.1 ({@code --mode userspace}, no privileges). On exit the
 * rules stay (established traffic keeps flowing); {@code --cleanup} removes them and exits.
 * /healthz on 10256, /metrics on 10249.
 */
@Command(name = "kube-proxy", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "Routes Service ClusterIPs and NodePorts to ready endpoints (iptables or userspace).")
public final class KubeProxyCommand implements Callable<Integer> {
  /** Set by the endpointslice controller: when the change behind the slice's last update happened. */
  /** Syncs that may run back to back after a quiet spell (Kubernetes' proxiers' burstSyncs). */
  static final int BURST_SYNCS = 2;
  static final String TRIGGER_TIME_ANNOTATION = "endpoints.kubernetes.io/last-change-trigger-time";
  private static final Logger LOG = LoggerFactory.getLogger(KubeProxyCommand.class);

  @Mixin
  ClientFlags client;

  @Spec
  CommandSpec spec;

  @Option(names = "--mode", defaultValue = "iptables", paramLabel = "MODE",
      description = "Which proxy mode to use: iptables or userspace (default: ${DEFAULT-VALUE}).")
  String mode;

  @Option(names = "--node-name", paramLabel = "NAME", description = "The name of the node this kube-proxy runs on.")
  String nodeName;

  @Option(names = "--cleanup", description = "Remove kube-proxy's iptables rules and chains, then exit.")
  boolean cleanup;

  @Option(names = "--cluster-cidr", defaultValue = "10.42.0.0/16", paramLabel = "CIDR",
      description = "The pods' address range; traffic to a ClusterIP from outside it is masqueraded"
          + " (default: ${DEFAULT-VALUE}).")
  String clusterCIDR;

  @Option(names = "--service-cluster-ip-range", defaultValue = "10.43.0.0/16", paramLabel = "CIDR",
      description = "The ClusterIP range; traffic there that no service rule translated is rejected"
          + " (default: ${DEFAULT-VALUE}).")
  String serviceCIDR;

  @Option(names = "--iptables-min-sync-period", defaultValue = "1s", paramLabel = "DURATION",
      converter = Durations.class,
      description = "The shortest time between two writes of the rules, after the two a change after a quiet"
          + " spell gets at once; changes in between are batched (default: ${DEFAULT-VALUE}).")
  Duration minSyncPeriod;

  @Option(names = "--iptables-sync-period", defaultValue = "30s", paramLabel = "DURATION",
      converter = Durations.class,
      description = "The longest time between two writes of the rules, changes or not (default: ${DEFAULT-VALUE}).")
  Duration syncPeriod;

  @Option(names = "--healthz-bind-address", defaultValue = "0.0.0.0:10256", paramLabel = "HOST:PORT",
      description = "Where /healthz is served; port 0: any free port (default: ${DEFAULT-VALUE}).")
  String healthzBindAddress;

  @Option(names = "--metrics-bind-address", defaultValue = "127.0.0.1:10249", paramLabel = "HOST:PORT",
      description = "Where /metrics is served; port 0: any free port (default: ${DEFAULT-VALUE}).")
  String metricsBindAddress;

  @Option(names = "--proxy-port-range", defaultValue = "", paramLabel = "RANGE",
      description = "userspace mode: the local ports (first-last, a port, or first+offset) ClusterIP service ports"
          + " are served on at 127.0.0.1; empty: any free port. NodePort services are served at their NodePort.")
  String proxyPortRange;

  /** Runs kube-proxy alone, as the kubemu launcher's {@code kube-proxy} does. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new KubeProxyCommand()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (cleanup) {
      Proxier.cleanup(new IptablesRunner());
      LOG.info("removed kube-proxy's iptables rules and chains");
      return 0;
    }
    if (!"iptables".equals(mode) && !"userspace".equals(mode)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--mode is iptables or userspace, not '" + mode
          + "'");
    }
    ClientConfig clientConfig;
    HostPort healthz;
    HostPort metricsAddress;
    int[] portRange;
    try {
      clientConfig = client.config();
      healthz = hostPort(healthzBindAddress);
      metricsAddress = hostPort(metricsBindAddress);
      portRange = portRange(proxyPortRange);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage()); // a usage error: exit 2
    }
    CountDownLatch stop = new CountDownLatch(1);
    CountDownLatch stopped = new CountDownLatch(1);
    Thread shutdown = new Thread(() -> {
      stop.countDown();
      try {
        stopped.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    Runtime.getRuntime().addShutdownHook(shutdown);
    ProxierHealthServer health = new ProxierHealthServer(Clock.systemUTC(), syncPeriod.multipliedBy(2));
    Vertx vertx = "userspace".equals(mode) ? Vertx.vertx() : null;
    try (KubernetesClient kube = clientConfig.newClient("kube-proxy");
        InformerFactory informers = new InformerFactory(kube, Duration.ZERO);
        HealthServer metricsServer = HealthServer.start(metricsAddress.host(), metricsAddress.port(), List.of());
        ProxierHealthServer closing = health) {
      int healthPort = health.serve(healthz.host(), healthz.port());
      LOG.info("kube-proxy for node {} in {} mode: /healthz on {}:{}, /metrics on {}:{}", nodeName, mode,
          healthz.host(), healthPort, metricsAddress.host(), metricsServer.port());
      SharedIndexInformer<Service> services = informers.informerFor(Service.class);
      SharedIndexInformer<EndpointSlice> slices = informers.informerFor(EndpointSlice.class);
      Supplier<List<ServicePort>> ports = () -> ServiceSnapshot.of(services.getStore().list(),
          slices.getStore().list());
      Provider provider = vertx == null
          ? new Proxier(new IptablesRunner(), new ProxyRules(new ProxyRules.Config(clusterCIDR, serviceCIDR)), ports,
              new ProxyMetrics(PrometheusRegistry.defaultRegistry), health, Clock.systemUTC())
          : new UserspaceProxier(vertx, portRange[0], portRange[1], ports, health);
      BoundedFrequencyRunner runner = new BoundedFrequencyRunner("sync-proxy-rules", provider::sync, minSyncPeriod,
          syncPeriod, BURST_SYNCS);
      services.addEventHandler(EventHandlers.onEvery(service -> {
        provider.servicesChanged();
        runner.run();
      }));
      slices.addEventHandler(EventHandlers.onEvery(slice -> {
        provider.endpointsChanged(triggerTime(slice));
        runner.run();
      }));
      // The first sync waits for both caches: rules written from half a list would cut live services.
      informers.start().get();
      runner.start();
      stop.await();
      runner.close();
      if (provider instanceof UserspaceProxier userspace) {
        userspace.close();
      }
      return 0;
    } finally {
      if (vertx != null) {
        vertx.close();
      }
      stopped.countDown();
    }
  }

  /** {@code --proxy-port-range}: "first-last", "port", "first+offset"; empty or 0: any free port. */
  static int[] portRange(String text) {
    String value = text == null ? "" : text.trim();
    if (value.isEmpty() || value.equals("0") || value.equals("0-0")) {
      return new int[] {0, 0};
    }
    try {
      int first;
      int last;
      if (value.contains("-")) {
        first = Integer.parseInt(value.substring(0, value.indexOf('-')));
        last = Integer.parseInt(value.substring(value.indexOf('-') + 1));
      } else if (value.contains("+")) {
        first = Integer.parseInt(value.substring(0, value.indexOf('+')));
        last = first + Integer.parseInt(value.substring(value.indexOf('+') + 1));
      } else {
        first = Integer.parseInt(value);
        last = first;
      }
      if (first < 1 || last > 65535 || last < first) {
        throw new NumberFormatException();
      }
      return new int[] {first, last};
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--proxy-port-range " + text
          + ": expected first-last, a port, or first+offset within 1-65535");
    }
  }

  static Instant triggerTime(EndpointSlice slice) {
    String annotation = slice.getMetadata().getAnnotations() == null ? null
        : slice.getMetadata().getAnnotations().get(TRIGGER_TIME_ANNOTATION);
    if (annotation != null) {
      try {
        return Instant.parse(annotation);
      } catch (DateTimeParseException e) {
        LOG.debug("EndpointSlice {}/{}: unreadable {}: {}", slice.getMetadata().getNamespace(),
            slice.getMetadata().getName(), TRIGGER_TIME_ANNOTATION, annotation);
      }
    }
    return Instant.now();
  }

  private static HostPort hostPort(String text) {
    int colon = text.lastIndexOf(':');
    if (colon == text.length() - 1 || colon < 0) {
      throw new IllegalArgumentException("expected host:port, got '" + text + "'");
    }
    String host = colon == 0 ? "0.0.0.0" : text.substring(0, colon);
    try {
      return new HostPort(host, Integer.parseInt(text.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad port in '" + text + "'");
    }
  }
}
