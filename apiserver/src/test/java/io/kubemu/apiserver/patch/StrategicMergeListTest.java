package io.kubemu.apiserver.patch;

import static io.kubemu.apiserver.patch.JsonText.object;
import static io.kubemu.apiserver.patch.JsonText.tree;
import static io.kubemu.apiserver.patch.StrategicPatchFixtures.CONTAINERS;
import static io.kubemu.apiserver.patch.StrategicPatchFixtures.deploymentWithContainers;
import static io.kubemu.apiserver.patch.StrategicPatchFixtures.patch;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** Lists tagged "merge": items matched by merge key (or by value), deleted by directive, kept in upstream order. */
class StrategicMergeListTest {

  @Test
  void anEnvVarIsAddedByNameAndTheExistingOnesStay() {
    ObjectNode live = deploymentWithContainers("""
        [{"name":"app","image":"app","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]}]""");

    ObjectNode patched = patch(live, "Deployment", """
        {"spec":{"template":{"spec":{"containers":[{"name":"app","env":[{"name":"C","value":"3"}]}]}}}}""");

    // A new item goes before the items the patch does not name, as upstream orders it.
    assertThat(patched.at("/spec/template/spec/containers/0/env")).isEqualTo(tree("""
        [{"name":"C","value":"3"},{"name":"A","value":"1"},{"name":"B","value":"2"}]"""));
  }

  @Test
  void anEnvVarIsChangedByNameAndKeepsItsPlace() {
    ObjectNode live = deploymentWithContainers("""
        [{"name":"app","env":[{"name":"A","value":"1"},{"name":"B","value":"2"},{"name":"C","value":"3"}]}]""");

    ObjectNode patched = patch(live, "Deployment", """
        {"spec":{"template":{"spec":{"containers":[{"name":"app","env":[{"name":"B","value":"two"}]}]}}}}""");

    assertThat(patched.at("/spec/template/spec/containers/0/env")).isEqualTo(tree("""
        [{"name":"A","value":"1"},{"name":"B","value":"two"},{"name":"C","value":"3"}]"""));
  }

  @Test
  void anEnvVarIsRemovedByNameWithPatchDelete() {
    ObjectNode live = deploymentWithContainers("""
        [{"name":"app","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]}]""");

    ObjectNode patched = patch(live, "Deployment", """
        {"spec":{"template":{"spec":{"containers":[{"name":"app","env":[{"$patch":"delete","name":"A"}]}]}}}}""");

    assertThat(patched.at("/spec/template/spec/containers/0/env")).isEqualTo(tree("""
        [{"name":"B","value":"2"}]"""));
  }

  @Test
  void aContainerIsRemovedByNameWithPatchDelete() {
    ObjectNode live = deploymentWithContainers("""
        [{"name":"nginx","image":"nginx"},{"name":"sidecar","image":"busybox"}]""");

    ObjectNode patched = patch(live, "Deployment", """
        {"spec":{"template":{"spec":{"containers":[{"name":"sidecar","$patch":"delete"}]}}}}""");

    assertThat(patched.at(CONTAINERS)).isEqualTo(tree("""
        [{"name":"nginx","image":"nginx"}]"""));
  }

  @Test
  void containerPortsMergeByContainerPortAndVolumeMountsByMountPath() {
    ObjectNode live = object("""
        {"kind":"Pod","spec":{"containers":[{"name":"web",
          "ports":[{"containerPort":80,"protocol":"TCP"}],
          "volumeMounts":[{"name":"data","mountPath":"/data"}]}]}}""");

    ObjectNode patched = patch(live, "Pod", """
        {"spec":{"containers":[{"name":"web",
          "ports":[{"containerPort":80,"name":"http"}],
          "volumeMounts":[{"mountPath":"/data","readOnly":true}]}]}}""");

    assertThat(patched.at("/spec/containers/0")).isEqualTo(object("""
        {"name":"web",
         "ports":[{"containerPort":80,"protocol":"TCP","name":"http"}],
         "volumeMounts":[{"name":"data","mountPath":"/data","readOnly":true}]}"""));
  }

  @Test
  void servicePortsMergeByPort() {
    ObjectNode patched = patch("""
        {"kind":"Service","spec":{"type":"ClusterIP","clusterIP":"10.96.0.10",
          "ports":[{"port":80,"targetPort":8080,"protocol":"TCP"}]}}""", "Service", """
        {"spec":{"ports":[{"port":80,"targetPort":9090},{"port":443,"targetPort":8443}]}}""");

    assertThat(patched.at("/spec")).isEqualTo(object("""
        {"type":"ClusterIP","clusterIP":"10.96.0.10",
         "ports":[{"port":80,"targetPort":9090,"protocol":"TCP"},{"port":443,"targetPort":8443}]}"""));
  }

  @Test
  void podConditionsMergeByTypeAsTheKubeletPatchesStatus() {
    ObjectNode patched = patch("""
        {"kind":"Pod","status":{"phase":"Pending","conditions":[
          {"type":"PodScheduled","status":"True"},{"type":"Ready","status":"False"}]}}""", "Pod", """
        {"status":{"$setElementOrder/conditions":[{"type":"PodScheduled"},{"type":"Ready"}],
                   "conditions":[{"type":"Ready","status":"True"}],"phase":"Running"}}""");

    assertThat(patched.at("/status")).isEqualTo(object("""
        {"phase":"Running","conditions":[{"type":"PodScheduled","status":"True"},{"type":"Ready","status":"True"}]}"""));
  }

  @Test
  void ownerReferencesMergeByUid() {
    ObjectNode patched = patch("""
        {"kind":"ReplicaSet","metadata":{"ownerReferences":[
          {"apiVersion":"apps/v1","kind":"Deployment","name":"nginx","uid":"u-1","controller":true}]}}""",
        "ReplicaSet", """
        {"metadata":{"ownerReferences":[{"uid":"u-1","blockOwnerDeletion":true}]}}""");

    assertThat(patched.at("/metadata/ownerReferences")).isEqualTo(tree("""
        [{"apiVersion":"apps/v1","kind":"Deployment","name":"nginx","uid":"u-1","controller":true,
               "blockOwnerDeletion":true}]"""));
  }

  @Test
  void finalizersMergeByValueAddingOnlyWhatIsMissing() {
    ObjectNode patched = patch("""
        {"kind":"Namespace","metadata":{"finalizers":["a","b"]}}""", "Namespace", """
        {"metadata":{"finalizers":["b","c"]}}""");

    assertThat(patched.at("/metadata/finalizers")).isEqualTo(tree("""
        ["a","b","c"]"""));
  }

  @Test
  void anEmptyListInThePatchDoesNotClearAMergedList() {
    ObjectNode live = deploymentWithContainers("""
        [{"name":"nginx","image":"nginx"}]""");

    ObjectNode patched = patch(live, "Deployment", """
        {"spec":{"template":{"spec":{"containers":[]}}}}""");

    assertThat(patched).isEqualTo(live);
  }

  @Test
  void patchReplaceAsAListItemReplacesTheWholeList() {
    ObjectNode live = deploymentWithContainers("""
        [{"name":"nginx","image":"nginx","imagePullPolicy":"Always"},{"name":"sidecar","image":"busybox"}]""");

    ObjectNode patched = patch(live, "Deployment", """
        {"spec":{"template":{"spec":{"containers":[{"$patch":"replace"},{"name":"only","image":"redis"}]}}}}""");

    assertThat(patched.at(CONTAINERS)).isEqualTo(tree("""
        [{"name":"only","image":"redis"}]"""));
  }
}
