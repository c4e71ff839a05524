package io.kubemu.bench;

import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.kubemu.kubelet.runtime.Labels;
import io.kubemu.kubelet.runtime.docker.DockerConnection;
import io.kubemu.kubelet.runtime.docker.LocalImages;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Pod startup on real containers: {@code --pods} pods of a local image on a running cluster whose
 * kubelet runs them in Docker (started by {@code bench/pod-startup.sh} with
 * {@code kubemu up --runtime docker}), each timed from its create call returning to a watch seeing
 * it Running and Ready, on this JVM's clock (a pod's creationTimestamp has whole seconds only).
 * Then the peer, {@link DockerPeer}: the same pods' containers with plain Docker. Prints both, the
 * ratio of the two, and the goals.
 */
@Command(name = "pod-startup", mixinStandardHelpOptions = true,
    description = "Pods on the Docker runtime, created to Running and Ready, against the same containers run with plain Docker.")
public final class PodStartup implements Callable<Integer> {
  /** The goals of the issue, on a 2-core machine. */
  static final double STARTUP_P99_SECONDS_GOAL = 2;
  static final double RATIO_GOAL = 1.5;

  @Option(names = "--server", required = true, description = "The apiserver's URL.")
  String server;

  @Option(names = "--pods", defaultValue = "30", description = "Pods to start, and the peer's pods (default: ${DEFAULT-VALUE}).")
  int pods;

  @Option(names = "--creation", defaultValue = "one-after-another", converter = Creation.Converter.class,
      paramLabel = "all-at-once|one-after-another",
      description = "Create each pod once the one before is Running and Ready (each pod's own latency, as the startup SLO measures it), or all at once; the peer does the same (default: ${DEFAULT-VALUE}).")
  Creation creation;

  @Option(names = "--namespace", defaultValue = "pod-startup",
      description = "The pods' namespace, created here; also names the peer's containers (default: ${DEFAULT-VALUE}).")
  String namespace;

  @Option(names = "--node", description = "Bind the pods to this node by spec.nodeName, as a DaemonSet's would be; by default the scheduler places them.")
  String node;

  @Option(names = "--image", defaultValue = LocalImages.BUSYBOX,
      description = "The pods' image, which must be in Docker (pull policy IfNotPresent); the default, busybox's httpd, is made when missing (default: ${DEFAULT-VALUE}).")
  String image;

  @Option(names = "--docker-host", description = "The Docker Engine the kubelet uses (default: $DOCKER_HOST, else unix:///var/run/docker.sock).")
  String dockerHost;

  @Option(names = "--docker-network", defaultValue = "kubemu", description = "The kubelet's --docker-network, which the peer's pods join (default: ${DEFAULT-VALUE}).")
  String dockerNetwork;

  @Option(names = "--pod-infra-container-image", defaultValue = "kubemu/pause:3.10",
      description = "The kubelet's sandbox image, which the peer runs too (default: ${DEFAULT-VALUE}).")
  String pauseImage;

