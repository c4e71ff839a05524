package io.kubemu.controllermanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubemu.apiserver.Kubectl;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ReplicaSet controller as a user meets it, with a real store, apiserver, controller-manager
 * process and kubectl. No kubelet runs: the pods stay Pending, so none is ready.
 */
class ReplicaSetControllerIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @TempDir
  static Path dir;

  static ControlPlane cluster;
  static KubernetesClient client;
  static Kubectl kubectl;

  @BeforeAll
  static void start() throws Exception {
    cluster = ControlPlane.start(dir);
    client = cluster.client;
    kubectl = cluster.kubectl;
    ControllerManagerProcess controllerManager = cluster.startControllerManager("controller-manager");
    await().atMost(Duration.ofSeconds(60)).until(controllerManager::runsControllers);
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static void createNamespace(String name) {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
  }

  private static ReplicaSet replicaSet(String namespace, String name, int replicas) {
    return client.apps().replicaSets().inNamespace(namespace).resource(new ReplicaSetBuilder()
        .withNewMetadata().withName(name).endMetadata()
        .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", name).endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", name).addToLabels("tier", "web").endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage("nginx:1.25").endContainer().endSpec()
        .endTemplate().endSpec().build()).create();
  }

  private static List<Pod> pods(String namespace, String app) {
    return client.pods().inNamespace(namespace).withLabel("app", app).list().getItems();
  }

  private static ReplicaSetStatus status(String namespace, String name) {
    ReplicaSet replicaSet = client.apps().replicaSets().inNamespace(namespace).withName(name).get();
    return replicaSet.getStatus() == null ? new ReplicaSetStatus() : replicaSet.getStatus();
  }

  private static void awaitReplicas(String namespace, String name, int replicas) {
    await().atMost(TIMEOUT).untilAsserted(() -> {
      assertThat(pods(namespace, name)).hasSize(replicas);
      assertThat(status(namespace, name).getReplicas()).isEqualTo(replicas);
    });
  }

  private static OwnerReference controllerOf(Pod pod) {
    return pod.getMetadata().getOwnerReferences().stream().filter(OwnerReference::getController).findFirst()
        .orElseThrow();
  }

  @Test
  void createsThePodsOfANewReplicaSetAndCountsThemInItsStatus() throws Exception {
    createNamespace("create");
    ReplicaSet replicaSet = replicaSet("create", "web", 3);

    awaitReplicas("create", "web", 3);
    for (Pod pod : pods("create", "web")) {
      assertThat(pod.getMetadata().getName()).startsWith("web-");
      assertThat(pod.getMetadata().getLabels()).containsEntry("tier", "web");
      OwnerReference owner = controllerOf(pod);
      assertThat(owner.getKind()).isEqualTo("ReplicaSet");
      assertThat(owner.getName()).isEqualTo("web");
      assertThat(owner.getUid()).isEqualTo(replicaSet.getMetadata().getUid());
      assertThat(owner.getBlockOwnerDeletion()).isTrue();
    }
    ReplicaSetStatus status = status("create", "web");
    assertThat(status.getFullyLabeledReplicas()).isEqualTo(3);
    assertThat(status.getReadyReplicas()).isZero(); // no kubelet: the pods stay Pending
    assertThat(status.getAvailableReplicas()).isZero();
    assertThat(status.getObservedGeneration()).isEqualTo(1L);
    await().atMost(TIMEOUT).untilAsserted(() -> {
      List<Event> created = client.v1().events().inNamespace("create").list().getItems().stream()
          .filter(event -> "SuccessfulCreate".equals(event.getReason())).toList();
      assertThat(created).hasSize(3).allSatisfy(event -> {
        assertThat(event.getInvolvedObject().getKind()).isEqualTo("ReplicaSet");
        assertThat(event.getInvolvedObject().getName()).isEqualTo("web");
        assertThat(event.getSource().getComponent()).isEqualTo("replicaset-controller");
        assertThat(event.getMessage()).startsWith("Created pod: web-");
      });
    });
    Kubectl.Run get = kubectl.run("get", "rs", "web", "-n", "create");
    assertThat(get.out()).containsPattern("web\\s+3\\s+3\\s+0");
  }

  @Test
  void scalingUpCreatesPodsAndScalingDownDeletesTheUnscheduledOnesFirst() throws Exception {
    createNamespace("scale");
    replicaSet("scale", "web", 3);
    awaitReplicas("scale", "web", 3);

    assertThat(kubectl.run("scale", "rs", "web", "-n", "scale", "--replicas=5").code()).isZero();
    awaitReplicas("scale", "web", 5);
    assertThat(status("scale", "web").getObservedGeneration()).isEqualTo(2L);

    Pod kept = pods("scale", "web").get(0);
    client.bindings().inNamespace("scale").resource(new BindingBuilder()
        .withNewMetadata().withName(kept.getMetadata().getName()).withUid(kept.getMetadata().getUid()).endMetadata()
        .withNewTarget().withApiVersion("v1").withKind("Node").withName("node-1").endTarget().build()).create();
    assertThat(kubectl.run("scale", "rs", "web", "-n", "scale", "--replicas=1").code()).isZero();

    awaitReplicas("scale", "web", 1);
    assertThat(pods("scale", "web").get(0).getMetadata().getName()).isEqualTo(kept.getMetadata().getName());
    await().atMost(TIMEOUT).until(() -> client.v1().events().inNamespace("scale").list().getItems().stream()
        .filter(event -> "SuccessfulDelete".equals(event.getReason()))
        .filter(event -> event.getMessage().startsWith("Deleted pod: web-")).count() == 4);
  }

  @Test
  void aDeletedPodIsReplaced() throws Exception {
    createNamespace("replace");
    replicaSet("replace", "web", 2);
    awaitReplicas("replace", "web", 2);
    String deleted = pods("replace", "web").get(0).getMetadata().getName();

    assertThat(kubectl.run("delete", "pod", deleted, "-n", "replace").code()).isZero();

    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(pods("replace", "web"))
        .hasSize(2).noneMatch(pod -> pod.getMetadata().getName().equals(deleted)));
  }

  @Test
  void anOrphanPodMatchingTheSelectorIsAdoptedInsteadOfCreatingOne() {
    createNamespace("adopt");
    client.pods().inNamespace("adopt").resource(new PodBuilder()
        .withNewMetadata().withName("stray").addToLabels("app", "web").endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage("nginx:1.25").endContainer().endSpec()
        .build()).create();

    ReplicaSet replicaSet = replicaSet("adopt", "web", 2);

    awaitReplicas("adopt", "web", 2);
    Pod stray = client.pods().inNamespace("adopt").withName("stray").get();
    OwnerReference owner = controllerOf(stray);
    assertThat(owner.getUid()).isEqualTo(replicaSet.getMetadata().getUid());
    assertThat(owner.getBlockOwnerDeletion()).isTrue();
    assertThat(status("adopt", "web").getFullyLabeledReplicas()).isEqualTo(1); // the stray lacks tier=web
  }

  @Test
  void aPodWhoseLabelsNoLongerMatchIsReleasedAndReplaced() throws Exception {
    createNamespace("release");
    replicaSet("release", "web", 1);
    awaitReplicas("release", "web", 1);
    String name = pods("release", "web").get(0).getMetadata().getName();

    assertThat(kubectl.run("label", "pod", name, "-n", "release", "app=debug", "--overwrite").code()).isZero();

    await().atMost(TIMEOUT).untilAsserted(() -> {
      assertThat(client.pods().inNamespace("release").withName(name).get().getMetadata().getOwnerReferences())
          .isEmpty();
      assertThat(pods("release", "web")).hasSize(1);
    });
  }

  @Test
  void kubectlDeleteReplicaSetTakesItsPodsWithIt() throws Exception {
    createNamespace("delete");
    replicaSet("delete", "web", 3);
    awaitReplicas("delete", "web", 3);

    Kubectl.Run deleted = kubectl.run("delete", "rs", "web", "-n", "delete");

    assertThat(deleted.code()).as(deleted.out()).isZero();
    await().atMost(TIMEOUT).until(() -> pods("delete", "web").isEmpty());
    assertThat(client.apps().replicaSets().inNamespace("delete").withName("web").get()).isNull();
  }
}
