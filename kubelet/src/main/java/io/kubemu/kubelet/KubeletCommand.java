package io.kubemu.kubelet;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubemu.component.Durations;
import io.kubemu.component.Version;
import io.kubemu.component.client.ClientConfig;
import io.kubemu.component.client.ClientFlags;
import io.kubemu.component.server.HealthServer;
import io.kubemu.kubelet.nodestatus.MachineInfo;
import io.kubemu.kubelet.nodestatus.NodeConfig;
import io.kubemu.kubelet.runtime.RuntimeVersion;
import io.kubemu.kubelet.runtime.docker.DockerConnection;
import io.kubemu.kubelet.runtime.docker.DockerRuntime;
import io.kubemu.kubelet.runtime.simulated.SimulatedRuntime;
import io.kubemu.kubelet.server.KubeletServer;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kubemu kubelet}: one node's agent, in the foreground, with the kubelet's flags. Several run
 * on one host as different nodes ({@code --node-name}, {@code --port 0}, {@code --healthz-port 0}).
 * SIGTERM stops it; its pods keep running (in the simulated runtime: in the apiserver's records),
 * and a kubelet started again with the same node name takes them back.
 */
@Command(name = "kubelet", mixinStandardHelpOptions = true, versionProvider = Version.class,
    defaultValueProvider = KubeletCommand.KubeletClientDefaults.class,
    description = "The node agent: registers a Node and runs its pods on a container runtime.")
public final class KubeletCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(KubeletCommand.class);
  private static final Set<String> RUNTIMES = Set.of(SimulatedRuntime.NAME, DockerRuntime.NAME);
  private static final Set<String> EFFECTS = Set.of("NoSchedule", "PreferNoSchedule", "NoExecute");
  private static final Pattern QUALIFIED_NAME = Pattern.compile("([a-z0-9.-]+/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
  private static final Pattern LABEL_VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?");
  private static final Pattern NODE_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  @Spec
  CommandSpec spec;

  @Mixin
  ClientFlags client;

  @Option(names = {"--node-name", "--hostname-override"}, split = ",", paramLabel = "NAME",
      description = {"The Node's name (default: this host's name).",
          "With the simulated runtime, several names (node-1,node-2,...) run one simulated node each in this "
              + "process, as kwok does, for clusters of hundreds of nodes; they need --port 0, and each node "
              + "gets its own --kube-api-qps and --kube-api-burst."})
  List<String> nodeNames = new ArrayList<>();

  @Option(names = "--runtime", defaultValue = "simulated", paramLabel = "RUNTIME",
      description = "The container runtime: simulated (nothing runs; pods are reported Running, as kwok does) or "
          + "docker (real containers through the Docker Engine at --docker-host) (default: ${DEFAULT-VALUE}).")
  String runtime;

  @Option(names = "--docker-host", paramLabel = "URL",
      description = "The Docker Engine of --runtime docker (default: $DOCKER_HOST, else unix:///var/run/docker.sock).")
  String dockerHost;

  @Option(names = "--pod-infra-container-image", defaultValue = "kubemu/pause:3.10", paramLabel = "IMAGE",
      description = "The image of every pod's sandbox (pause) container; kubemu makes its own default one in Docker "
          + "when it is missing (default: ${DEFAULT-VALUE}).")
  String podInfraContainerImage;

  @Option(names = "--docker-network", defaultValue = "kubemu", paramLabel = "NAME",
      description = "The Docker network all nodes' pods join, one bridge for the cluster (default: ${DEFAULT-VALUE}).")
  String dockerNetwork;

  @Option(names = "--docker-network-subnet", defaultValue = "10.42.0.0/16", paramLabel = "CIDR",
      description = "The subnet --docker-network is created with when no kubelet created it yet: the cluster's pod "
          + "CIDR, which holds every node's podCIDR (default: ${DEFAULT-VALUE}).")
  String dockerNetworkSubnet;

  @Option(names = "--node-ip", defaultValue = "127.0.0.1", paramLabel = "IP",
      description = "The node's InternalIP, pods' hostIP and host-network pods' IP (default: ${DEFAULT-VALUE}).")
  String nodeIP;

  @Option(names = "--address", defaultValue = "0.0.0.0", paramLabel = "ADDRESS",
      description = "The address the kubelet's endpoint (--port) listens on (default: ${DEFAULT-VALUE}).")
  String address;

  @Option(names = "--port", defaultValue = "10250", paramLabel = "PORT",
      description = "The kubelet's endpoint (/healthz, /pods, /containerLogs, which kubectl logs reads through the "
          + "apiserver); 0: any free port, reported in the Node's status (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--healthz-bind-address", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
      description = "The address /healthz listens on (default: ${DEFAULT-VALUE}).")
  String healthzBindAddress;

  @Option(names = "--healthz-port", defaultValue = "10248", paramLabel = "PORT",
      description = "The port of /healthz (and /metrics); 0: not served (default: ${DEFAULT-VALUE}).")
  int healthzPort;

  @Option(names = "--node-status-update-frequency", defaultValue = "10s", converter = Durations.class,
      paramLabel = "DURATION",
      description = "How often the node's status is computed and written if it changed (default: ${DEFAULT-VALUE}).")
  Duration nodeStatusUpdateFrequency;

  @Option(names = "--node-status-report-frequency", defaultValue = "5m", converter = Durations.class,
      paramLabel = "DURATION",
      description = "How often the node's status is written even if unchanged (default: ${DEFAULT-VALUE}).")
  Duration nodeStatusReportFrequency;

  @Option(names = "--node-lease-duration-seconds", defaultValue = "40", paramLabel = "SECONDS",
      description = "The node Lease's duration; it is renewed every quarter of it (default: ${DEFAULT-VALUE}).")
  int nodeLeaseDurationSeconds;

  @Option(names = "--sync-frequency", defaultValue = "1m", converter = Durations.class, paramLabel = "DURATION",
      description = "How often every pod is synced again even without a change (default: ${DEFAULT-VALUE}).")
  Duration syncFrequency;

  @Option(names = "--pleg-relist-period", defaultValue = "1s", converter = Durations.class, paramLabel = "DURATION",
      description = "How often the pod lifecycle event generator lists the runtime's containers to notice one that "
          + "started, died or was removed behind the kubelet's back, and sync its pod (default: ${DEFAULT-VALUE}).")
  Duration plegRelistPeriod;

  @Option(names = "--crash-loop-backoff-initial", defaultValue = "10s", converter = Durations.class,
      paramLabel = "DURATION",
      description = "How long a container that exited waits before its second restart (CrashLoopBackOff), and a "
          + "failed image pull before the next; it doubles on every failure (default: ${DEFAULT-VALUE}).")
  Duration crashLoopBackOffInitial;

  @Option(names = "--crash-loop-backoff-max", defaultValue = "5m", converter = Durations.class,
      paramLabel = "DURATION",
      description = "The most the crash-loop and image-pull backoffs double to; a container that ran twice as long "
          + "starts its backoff afresh (default: ${DEFAULT-VALUE}).")
  Duration crashLoopBackOffMax;

  @Option(names = "--event-qps", defaultValue = "50", paramLabel = "N",
      description = "Events written per second at most, on average; 0 for no limit (default: ${DEFAULT-VALUE}).")
  int eventRecordQps;

  @Option(names = "--event-burst", defaultValue = "100", paramLabel = "N",
      description = "Events written at once at most, within --event-qps (default: ${DEFAULT-VALUE}).")
  int eventBurst;

  @Option(names = "--max-pods", defaultValue = "110", paramLabel = "N",
      description = "Pods this node runs at most; the node's pods capacity (default: ${DEFAULT-VALUE}).")
  int maxPods;

  @Option(names = "--capacity-cpu", paramLabel = "QUANTITY",
      description = "The node's cpu capacity (and allocatable) (default: 4 simulated; with docker, this machine's "
          + "processors).")
  String capacityCpu;

  @Option(names = "--capacity-memory", paramLabel = "QUANTITY",
      description = "The node's memory capacity (and allocatable) (default: 8Gi simulated; with docker, this machine's "
          + "memory).")
  String capacityMemory;

  @Option(names = "--root-dir", paramLabel = "DIR",
      description = {"The kubelet's directory: each pod's volumes (emptyDir, configMap, secret, downwardAPI, projected) "
          + "are set up under DIR/pods/<pod UID>/volumes, and a pod's directory goes with the pod. With several "
          + "--node-name, each node uses DIR/<node name>.",
          "Kubernetes' default is /var/lib/kubelet; kubemu's is <java.io.tmpdir>/kubemu-kubelet/<node name>, one per "
              + "node, so that kubelets share a host without root. Kubelets on one host need a directory each."})
  Path rootDir;

  @Option(names = "--register-with-taints", split = ",", paramLabel = "KEY[=VALUE]:EFFECT",
      description = "Taints the Node registers with, e.g. dedicated=infra:NoSchedule.")
  List<String> registerWithTaints = new ArrayList<>();

  @Option(names = "--node-labels", split = ",", paramLabel = "KEY=VALUE",
      description = "Labels the Node registers with, e.g. topology.kubernetes.io/zone=a.")
  List<String> nodeLabels = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    List<KubeletConfig> configs;
    ClientConfig connection;
    try {
      configs = configs();
      ClientConfig perNode = client.config();
      connection = new ClientConfig(perNode.server(), perNode.kubeconfig(), perNode.qps() * configs.size(),
          perNode.burst() * configs.size());
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    Clock clock = Clock.systemUTC();
    KubernetesClient kube = connection.newClient("kubelet");
    List<NodeAgent> agents = new ArrayList<>();
    HealthServer health = null;
    try {
      for (KubeletConfig config : configs) {
        if (runtime.equals(DockerRuntime.NAME)) {
          DockerRuntime docker = dockerRuntime(config.node().nodeName(), clusterId(kube));
          if (docker == null) {
            kube.close();
            return 1;
          }
          agents.add(NodeAgent.bind(kube, config.withRuntime(docker.version()), address, port, clock, docker, docker,
              (pod, ip) -> null));
        } else {
          agents.add(NodeAgent.bind(kube, config, address, port, clock));
        }
      }
      health = healthzPort > 0 ? HealthServer.start(healthzBindAddress, healthzPort, List.of()) : null;
    } catch (IOException e) {
      agents.forEach(NodeAgent::close);
      kube.close();
      spec.commandLine().getErr().println("kubemu kubelet: cannot listen: " + e.getMessage()
          + (healthzPort > 0 ? " (--port " + port + ", --healthz-port " + healthzPort + "; 0 serves no separate /healthz)"
              : " (--port " + port + ")"));
      return 1;
    }
    for (NodeAgent agent : agents) {
      LOG.info("kubelet {} serving on {}:{}{}", agent.nodeName(), address, agent.port(),
          health != null ? ", /healthz on " + healthzBindAddress + ":" + health.port() : "");
    }
    CountDownLatch stopped = new CountDownLatch(1);
    HealthServer healthServer = health;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      agents.forEach(NodeAgent::stop);
      kube.close();
      agents.forEach(NodeAgent::close);
      if (healthServer != null) {
        healthServer.close();
      }
      stopped.countDown();
    }, "kubelet-shutdown"));
    NodeAgent.runAll(agents);
    stopped.await();
    return 0;
  }

  /**
   * The cluster's id, the UID of its kube-system namespace, read once when first needed (after the
   * Node registered, so the apiserver answers; retried while it does not).
   */
  private static Supplier<String> clusterId(KubernetesClient kube) {
    AtomicReference<String> known = new AtomicReference<>();
    return () -> {
      String id = known.get();
      while (id == null) {
        try {
          Namespace namespace = kube.namespaces().withName("kube-system").get();
          if (namespace != null) {
            id = namespace.getMetadata().getUid();
            known.set(id);
            break;
          }
        } catch (RuntimeException e) {
          LOG.warn("cannot read the kube-system namespace (the cluster's id) yet: {}", e.getMessage());
        }
        try {
          Thread.sleep(1000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while reading the cluster's id", e);
        }
      }
      return id;
    };
  }

  /** The Docker runtime of --docker-host, its network and pause image ready; null (said why) when the engine fails. */
  private DockerRuntime dockerRuntime(String nodeName, Supplier<String> clusterId) {
    String host = dockerHost != null ? dockerHost
        : System.getenv().getOrDefault("DOCKER_HOST", "unix:///var/run/docker.sock");
    try {
      return new DockerRuntime(DockerConnection.connect(host), nodeName, dockerNetwork, podInfraContainerImage,
          clusterId).start(dockerNetworkSubnet);
    } catch (RuntimeException e) {
      spec.commandLine().getErr().println("kubemu kubelet: the Docker Engine at " + host + " cannot run pods: "
          + e.getMessage());
      return null;
    }
  }

  /** One kubelet configuration per node this process runs; see {@link #config(String)}. */
  List<KubeletConfig> configs() {
    List<String> names = nodeNames.isEmpty() ? List.of(hostname()) : nodeNames;
    if (names.size() > 1 && !runtime.equals(SimulatedRuntime.NAME)) {
      throw new IllegalArgumentException("--node-name: several nodes in one kubelet need the simulated runtime");
    }
    if (names.size() > 1 && port != 0) {
      throw new IllegalArgumentException("--node-name: several nodes in one kubelet need --port 0 (each node listens "
          + "on a port of its own)");
    }
    if (new java.util.HashSet<>(names).size() != names.size()) {
      throw new IllegalArgumentException("--node-name: a node is named twice");
    }
    // Many simulated nodes in one process share its CPU: fewer pod worker threads each. A Docker node's
    // workers mostly wait for the engine, so more pods start at once (Kubernetes runs a goroutine per pod).
    int podWorkers = names.size() > 1 ? 2 : runtime.equals(DockerRuntime.NAME) ? 16 : 4;
    return names.stream().map(name -> config(name, podWorkers)).toList();
  }

  /** The one node's settings (the tests' shorthand). */
  KubeletConfig config() {
    List<KubeletConfig> configs = configs();
    if (configs.size() != 1) {
      throw new IllegalArgumentException("expected one --node-name");
    }
    return configs.get(0);
  }

  /** The settings from the flags for one node; a flag that makes no sense is an IllegalArgumentException saying which. */
  private KubeletConfig config(String name, int podWorkers) {
    if (!RUNTIMES.contains(runtime)) {
      throw new IllegalArgumentException("--runtime " + runtime + " is not supported: the runtimes are simulated and "
          + "docker");
    }
    if (!NODE_NAME.matcher(name).matches() || name.length() > 253) {
      throw new IllegalArgumentException("--node-name " + name + " is not a valid node name (lowercase letters, digits,"
          + " '-' and '.')");
    }
    requirePort("--port", port);
    requirePort("--healthz-port", healthzPort);
    if (maxPods < 1) {
      throw new IllegalArgumentException("--max-pods must be at least 1");
    }
    if (eventRecordQps < 0 || eventBurst < 0) {
      throw new IllegalArgumentException("--event-qps and --event-burst must not be negative");
    }
    if (nodeLeaseDurationSeconds < 1) {
      throw new IllegalArgumentException("--node-lease-duration-seconds must be at least 1");
    }
    for (Duration[] frequency : new Duration[][] {{nodeStatusUpdateFrequency}, {nodeStatusReportFrequency},
        {syncFrequency}, {plegRelistPeriod}, {crashLoopBackOffInitial}, {crashLoopBackOffMax}}) {
      if (frequency[0].isZero() || frequency[0].isNegative()) {
        throw new IllegalArgumentException("--node-status-update-frequency, --node-status-report-frequency, "
            + "--sync-frequency, --pleg-relist-period and the --crash-loop-backoff durations must be more than 0");
      }
    }
    if (!nodeIP.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
      throw new IllegalArgumentException("--node-ip " + nodeIP + " is not an IPv4 address");
    }
    boolean simulated = runtime.equals(SimulatedRuntime.NAME);
    String cpu = capacityCpu != null ? capacityCpu
        : simulated ? "4" : Integer.toString(java.lang.Runtime.getRuntime().availableProcessors());
    String memory = capacityMemory != null ? capacityMemory : simulated ? "8Gi" : MachineInfo.memoryCapacity();
    NodeConfig node = new NodeConfig(name, nodeIP, quantity("--capacity-cpu", cpu),
        quantity("--capacity-memory", memory), maxPods, port, new RuntimeVersion(runtime, Version.VERSION),
        labels(nodeLabels), taints(registerWithTaints));
    return new KubeletConfig(node, address, healthzBindAddress, healthzPort, nodeStatusUpdateFrequency,
        nodeStatusReportFrequency, nodeLeaseDurationSeconds, syncFrequency, podWorkers, rootDir(name), plegRelistPeriod,
        crashLoopBackOffInitial, crashLoopBackOffMax.compareTo(crashLoopBackOffInitial) < 0 ? crashLoopBackOffInitial
            : crashLoopBackOffMax, eventRecordQps, eventBurst);
  }

  /** The node's --root-dir: the flag's (per node if this process runs several), or one of its own under the temp dir. */
  private Path rootDir(String nodeName) {
    if (rootDir == null) {
      return Path.of(System.getProperty("java.io.tmpdir"), "kubemu-kubelet", nodeName).toAbsolutePath();
    }
    return (nodeNames.size() > 1 ? rootDir.resolve(nodeName) : rootDir).toAbsolutePath();
  }

  private static void requirePort(String flag, int value) {
    if (value < 0 || value > 65535) {
      throw new IllegalArgumentException(flag + " " + value + " is not a port (0-65535)");
    }
  }

  private static Quantity quantity(String flag, String value) {
    try {
      Quantity quantity = new Quantity(value);
      if (Quantity.getAmountInBytes(quantity).signum() <= 0) {
        throw new IllegalArgumentException();
      }
      return quantity;
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(flag + " " + value + " is not a positive quantity like 4, 500m or 8Gi");
    }
  }

  static Map<String, String> labels(List<String> flags) {
    Map<String, String> labels = new LinkedHashMap<>();
    for (String flag : flags) {
      int equals = flag.indexOf('=');
      String key = equals < 0 ? flag : flag.substring(0, equals);
      String value = equals < 0 ? "" : flag.substring(equals + 1);
      if (equals < 0 || !QUALIFIED_NAME.matcher(key).matches() || !LABEL_VALUE.matcher(value).matches()) {
        throw new IllegalArgumentException("--node-labels: '" + flag + "' is not a label like key=value");
      }
      labels.put(key, value);
    }
    return labels;
  }

  static List<Taint> taints(List<String> flags) {
    List<Taint> taints = new ArrayList<>();
    for (String flag : flags) {
      int colon = flag.lastIndexOf(':');
      String effect = colon < 0 ? "" : flag.substring(colon + 1);
      String keyValue = colon < 0 ? flag : flag.substring(0, colon);
      int equals = keyValue.indexOf('=');
      String key = equals < 0 ? keyValue : keyValue.substring(0, equals);
      String value = equals < 0 ? null : keyValue.substring(equals + 1);
      if (!EFFECTS.contains(effect) || !QUALIFIED_NAME.matcher(key).matches()
          || (value != null && !LABEL_VALUE.matcher(value).matches())) {
        throw new IllegalArgumentException("--register-with-taints: '" + flag + "' is not a taint like "
            + "key=value:NoSchedule (effects: NoSchedule, PreferNoSchedule, NoExecute)");
      }
      Taint taint = new Taint();
      taint.setKey(key);
      taint.setValue(value);
      taint.setEffect(effect);
      taints.add(taint);
    }
    return taints;
  }

  private static String hostname() {
    try {
      return InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT);
    } catch (IOException e) {
      return "localhost";
    }
  }

  /**
   * The kubelet's own client defaults (KubeletConfiguration's kubeAPIQPS 50, kubeAPIBurst 100),
   * above the controller-manager's that the shared client flags default to.
   */
  static final class KubeletClientDefaults implements CommandLine.IDefaultValueProvider {
    private static final Map<String, String> DEFAULTS = Map.of("--kube-api-qps", "50", "--kube-api-burst", "100");

    @Override
    public String defaultValue(CommandLine.Model.ArgSpec argument) {
      return argument instanceof CommandLine.Model.OptionSpec option ? DEFAULTS.get(option.longestName()) : null;
    }
  }

  /** Runs the kubelet without the launcher, e.g. from tests that start it as a separate process. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new KubeletCommand()).execute(args));
  }
}
