package io.kubemu.bench;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kubemu.kubelet.runtime.docker.DockerConnection;
import io.kubemu.kubelet.runtime.docker.LocalImages;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Writer;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Services on kube-proxy, measured from outside it (started by {@code bench/service-routing.sh} on
 * a {@code kubemu up --runtime docker} cluster whose kube-proxy runs in iptables mode).
 *
 * <p>Network programming latency: {@code --services} selector-less Services of
 * {@code --endpoints} endpoints each (EndpointSlices written here, as a controller would; their
 * addresses take no traffic), then {@code --changes} changes, each one endpoint of one slice
 * moving to a new address, arriving at random ({@code --rate} a second on average). Each is timed
 * from its update call to the moment {@code iptables-save} first shows a DNAT to the new address.
 *
 * <p>Throughput: a Deployment of {@code --pods} busybox httpd pods behind a Service; HTTP/1.0 GETs,
 * one connection each, from {@code --concurrency} threads for {@code --seconds} per round, sent
 * straight to the pod IPs (in turn), to the ClusterIP (iptables DNAT), and to the port a
 * userspace-mode kube-proxy serves the Service on (one is started here when {@code --launcher} is
 * given). Rounds alternate the targets; the medians and their ratios to the pod IPs are printed.
 */
@Command(name = "service-routing", mixinStandardHelpOptions = true,
    description = "kube-proxy's network programming latency and its throughput overhead, against pod IPs.")
public final class ServiceRouting implements Callable<Integer> {
  static final double PROGRAMMING_P99_GOAL_SECONDS = 1;
  static final double IPTABLES_RATIO_GOAL = 0.95;
  static final double USERSPACE_RATIO_GOAL = 0.5;
  static final Pattern DNAT = Pattern.compile("--to-destination (\\d+\\.\\d+\\.\\d+\\.\\d+):");
  static final String MANAGED_BY = "bench.kubemu.io";

  @Option(names = "--server", required = true, description = "The apiserver's URL.")
  String server;

  @Option(names = "--namespace", defaultValue = "service-routing", description = "Created here, deleted at the end (default: ${DEFAULT-VALUE}).")
  String namespace;

  @Option(names = "--services", defaultValue = "100", description = "Services for the programming latency (default: ${DEFAULT-VALUE}).")
  int services;

  @Option(names = "--endpoints", defaultValue = "10", description = "Endpoints of each (default: ${DEFAULT-VALUE}).")
  int endpoints;

  @Option(names = "--changes", defaultValue = "120", description = "Endpoint changes timed (default: ${DEFAULT-VALUE}).")
  int changes;

  @Option(names = "--rate", defaultValue = "0",
      description = "Changes a second, on average, arriving at random; 0: one after another, each --gap after the one before was programmed (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(names = "--gap", defaultValue = "1",
      description = "Seconds between a change being programmed and the next one, when --rate is 0; kube-proxy's --iptables-min-sync-period is 1 s (default: ${DEFAULT-VALUE}).")
  double gapSeconds;

  @Option(names = "--pods", defaultValue = "3", description = "The throughput Service's pods (default: ${DEFAULT-VALUE}).")
  int pods;

  @Option(names = "--concurrency", defaultValue = "4", description = "Threads sending requests (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--seconds", defaultValue = "5", description = "Seconds a round sends to one target (default: ${DEFAULT-VALUE}).")
  int seconds;

  @Option(names = "--rounds", defaultValue = "5", description = "Rounds over the targets (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--docker-network", defaultValue = "kubemu", description = "The pods' Docker network, whose gateway address on this host the requests come from (default: ${DEFAULT-VALUE}).")
  String dockerNetwork;

  @Option(names = "--launcher", description = "The kubemu launcher: a userspace-mode kube-proxy is started with it and measured too.")
  String launcher;

  @Option(names = "--metrics-url", description = "The iptables kube-proxy's /metrics, whose sync and programming figures are printed beside ours.")
  String metricsUrl;

  @Option(names = "--skip-programming", description = "Only the throughput.")
  boolean skipProgramming;

  @Option(names = "--skip-throughput", description = "Only the programming latency.")
  boolean skipThroughput;

