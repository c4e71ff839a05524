package io.kubemu.bench;

import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kubemu.kubelet.runtime.docker.DockerConnection;
import io.kubemu.kubelet.runtime.docker.LocalImages;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The compose cluster from {@code docker-compose up -d} to work: a compose project of its own (its
 * own apiserver and kube-proxy ports, kubelet root dirs and volumes), timed from the command's start
 * to 3 Ready nodes and then to a 3-replica Deployment Running; then the memory of every component's
 * container (its JVM is the container's only long-lived process) idle, and again with {@code --pods}
 * pods: the container's resident set (the goal's measure), and the Pss, {@code docker stats} and
 * VmRSS of its processes. The project, its pods and kube-proxy's rules are removed at the end.
 */
@Command(name = "cluster-up", mixinStandardHelpOptions = true,
    description = "docker-compose up -d to Ready and to a Deployment Running; the components' memory, idle and with pods.")
public final class ClusterUp implements Callable<Integer> {
  static final double READY_GOAL_SECONDS = 15;
  static final long MEMORY_GOAL_KIB = 1024 * 1024;
  /** The compose file's services: 3 etcd-nodes, apiserver, controller-manager, scheduler, 3 kubelets, kube-proxy. */
  static final int COMPONENTS = 10;
  static final String NAMESPACE = "cluster-up";
  static final String POD_NETWORK = "kubemu";

  @Option(names = "--compose-file", required = true, description = "The docker-compose.yml to bring up.")
  Path file;

  @Option(names = "--project", defaultValue = "kubemu-bench", description = "The compose project's name (default: ${DEFAULT-VALUE}).")
  String project;

  @Option(names = "--root-dir", required = true, description = "The kubelets' root dir on this host (KUBEMU_ROOT_DIR).")
  Path rootDir;

  @Option(names = "--pods", defaultValue = "30", description = "Pods for the second memory figure (default: ${DEFAULT-VALUE}).")
  int pods;

  @Option(names = "--settle", defaultValue = "10", description = "Seconds the cluster idles before its memory is read (default: ${DEFAULT-VALUE}).")
  int settleSeconds;

  private final Map<String, String> settings = new TreeMap<>();

  @Override
  public Integer call() throws Exception {
    int port = freePort();
    settings.put("KUBEMU_APISERVER_PORT", Integer.toString(port));
    settings.put("KUBEMU_ROOT_DIR", rootDir.toAbsolutePath().toString());
    settings.put("KUBEMU_KUBE_PROXY_HEALTHZ_PORT", Integer.toString(freePort()));
    settings.put("KUBEMU_KUBE_PROXY_METRICS_PORT", Integer.toString(freePort()));
    try (DockerConnection docker = DockerConnection.connect("unix:///var/run/docker.sock", Duration.ofMinutes(1));
        KubernetesClient client = new KubernetesClientBuilder().withConfig(new ConfigBuilder()
            .withMasterUrl("http://127.0.0.1:" + port).withRequestTimeout(10_000).build()).build()) {
      String image = image();
      try {
        docker.client().inspectImageCmd(image).exec();
      } catch (NotFoundException e) {
        log("%s is not built: run docker/offline-images.sh (or docker-compose build) first", image);
        return 2;
      }
      LocalImages.ensureBusybox(docker);
      boolean networkWasThere = docker.hasNetwork(POD_NETWORK);
      compose(Duration.ofMinutes(3), "down", "-v", "--remove-orphans", "-t", "5"); // a run killed midway
      log("load1 %s; docker-compose up -d (project %s, apiserver on 127.0.0.1:%d)...", LoadAverage.oneMinute(),
          project, port);
      try {
        return measure(docker, client, URI.create("http://127.0.0.1:" + port + "/readyz"));
      } finally {
        // kube-proxy's rules stay when it stops: once it is stopped, --cleanup removes them.
        compose(Duration.ofMinutes(3), "down", "-t", "5");
        compose(Duration.ofMinutes(1), "run", "--rm", "--no-deps", "kube-proxy", "kube-proxy", "--cleanup");
        compose(Duration.ofMinutes(3), "down", "-v", "--remove-orphans", "-t", "5");
        for (Container container : docker.client().listContainersCmd().withShowAll(true)
            .withLabelFilter(Map.of("io.kubemu.network", POD_NETWORK, "io.kubernetes.pod.namespace", NAMESPACE))
            .exec()) {
          docker.client().removeContainerCmd(container.getId()).withForce(true).exec();
        }
        if (!networkWasThere) {
          docker.client().removeNetworkCmd(POD_NETWORK).exec();
        }
      }
    }
  }

