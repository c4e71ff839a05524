package io.kubemu.cli.up;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubemu.cli.KubeconfigCommand;
import io.kubemu.component.Version;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kubemu up}: a whole cluster on this machine, each component its own process, in the
 * foreground until Ctrl-C. Started again on the same data dir, the cluster comes back with all
 * its objects: the store keeps them there.
 */
@Command(name = "up", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = {"Runs a whole cluster as local processes: 3 etcd-nodes, the apiserver, the controller-manager, "
        + "the scheduler, a kubelet per node and a kube-proxy. Writes <data-dir>/kubeconfig once the cluster is ready, and "
        + "stops every process it started on Ctrl-C. Run it again on the same data dir to get the same cluster back."})
public final class UpCommand implements Callable<Integer> {
  static final Duration START_TIMEOUT = Duration.ofMinutes(3);

  @Spec
  CommandSpec spec;

  @Option(names = "--nodes", defaultValue = "3", paramLabel = "N",
      description = "Nodes, one kubelet process each (default: ${DEFAULT-VALUE}).")
  int nodes;

  @Option(names = "--nodes-per-kubelet", defaultValue = "1", paramLabel = "K",
      description = "Simulated nodes run by one kubelet process, as kwok does; more than 1 lets a machine simulate "
          + "hundreds of nodes (a kubelet process takes about 150 MB) (default: ${DEFAULT-VALUE}).")
  int nodesPerKubelet;

  @Option(names = "--runtime", defaultValue = "simulated", paramLabel = "RUNTIME",
      description = "The kubelets' container runtime: simulated (no containers are run; pods say so) or docker "
          + "(falls back to simulated when no Docker engine answers) (default: ${DEFAULT-VALUE}).")
  String runtime;

  @Option(names = "--data-dir", defaultValue = ".kubemu", paramLabel = "DIR",
      description = "Where the cluster keeps its store, logs and kubeconfig (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--profile", defaultValue = "default", paramLabel = "PROFILE",
      description = "Timings: default (Kubernetes' own) or fast (a dead node's pods come back elsewhere in seconds; "
          + "see the README) (default: ${DEFAULT-VALUE}).")
  String profile;

  @Option(names = "--cluster-cidr", defaultValue = "10.42.0.0/16", paramLabel = "CIDR",
      description = "Pod addresses: each node gets a /24 of it, so a /16 has room for 256 nodes; give a larger one "
          + "for more, e.g. 10.64.0.0/10 (default: ${DEFAULT-VALUE}).")
  String clusterCidr;

  @Option(names = "--any-ports",
      description = "On a new data dir, listen on free ports instead of the standard ones (2379, 8080, ...), "
          + "e.g. to run two clusters side by side.")
  boolean anyPorts;

  @Option(names = "--etcd-arg", paramLabel = "FLAG", description = "A flag for every etcd-node, e.g. --etcd-arg=--snapshot-count=100000 (repeatable).")
  List<String> etcdArgs = new ArrayList<>();

  @Option(names = "--kube-apiserver-arg", paramLabel = "FLAG", description = "A flag for the apiserver (repeatable).")
  List<String> apiserverArgs = new ArrayList<>();

  @Option(names = "--kube-controller-manager-arg", paramLabel = "FLAG",
      description = "A flag for the controller-manager, e.g. --kube-controller-manager-arg=--kube-api-qps=100 (repeatable).")
  List<String> controllerManagerArgs = new ArrayList<>();

  @Option(names = "--kube-scheduler-arg", paramLabel = "FLAG", description = "A flag for the scheduler (repeatable).")
  List<String> schedulerArgs = new ArrayList<>();

  @Option(names = "--kubelet-arg", paramLabel = "FLAG", description = "A flag for every kubelet (repeatable).")
  List<String> kubeletArgs = new ArrayList<>();

  @Option(names = "--kube-proxy-arg", paramLabel = "FLAG",
      description = "A flag for kube-proxy, e.g. --kube-proxy-arg=--mode=userspace (repeatable).")
  List<String> kubeProxyArgs = new ArrayList<>();