  private final AtomicInteger nextAddress = new AtomicInteger();
  /** Why requests failed, and how often. */
  static final Map<String, Integer> FAILURES = new ConcurrentHashMap<>();

  @Override
  public Integer call() throws Exception {
    Config config = new ConfigBuilder().withMasterUrl(server).withRequestTimeout(60_000).build();
    boolean met = true;
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
          .create();
      try {
        log("load1 %s", LoadAverage.oneMinute());
        if (!skipProgramming) {
          met &= programmingLatency(client);
        }
        if (!skipThroughput) {
          met &= throughput(client);
        }
      } finally {
        client.namespaces().withName(namespace).delete();
      }
    }
    return met ? 0 : 1;
  }

  // ---- network programming latency

  private boolean programmingLatency(KubernetesClient client) throws Exception {
    log("%d Services of %d endpoints each...", services, endpoints);
    for (int s = 0; s < services; s++) {
      client.services().inNamespace(namespace).resource(new ServiceBuilder()
          .withNewMetadata().withName(serviceName(s)).addToLabels("bench", "programming").endMetadata()
          .withNewSpec().addNewPort().withName("http").withPort(80).withProtocol("TCP").endPort().endSpec()
          .build()).create();
      List<Endpoint> list = new ArrayList<>();
      for (int e = 0; e < endpoints; e++) {
        list.add(endpoint(newAddress()));
      }
      client.discovery().v1().endpointSlices().inNamespace(namespace).resource(new EndpointSliceBuilder()
          .withNewMetadata().withName(serviceName(s)).addToLabels("kubernetes.io/service-name", serviceName(s))
          .addToLabels("endpointslice.kubernetes.io/managed-by", MANAGED_BY).addToLabels("bench", "programming")
          .endMetadata()
          .withAddressType("IPv4").addNewPort().withName("http").withPort(80).withProtocol("TCP").endPort()
          .withEndpoints(list).build()).create();
    }
    Set<String> initial = new HashSet<>();
    for (int i = 0; i < nextAddress.get(); i++) {
      initial.add(address(i));
    }
    long start = System.nanoTime();
    while (!dnatTargets().containsAll(initial)) {
      if (System.nanoTime() - start > TimeUnit.SECONDS.toNanos(120)) {
        throw new IllegalStateException("the rules of the " + services + " Services were not all written within 120 s");
      }
      Thread.sleep(100);
    }
    String arrivals = rate > 0 ? String.format(Locale.ROOT, "arriving at random, %.1f/s on average", rate)
        : String.format(Locale.ROOT, "one after another, each %.1f s after the one before was programmed", gapSeconds);
    log("all %d endpoints programmed %.1f s after the last create; %d changes %s...", initial.size(),
        (System.nanoTime() - start) / 1e9, changes, arrivals);
    Map<String, Long> sinceBefore = metrics();

    Map<String, Long> changed = new ConcurrentHashMap<>(); // new address -> nanos of its update call
    Map<String, Long> seen = new ConcurrentHashMap<>();
    Thread observer = new Thread(() -> observe(changed, seen), "iptables-save");
    observer.setDaemon(true);
    observer.start();
    Random random = new Random(42);
    long next = System.nanoTime();
    String previous = null;
    for (int i = 0; i < changes; i++) {
      if (rate > 0) {
        next += (long) (-Math.log(1 - random.nextDouble()) / rate * 1e9);
      } else if (previous != null) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!seen.containsKey(previous) && System.nanoTime() < deadline) {
          Thread.sleep(5);
        }
        next = seen.getOrDefault(previous, System.nanoTime()) + (long) (gapSeconds * 1e9);
      }
      long wait = next - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      int service = random.nextInt(services);
      int slot = random.nextInt(endpoints);
      String address = newAddress();
      previous = address;
      changed.put(address, System.nanoTime());
      client.discovery().v1().endpointSlices().inNamespace(namespace).withName(serviceName(service)).edit(slice -> {
        List<Endpoint> list = new ArrayList<>(slice.getEndpoints());
        list.set(slot, endpoint(address));
        slice.setEndpoints(list);
        // As the EndpointSlice controller does: when the change that caused this update happened.
        slice.getMetadata().getAnnotations().put("endpoints.kubernetes.io/last-change-trigger-time",
            Instant.now().toString());
        return slice;
      });
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (seen.size() < changes && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    observer.interrupt();
    Latencies latencies = Latencies.of(seen.entrySet().stream().map(e -> e.getValue() - changed.get(e.getKey()))
        .toList());
    Map<String, Long> after = metrics();

    client.services().inNamespace(namespace).withLabel("bench", "programming").delete();
    client.discovery().v1().endpointSlices().inNamespace(namespace).withLabel("bench", "programming").delete();

    boolean met = latencies.count() == changes && latencies.seconds(99) <= PROGRAMMING_P99_GOAL_SECONDS;
    System.out.printf(Locale.ROOT, "# network programming: %d Services x %d endpoints; %d endpoint changes %s, each "
        + "timed from its EndpointSlice update call to iptables-save showing its DNAT%n", services, endpoints, changes,
        arrivals);
    System.out.printf(Locale.ROOT, "programming latency p50/p99/max: %.3f / %.3f / %.3f s over %d of %d changes "
        + "(p99 goal <= %.0f s: %s)%n", latencies.seconds(50), latencies.seconds(99), latencies.seconds(100),
        latencies.count(), changes, PROGRAMMING_P99_GOAL_SECONDS, ControlPlaneScale.met(met));
    if (!sinceBefore.isEmpty() && !after.isEmpty()) {
      System.out.printf(Locale.ROOT, "kube-proxy's own figures over the changes: %d syncs, mean sync %.3f s; "
          + "kubeproxy_network_programming_duration_seconds mean %.3f s over %d%n",
          delta(after, sinceBefore, "kubeproxy_sync_proxy_rules_duration_seconds_count"),
          mean(after, sinceBefore, "kubeproxy_sync_proxy_rules_duration_seconds"),
          mean(after, sinceBefore, "kubeproxy_network_programming_duration_seconds"),
          delta(after, sinceBefore, "kubeproxy_network_programming_duration_seconds_count"));
    }
    return met;
  }

  /** Polls iptables-save, noting when each changed address first has its DNAT. */
  private static void observe(Map<String, Long> changed, Map<String, Long> seen) {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        Set<String> targets = dnatTargets();
        long now = System.nanoTime();
        for (String address : changed.keySet()) {
          if (!seen.containsKey(address) && targets.contains(address)) {
            seen.put(address, now);
          }
        }
        Thread.sleep(10);
      } catch (InterruptedException e) {
        return;
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** The addresses the nat table DNATs to now. */
  static Set<String> dnatTargets() throws IOException, InterruptedException {
    Process save = new ProcessBuilder("iptables-save", "-t", "nat").redirectErrorStream(true).start();
    Set<String> targets = new HashSet<>();
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(save.getInputStream(),
        StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        Matcher dnat = DNAT.matcher(line);
        if (dnat.find()) {
          targets.add(dnat.group(1));
        }
      }
    }
    if (save.waitFor() != 0) {
      throw new IOException("iptables-save -t nat exited with " + save.exitValue());
    }
    return targets;
  }

  private String newAddress() {
    return address(nextAddress.getAndIncrement());
  }

  /** The i-th address of 10.42.128.0/17, the upper half of the pod CIDR, which no node's pods get here. */
  static String address(int i) {
    if (i >= 1 << 15) {
      throw new IllegalArgumentException("out of addresses");
    }
    return "10.42." + (128 + (i >> 8)) + "." + (i & 0xff);
  }

  private static Endpoint endpoint(String address) {
    return new EndpointBuilder().withAddresses(address).withNewConditions().withReady(true).endConditions().build();
  }

  private static String serviceName(int s) {
    return String.format(Locale.ROOT, "svc-%03d", s);
  }

  // ---- throughput

  private boolean throughput(KubernetesClient client) throws Exception {
    String source;
    try (DockerConnection docker = DockerConnection.connect(
        System.getenv().getOrDefault("DOCKER_HOST", "unix:///var/run/docker.sock"), Duration.ofMinutes(1))) {
      LocalImages.ensureBusybox(docker);
      // The client sends from the host's address on the pods' network, as a pod would: kube-proxy DNATs
      // its packets to the ClusterIP and masquerades nothing (it masquerades sources outside
      // --cluster-cidr, such as the host's external address, which the kernel would pick for 10.43.x.x).
      source = gateway(docker);
    }
    client.apps().deployments().inNamespace(namespace).resource(new DeploymentBuilder()
        .withNewMetadata().withName("web").endMetadata()
        .withNewSpec().withReplicas(pods).withNewSelector().addToMatchLabels("app", "web").endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
        .withNewSpec().withTerminationGracePeriodSeconds(1L).addNewContainer().withName("httpd")
        .withImage(LocalImages.BUSYBOX).withImagePullPolicy("IfNotPresent").addNewPort().withContainerPort(80).endPort()
        .withNewReadinessProbe().withNewHttpGet().withPath("/").withPort(new IntOrString(80)).endHttpGet()
        .withPeriodSeconds(1).endReadinessProbe()
        .endContainer().endSpec().endTemplate().endSpec().build()).create();
    Service service = client.services().inNamespace(namespace).resource(new ServiceBuilder()
        .withNewMetadata().withName("web").endMetadata()
        .withNewSpec().addToSelector("app", "web")
        .addNewPort().withName("http").withPort(80).withTargetPort(new IntOrString(80)).endPort().endSpec()
        .build()).create();
    List<String> podIps = awaitReadyEndpoints(client, Duration.ofSeconds(180));
    String clusterIp = service.getSpec().getClusterIP();
    awaitAnswer(() -> new InetSocketAddress(clusterIp, 80), Duration.ofSeconds(30), "the ClusterIP " + clusterIp);

    AtomicInteger turn = new AtomicInteger();
    // Local ports below the kernel's ephemeral ones (32768 and up), a range for each of the two.
    List<Target> targets = new ArrayList<>(List.of(
        new Target("pod IPs", () -> new InetSocketAddress(podIps.get(Math.floorMod(turn.getAndIncrement(),
            podIps.size())), 80), source, new int[] {12000, 21999}, Double.NaN),
        new Target("ClusterIP (iptables)", () -> new InetSocketAddress(clusterIp, 80), source,
            new int[] {22000, 31999}, IPTABLES_RATIO_GOAL)));
    Process userspace = null;
    try {
      if (launcher != null) {
        userspace = startUserspaceProxy();
        int port = awaitUserspacePort(userspace, Duration.ofSeconds(60));
        awaitAnswer(() -> new InetSocketAddress("127.0.0.1", port), Duration.ofSeconds(30), "the userspace proxy");
        targets.add(new Target("userspace proxy", () -> new InetSocketAddress("127.0.0.1", port), null, null,
            USERSPACE_RATIO_GOAL));
      }
      log("%d pods Ready; %d rounds of %d s per target, %d threads, a connection per request from %s...",
          podIps.size(), rounds, seconds, concurrency, source);
      for (Target target : targets) {
        // A round's worth first: the userspace proxy's JVM compiles its hot path meanwhile.
        load(target, seconds, new AtomicLong());
      }
      for (int round = 0; round < rounds; round++) {
        for (Target target : targets) {
          target.rates.add(load(target, seconds, target.errors));
        }
      }
      if (!FAILURES.isEmpty()) {
        log("failed requests by cause: %s", FAILURES);
      }
      return report(targets);
    } finally {
      if (userspace != null) {
        userspace.destroy();
        if (!userspace.waitFor(15, TimeUnit.SECONDS)) {
          userspace.destroyForcibly();
        }
      }
    }
  }

  /**
   * Where requests go: {@code address} gives each one's, sent from {@code source} (null: the
   * kernel's choice) and local ports of {@code ports} (null: the kernel's choice); {@code goal}
   * is the ratio to the pod IPs' rate it must reach (NaN: none, the peer).
   */
  private record Target(String name, Supplier<InetSocketAddress> address, String source, int[] ports, double goal,
      List<Double> rates, AtomicLong errors) {
    Target(String name, Supplier<InetSocketAddress> address, String source, int[] ports, double goal) {
      this(name, address, source, ports, goal, new ArrayList<>(), new AtomicLong());
    }
  }

  private boolean report(List<Target> targets) {
    System.out.printf(Locale.ROOT, "# throughput: HTTP/1.0 GETs, a connection each, %d threads, %d pods of busybox "
        + "httpd, from the host's address on the pods' network; median of %d rounds of %d s; the ratio is to the pod "
        + "IPs'%n", concurrency, pods, rounds, seconds);
    double direct = median(targets.get(0).rates());
    boolean met = true;
    for (Target target : targets) {
      double median = median(target.rates());
      String goal = "";
      if (!Double.isNaN(target.goal())) {
        boolean ok = median / direct >= target.goal();
        met &= ok;
        goal = String.format(Locale.ROOT, " (goal >= %.2f: %s)", target.goal(), ControlPlaneScale.met(ok));
      }
      System.out.printf(Locale.ROOT, "%-22s %8.0f requests/s  ratio %.2f%s; rounds %s; failed requests %d%n",
          target.name() + ":", median, median / direct, goal, target.rates().stream()
              .map(r -> String.format(Locale.ROOT, "%.0f", r)).toList(), target.errors().get());
    }
    return met;
  }

  /**
   * Requests/s that {@code concurrency} threads complete against {@code target} in {@code seconds},
   * each thread from local ports of its own share of the target's ports.
   *
   * <p>The pod IPs and the ClusterIP get separate port ranges: a connection DNATed to a pod whose
   * reply tuple (pod:80 to host:port) matches that of a direct connection closed in the last two
   * minutes (conntrack keeps it in TIME_WAIT) cannot be NATed and its SYN is dropped; the ClusterIP
   * would pay, in retransmissions, for the pod IPs' traffic of the round before.
   */
  private double load(Target target, int seconds, AtomicLong errors) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(concurrency);
    try {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      List<Future<Long>> counts = new ArrayList<>();
      for (int t = 0; t < concurrency; t++) {
        int[] slice = target.ports() == null ? null : slice(target.ports(), t);
        counts.add(threads.submit(() -> {
          long ok = 0;
          int next = 0;
          while (System.nanoTime() < end) {
            int localPort = 0;
            if (slice != null) {
              localPort = slice[0] + next;
              next = (next + 1) % (slice[1] - slice[0] + 1);
            }
            if (get(target.address().get(), target.source(), localPort)) {
              ok++;
            } else {
              errors.incrementAndGet();
            }
          }
          return ok;
        }));
      }
      long total = 0;
      for (Future<Long> count : counts) {
        total += count.get();
      }
      return total / (double) seconds;
    } finally {
      threads.shutdownNow();
    }
  }

  /** Thread {@code t}'s share of {@code ports}: first and last. */
  private int[] slice(int[] ports, int t) {
    int size = (ports[1] - ports[0] + 1) / concurrency;
    return new int[] {ports[0] + t * size, ports[0] + (t + 1) * size - 1};
  }

  static boolean get(InetSocketAddress address) {
    return get(address, null, 0);
  }

  /**
   * One GET / on a connection of its own, from {@code source} (null: any) and {@code localPort} (0:
   * any); true for a 200 read to its end.
   */
  static boolean get(InetSocketAddress address, String source, int localPort) {
    try (Socket socket = new Socket()) {
      if (source != null || localPort != 0) {
        socket.setReuseAddress(true);
        try {
          socket.bind(source == null ? new InetSocketAddress(localPort) : new InetSocketAddress(source, localPort));
        } catch (BindException e) {
          // The port's last connection is not closed yet: any other port will do.
          socket.bind(source == null ? null : new InetSocketAddress(source, 0));
        }
      }
      socket.connect(address, 2000);
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] response = in.readAllBytes();
      String head = new String(response, 0, Math.min(response.length, 16), StandardCharsets.US_ASCII);
      if (head.startsWith("HTTP/1.") && head.contains(" 200")) {
        return true;
      }
      FAILURES.merge("answer " + head.lines().findFirst().orElse("(empty)"), 1, Integer::sum);
      return false;
    } catch (IOException e) {
      FAILURES.merge(e.getClass().getSimpleName() + ": " + e.getMessage(), 1, Integer::sum);
      return false;
    }
  }

  /** The host's address on the pods' Docker network: its bridge's, br-&lt;the network's id&gt;. */
  private String gateway(DockerConnection docker) throws IOException {
    String id = docker.client().inspectNetworkCmd().withNetworkId(dockerNetwork).exec().getId();
    NetworkInterface bridge = NetworkInterface.getByName("br-" + id.substring(0, 12));
    if (bridge == null) {
      throw new IllegalStateException("the Docker network " + dockerNetwork + " has no bridge br-" + id.substring(0, 12));
    }
    return bridge.inetAddresses().filter(a -> a instanceof Inet4Address).map(a -> a.getHostAddress())
        .findFirst().orElseThrow(() -> new IllegalStateException("br-" + id.substring(0, 12) + " has no IPv4 address"));
  }

  private List<String> awaitReadyEndpoints(KubernetesClient client, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      List<String> ready = client.discovery().v1().endpointSlices().inNamespace(namespace)
          .withLabel("kubernetes.io/service-name", "web").list().getItems().stream()
          .map(EndpointSlice::getEndpoints).filter(Objects::nonNull).flatMap(List::stream)
          .filter(e -> e.getConditions() != null && Boolean.TRUE.equals(e.getConditions().getReady()))
          .flatMap(e -> e.getAddresses().stream()).distinct().toList();
      if (ready.size() >= pods) {
        return ready;
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("the Service web did not have " + pods + " ready endpoints within " + timeout);
  }

  private static void awaitAnswer(Supplier<InetSocketAddress> target, Duration timeout, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!get(target.get())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(what + " did not answer within " + timeout);
      }
      Thread.sleep(200);
    }
  }

  private Process startUserspaceProxy() throws IOException {
    Process process = new ProcessBuilder(launcher, "kube-proxy", "--server", server, "--mode", "userspace",
        "--node-name", "bench-userspace", "--healthz-bind-address", "127.0.0.1:0",
        "--metrics-bind-address", "127.0.0.1:0").redirectErrorStream(true).start();
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
    return process;
  }

  /** Reads the userspace kube-proxy's log until it says where it serves this namespace's web:http. */
  private int awaitUserspacePort(Process process, Duration timeout) throws Exception {
    Pattern served = Pattern.compile(Pattern.quote(namespace + "/web:http") + " .* is served on 127\\.0\\.0\\.1:(\\d+)");
    ExecutorService reader = Executors.newSingleThreadExecutor();
    try {
      Future<Integer> port = reader.submit(() -> {
        BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
            StandardCharsets.UTF_8));
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          Matcher matcher = served.matcher(line);
          if (matcher.find()) {
            // Keep draining its output so that it never blocks on a full pipe.
            Thread drain = new Thread(() -> {
              try {
                lines.transferTo(Writer.nullWriter());
              } catch (IOException e) {
                // it stopped
              }
            }, "userspace-proxy-output");
            drain.setDaemon(true);
            drain.start();
            return Integer.parseInt(matcher.group(1));
          }
        }
        throw new IllegalStateException("the userspace kube-proxy exited with " + process.waitFor());
      });
      return port.get(timeout.toSeconds(), TimeUnit.SECONDS);
    } finally {
      reader.shutdown();
    }
  }

  // ---- kube-proxy's /metrics

  private Map<String, Long> metrics() {
    Map<String, Long> values = new HashMap<>();
    if (metricsUrl == null) {
      return values;
    }
    try {
      String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(metricsUrl))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
      for (String line : text.split("\n")) {
        String[] parts = line.split(" ");
        if (parts.length == 2 && (parts[0].endsWith("_sum") || parts[0].endsWith("_count"))) {
          // sums in microseconds, to keep them in a long
          double value = Double.parseDouble(parts[1]);
          values.put(parts[0], parts[0].endsWith("_sum") ? (long) (value * 1e6) : (long) value);
        }
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      log("could not read %s: %s", metricsUrl, e.getMessage());
    }
    return values;
  }

  private static long delta(Map<String, Long> after, Map<String, Long> before, String name) {
    return after.getOrDefault(name, 0L) - before.getOrDefault(name, 0L);
  }

  private static double mean(Map<String, Long> after, Map<String, Long> before, String histogram) {
    long count = delta(after, before, histogram + "_count");
    return count == 0 ? Double.NaN : delta(after, before, histogram + "_sum") / 1e6 / count;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static void log(String format, Object... args) {
    System.err.println("service-routing: " + String.format(Locale.ROOT, format, args));
  }

  public static void main(String[] args) {
    System.exit(new picocli.CommandLine(new ServiceRouting()).execute(args));
  }
}
