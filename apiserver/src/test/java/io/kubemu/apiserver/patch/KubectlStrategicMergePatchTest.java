package io.kubemu.apiserver.patch;

import static io.kubemu.apiserver.patch.JsonText.object;
import static io.kubemu.apiserver.patch.JsonText.tree;
import static io.kubemu.apiserver.patch.StrategicPatchFixtures.CONTAINERS;
import static io.kubemu.apiserver.patch.StrategicPatchFixtures.NGINX_DEPLOYMENT;
import static io.kubemu.apiserver.patch.StrategicPatchFixtures.deploymentWithContainers;
import static io.kubemu.apiserver.patch.StrategicPatchFixtures.patch;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** The strategic merge patches kubectl 1.33 sends, applied as the apiserver applies them. */
class KubectlStrategicMergePatchTest {

  @Test
  void applyingAgainWithANewImageChangesOnlyTheImageAndKeepsTheServerDefaults() {
    ObjectNode patched = patch(NGINX_DEPLOYMENT, "Deployment", """
        {"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"nginx"}],
                                     "containers":[{"image":"nginx:1.16.1","name":"nginx"}]}}}}""");

    ObjectNode expected = object(NGINX_DEPLOYMENT);
    ((ObjectNode) expected.at("/spec/template/spec/containers/0")).put("image", "nginx:1.16.1");
    assertThat(patched).isEqualTo(expected);
  }

  @Test
  void applyingAManifestWithoutTheSidecarDeletesTheSidecarAndKeepsTheOtherContainer() {
    ObjectNode live = deploymentWithContainers("""
        [{"name":"nginx","image":"nginx","imagePullPolicy":"Always"},
         {"name":"sidecar","image":"busybox"}]""");

    ObjectNode patched = patch(live, "Deployment", """
        {"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"nginx"}],
                                     "containers":[{"$patch":"delete","name":"sidecar"}]}}}}""");

    assertThat(patched.at(CONTAINERS)).isEqualTo(tree("""
        [{"name":"nginx","image":"nginx","imagePullPolicy":"Always"}]"""));
  }

  @Test
  void applyingAManifestThatReordersContainersFollowsSetElementOrder() {
    ObjectNode live = deploymentWithContainers("""
        [{"name":"a","image":"a:1"},{"name":"b","image":"b:1"}]""");

    ObjectNode patched = patch(live, "Deployment", """
        {"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"b"},{"name":"a"}]}}}}""");

    assertThat(patched.at(CONTAINERS)).isEqualTo(tree("""
        [{"name":"b","image":"b:1"},{"name":"a","image":"a:1"}]"""));
  }

  @Test
  void setImageChangesTheNamedContainerAndLeavesTheOthersAlone() {
    ObjectNode live = deploymentWithContainers("""
        [{"name":"nginx","image":"nginx:1.14.2","ports":[{"containerPort":80}]},
         {"name":"logger","image":"fluentd:1"}]""");

    ObjectNode patched = patch(live, "Deployment", """
        {"spec":{"template":{"spec":{"containers":[{"image":"nginx:1.17","name":"nginx"}]}}}}""");

    assertThat(patched.at(CONTAINERS)).isEqualTo(tree("""
        [{"name":"nginx","image":"nginx:1.17","ports":[{"containerPort":80}]},
         {"name":"logger","image":"fluentd:1"}]"""));
  }

  @Test
  void cordonMarksTheNodeUnschedulableAndUncordonRemovesTheField() {
    String node = """
        {"kind":"Node","metadata":{"name":"node-1"},
         "spec":{"podCIDR":"10.244.1.0/24","taints":[{"key":"k","effect":"NoSchedule"}]}}""";

    ObjectNode cordoned = patch(node, "Node", """
        {"spec":{"unschedulable":true}}""");
    ObjectNode uncordoned = patch(cordoned, "Node", """
        {"spec":{"unschedulable":null}}""");

    assertThat(cordoned.at("/spec")).isEqualTo(object("""
        {"podCIDR":"10.244.1.0/24","taints":[{"key":"k","effect":"NoSchedule"}],"unschedulable":true}"""));
    assertThat(uncordoned).isEqualTo(object(node));
  }

  @Test
  void scaleThroughAStrategicPatchSetsTheReplicas() {
    ObjectNode patched = patch(NGINX_DEPLOYMENT, "Deployment", """
        {"spec":{"replicas":3}}""");

    assertThat(patched.at("/spec/replicas").asInt()).isEqualTo(3);
    assertThat(patched.at("/spec/template")).isEqualTo(object(NGINX_DEPLOYMENT).at("/spec/template"));
  }

  @Test
  void rolloutRestartAddsARestartedAtAnnotationToThePodTemplate() {
    ObjectNode patched = patch(NGINX_DEPLOYMENT, "Deployment", """
        {"spec":{"template":{"metadata":{"annotations":
          {"kubectl.kubernetes.io/restartedAt":"2025-05-01T10:00:00Z"}}}}}""");

    assertThat(patched.at("/spec/template/metadata")).isEqualTo(object("""
        {"labels":{"app":"nginx"},
         "annotations":{"kubectl.kubernetes.io/restartedAt":"2025-05-01T10:00:00Z"}}"""));
  }

  @Test
  void removingAFinalizerDeletesItFromThePrimitiveList() {
    ObjectNode patched = patch("""
        {"kind":"ConfigMap","metadata":{"name":"c","finalizers":["a.example.com/x","b.example.com/y","kubernetes"]}}""",
        "ConfigMap", """
        {"metadata":{"$setElementOrder/finalizers":["a.example.com/x","kubernetes"],
                     "$deleteFromPrimitiveList/finalizers":["b.example.com/y"]}}""");

    assertThat(patched.at("/metadata/finalizers")).isEqualTo(tree("""
        ["a.example.com/x","kubernetes"]"""));
  }
}