  private final List<Child> children = Collections.synchronizedList(new ArrayList<>());
  private volatile boolean stopping;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Profile timings = parseProfile();
    if (nodes < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--nodes must be at least 1, not " + nodes);
    }
    int prefix = clusterCidrPrefix();
    if (prefix > 24 || (24 - prefix < 31 && nodes > (1L << (24 - prefix)))) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--cluster-cidr " + clusterCidr + " has room for "
          + (prefix > 24 ? 0 : 1L << (24 - prefix)) + " nodes' /24 pod CIDRs, not " + nodes
          + "; give a larger one, e.g. --cluster-cidr 10.64.0.0/10");
    }
    String nodeRuntime = chooseRuntime(out);
    if (nodesPerKubelet < 1 || (nodesPerKubelet > 1 && !nodeRuntime.equals("simulated"))) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--nodes-per-kubelet is 1, or more with the simulated runtime, not " + nodesPerKubelet);
    }
    Files.createDirectories(dataDir.resolve("logs"));
    try (FileChannel lockFile = FileChannel.open(dataDir.resolve("up.lock"), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE); FileLock lock = lockFile.tryLock()) {
      if (lock == null) {
        spec.commandLine().getErr().println("Error: another kubemu up is running on " + dataDir);
        return 1;
      }
      ClusterLayout layout = ClusterLayout.of(dataDir, anyPorts ? ClusterLayout.anyPorts() : ClusterLayout.standard());
      CountDownLatch stopped = new CountDownLatch(1);
      Thread hook = new Thread(() -> {
        stopAll(out);
        stopped.countDown();
      }, "kubemu-up-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        start(layout, timings, nodeRuntime, out);
      } catch (StartFailure e) {
        spec.commandLine().getErr().println("Error: " + e.getMessage());
        Runtime.getRuntime().removeShutdownHook(hook);
        stopAll(out);
        return 1;
      }
      stopped.await();
      return 0;
    }
  }

  private int clusterCidrPrefix() {
    java.util.regex.Matcher cidr = java.util.regex.Pattern.compile("(\\d{1,3}\\.){3}\\d{1,3}/(\\d{1,2})").matcher(clusterCidr);
    if (!cidr.matches()) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--cluster-cidr " + clusterCidr + " is not an IPv4 CIDR like 10.42.0.0/16");
    }
    return Integer.parseInt(cidr.group(2));
  }

  private Profile parseProfile() {
    try {
      return Profile.valueOf(profile.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--profile is default or fast, not '" + profile + "'");
    }
  }

  private String chooseRuntime(PrintWriter out) {
    switch (runtime) {
      case "simulated":
        return runtime;
      case "docker":
        if (DockerEngine.reachable()) {
          return runtime;
        }
        out.println("kubemu: no Docker engine answers at " + DockerEngine.address()
            + "; the nodes use the simulated runtime (pods are not run, and say so).");
        out.flush();
        return "simulated";
      default:
        throw new CommandLine.ParameterException(spec.commandLine(),
            "--runtime is simulated or docker, not '" + runtime + "'");
    }
  }

  /**
   * One kube-proxy (all nodes share this machine's network): iptables mode when its rules can reach
   * real pods (Docker runtime) and may be written (root, iptables installed), userspace otherwise.
   */
  private static String kubeProxyMode(String nodeRuntime) {
    boolean root;
    try {
      root = Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      root = false;
    }
    boolean iptables = Files.isExecutable(Path.of("/usr/sbin/iptables-restore"))
        || Files.isExecutable(Path.of("/sbin/iptables-restore"));
    return root && iptables && nodeRuntime.equals("docker") ? "iptables" : "userspace";
  }

  private void start(ClusterLayout layout, Profile timings, String nodeRuntime, PrintWriter out)
      throws IOException, InterruptedException, StartFailure {
    List<String> launcher = Launcher.command();
    Path logs = dataDir.resolve("logs");
    String server = layout.server();
    Files.deleteIfExists(dataDir.resolve("processes"));
    out.println("kubemu: starting a cluster of " + nodes + " node" + (nodes == 1 ? "" : "s") + " in " + dataDir
        + " (runtime " + nodeRuntime + ", profile " + profile + ")");
    out.flush();
    for (ClusterLayout.Member member : layout.members()) {
      launch(launcher, member.name(), "etcd-node", List.of("--name", member.name(), "--peers", layout.peers(),
          "--client-addresses", layout.clientAddresses(), "--data-dir", dataDir.resolve(member.name()).toString()),
          timings, logs);
    }
    launch(launcher, "apiserver", "apiserver", List.of("--etcd-servers", layout.etcdServers(),
        "--port", Integer.toString(layout.apiserverPort()), "--advertise-address", "127.0.0.1"), timings, logs);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    await("the apiserver to be ready at " + server, () -> ok(http, server + "/readyz"));

    launch(launcher, "controller-manager", "controller-manager", List.of("--server", server,
        "--port", Integer.toString(layout.controllerManagerPort()),
        "--allocate-node-cidrs=true", "--cluster-cidr=" + clusterCidr), timings, logs);
    launch(launcher, "scheduler", "scheduler", List.of("--server", server,
        "--secure-port", Integer.toString(layout.schedulerPort())), timings, logs);
    for (int first = 1; first <= nodes; first += nodesPerKubelet) {
      int last = Math.min(nodes, first + nodesPerKubelet - 1);
      List<String> names = new ArrayList<>();
      for (int i = first; i <= last; i++) {
        names.add("node-" + i);
      }
      launch(launcher, "kubelet-" + (first == last ? "node-" + first : "node-" + first + "-to-" + last), "kubelet",
          List.of("--server", server, "--node-name", String.join(",", names), "--runtime", nodeRuntime,
              "--port", "0", "--healthz-port", "0",
              // Pods' volumes under the data dir; a kubelet of several nodes gives each a folder of its own in it.
              "--root-dir", dataDir.resolve("kubelet").resolve(first == last ? names.get(0) : "").toAbsolutePath()
                  .toString(),
              // The pods' Docker network, if the first kubelet makes it, spans the cluster's pod CIDR.
              "--docker-network-subnet", clusterCidr), timings, logs);
    }
    String proxyMode = kubeProxyMode(nodeRuntime);
    out.println("kubemu: kube-proxy runs on node-1 in " + proxyMode + " mode" + (proxyMode.equals("iptables")
        ? " (Services' ClusterIPs and NodePorts route to the pods on this machine; its rules stay after Ctrl-C, "
            + "`kubemu kube-proxy --cleanup` removes them)"
        : " (each Service port is served on 127.0.0.1: a NodePort at its NodePort; iptables mode needs root and "
            + "--runtime docker)"));
    out.flush();
    launch(launcher, "kube-proxy-node-1", "kube-proxy", List.of("--server", server, "--node-name", "node-1",
        "--mode", proxyMode, "--cluster-cidr", clusterCidr,
        "--healthz-bind-address", anyPorts ? "127.0.0.1:0" : "0.0.0.0:10256",
        "--metrics-bind-address", anyPorts ? "127.0.0.1:0" : "127.0.0.1:10249"), timings, logs);
    // Ready, and with a pod CIDR: the controller-manager leads and runs its controllers.
    await(nodes + " Ready nodes with a pod CIDR", () -> readyNodes(http, server) >= nodes);

    Path kubeconfig = dataDir.resolve("kubeconfig").toAbsolutePath();
    Files.writeString(kubeconfig, KubeconfigCommand.kubeconfig(server, "kubemu"));
    out.println("kubemu: the cluster is ready.");
    out.println();
    synchronized (children) {
      for (Child child : children) {
        out.printf("  %-20s pid %-8d log %s%n", child.name(), child.pid(), child.log());
      }
    }
    out.println();
    out.println("  export KUBECONFIG=" + kubeconfig);
    out.println("  kubectl get nodes");
    out.println();
    out.println("Kill any of these processes to watch the cluster heal. Ctrl-C stops them all; "
        + "`kubemu up --data-dir " + dataDir + "` brings the same cluster back.");
    out.flush();
    watchForExits(out);
  }

  private void launch(List<String> launcher, String name, String component, List<String> args, Profile timings,
      Path logs) throws IOException {
    List<String> all = new ArrayList<>(args);
    all.addAll(timings.flags(component));
    all.addAll(switch (component) { // given by hand: last, so they win over the profile's
      case "etcd-node" -> etcdArgs;
      case "apiserver" -> apiserverArgs;
      case "controller-manager" -> controllerManagerArgs;
      case "scheduler" -> schedulerArgs;
      case "kubelet" -> kubeletArgs;
      case "kube-proxy" -> kubeProxyArgs;
      default -> List.<String>of();
    });
    Child child = Child.start(name, launcher, component, all, logs);
    children.add(child);
    Files.writeString(dataDir.resolve("processes"), child.name() + " " + child.pid() + "\n",
        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  /** Tells the user when a process of the cluster ends that they did not stop through us. */
  private void watchForExits(PrintWriter out) {
    synchronized (children) {
      for (Child child : children) {
        child.process().onExit().thenAccept(process -> {
          if (!stopping) {
            out.println("kubemu: " + child.name() + " (pid " + child.pid() + ") exited with code "
                + process.exitValue() + "; see " + child.log());
            out.flush();
          }
        });
      }
    }
  }

  /** Stops the nodes first and the store last, as a cluster is taken down. */
  private void stopAll(PrintWriter out) {
    stopping = true;
    List<Child> reversed;
    synchronized (children) {
      reversed = new ArrayList<>(children);
    }
    Collections.reverse(reversed);
    if (reversed.stream().anyMatch(Child::isAlive)) {
      out.println("kubemu: stopping the cluster...");
      out.flush();
    }
    try {
      List<Child> components = reversed.stream().filter(c -> !c.name().startsWith("etcd-")).toList();
      List<Child> store = reversed.stream().filter(c -> c.name().startsWith("etcd-")).toList();
      for (List<Child> group : List.of(components, store)) {
        group.forEach(Child::terminate);
        for (Child child : group) {
          child.awaitStopped(15);
        }
      }
      Files.deleteIfExists(dataDir.resolve("processes"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // the list of processes is only a convenience
    }
  }

  private void await(String what, BooleanSupplier condition) throws InterruptedException, StartFailure {
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    while (!condition.getAsBoolean()) {
      synchronized (children) {
        for (Child child : children) {
          if (!child.isAlive()) {
            throw new StartFailure(child.name() + " exited while waiting for " + what + "; the end of "
                + child.log() + ":\n" + child.logTail(20));
          }
        }
      }
      if (Instant.now().isAfter(deadline)) {
        throw new StartFailure("gave up waiting for " + what + " after " + START_TIMEOUT.toSeconds()
            + " s; see the logs in " + dataDir.resolve("logs"));
      }
      Thread.sleep(200); // polling a process we do not control: there is no event to await
    }
  }

  private static boolean ok(HttpClient http, String url) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static int readyNodes(HttpClient http, String server) {
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(server + "/api/v1/nodes"))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        return 0;
      }
      int ready = 0;
      for (JsonNode node : new ObjectMapper().readTree(response.body()).path("items")) {
        if (node.path("spec").path("podCIDR").asText().isEmpty()) {
          continue;
        }
        for (JsonNode condition : node.path("status").path("conditions")) {
          if ("Ready".equals(condition.path("type").asText()) && "True".equals(condition.path("status").asText())) {
            ready++;
          }
        }
      }
      return ready;
    } catch (IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  /** The cluster could not be started; the message says why. */
  private static final class StartFailure extends Exception {
    StartFailure(String message) {
      super(message);
    }
  }
}
