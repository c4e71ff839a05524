package io.kubemu.bench;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The control plane at scale: one Deployment of {@code --replicas} pods on a running cluster
 * (started by {@code bench/control-plane-scale.sh} with {@code kubemu up --runtime simulated}).
 * A watch on the pods notes, for each, when it was first seen, when it was first seen bound to a
 * node, and when it was first seen Running and Ready. Prints the seconds until all are Running,
 * the scheduler's throughput, the pods' startup latency (first seen → Running and Ready, as
 * Kubernetes' pod startup SLO measures it for pods without image pulls), and the memory of every
 * process of the cluster.
 */
@Command(name = "control-plane-scale", mixinStandardHelpOptions = true,
    description = "A Deployment of many pods on a running cluster: time to Running, scheduling throughput, startup latency.")
public final class ControlPlaneScale implements Callable<Integer> {
  /** The goals of the issue, on a 2-core machine. */
  static final double SCHEDULED_PER_SECOND_GOAL = 300;
  static final double ALL_RUNNING_SECONDS_GOAL = 30;
  static final double STARTUP_P99_SECONDS_GOAL = 5;

  @Option(names = "--server", required = true, description = "The apiserver's URL.")
  String server;

  @Option(names = "--replicas", defaultValue = "3000", description = "Pods in the Deployment (default: ${DEFAULT-VALUE}).")
  int replicas;

  @Option(names = "--timeout", defaultValue = "300", description = "Seconds to wait for them all to be Running (default: ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  @Option(names = "--cluster-pid", description = "The kubemu up process: its memory and its children's is reported.")
  Long clusterPid;

  /** When one pod was first seen in each state, in nanoseconds of this JVM's clock. */
  static final class Times {
    volatile long seen;
    volatile long bound;
    volatile long running;
    volatile String node;
  }

  @Option(names = "--rounds", defaultValue = "1", description = "Deployments one after the other, each once the "
      + "one before and its pods are gone: the first meets a cluster just started, the next ones a cluster whose "
      + "JVMs have compiled their hot code (default: ${DEFAULT-VALUE}).")
  int rounds;

  /** Why the harness's pod watch ended, once it did (it is not resumed). */
  private final AtomicReference<String> watchEnded = new AtomicReference<>();

  /** One round: its Deployment's pods, by UID, and how many are yet to be Running and Ready. */
  record Round(int number, Map<String, Times> pods, CountDownLatch allRunning) {
    Round(int number, int replicas) {
      this(number, new ConcurrentHashMap<>(), new CountDownLatch(replicas));
    }
  }

  @Override
  public Integer call() throws Exception {
    Config config = new ConfigBuilder().withMasterUrl(server).withRequestTimeout(60_000).build();
    AtomicReference<Round> current = new AtomicReference<>();
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
        PodStateWatch watch = PodStateWatch.open(http, server, "default", "app=scale", pod -> {
          long now = System.nanoTime();
          Round round = current.get();
          if (round == null || !String.valueOf(round.number()).equals(pod.round())) {
            return; // a pod of the round before, on its way out
          }
          Times times = round.pods().computeIfAbsent(pod.uid(), uid -> {
            Times fresh = new Times();
            fresh.seen = now;
            return fresh;
          });
          if (times.bound == 0 && pod.nodeName() != null) {
            times.bound = now;
            times.node = pod.nodeName();
          }
          if (times.running == 0 && pod.runningAndReady()) {
            times.running = now;
            round.allRunning().countDown();
          }
        }, ended -> {
          System.err.println("control-plane-scale: " + ended);
          watchEnded.set(ended);
        })) {
      int nodes = client.nodes().list().getItems().size();
      boolean allDone = true;
      for (int number = 1; number <= rounds; number++) {
        if (number > 1) {
          removeDeployment(client, number - 1);
        }
        Round round = new Round(number, replicas);
        current.set(round);
        if (rounds > 1) {
          System.out.printf(Locale.ROOT, "round %d of %d%s%n", number, rounds,
              number == 1 ? " (the cluster as started)" : " (the same cluster, its JVMs warm from the rounds before)");
        }
        allDone &= run(client, round, nodes);
      }
      return allDone ? 0 : 1;
    }
  }

  /** One Deployment of {@code --replicas} pods, until all are Running and Ready; prints the round's figures. */
  private boolean run(KubernetesClient client, Round round, int nodes) throws InterruptedException {
    log("%d nodes; creating a Deployment of %d pods", nodes, replicas);
    Map<String, Double> requestsBefore = requestCounts();
    Map<String, ProcessCpu> components = components();
    Map<String, Long> cpuBefore = new TreeMap<>();
    components.forEach((name, cpu) -> cpuBefore.put(name, cpu.cpuNanos()));
    // The harness shares the machine's cores: what its watch costs is said beside the cluster's.
    ProcessCpu harness = new ProcessCpu(List.of(ProcessHandle.current().pid()));
    long harnessBefore = harness.cpuNanos();
    long start = System.nanoTime();
    client.apps().deployments().inNamespace("default").resource(deployment(round.number())).create();
    long deadline = start + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    boolean done = false;
    // Until all are Running and Ready, the timeout, or the end of the watch that would say so.
    while (!done && watchEnded.get() == null && System.nanoTime() < deadline) {
      done = round.allRunning().await(Math.min(1_000_000_000L, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }
    long end = System.nanoTime();
    report(round.pods(), nodes, start, end, done);
    StringBuilder cpu = new StringBuilder();
    components.forEach((name, processes) -> cpu.append(String.format(Locale.ROOT, "  %s %.1f",
        name, (processes.cpuNanos() - cpuBefore.get(name)) / 1e9)));
    System.out.printf(Locale.ROOT, "CPU seconds during the run:   %s; this harness %.1f  (in %.1f s on %d cores)%n",
        cpu.toString().trim(), (harness.cpuNanos() - harnessBefore) / 1e9, (end - start) / 1e9,
        Runtime.getRuntime().availableProcessors());
    Map<String, Double> requests = new TreeMap<>();
    requestCounts().forEach((key, count) -> {
      double delta = count - requestsBefore.getOrDefault(key, 0.0);
      if (delta >= 1) {
        requests.put(key, delta);
      }
    });
    requests.keySet().removeIf(key -> key.startsWith("GET ") || key.startsWith("LIST ") || key.startsWith("WATCH "));
    double writes = requests.values().stream().mapToDouble(Double::doubleValue).sum();
    System.out.printf(Locale.ROOT, "apiserver writes:              %.0f (%.1f per pod):", writes, writes / replicas);
    requests.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .limit(8).forEach(e -> System.out.printf(Locale.ROOT, " %s %.0f,", e.getKey(), e.getValue()));
    System.out.println();
    return done;
  }

  /** Deletes a round's Deployment and waits until the last of its pods is gone (their kubelets finish each). */
  private void removeDeployment(KubernetesClient client, int number) throws InterruptedException {
    log("deleting the Deployment of round %d and waiting for its pods to go", number);
    client.apps().deployments().inNamespace("default").withName(name(number)).delete();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    while (!client.pods().inNamespace("default").withLabel("round", String.valueOf(number)).list().getItems()
        .isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the pods of round " + number + " were not gone after " + timeoutSeconds + " s");
      }
      Thread.sleep(1000);
    }
  }

  private static String name(int round) {
    return "scale-" + round;
  }

  private Deployment deployment(int round) {
    Map<String, String> labels = Map.of("app", "scale", "round", String.valueOf(round));
    return new DeploymentBuilder()
        .withNewMetadata().withName(name(round)).endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .withNewSelector().addToMatchLabels(labels).endSelector()
        .withNewTemplate()
        .withNewMetadata().addToLabels(labels).endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage("nginx:1.27").endContainer().endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private void report(Map<String, Times> pods, int nodes, long start, long end, boolean done) {
    List<Times> all = new ArrayList<>(pods.values());
    List<Long> bound = all.stream().filter(t -> t.bound != 0).map(t -> t.bound).sorted().toList();
    Latencies startup = Latencies.of(all.stream().filter(t -> t.running != 0).map(t -> t.running - t.seen).toList());
    long running = startup.count();
    double allRunningSeconds = (end - start) / 1e9;
    double schedulingSeconds = bound.size() < 2 ? Double.NaN : (bound.get(bound.size() - 1) - bound.get(0)) / 1e9;
    double scheduledPerSecond = bound.size() / schedulingSeconds;
    Map<String, Integer> perNode = new TreeMap<>();
    all.stream().filter(t -> t.node != null).forEach(t -> perNode.merge(t.node, 1, Integer::sum));

    System.out.printf(Locale.ROOT, "pods Running and Ready:        %d of %d%s%n", running, replicas, done ? "" : " (timed out)");
    System.out.printf(Locale.ROOT, "seconds until all Running:     %.1f  (goal <= %.0f: %s)%n", allRunningSeconds,
        ALL_RUNNING_SECONDS_GOAL, met(done && allRunningSeconds <= ALL_RUNNING_SECONDS_GOAL));
    System.out.printf(Locale.ROOT, "scheduled pods/s:              %.0f  (%d pods bound over %.1f s; goal >= %.0f: %s)%n",
        scheduledPerSecond, bound.size(), schedulingSeconds, SCHEDULED_PER_SECOND_GOAL,
        met(scheduledPerSecond >= SCHEDULED_PER_SECOND_GOAL));
    System.out.printf(Locale.ROOT, "startup latency p50/p99/max:   %.2f / %.2f / %.2f s  (p99 goal <= %.0f s: %s)%n",
        startup.seconds(50), startup.seconds(99), startup.seconds(100), STARTUP_P99_SECONDS_GOAL,
        met(startup.count() > 0 && startup.seconds(99) <= STARTUP_P99_SECONDS_GOAL));
    // Where the latency goes: waiting to be bound (the scheduler's queue), then bound to Running (the kubelets).
    List<Long> seen = all.stream().filter(t -> t.seen != 0).map(t -> t.seen).sorted().toList();
    Latencies toBound = Latencies.of(all.stream().filter(t -> t.bound != 0).map(t -> t.bound - t.seen).toList());
    Latencies toRunning = Latencies.of(all.stream().filter(t -> t.running != 0 && t.bound != 0)
        .map(t -> t.running - t.bound).toList());
    System.out.printf(Locale.ROOT, "created, bound, Running:       pods first seen over %.1f s; seen -> bound p50/p99 %.2f / "
        + "%.2f s, bound -> Running %.2f / %.2f s%n", seen.size() < 2 ? Double.NaN
        : (seen.get(seen.size() - 1) - seen.get(0)) / 1e9, toBound.seconds(50), toBound.seconds(99),
        toRunning.seconds(50), toRunning.seconds(99));
    System.out.printf(Locale.ROOT, "pods per node min/max:         %d / %d over %d of %d nodes%n",
        perNode.isEmpty() ? 0 : Collections.min(perNode.values()), perNode.isEmpty() ? 0 : Collections.max(perNode.values()),
        perNode.size(), nodes);
    if (clusterPid != null) {
      ProcessHandle.of(clusterPid).ifPresent(up -> {
        List<ProcessHandle> processes = new ArrayList<>(up.descendants().toList());
        processes.add(up);
        long kib = processes.stream().mapToLong(p -> Math.max(0, ProcessMemory.of(p.pid()).residentKib())).sum();
        System.out.printf(Locale.ROOT, "memory (RSS) of the cluster:   %d MiB over %d processes%n", kib / 1024,
            processes.size());
      });
    }
  }

  /**
   * The apiserver's {@code apiserver_request_total} by verb and resource (and subresource), from
   * its /metrics; empty if it cannot be read.
   */
  private Map<String, Double> requestCounts() {
    Map<String, Double> counts = new TreeMap<>();
    try {
      java.net.http.HttpResponse<String> metrics = java.net.http.HttpClient.newHttpClient().send(
          java.net.http.HttpRequest.newBuilder(java.net.URI.create(server + "/metrics")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      java.util.regex.Pattern label = java.util.regex.Pattern.compile("(\\w+)=\"([^\"]*)\"");
      for (String line : metrics.body().split("\n")) {
        if (!line.startsWith("apiserver_request_total{")) {
          continue;
        }
        Map<String, String> labels = new java.util.HashMap<>();
        java.util.regex.Matcher matcher = label.matcher(line.substring(0, line.lastIndexOf('}')));
        while (matcher.find()) {
          labels.put(matcher.group(1), matcher.group(2));
        }
        String subresource = labels.getOrDefault("subresource", "");
        String key = labels.get("verb") + " " + labels.get("resource") + (subresource.isEmpty() ? "" : "/" + subresource);
        counts.merge(key, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)), Double::sum);
      }
    } catch (java.io.IOException | RuntimeException e) {
      // no figures then
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return counts;
  }

  /** The processes of the cluster by component (the launcher names it in -Dkubemu.component). */
  private Map<String, ProcessCpu> components() {
    Map<String, List<Long>> pids = new TreeMap<>();
    if (clusterPid != null) {
      ProcessHandle.of(clusterPid).ifPresent(up -> up.descendants().forEach(process -> {
        String component = component(process.pid());
        if (component != null) {
          pids.computeIfAbsent(component, name -> new ArrayList<>()).add(process.pid());
        }
      }));
    }
    Map<String, ProcessCpu> cpu = new TreeMap<>();
    pids.forEach((name, list) -> cpu.put(name + (list.size() > 1 ? "(" + list.size() + ")" : ""), new ProcessCpu(list)));
    return cpu;
  }

  /**
   * The component a process of the cluster runs (its {@code -Dkubemu.component=}), from
   * /proc/PID/cmdline: the JDK's {@code ProcessHandle.Info} gives no arguments for a command line
   * as long as a component's classpath makes it. Null for any other process.
   */
  private static String component(long pid) {
    try {
      String commandLine = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
          StandardCharsets.UTF_8);
      for (String argument : commandLine.split("\0")) {
        if (argument.startsWith("-Dkubemu.component=")) {
          return argument.substring("-Dkubemu.component=".length());
        }
      }
      return null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  static boolean isRunningAndReady(Pod pod) {
    return pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase())
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  static String met(boolean met) {
    return met ? "met" : "NOT met";
  }

  private static void log(String format, Object... args) {
    System.err.printf(Locale.ROOT, "control-plane-scale: " + format + "%n", args);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new ControlPlaneScale()).execute(args));
  }
}