  private int measure(DockerConnection docker, KubernetesClient client, URI readyz) throws Exception {
    long start = System.nanoTime();
    MachineCpu machineAtStart = MachineCpu.now();
    run(Duration.ofMinutes(3), "up", "-d", "--no-build");
    double upReturned = seconds(start);
    // Docker publishes the apiserver's port before the apiserver listens, and its proxy closes the connections it
    // takes meanwhile: the first polls go by a plain client, which Vert.x's (in fabric8's) would log as errors.
    HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    await("the apiserver", Duration.ofMinutes(3), () -> answers(plain, readyz));
    await("3 Ready nodes", Duration.ofMinutes(3), () -> readyNodes(client) >= 3);
    double ready = seconds(start);
    MachineCpu machineAtReady = MachineCpu.now();
    MachineCpu machineUntilReady = machineAtStart == null || machineAtReady == null ? null
        : machineAtReady.since(machineAtStart);
    Map<String, Double> cpuUntilReady = cpuSeconds(docker);
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
        .create();
    client.apps().deployments().inNamespace(NAMESPACE).resource(new DeploymentBuilder()
        .withNewMetadata().withName("web").endMetadata()
        .withNewSpec().withReplicas(3).withNewSelector().addToMatchLabels("app", "web").endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
        .withNewSpec().withTerminationGracePeriodSeconds(1L).addNewContainer().withName("httpd")
        .withImage(LocalImages.BUSYBOX).withImagePullPolicy("IfNotPresent").endContainer().endSpec()
        .endTemplate().endSpec().build()).create();
    await("3 Running pods", Duration.ofMinutes(3), () -> runningPods(client) >= 3);
    double running = seconds(start);
    await("every component healthy", Duration.ofMinutes(2), () -> allHealthy(docker));
    double healthy = seconds(start);

    TimeUnit.SECONDS.sleep(settleSeconds);
    Map<String, Memory> idle = memory(docker);
    client.apps().deployments().inNamespace(NAMESPACE).withName("web").scale(pods);
    await(pods + " Running pods", Duration.ofMinutes(5), () -> runningPods(client) >= pods);
    TimeUnit.SECONDS.sleep(settleSeconds);
    Map<String, Memory> loaded = memory(docker);

    boolean readyMet = ready <= READY_GOAL_SECONDS;
    long idleRss = sum(idle, Memory::containerRssKib);
    long loadedRss = sum(loaded, Memory::containerRssKib);
    // Every component's container read, or no verdict: a container left out would pass for one taking nothing.
    boolean memoryMeasured = idle.size() == COMPONENTS && loaded.size() == COMPONENTS && idleRss >= 0 && loadedRss >= 0;
    boolean memoryMet = memoryMeasured && Math.max(idleRss, loadedRss) <= MEMORY_GOAL_KIB;
    System.out.printf(Locale.ROOT, "# cluster up: docker-compose up -d of %s (3 etcd-nodes, apiserver, "
        + "controller-manager, scheduler, 3 kubelets, kube-proxy), images built before%n", file.getFileName());
    System.out.printf(Locale.ROOT, "up -d returned:              %5.1f s%n", upReturned);
    System.out.printf(Locale.ROOT, "3 nodes Ready:               %5.1f s  (goal <= %.0f s: %s; published: k3d 7-20 s, "
        + "kind 20-33 s)%n", ready, READY_GOAL_SECONDS, ControlPlaneScale.met(readyMet));
    System.out.printf(Locale.ROOT, "3-replica Deployment Running: %4.1f s%n", running);
    System.out.printf(Locale.ROOT, "every container healthy:     %5.1f s%n", healthy);
    System.out.printf(Locale.ROOT, "# CPU each component had used when the 3 nodes were Ready (user + system)%n");
    for (Map.Entry<String, Double> component : cpuUntilReady.entrySet()) {
      System.out.printf(Locale.ROOT, "%-20s %6.1f s%n", component.getKey(), component.getValue());
    }
    double components = cpuUntilReady.values().stream().mapToDouble(Double::doubleValue).sum();
    System.out.printf(Locale.ROOT, "%-20s %6.1f s  (in %.1f s on %d cores)%n", "all components", components, ready,
        Runtime.getRuntime().availableProcessors());
    if (machineUntilReady != null) {
      // What the CPUs did besides: Docker creating containers and networks, the kernel, health checks, this harness.
      System.out.printf(Locale.ROOT, "%-20s %6.1f s  (busy %.0f %% of the %.1f CPU-s there were; %.1f s not the "
          + "components')%n", "the whole machine", machineUntilReady.busySeconds(),
          100 * machineUntilReady.busySeconds() / machineUntilReady.totalSeconds(), machineUntilReady.totalSeconds(),
          machineUntilReady.busySeconds() - components);
    }
    System.out.printf(Locale.ROOT, "# memory per component, idle %d s after that, and with %d pods Running, four "
        + "ways: the container's resident set (RSS: its control group's total_rss in cgroup v1, anon in v2, as "
        + "cAdvisor counts a container's; its anonymous pages, copies of file pages written to included, and no page "
        + "of a file it only reads, such as libjvm's code or a class archive's read-only half, which the page cache "
        + "holds once for all containers); the proportional share of its processes (Pss: a page N processes share "
        + "counts 1/N in each, so the column adds up to what the processes map, each shared page once); `docker "
        + "stats` (the control group's charge less inactive file pages); and its processes' VmRSS (a shared page "
        + "counts in every JVM that maps it, ten times over in the sum)%n",
        settleSeconds, pods);
    List<Column> columns = List.of(new Column("RSS", Memory::containerRssKib),
        new Column("Pss", Memory::proportionalKib),
        new Column("stats", Memory::containerKib), new Column("VmRSS", Memory::residentKib));
    StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-20s", "component"));
    for (Column column : columns) {
      header.append(String.format(Locale.ROOT, " %12s %12s", column.name() + " idle",
          column.name() + " " + pods + " pods"));
    }
    System.out.println(header);
    for (String service : idle.keySet()) {
      Memory idleMemory = idle.get(service);
      Memory loadedMemory = loaded.getOrDefault(service, Memory.UNKNOWN);
      StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-20s", service));
      for (Column column : columns) {
        row.append(' ').append(mib(column.measure().applyAsLong(idleMemory))).append(' ')
            .append(mib(column.measure().applyAsLong(loadedMemory)));
      }
      System.out.println(row);
    }
    StringBuilder total = new StringBuilder(String.format(Locale.ROOT, "%-20s", "all components"));
    for (Column column : columns) {
      total.append(' ').append(mib(sum(idle, column.measure()))).append(' ').append(mib(sum(loaded, column.measure())));
    }
    System.out.println(total);
    System.out.printf(Locale.ROOT, "goal: the containers' RSS together <= 1024 MiB, idle and with %d pods: %s%n", pods,
        memoryMeasured ? ControlPlaneScale.met(memoryMet)
            : "not measured (a container's control group could not be read)");
    return readyMet && memoryMet ? 0 : 1;
  }

