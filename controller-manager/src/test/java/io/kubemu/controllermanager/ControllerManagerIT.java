package io.kubemu.controllermanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubemu.apiserver.Kubectl;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controllers at work, as a user meets them: a real store and apiserver, one
 * controller-manager process, and kubectl. Namespaces get their default ServiceAccount, a
 * deleted namespace is emptied and goes, and deleting an owner cascades as its propagation
 * policy says (background, foreground, orphan). No Deployment controller runs yet: the tests
 * create the ReplicaSets a Deployment would have (the ReplicaSet controller has its own IT).
 */
class ControllerManagerIT {
  @TempDir
  static Path dir;

  static ControlPlane cluster;
  static KubernetesClient client;
  static Kubectl kubectl;
  static ControllerManagerProcess controllerManager;

  @BeforeAll
  static void start() throws Exception {
    cluster = ControlPlane.start(dir);
    client = cluster.client;
    kubectl = cluster.kubectl;
    // The tests below make the ReplicaSets a Deployment controller would make themselves: the real one stays off.
    controllerManager = cluster.startControllerManager("controller-manager", "--controllers=*,-deployment");
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

  private static OwnerReference ownerReference(HasMetadata owner) {
    return new OwnerReferenceBuilder().withApiVersion(owner.getApiVersion()).withKind(owner.getKind())
        .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid())
        .withController(true).withBlockOwnerDeletion(true).build();
  }

  private static Deployment deployment(String namespace, String name) {
    return client.apps().deployments().inNamespace(namespace).resource(new DeploymentBuilder()
        .withNewMetadata().withName(name).endMetadata()
        .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", name).endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage("nginx:1.25").endContainer().endSpec()
        .endTemplate().endSpec().build()).create();
  }

  /** The ReplicaSet a Deployment controller would have made: owned by the deployment, blocking it. */
  private static ReplicaSet replicaSetOf(Deployment deployment) {
    String name = deployment.getMetadata().getName();
    return client.apps().replicaSets().inNamespace(deployment.getMetadata().getNamespace()).resource(
        new ReplicaSetBuilder().withNewMetadata().withName(name + "-5d4f8b7c9").addToLabels("app", name)
            .withOwnerReferences(ownerReference(deployment)).endMetadata()
            .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", name).endSelector()
            .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
            .withNewSpec().addNewContainer().withName("app").withImage("nginx:1.25").endContainer().endSpec()
            .endTemplate().endSpec().build()).create();
  }

  /** A pod a ReplicaSet controller would have made; not scheduled, so it goes at once when deleted. */
  private static Pod podOf(ReplicaSet replicaSet, String suffix) {
    return client.pods().inNamespace(replicaSet.getMetadata().getNamespace()).resource(new PodBuilder()
        .withNewMetadata().withName(replicaSet.getMetadata().getName() + "-" + suffix)
        .addToLabels(replicaSet.getSpec().getSelector().getMatchLabels())
        .withOwnerReferences(ownerReference(replicaSet)).endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage("nginx:1.25").endContainer().endSpec()
        .build()).create();
  }

