package io.kubemu.controllermanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kubemu.apiserver.Kubectl;
import io.kubemu.component.informers.EventHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Deployment controller as a user meets it, with a real store, apiserver, controller-manager
 * process and kubectl. No scheduler or kubelet runs: the test plays the node side itself, marking
 * every new pod Running and Ready through the status subresource (except in namespaces told not
 * to, where a rollout must get stuck).
 */
class DeploymentControllerIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @TempDir
  static Path dir;

  static ControlPlane cluster;
  static KubernetesClient client;
  static Kubectl kubectl;
  static NodeSide node;

  @BeforeAll
  static void start() throws Exception {
    cluster = ControlPlane.start(dir);
    client = cluster.client;
    kubectl = cluster.kubectl;
    ControllerManagerProcess controllerManager = cluster.startControllerManager("controller-manager");
    node = new NodeSide(client);
    await().atMost(Duration.ofSeconds(60)).until(controllerManager::runsControllers);
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close();
    }
    if (cluster != null) {
      cluster.close();
      Path log = dir.resolve("controller-manager.log"); // kept for a look after a failure
      if (Files.exists(log)) {
        Files.copy(log, Path.of("target", "DeploymentControllerIT-controller-manager.log"),
            StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  /** What a kubelet would do for these tests: every pod that appears becomes Running and Ready. */
  static final class NodeSide implements AutoCloseable {
    final Set<String> stuckNamespaces = ConcurrentHashMap.newKeySet();
    private final KubernetesClient client;
    private final ExecutorService writer = Executors.newSingleThreadExecutor();
    private final SharedIndexInformer<Pod> informer;

    NodeSide(KubernetesClient client) {
      this.client = client;
      this.informer = client.pods().inAnyNamespace().inform(new ResourceEventHandler<>() {
        @Override
        public void onAdd(Pod pod) {
          writer.execute(() -> markReady(pod));
        }

        @Override
        public void onUpdate(Pod old, Pod pod) {
          writer.execute(() -> markReady(pod));
        }

        @Override
        public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {}
      });
    }

    private static boolean isReady(Pod pod) {
      return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions()
          .stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private void markReady(Pod pod) {
      if (isReady(pod) || pod.getMetadata().getDeletionTimestamp() != null
          || stuckNamespaces.contains(pod.getMetadata().getNamespace())) {
        return;
      }
      String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
      List<PodCondition> conditions = List.of("PodScheduled", "Initialized", "ContainersReady", "Ready").stream()
          .map(type -> new PodConditionBuilder().withType(type).withStatus("True").withLastTransitionTime(now).build())
          .toList();
      try {
        client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
            .editStatus(current -> new PodBuilder(current).editOrNewStatus().withPhase("Running")
                .withConditions(conditions).withStartTime(now).endStatus().build());
      } catch (KubernetesClientException e) {
        // gone or changed meanwhile: an update event brings it back if it still needs marking
      }
    }

    @Override
    public void close() {
      informer.close();
      writer.shutdownNow();
    }
  }

  // ---------------------------------------------------------------------------------------

  private static void createNamespace(String name) {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
  }

  private static String deploymentYaml(String namespace, int replicas, String strategy, String extraSpec) {
    return String.join("\n",
        "apiVersion: apps/v1",
        "kind: Deployment",
        "metadata:",
        "  name: web",
        "  namespace: " + namespace,
        "spec:",
        "  replicas: " + replicas,
        "  selector:",
        "    matchLabels: {app: web}",
        "  strategy:",
        "    " + strategy,
        extraSpec,
        "  template:",
        "    metadata:",
        "      labels: {app: web}",
        "    spec:",
        "      containers:",
        "      - name: web",
        "        image: nginx:1.25",
        "");
  }

  private static final String ROLLING_1_1 = "{type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 1}}";

  private static void apply(String namespace, int replicas, String strategy, String extraSpec) throws Exception {
    Path file = kubectl.file(namespace + ".yaml", deploymentYaml(namespace, replicas, strategy, extraSpec));
    Kubectl.Run applied = kubectl.run("apply", "-f", file.toString());
    assertThat(applied.code()).as(applied.out()).isZero();
  }

  private static Kubectl.Run rolloutStatus(String namespace) throws Exception {
    return kubectl.run("rollout", "status", "deployment/web", "-n", namespace, "--timeout=50s");
  }

  private static void awaitRolledOut(String namespace) throws Exception {
    Kubectl.Run status = rolloutStatus(namespace);
    assertThat(status.code()).as(status.out()).isZero();
    assertThat(status.out()).contains("deployment \"web\" successfully rolled out");
  }

  private static Deployment deployment(String namespace) {
    return client.apps().deployments().inNamespace(namespace).withName("web").get();
  }

  /** The Deployment's ReplicaSets, lowest revision first. */
  private static List<ReplicaSet> replicaSets(String namespace) {
    return client.apps().replicaSets().inNamespace(namespace).list().getItems().stream()
        .sorted(Comparator.comparingInt(rs -> Integer.parseInt(annotation(rs, "deployment.kubernetes.io/revision"))))
        .toList();
  }

  private static List<Pod> pods(String namespace) {
    return client.pods().inNamespace(namespace).list().getItems().stream()
        .filter(pod -> pod.getMetadata().getDeletionTimestamp() == null).toList();
  }

  private static DeploymentCondition condition(Deployment deployment, String type) {
    assertThat(deployment.getStatus()).as("status of " + deployment.getMetadata().getName()).isNotNull();
    return deployment.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst()
        .orElseThrow(() -> new AssertionError("no " + type + " condition in " + deployment.getStatus()));
  }

  private static String image(ReplicaSet rs) {
    return rs.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }

  private static String annotation(ReplicaSet rs, String name) {
    return rs.getMetadata().getAnnotations() == null ? null : rs.getMetadata().getAnnotations().get(name);
  }

  private static int replicas(ReplicaSet rs) {
    return rs.getSpec().getReplicas();
  }

  private static List<Event> events(String namespace, String reason) {
    return client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(event -> reason.equals(event.getReason())).toList();
  }

  // ---------------------------------------------------------------------------------------

  @Test
  void kubectlApplyOfAThreeReplicaDeploymentRollsOutOneOwnedReplicaSet() throws Exception {
    createNamespace("apply");

    apply("apply", 3, "{type: RollingUpdate}", "");

    awaitRolledOut("apply");
    Deployment deployment = deployment("apply");
    List<ReplicaSet> replicaSets = replicaSets("apply");
    assertThat(replicaSets).hasSize(1);
    ReplicaSet rs = replicaSets.get(0);
    String hash = rs.getMetadata().getLabels().get("pod-template-hash");
    assertThat(hash).matches("[bcdfghjklmnpqrstvwxz2456789]{1,10}");
    assertThat(rs.getMetadata().getName()).isEqualTo("web-" + hash);
    assertThat(rs.getSpec().getSelector().getMatchLabels()).containsEntry("app", "web").containsEntry("pod-template-hash", hash);
    assertThat(rs.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("pod-template-hash", hash);
    OwnerReference owner = rs.getMetadata().getOwnerReferences().get(0);
    assertThat(owner.getKind()).isEqualTo("Deployment");
    assertThat(owner.getUid()).isEqualTo(deployment.getMetadata().getUid());
    assertThat(owner.getController()).isTrue();
    assertThat(owner.getBlockOwnerDeletion()).isTrue();
    assertThat(rs.getStatus().getReadyReplicas()).isEqualTo(3);
    assertThat(rs.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "1")
        .containsEntry("deployment.kubernetes.io/desired-replicas", "3")
        .containsEntry("deployment.kubernetes.io/max-replicas", "4") // 25% of 3 rounds up to 1
        .doesNotContainKey("kubectl.kubernetes.io/last-applied-configuration");
    assertThat(pods("apply")).hasSize(3)
        .allSatisfy(pod -> assertThat(pod.getMetadata().getLabels()).containsEntry("pod-template-hash", hash));

    assertThat(deployment.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "1");
    assertThat(deployment.getStatus().getObservedGeneration()).isEqualTo(deployment.getMetadata().getGeneration());
    assertThat(deployment.getStatus().getReplicas()).isEqualTo(3);
    assertThat(deployment.getStatus().getUpdatedReplicas()).isEqualTo(3);
    assertThat(deployment.getStatus().getReadyReplicas()).isEqualTo(3);
    assertThat(deployment.getStatus().getAvailableReplicas()).isEqualTo(3);
    DeploymentCondition available = condition(deployment, "Available");
    assertThat(available.getStatus()).isEqualTo("True");
    assertThat(available.getReason()).isEqualTo("MinimumReplicasAvailable");
    assertThat(available.getMessage()).isEqualTo("Deployment has minimum availability.");
    DeploymentCondition progressing = condition(deployment, "Progressing");
    assertThat(progressing.getStatus()).isEqualTo("True");
    assertThat(progressing.getReason()).isEqualTo("NewReplicaSetAvailable");
    assertThat(progressing.getMessage()).isEqualTo("ReplicaSet \"web-" + hash + "\" has successfully progressed.");

    String settled = deployment.getMetadata().getResourceVersion();
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
        deployment("apply").getMetadata().getResourceVersion()).as("a rolled-out Deployment is left alone")
        .isEqualTo(settled));

    Kubectl.Run get = kubectl.run("get", "deploy", "web", "-n", "apply");
    assertThat(get.out()).containsPattern("web\\s+3/3\\s+3\\s+3\\s");
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(events("apply", "ScalingReplicaSet"))
        .extracting(Event::getMessage).containsExactly("Scaled up replica set web-" + hash + " from 0 to 3"));
    Kubectl.Run describe = kubectl.run("describe", "deployment", "web", "-n", "apply");
    assertThat(describe.code()).as(describe.out()).isZero();
    assertThat(describe.out()).containsPattern("NewReplicaSet:\\s+web-" + hash + " \\(3/3 replicas created\\)")
        .containsPattern("ScalingReplicaSet\\s.*Scaled up replica set web-" + hash + " from 0 to 3");
    Event event = events("apply", "ScalingReplicaSet").get(0);
    assertThat(event.getInvolvedObject().getKind()).isEqualTo("Deployment");
    assertThat(event.getSource().getComponent()).isEqualTo("deployment-controller");
  }

  @Test
  void kubectlScaleResizesTheReplicaSetBothWays() throws Exception {
    createNamespace("scale");
    apply("scale", 3, ROLLING_1_1, "");
    awaitRolledOut("scale");

    for (int replicas : new int[] {5, 2}) {
      Kubectl.Run scaled = kubectl.run("scale", "deployment/web", "-n", "scale", "--replicas=" + replicas);
      assertThat(scaled.code()).as(scaled.out()).isZero();
      awaitRolledOut("scale");
      await().atMost(TIMEOUT).untilAsserted(() -> {
        ReplicaSet rs = replicaSets("scale").get(0);
        assertThat(replicas(rs)).isEqualTo(replicas);
        assertThat(annotation(rs, "deployment.kubernetes.io/desired-replicas")).isEqualTo(String.valueOf(replicas));
        assertThat(pods("scale")).hasSize(replicas);
        assertThat(deployment("scale").getStatus().getAvailableReplicas()).isEqualTo(replicas);
      });
    }
    assertThat(replicaSets("scale")).hasSize(1);
    String name = replicaSets("scale").get(0).getMetadata().getName();
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(events("scale", "ScalingReplicaSet"))
        .extracting(Event::getMessage).contains("Scaled up replica set " + name + " from 3 to 5",
            "Scaled down replica set " + name + " from 5 to 2"));
  }

  /**
   * Watches a namespace's ReplicaSets and pods and remembers the most replicas the ReplicaSets
   * asked for together (what maxSurge bounds, as in Kubernetes: a pod the ReplicaSet controller is
   * about to delete may still be there a moment) and the fewest pods ready.
   */
  static final class PodCounter implements AutoCloseable {
    final AtomicInteger mostReplicas = new AtomicInteger();
    /** The ReplicaSets (name=replicas) when there were the most replicas: what a failure shows. */
    volatile String atMostReplicas = "";
    final AtomicInteger fewestReady = new AtomicInteger(Integer.MAX_VALUE);
    final SharedIndexInformer<Pod> informer;
    final SharedIndexInformer<ReplicaSet> replicaSetInformer;

    PodCounter(String namespace) {
      replicaSetInformer = client.apps().replicaSets().inNamespace(namespace).inform();
      replicaSetInformer.addEventHandler(EventHandlers.onEvery(replicaSet -> count()));
      informer = client.pods().inNamespace(namespace).inform();
      informer.addEventHandler(EventHandlers.onEvery(pod -> count()));
    }

    /** Starts counting afresh from what the informer holds now. */
    void reset() {
      mostReplicas.set(0);
      fewestReady.set(Integer.MAX_VALUE);
      count();
    }

    private synchronized void count() {
      if (informer == null) {
        return; // the pod informer is not there yet
      }
      List<ReplicaSet> sets = replicaSetInformer.getStore().list();
      int sum = sets.stream().mapToInt(DeploymentControllerIT::replicas).sum();
      if (sum > mostReplicas.get()) {
        mostReplicas.set(sum);
        atMostReplicas = sets.stream().map(rs -> rs.getMetadata().getName() + "=" + replicas(rs)).sorted().toList()
            .toString();
      }
      List<Pod> live = informer.getStore().list().stream()
          .filter(pod -> pod.getMetadata().getDeletionTimestamp() == null).toList();
      fewestReady.accumulateAndGet((int) live.stream().filter(NodeSide::isReady).count(), Math::min);
    }

    @Override
    public void close() {
      informer.close();
      replicaSetInformer.close();
    }
  }

  @Test
  void setImageRollsOutWithinMaxSurgeAndMaxUnavailableAndUndoGoesBack() throws Exception {
    createNamespace("rolling");
    apply("rolling", 4, ROLLING_1_1, "");
    awaitRolledOut("rolling");
    ReplicaSet first = replicaSets("rolling").get(0);
    assertThat(kubectl.run("annotate", "deployment/web", "-n", "rolling",
        "kubernetes.io/change-cause=image 1.26").code()).isZero();

    try (PodCounter counter = new PodCounter("rolling")) {
      await().atMost(TIMEOUT).until(() -> counter.informer.getStore().list().stream().filter(NodeSide::isReady)
          .count() == 4);
      counter.reset();
      Kubectl.Run set = kubectl.run("set", "image", "deployment/web", "web=nginx:1.26", "-n", "rolling");
      assertThat(set.code()).as(set.out()).isZero();
      awaitRolledOut("rolling");

      assertThat(counter.mostReplicas.get()).as("replicas of the ReplicaSets during the rollout, at most %s; events %s",
              counter.atMostReplicas, events("rolling", "ScalingReplicaSet").stream().map(Event::getMessage).toList())
          .isLessThanOrEqualTo(4 + 1);
      assertThat(counter.fewestReady.get()).as("ready pods during the rollout").isGreaterThanOrEqualTo(4 - 1);
    }
    List<ReplicaSet> replicaSets = replicaSets("rolling");
    assertThat(replicaSets).hasSize(2);
    ReplicaSet old = replicaSets.get(0);
    ReplicaSet second = replicaSets.get(1);
    assertThat(old.getMetadata().getName()).isEqualTo(first.getMetadata().getName());
    assertThat(replicas(old)).isZero();
    assertThat(annotation(old, "deployment.kubernetes.io/revision")).isEqualTo("1");
    assertThat(image(second)).isEqualTo("nginx:1.26");
    assertThat(replicas(second)).isEqualTo(4);
    assertThat(annotation(second, "deployment.kubernetes.io/revision")).isEqualTo("2");
    assertThat(annotation(second, "kubernetes.io/change-cause")).isEqualTo("image 1.26");
    assertThat(deployment("rolling").getMetadata().getAnnotations())
        .containsEntry("deployment.kubernetes.io/revision", "2");
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(pods("rolling")).hasSize(4).allSatisfy(
        pod -> assertThat(pod.getSpec().getContainers().get(0).getImage()).isEqualTo("nginx:1.26")));

    Kubectl.Run undo = kubectl.run("rollout", "undo", "deployment/web", "-n", "rolling");
    assertThat(undo.code()).as(undo.out()).isZero();
    assertThat(undo.out()).contains("deployment.apps/web rolled back");
    awaitRolledOut("rolling");

    Deployment deployment = deployment("rolling");
    assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("nginx:1.25");
    assertThat(deployment.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "3");
    replicaSets = replicaSets("rolling");
    assertThat(replicaSets).hasSize(2); // the first ReplicaSet is the new one again, at revision 3
    ReplicaSet back = replicaSets.get(1);
    assertThat(back.getMetadata().getName()).isEqualTo(first.getMetadata().getName());
    assertThat(replicas(back)).isEqualTo(4);
    assertThat(annotation(back, "deployment.kubernetes.io/revision")).isEqualTo("3");
    assertThat(annotation(back, "deployment.kubernetes.io/revision-history")).isEqualTo("1");
    assertThat(replicas(replicaSets.get(0))).isZero();
    Kubectl.Run history = kubectl.run("rollout", "history", "deployment/web", "-n", "rolling");
    assertThat(history.out()).containsPattern("(?m)^2\\s+image 1.26$").containsPattern("(?m)^3\\s");
  }

  @Test
  void recreateStopsEveryOldPodBeforeStartingNewOnes() throws Exception {
    createNamespace("recreate");
    apply("recreate", 3, "{type: Recreate}", "");
    awaitRolledOut("recreate");
    String oldHash = replicaSets("recreate").get(0).getMetadata().getLabels().get("pod-template-hash");
    AtomicInteger mixed = new AtomicInteger();
    SharedIndexInformer<Pod> watcher = client.pods().inNamespace("recreate").inform();
    watcher.addEventHandler(EventHandlers.onEvery(changed -> {
      Set<String> hashes = ConcurrentHashMap.newKeySet();
      watcher.getStore().list().forEach(pod -> hashes.add(pod.getMetadata().getLabels().get("pod-template-hash")));
      if (hashes.size() > 1) {
        mixed.incrementAndGet();
      }
    }));
    try {
      assertThat(kubectl.run("set", "image", "deployment/web", "web=nginx:1.26", "-n", "recreate").code()).isZero();
      awaitRolledOut("recreate");
    } finally {
      watcher.close();
    }

    assertThat(mixed.get()).as("moments with old and new pods together").isZero();
    List<ReplicaSet> replicaSets = replicaSets("recreate");
    assertThat(replicaSets).hasSize(2);
    assertThat(replicaSets.get(0).getMetadata().getLabels().get("pod-template-hash")).isEqualTo(oldHash);
    assertThat(replicas(replicaSets.get(0))).isZero();
    assertThat(replicas(replicaSets.get(1))).isEqualTo(3);
    assertThat(pods("recreate")).hasSize(3);
  }

  @Test
  void aPausedDeploymentScalesButDoesNotRollOutUntilResumed() throws Exception {
    createNamespace("pause");
    apply("pause", 2, ROLLING_1_1, "");
    awaitRolledOut("pause");

    assertThat(kubectl.run("rollout", "pause", "deployment/web", "-n", "pause").code()).isZero();
    await().atMost(TIMEOUT).untilAsserted(() -> {
      DeploymentCondition progressing = condition(deployment("pause"), "Progressing");
      assertThat(progressing.getStatus()).isEqualTo("Unknown");
      assertThat(progressing.getReason()).isEqualTo("DeploymentPaused");
      assertThat(progressing.getMessage()).isEqualTo("Deployment is paused");
    });
    assertThat(kubectl.run("set", "image", "deployment/web", "web=nginx:1.26", "-n", "pause").code()).isZero();
    assertThat(kubectl.run("scale", "deployment/web", "-n", "pause", "--replicas=3").code()).isZero();

    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(replicas(replicaSets("pause").get(0))).isEqualTo(3));
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(replicaSets("pause")).hasSize(1));
    assertThat(image(replicaSets("pause").get(0))).isEqualTo("nginx:1.25");

    assertThat(kubectl.run("rollout", "resume", "deployment/web", "-n", "pause").code()).isZero();
    awaitRolledOut("pause");
    List<ReplicaSet> replicaSets = replicaSets("pause");
    assertThat(replicaSets).hasSize(2);
    assertThat(image(replicaSets.get(1))).isEqualTo("nginx:1.26");
    assertThat(replicas(replicaSets.get(1))).isEqualTo(3);
    assertThat(replicas(replicaSets.get(0))).isZero();
  }

  @Test
  void onlyRevisionHistoryLimitOldReplicaSetsAreKept() throws Exception {
    createNamespace("history");
    apply("history", 1, ROLLING_1_1, "  revisionHistoryLimit: 1");
    awaitRolledOut("history");

    for (String version : List.of("1.26", "1.27", "1.28")) {
      assertThat(kubectl.run("set", "image", "deployment/web", "web=nginx:" + version, "-n", "history").code())
          .isZero();
      awaitRolledOut("history");
    }

    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(replicaSets("history"))
        .extracting(DeploymentControllerIT::image).containsExactly("nginx:1.27", "nginx:1.28"));
    assertThat(annotation(replicaSets("history").get(1), "deployment.kubernetes.io/revision")).isEqualTo("4");
  }

  @Test
  void podsCountAsAvailableOnlyAfterMinReadySeconds() throws Exception {
    createNamespace("minready");

    apply("minready", 2, ROLLING_1_1, "  minReadySeconds: 3");

    awaitRolledOut("minready");
    Deployment deployment = deployment("minready");
    assertThat(deployment.getStatus().getAvailableReplicas()).isEqualTo(2);
    assertThat(replicaSets("minready").get(0).getSpec().getMinReadySeconds()).isEqualTo(3);
    Instant firstReady = pods("minready").stream().flatMap(pod -> pod.getStatus().getConditions().stream())
        .filter(c -> "Ready".equals(c.getType())).map(c -> Instant.parse(c.getLastTransitionTime()))
        .min(Comparator.naturalOrder()).orElseThrow();
    Instant availableSince = Instant.parse(condition(deployment, "Available").getLastTransitionTime());
    assertThat(availableSince).as("Available since").isAfterOrEqualTo(firstReady.plusSeconds(3));
  }

  @Test
  void aRolloutWithoutReadyPodsExceedsItsProgressDeadline() throws Exception {
    createNamespace("stuck");
    node.stuckNamespaces.add("stuck");

    apply("stuck", 2, ROLLING_1_1, "  progressDeadlineSeconds: 2");

    await().atMost(TIMEOUT).untilAsserted(() -> {
      DeploymentCondition progressing = condition(deployment("stuck"), "Progressing");
      assertThat(progressing.getStatus()).isEqualTo("False");
      assertThat(progressing.getReason()).isEqualTo("ProgressDeadlineExceeded");
      assertThat(progressing.getMessage()).matches("ReplicaSet \"web-\\w+\" has timed out progressing\\.");
    });
    DeploymentCondition available = condition(deployment("stuck"), "Available");
    assertThat(available.getStatus()).isEqualTo("False");
    assertThat(available.getReason()).isEqualTo("MinimumReplicasUnavailable");
    Kubectl.Run status = rolloutStatus("stuck");
    assertThat(status.code()).isNotZero();
    assertThat(status.out()).contains("deployment \"web\" exceeded its progress deadline");
  }

  @Test
  void anOrphanReplicaSetWithTheDeploymentsTemplateIsAdoptedAsItsNewReplicaSet() throws Exception {
    createNamespace("adopt");
    client.apps().replicaSets().inNamespace("adopt").resource(new ReplicaSetBuilder()
        .withNewMetadata().withName("web-orphan").addToLabels("app", "web").endMetadata()
        .withNewSpec().withReplicas(2).withNewSelector().addToMatchLabels("app", "web").endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
        .withNewSpec().addNewContainer().withName("web").withImage("nginx:1.25").endContainer().endSpec()
        .endTemplate().endSpec().build()).create();
    await().atMost(TIMEOUT).until(() -> pods("adopt").size() == 2);

    apply("adopt", 3, ROLLING_1_1, "");

    awaitRolledOut("adopt");
    List<ReplicaSet> replicaSets = replicaSets("adopt");
    assertThat(replicaSets).hasSize(1);
    ReplicaSet adopted = replicaSets.get(0);
    assertThat(adopted.getMetadata().getName()).isEqualTo("web-orphan");
    OwnerReference owner = adopted.getMetadata().getOwnerReferences().get(0);
    assertThat(owner.getUid()).isEqualTo(deployment("adopt").getMetadata().getUid());
    assertThat(owner.getController()).isTrue();
    assertThat(replicas(adopted)).isEqualTo(3);
    assertThat(annotation(adopted, "deployment.kubernetes.io/revision")).isEqualTo("1");
    assertThat(pods("adopt")).hasSize(3);
  }

  @Test
  void kubectlDeleteDeploymentTakesItsReplicaSetsAndPods() throws Exception {
    createNamespace("delete");
    apply("delete", 2, ROLLING_1_1, "");
    awaitRolledOut("delete");

    Kubectl.Run deleted = kubectl.run("delete", "deployment", "web", "-n", "delete");

    assertThat(deleted.code()).as(deleted.out()).isZero();
    await().atMost(TIMEOUT).untilAsserted(() -> {
      assertThat(replicaSets("delete")).isEmpty();
      assertThat(pods("delete")).isEmpty();
    });
  }
}