  /**
   * A component's memory, KiB: resident, its proportional share, its container's (`docker stats`) and its
   * container's resident set.
   */
  private record Memory(long residentKib, long proportionalKib, long containerKib, long containerRssKib) {
    static final Memory UNKNOWN = new Memory(-1, -1, -1, -1);
  }

  /** A column pair of the memory table: a measure, idle and with pods. */
  private record Column(String name, ToLongFunction<Memory> measure) {}

  /** The measure added up over the components; -1 if it is unknown for any. */
  private static long sum(Map<String, Memory> memory, ToLongFunction<Memory> measure) {
    long sum = 0;
    for (Memory component : memory.values()) {
      long kib = measure.applyAsLong(component);
      if (kib < 0) {
        return -1;
      }
      sum += kib;
    }
    return sum;
  }

  /** A table cell: KiB as MiB, or that it is unknown. */
  private static String mib(long kib) {
    return kib < 0 ? String.format(Locale.ROOT, "%12s", "?") : String.format(Locale.ROOT, "%8d MiB", kib / 1024);
  }

  /** Each service's container's memory: the sums over its processes. */
  private Map<String, Memory> memory(DockerConnection docker) {
    Map<String, Memory> memory = new TreeMap<>();
    processes(docker).forEach((service, pids) -> memory.put(service, new Memory(
        pids.stream().mapToLong(pid -> Math.max(0, ProcessMemory.of(pid).residentKib())).sum(),
        pids.stream().mapToLong(pid -> Math.max(0, ProcessMemory.proportionalKib(pid))).sum(),
        // Every process of a container is in its control group; one may be gone (a healthcheck).
        pids.stream().mapToLong(ProcessMemory::containerKib).filter(kib -> kib >= 0).findFirst().orElse(-1),
        pids.stream().mapToLong(ProcessMemory::containerRssKib).filter(kib -> kib >= 0).findFirst().orElse(-1))));
    return memory;
  }