  @Option(names = "--timeout", defaultValue = "120", description = "Seconds to wait for the pods to be Running, and for them to be gone (default: ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  /** One pod: when it was created and when it was first seen Running and Ready, in nanoseconds of this JVM's clock. */
  static final class Times {
    /** The create call's return, or the watch's first sight of the pod if that came first. */
    final AtomicLong created = new AtomicLong(Long.MAX_VALUE);
    volatile long ready;
    volatile String uid;
    final CountDownLatch readyLatch = new CountDownLatch(1);
  }

  @Override
  public Integer call() throws Exception {
    String host = dockerHost != null ? dockerHost
        : System.getenv().getOrDefault("DOCKER_HOST", "unix:///var/run/docker.sock");
    Config config = new ConfigBuilder().withMasterUrl(server).withRequestTimeout(60_000).build();
    try (DockerConnection docker = DockerConnection.connect(host);
        KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
      requireImages(docker);
      int nodes = client.nodes().list().getItems().size();
      log("%d node%s; %d pods of %s created %s, %s; load1 %s", nodes, nodes == 1 ? "" : "s", pods, image,
          creation.description, node == null ? "placed by the scheduler" : "bound to " + node, LoadAverage.oneMinute());

      Map<String, Times> times = new ConcurrentHashMap<>();
      for (int i = 0; i < pods; i++) {
        times.put(podName(i), new Times());
      }
      CountDownLatch allReady = new CountDownLatch(pods);
      CountDownLatch allGone = new CountDownLatch(pods);
      Latencies kubemu;
      double kubemuSeconds;
      boolean done;
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
          .create();
      try (Watch watch = client.pods().inNamespace(namespace).watch(watcher(times, allReady, allGone))) {
        long start = System.nanoTime();
        done = create(client, times, allReady);
        kubemuSeconds = (System.nanoTime() - start) / 1e9;
        kubemu = Latencies.of(times.values().stream().filter(t -> t.ready != 0).map(t -> t.ready - t.created.get())
            .toList());
        client.pods().inNamespace(namespace).withLabel("app", "pod-startup").delete();
        if (!allGone.await(timeoutSeconds, TimeUnit.SECONDS)) {
          log("%d pods were not gone after %d s", allGone.getCount(), timeoutSeconds);
        }
      }
      int left = removeLeftContainers(docker, times);
      if (left > 0) {
        log("removed %d containers the kubelet left of the deleted pods", left);
      }
      client.namespaces().withName(namespace).delete();

      DockerPeer peer = new DockerPeer(docker.client(), dockerNetwork, pauseImage, image, namespace);
      Latencies plain;
      double plainSeconds;
      try {
        peer.removeAll(); // of an earlier run that was killed
        long start = System.nanoTime();
        plain = peer.run(pods, creation);
        plainSeconds = (System.nanoTime() - start) / 1e9;
      } finally {
        peer.removeAll();
      }
      report(kubemu, kubemuSeconds, done, plain, plainSeconds);
      return done ? 0 : 1;
    }
  }

  private void requireImages(DockerConnection docker) throws java.io.IOException {
    if (image.equals(LocalImages.BUSYBOX)) {
      LocalImages.ensureBusybox(docker);
    }
    for (String needed : List.of(image, pauseImage)) {
      try {
        docker.client().inspectImageCmd(needed).exec();
      } catch (NotFoundException e) {
        throw new IllegalStateException("the image " + needed + " is not in Docker; there is no registry to pull it from");
      }
    }
  }

  private Watcher<Pod> watcher(Map<String, Times> times, CountDownLatch allReady, CountDownLatch allGone) {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, Pod pod) {
        long now = System.nanoTime();
        Times seen = times.get(pod.getMetadata().getName());
        if (seen == null) {
          return;
        }
        seen.created.accumulateAndGet(now, Math::min);
        seen.uid = pod.getMetadata().getUid();
        if (action == Action.DELETED) {
          allGone.countDown();
        } else if (seen.ready == 0 && ControlPlaneScale.isRunningAndReady(pod)) {
          seen.ready = now;
          seen.readyLatch.countDown();
          allReady.countDown();
        }
      }

      @Override
      public void onClose(WatcherException cause) {
        System.err.println("pod-startup: the pod watch closed: " + cause.getMessage());
      }
    };
  }

  /** Creates the pods as --creation says; true when all were Running and Ready within the timeout. */
  private boolean create(KubernetesClient client, Map<String, Times> times, CountDownLatch allReady)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    if (creation == Creation.ONE_AFTER_ANOTHER) {
      for (int i = 0; i < pods; i++) {
        createPod(client, times, i);
        if (!times.get(podName(i)).readyLatch.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
          return false;
        }
      }
      return true;
    }
    ExecutorService threads = Executors.newFixedThreadPool(pods);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> creates = new ArrayList<>();
      for (int i = 0; i < pods; i++) {
        int pod = i;
        creates.add(threads.submit(() -> {
          go.await();
          createPod(client, times, pod);
          return null;
        }));
      }
      go.countDown();
      for (Future<?> create : creates) {
        create.get();
      }
    } finally {
      threads.shutdownNow();
    }
    return allReady.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
  }

  private void createPod(KubernetesClient client, Map<String, Times> times, int i) {
    Pod pod = new PodBuilder()
        .withNewMetadata().withName(podName(i)).addToLabels("app", "pod-startup").endMetadata()
        .withNewSpec()
        .withNodeName(node)
        // busybox's httpd, PID 1 of its container, ignores SIGTERM: a short grace period keeps the clean-up short
        .withTerminationGracePeriodSeconds(1L)
        .addNewContainer().withName("app").withImage(image).withImagePullPolicy("IfNotPresent").endContainer()
        .endSpec()
        .build();
    client.pods().inNamespace(namespace).resource(pod).create();
    times.get(podName(i)).created.accumulateAndGet(System.nanoTime(), Math::min);
  }

  /** Removes the kubelet's containers of the deleted pods that are still in Docker (the kubelet may be removing them too). */
  private int removeLeftContainers(DockerConnection docker, Map<String, Times> times) {
    Set<String> uids = ConcurrentHashMap.newKeySet();
    times.values().stream().filter(t -> t.uid != null).forEach(t -> uids.add(t.uid));
    List<Container> left = docker.client().listContainersCmd().withShowAll(true)
        .withLabelFilter(Map.of(Labels.POD_NAMESPACE, namespace)).exec().stream()
        .filter(c -> uids.contains(c.getLabels().get(Labels.POD_UID))).toList();
    left.forEach(container -> DockerPeer.remove(docker.client(), container.getId()));
    return left.size();
  }

  private void report(Latencies kubemu, double kubemuSeconds, boolean done, Latencies plain, double plainSeconds) {
    double p50Ratio = kubemu.seconds(50) / plain.seconds(50);
    double p99Ratio = kubemu.seconds(99) / plain.seconds(99);
    System.out.printf(Locale.ROOT, "# pod startup: %d pods of %s on the Docker runtime, created %s; peer: the same "
        + "containers with plain Docker, %s%n", pods, image, creation.flag, creation.flag);
    System.out.printf(Locale.ROOT, "kubemu pods Running and Ready:  %d of %d in %.2f s%s%n", kubemu.count(), pods,
        kubemuSeconds, done ? "" : " (timed out)");
    System.out.printf(Locale.ROOT, "kubemu startup p50/p99/max:     %.2f / %.2f / %.2f s  (create returned -> Running "
        + "and Ready seen by a watch; p99 goal <= %.0f s: %s)%n", kubemu.seconds(50), kubemu.seconds(99),
        kubemu.seconds(100), STARTUP_P99_SECONDS_GOAL,
        ControlPlaneScale.met(done && kubemu.seconds(99) <= STARTUP_P99_SECONDS_GOAL));
    System.out.printf(Locale.ROOT, "docker pods running:            %d of %d in %.2f s%n", plain.count(), pods,
        plainSeconds);
    System.out.printf(Locale.ROOT, "docker run p50/p99/max:         %.2f / %.2f / %.2f s  (pause container with an "
        + "IP, then the app container in its network: create and start each)%n", plain.seconds(50),
        plain.seconds(99), plain.seconds(100));
    System.out.printf(Locale.ROOT, "ratio kubemu/docker p50, p99:   %.2f, %.2f  (p99 ratio goal <= %.1f: %s)%n", p50Ratio,
        p99Ratio, RATIO_GOAL, ControlPlaneScale.met(done && p99Ratio <= RATIO_GOAL));
  }

  private static String podName(int i) {
    return "startup-" + (i + 1);
  }

  private static void log(String format, Object... args) {
    System.err.printf(Locale.ROOT, "pod-startup: " + format + "%n", args);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new PodStartup()).execute(args));
  }
}
