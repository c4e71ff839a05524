package io.kubemu.apiserver.patch;

import static io.kubemu.apiserver.patch.JsonText.object;
import static io.kubemu.apiserver.patch.JsonText.tree;
import static io.kubemu.apiserver.patch.StrategicPatchFixtures.NGINX_DEPLOYMENT;
import static io.kubemu.apiserver.patch.StrategicPatchFixtures.patch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** Maps, directives and refusals of the strategic merge patch. */
class StrategicMergePatchTest {

  @Test
  void nullRemovesAFieldAndLeavesItsSiblings() {
    ObjectNode patched = patch("""
        {"kind":"Pod","metadata":{"labels":{"app":"web","tier":"front"}}}""", "Pod", """
        {"metadata":{"labels":{"tier":null,"track":"stable"}}}""");

    assertThat(patched.at("/metadata/labels")).isEqualTo(object("""
        {"app":"web","track":"stable"}"""));
  }

  @Test
  void nullForAFieldThatIsNotThereChangesNothing() {
    ObjectNode patched = patch("""
        {"kind":"Pod","metadata":{"name":"p"}}""", "Pod", """
        {"metadata":{"labels":{"gone":null}},"spec":{"nodeSelector":null}}""");

    assertThat(patched).isEqualTo(object("""
        {"kind":"Pod","metadata":{"name":"p"}}"""));
  }

  @Test
  void patchReplaceInAMapReplacesTheMap() {
    ObjectNode patched = patch("""
        {"kind":"ConfigMap","data":{"a":"1","b":"2"}}""", "ConfigMap", """
        {"data":{"$patch":"replace","c":"3"}}""");

    assertThat(patched).isEqualTo(object("""
        {"kind":"ConfigMap","data":{"c":"3"}}"""));
  }

  @Test
  void patchDeleteInAMapRemovesTheMap() {
    ObjectNode patched = patch("""
        {"kind":"Secret","data":{"a":"MQ=="},"type":"Opaque"}""", "Secret", """
        {"data":{"$patch":"delete"}}""");

    assertThat(patched).isEqualTo(object("""
        {"kind":"Secret","type":"Opaque"}"""));
  }

  @Test
  void patchMergeInAMapIsTheDefaultSaidOutLoud() {
    ObjectNode patched = patch("""
        {"kind":"ConfigMap","data":{"a":"1"}}""", "ConfigMap", """
        {"data":{"$patch":"merge","b":"2"}}""");

    assertThat(patched).isEqualTo(object("""
        {"kind":"ConfigMap","data":{"a":"1","b":"2"}}"""));
  }

  @Test
  void retainKeysSwitchingRollingUpdateToRecreateRemovesRollingUpdate() {
    ObjectNode patched = patch(NGINX_DEPLOYMENT, "Deployment", """
        {"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}}""");

    assertThat(patched.at("/spec/strategy")).isEqualTo(object("""
        {"type":"Recreate"}"""));
  }

  @Test
  void withoutRetainKeysTheRollingUpdateParametersStay() {
    ObjectNode patched = patch(NGINX_DEPLOYMENT, "Deployment", """
        {"spec":{"strategy":{"type":"Recreate"}}}""");

    assertThat(patched.at("/spec/strategy")).isEqualTo(object("""
        {"type":"Recreate","rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"}}"""));
  }

  @Test
  void retainKeysOnAVolumeDropsTheOldVolumeSource() {
    ObjectNode patched = patch("""
        {"kind":"Pod","spec":{"volumes":[{"name":"data","emptyDir":{}},{"name":"cfg","configMap":{"name":"c"}}]}}""",
        "Pod", """
        {"spec":{"volumes":[{"$retainKeys":["hostPath","name"],"name":"data","hostPath":{"path":"/srv"}}]}}""");

    assertThat(patched.at("/spec/volumes")).isEqualTo(tree("""
        [{"name":"data","hostPath":{"path":"/srv"}},{"name":"cfg","configMap":{"name":"c"}}]"""));
  }

  @Test
  void anAtomicListIsReplacedWhole() {
    ObjectNode patched = patch("""
        {"kind":"Pod","spec":{"containers":[{"name":"c","args":["a","b"]}]}}""", "Pod", """
        {"spec":{"containers":[{"name":"c","args":["z"]}]}}""");

    assertThat(patched.at("/spec/containers/0/args")).isEqualTo(tree("""
        ["z"]"""));
  }