  /**
   * CPU seconds each service's container's processes have used so far. A process that ended between
   * the listing and the reading (a health check's) counts nothing; the others still count.
   */
  private Map<String, Double> cpuSeconds(DockerConnection docker) {
    Map<String, Double> cpu = new TreeMap<>();
    processes(docker).forEach((service, pids) -> cpu.put(service, pids.stream()
        .mapToLong(pid -> Math.max(0, new ProcessCpu(List.of(pid)).cpuNanos())).sum() / 1e9));
    return cpu;
  }

  /** The host pids of each service's container's processes. */
  private Map<String, List<Long>> processes(DockerConnection docker) {
    Map<String, List<Long>> processes = new TreeMap<>();
    for (Container container : composeContainers(docker)) {
      List<Long> pids = new ArrayList<>();
      for (String[] process : docker.client().topContainerCmd(container.getId()).withPsArgs("-o pid").exec()
          .getProcesses()) {
        pids.add(Long.parseLong(process[0].strip()));
      }
      processes.put(container.getLabels().get("com.docker.compose.service"), pids);
    }
    return processes;
  }

  private List<Container> composeContainers(DockerConnection docker) {
    return docker.client().listContainersCmd().withLabelFilter(Map.of("com.docker.compose.project", project)).exec();
  }

  private boolean allHealthy(DockerConnection docker) {
    List<Container> containers = composeContainers(docker);
    return containers.size() >= COMPONENTS && containers.stream().allMatch(c -> c.getStatus().contains("(healthy)"));
  }

  private static boolean answers(HttpClient plain, URI readyz) {
    try {
      return plain.send(HttpRequest.newBuilder(readyz).version(HttpClient.Version.HTTP_1_1)
          .timeout(Duration.ofSeconds(2)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false; // not listening yet
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static long readyNodes(KubernetesClient client) {
    try {
      return client.nodes().list().getItems().stream().filter(node -> node.getSpec().getPodCIDR() != null)
          .filter(ClusterUp::ready).count();
    } catch (RuntimeException e) {
      return 0; // the apiserver is not up yet
    }
  }

  private static boolean ready(Node node) {
    return node.getStatus() != null && node.getStatus().getConditions() != null && node.getStatus().getConditions()
        .stream().anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
  }

  private static long runningPods(KubernetesClient client) {
    return client.pods().inNamespace(NAMESPACE).list().getItems().stream()
        .map(Pod::getStatus).filter(status -> status != null && "Running".equals(status.getPhase())).count();
  }

  private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no " + what + " within " + timeout);
      }
      TimeUnit.MILLISECONDS.sleep(250);
    }
  }

  private String image() throws IOException, InterruptedException {
    Matcher image = Pattern.compile("image: (\\S+)").matcher(run(Duration.ofSeconds(30), "config"));
    if (!image.find()) {
      throw new IllegalStateException(file + " names no image");
    }
    return image.group(1);
  }

  /** docker-compose with the project's settings; fails unless it succeeds. */
  private String run(Duration timeout, String... args) throws IOException, InterruptedException {
    Result result = compose(timeout, args);
    if (result.code != 0) {
      throw new IllegalStateException("docker-compose " + String.join(" ", args) + " exited with " + result.code
          + ":\n" + result.out);
    }
    return result.out;
  }

  private record Result(int code, String out) {}

  private Result compose(Duration timeout, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(System.getenv().getOrDefault("DOCKER_COMPOSE", "docker-compose")
        .split(" ")));
    command.addAll(List.of("-p", project, "-f", file.toString()));
    command.addAll(List.of(args));
    Path output = Files.createTempFile("cluster-up", ".out");
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
      builder.environment().putAll(settings);
      Process process = builder.start();
      if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
        throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout);
      }
      return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(output);
    }
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void log(String format, Object... args) {
    System.err.println("cluster-up: " + String.format(Locale.ROOT, format, args));
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new ClusterUp()).execute(args));
  }
}