  @Test
  void aNewNamespaceGetsTheDefaultServiceAccountAndGetsItBackWhenItIsDeleted() throws Exception {
    assertThat(kubectl.run("create", "namespace", "team-a").code()).isZero();
    await().atMost(Duration.ofSeconds(10))
        .until(() -> client.serviceAccounts().inNamespace("team-a").withName("default").get() != null);
    String first = client.serviceAccounts().inNamespace("team-a").withName("default").get().getMetadata().getUid();

    assertThat(kubectl.run("delete", "serviceaccount", "default", "-n", "team-a").code()).isZero();
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      ServiceAccount again = client.serviceAccounts().inNamespace("team-a").withName("default").get();
      return again != null && !again.getMetadata().getUid().equals(first);
    });
    assertThat(kubectl.run("get", "serviceaccounts", "-n", "team-a").out()).contains("default");
  }

  @Test
  void kubectlDeleteNamespaceReturnsOnceTheNamespaceAndEverythingInItIsGone() throws Exception {
    createNamespace("doomed");
    client.configMaps().inNamespace("doomed").resource(new ConfigMapBuilder().withNewMetadata().withName("settings")
        .endMetadata().addToData("mode", "fast").build()).create();
    client.configMaps().inNamespace("doomed").resource(new ConfigMapBuilder().withNewMetadata().withName("more")
        .endMetadata().build()).create();
    client.secrets().inNamespace("doomed").resource(new SecretBuilder().withNewMetadata().withName("token")
        .endMetadata().addToStringData("token", "s3cret").build()).create();
    client.services().inNamespace("doomed").resource(new ServiceBuilder().withNewMetadata().withName("web")
        .endMetadata().withNewSpec().addToSelector("app", "web").addNewPort().withPort(80).endPort().endSpec()
        .build()).create();
    ReplicaSet replicaSet = replicaSetOf(deployment("doomed", "web"));
    podOf(replicaSet, "a");
    podOf(replicaSet, "b");

    Kubectl.Run deleted = kubectl.run("delete", "namespace", "doomed");

    assertThat(deleted.code()).as(deleted.out()).isZero();
    assertThat(deleted.out()).contains("namespace \"doomed\" deleted");
    assertThat(client.namespaces().withName("doomed").get()).isNull();
    assertThat(client.pods().inNamespace("doomed").list().getItems()).isEmpty();
    assertThat(client.configMaps().inNamespace("doomed").list().getItems()).isEmpty();
    assertThat(client.apps().deployments().inNamespace("doomed").list().getItems()).isEmpty();
    assertThat(client.apps().replicaSets().inNamespace("doomed").list().getItems()).isEmpty();
    assertThat(client.services().inNamespace("doomed").list().getItems()).isEmpty();
  }

  @Test
  void deletingWithCascadeOrphanLeavesTheReplicaSetWithoutItsOwnerReference() throws Exception {
    createNamespace("orphans");
    ReplicaSet replicaSet = replicaSetOf(deployment("orphans", "web"));

    Kubectl.Run deleted = kubectl.run("delete", "deployment", "web", "-n", "orphans", "--cascade=orphan");

    assertThat(deleted.code()).as(deleted.out()).isZero();
    assertThat(client.apps().deployments().inNamespace("orphans").withName("web").get()).isNull();
    ReplicaSet left = client.apps().replicaSets().inNamespace("orphans").withName(replicaSet.getMetadata().getName()).get();
    assertThat(left).isNotNull();
    assertThat(left.getMetadata().getUid()).isEqualTo(replicaSet.getMetadata().getUid());
    assertThat(left.getMetadata().getOwnerReferences()).isEmpty();
    assertThat(kubectl.run("get", "rs", left.getMetadata().getName(), "-n", "orphans", "-o", "yaml").out())
        .doesNotContain("ownerReferences");
  }

  @Test
  void deletingAnOwnerInTheBackgroundDeletesItsDependentsAfterIt() throws Exception {
    createNamespace("background");
    ReplicaSet replicaSet = replicaSetOf(deployment("background", "web"));
    Pod pod = podOf(replicaSet, "a");

    Kubectl.Run deleted = kubectl.run("delete", "deployment", "web", "-n", "background");

    assertThat(deleted.code()).as(deleted.out()).isZero();
    await().atMost(Duration.ofSeconds(20)).until(() ->
        client.apps().replicaSets().inNamespace("background").withName(replicaSet.getMetadata().getName()).get() == null
            && client.pods().inNamespace("background").withName(pod.getMetadata().getName()).get() == null);
  }

  @Test
  void deletingInTheForegroundReturnsOnlyOnceTheDependentsAreGone() throws Exception {
    createNamespace("foreground");
    ReplicaSet replicaSet = replicaSetOf(deployment("foreground", "web"));
    Pod pod = podOf(replicaSet, "a");

    Kubectl.Run deleted = kubectl.run("delete", "deployment", "web", "-n", "foreground", "--cascade=foreground");

    assertThat(deleted.code()).as(deleted.out()).isZero();
    assertThat(client.apps().deployments().inNamespace("foreground").withName("web").get()).isNull();
    assertThat(client.apps().replicaSets().inNamespace("foreground").withName(replicaSet.getMetadata().getName()).get())
        .isNull();
    assertThat(client.pods().inNamespace("foreground").withName(pod.getMetadata().getName()).get()).isNull();
  }

  @Test
  void anObjectWhoseOwnerNeverExistedIsDeleted() {
    createNamespace("strays");
    client.configMaps().inNamespace("strays").resource(new ConfigMapBuilder().withNewMetadata().withName("stray")
        .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("v1").withKind("ConfigMap").withName("ghost")
            .withUid("00000000-0000-0000-0000-000000000001").build())
        .endMetadata().build()).create();

    await().atMost(Duration.ofSeconds(20))
        .until(() -> client.configMaps().inNamespace("strays").withName("stray").get() == null);
  }

  @Test
  void itsHealthzSaysOk() throws Exception {
    HttpResponse<String> healthz = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + controllerManager.port() + "/healthz")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(healthz.statusCode()).isEqualTo(200);
    assertThat(healthz.body()).isEqualTo("ok");
  }
}