  @Test
  void directivesInAFieldThatWasNotThereAreAppliedNotStored() {
    ObjectNode patched = patch("""
        {"kind":"Deployment","spec":{"replicas":1}}""", "Deployment", """
        {"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"},
                 "template":{"spec":{"$setElementOrder/containers":[{"name":"a"}],
                                     "containers":[{"name":"a","image":"a","env":null}]}}}}""");

    assertThat(patched).isEqualTo(object("""
        {"kind":"Deployment","spec":{"replicas":1,"strategy":{"type":"Recreate"},
         "template":{"spec":{"containers":[{"name":"a","image":"a"}]}}}}"""));
  }

  @Test
  void theStoredObjectAndThePatchAreLeftUnchanged() {
    ObjectNode live = object(NGINX_DEPLOYMENT);
    ObjectNode patch = object("""
        {"metadata":{"labels":{"app":null}},
         "spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"},
                 "template":{"spec":{"$setElementOrder/containers":[{"name":"nginx"}],
                                     "containers":[{"name":"nginx","image":"nginx:2"}]}}}}""");
    ObjectNode patchBefore = patch.deepCopy();

    StrategicMergePatch.apply(live, patch, "Deployment");

    assertThat(live).isEqualTo(object(NGINX_DEPLOYMENT));
    assertThat(patch).isEqualTo(patchBefore);
  }

  @Test
  void anUnknownPatchDirectiveIsABadRequest() {
    assertThatThrownBy(() -> patch(NGINX_DEPLOYMENT, "Deployment", """
        {"metadata":{"labels":{"$patch":"remove"}}}"""))
        .isInstanceOfSatisfying(PatchException.class, e -> assertThat(e.code()).isEqualTo(400))
        .hasMessageStartingWith("unknown patch type: remove in map:");
  }

  @Test
  void patchMergeAsAListItemIsABadRequestAsUpstream() {
    assertThatThrownBy(() -> patch(NGINX_DEPLOYMENT, "Deployment", """
        {"spec":{"template":{"spec":{"containers":[{"$patch":"merge"}]}}}}"""))
        .isInstanceOfSatisfying(PatchException.class, e -> assertThat(e.code()).isEqualTo(400))
        .hasMessage("merging lists cannot yet be specified in the patch");
  }

  @Test
  void aListItemWithoutItsMergeKeyIsABadRequest() {
    assertThatThrownBy(() -> patch(NGINX_DEPLOYMENT, "Deployment", """
        {"spec":{"template":{"spec":{"containers":[{"image":"nginx:2"}]}}}}"""))
        .isInstanceOfSatisfying(PatchException.class, e -> assertThat(e.code()).isEqualTo(400))
        .hasMessage("map: {\"image\":\"nginx:2\"} does not contain declared merge key: name");
  }

  @Test
  void retainKeysMustListEveryFieldThePatchSets() {
    assertThatThrownBy(() -> patch(NGINX_DEPLOYMENT, "Deployment", """
        {"spec":{"strategy":{"$retainKeys":["type"],"type":"RollingUpdate","rollingUpdate":{"maxSurge":1}}}}"""))
        .isInstanceOfSatisfying(PatchException.class, e -> assertThat(e.code()).isEqualTo(400))
        .hasMessageStartingWith("invalid patch format of retainKeys")
        .hasMessageContaining("rollingUpdate");
  }

  @Test
  void aPatchListOutOfSetElementOrderIsABadRequest() {
    assertThatThrownBy(() -> patch(NGINX_DEPLOYMENT, "Deployment", """
        {"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"a"},{"name":"b"}],
                                     "containers":[{"name":"b"},{"name":"a"}]}}}}"""))
        .isInstanceOfSatisfying(PatchException.class, e -> assertThat(e.code()).isEqualTo(400))
        .hasMessageContaining("doesn't match $setElementOrder list");
  }

  @Test
  void mergingIntoAListOfListsIsUnprocessable() {
    assertThatThrownBy(() -> patch("""
        {"kind":"Node","spec":{"podCIDRs":[["10.0.0.0/24"]]}}""", "Node", """
        {"spec":{"podCIDRs":[["10.0.1.0/24"]]}}"""))
        .isInstanceOfSatisfying(PatchException.class, e -> assertThat(e.code()).isEqualTo(422))
        .hasMessageStartingWith("lists of lists are not supported");
  }

  @Test
  void aKindWithoutPatchStrategiesIsRefusedAsUnsupportedMediaType() {
    assertThatThrownBy(() -> patch("""
        {"kind":"Widget","spec":{}}""", "Widget", """
        {"spec":{"size":2}}"""))
        .isInstanceOfSatisfying(PatchException.class, e -> assertThat(e.code()).isEqualTo(415))
        .hasMessageContaining("strategic merge patch is not supported for kind Widget");
  }
}
