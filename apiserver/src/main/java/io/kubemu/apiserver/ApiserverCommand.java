package io.kubemu.apiserver;

import io.kubemu.apiserver.allocation.PortRange;
import io.kubemu.apiserver.allocation.ServiceIPRange;
import io.kubemu.component.HostPort;
import io.kubemu.component.Version;
import io.kubemu.component.Durations;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kubemu apiserver}: the Kubernetes API over the store, in the foreground. */
@Command(name = "apiserver", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "The Kubernetes API server: REST, watch and discovery over the store.")
public final class ApiserverCommand implements Callable<Integer> {
  @Option(names = "--etcd-servers", defaultValue = "127.0.0.1:2379",
      description = "Client addresses of the store's members (default: ${DEFAULT-VALUE}).")
  String etcdServers;

  @Option(names = "--bind-address", defaultValue = "0.0.0.0", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String bindAddress;

  @Option(names = "--port", defaultValue = "8080", description = "Plain HTTP port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--event-ttl", defaultValue = "1h", converter = Durations.class,
      description = "How long Events are kept, e.g. 1h, 90s (default: ${DEFAULT-VALUE}).")
  Duration eventTtl;

  @Option(names = "--etcd-compaction-interval", defaultValue = "5m", converter = Durations.class,
      description = "How often the store's history is compacted; 0 never (default: ${DEFAULT-VALUE}).")
  Duration compactionInterval;

  @Option(names = "--advertise-address", defaultValue = "",
      description = "The address the kubernetes Service's endpoint gives to the cluster; empty: the bind address, "
          + "or this host's first IPv4 address when bound to all interfaces.")
  String advertiseAddress;

  @Option(names = "--service-cluster-ip-range", defaultValue = "10.43.0.0/16", converter = ServiceIPRangeConverter.class,
      description = "The IPv4 CIDR ClusterIPs come from; its first address is the kubernetes Service's "
          + "(default: ${DEFAULT-VALUE}).")
  ServiceIPRange serviceClusterIPRange;

  @Option(names = "--service-node-port-range", defaultValue = "30000-32767", converter = PortRangeConverter.class,
      description = "The ports NodePorts come from (default: ${DEFAULT-VALUE}).")
  PortRange serviceNodePortRange;

  @Option(names = "--kubelet-timeout", defaultValue = "5s", converter = Durations.class,
      description = "How long connecting to a kubelet may take, e.g. for pod logs (default: ${DEFAULT-VALUE}).")
  Duration kubeletTimeout;

  @Option(names = "--default-not-ready-toleration-seconds", defaultValue = "300", paramLabel = "SECONDS",
      description = "The tolerationSeconds of the toleration for node.kubernetes.io/not-ready:NoExecute that is added "
          + "to every pod that does not already have such a toleration (default: ${DEFAULT-VALUE}).")
  long defaultNotReadyTolerationSeconds;

  @Option(names = "--default-unreachable-toleration-seconds", defaultValue = "300", paramLabel = "SECONDS",
      description = "The tolerationSeconds of the toleration for node.kubernetes.io/unreachable:NoExecute that is "
          + "added to every pod that does not already have such a toleration (default: ${DEFAULT-VALUE}).")
  long defaultUnreachableTolerationSeconds;

  @Override
  public Integer call() throws Exception {
    Apiserver apiserver = new Apiserver(new Apiserver.Config(HostPort.parseList(etcdServers), bindAddress, port,
        eventTtl, compactionInterval, advertiseAddress, serviceClusterIPRange, serviceNodePortRange, kubeletTimeout,
        defaultNotReadyTolerationSeconds, defaultUnreachableTolerationSeconds))
        .start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        apiserver.close();
      } catch (Exception ignored) {
        // exiting anyway
      }
      stopped.countDown();
    }, "apiserver-shutdown"));
    stopped.await();
    return 0;
  }

  /** A flag value read by a parser that refuses bad input with an IllegalArgumentException. */
  abstract static class Parsed<T> implements CommandLine.ITypeConverter<T> {
    private final Function<String, T> parse;

    Parsed(Function<String, T> parse) {
      this.parse = parse;
    }

    @Override
    public T convert(String value) {
      try {
        return parse.apply(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  static final class ServiceIPRangeConverter extends Parsed<ServiceIPRange> {
    ServiceIPRangeConverter() {
      super(ServiceIPRange::parse);
    }
  }

  static final class PortRangeConverter extends Parsed<PortRange> {
    PortRangeConverter() {
      super(PortRange::parse);
    }
  }

  /** Runs the apiserver without the launcher, e.g. from tests that start it as a separate process. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new ApiserverCommand()).execute(args));
  }
}
