package io.kubemu.apiserver.patch;

import static io.kubemu.apiserver.patch.JsonText.object;
import static io.kubemu.apiserver.patch.JsonText.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class JsonMergePatchTest {

  private static final String POD = """
      {"apiVersion":"v1","kind":"Pod",
       "metadata":{"name":"web","labels":{"app":"web","tier":"front"},"annotations":{"owner":"team-a"}},
       "spec":{"containers":[{"name":"web","image":"nginx","ports":[{"containerPort":80}]}]}}""";

  private static ObjectNode patch(String live, String patch) {
    return JsonMergePatch.apply(object(live), tree(patch));
  }

  @Test
  void kubectlLabelAddsALabelAndKeepsTheOthers() {
    ObjectNode patched = patch(POD, """
        {"metadata":{"labels":{"env":"prod"}}}""");

    assertThat(patched.at("/metadata/labels")).isEqualTo(object("""
        {"app":"web","tier":"front","env":"prod"}"""));
    assertThat(patched.at("/spec")).isEqualTo(object(POD).at("/spec"));
  }

  @Test
  void kubectlLabelWithATrailingDashRemovesTheLabel() {
    ObjectNode patched = patch(POD, """
        {"metadata":{"labels":{"tier":null}}}""");

    assertThat(patched.at("/metadata/labels")).isEqualTo(object("""
        {"app":"web"}"""));
  }

  @Test
  void kubectlAnnotateOverwritesAnAnnotation() {
    ObjectNode patched = patch(POD, """
        {"metadata":{"annotations":{"owner":"team-b","note":"moved"}}}""");

    assertThat(patched.at("/metadata/annotations")).isEqualTo(object("""
        {"owner":"team-b","note":"moved"}"""));
  }

  @Test
  void kubectlScaleSetsTheReplicasOfTheScaleSubresource() {
    ObjectNode patched = patch("""
        {"apiVersion":"autoscaling/v1","kind":"Scale","metadata":{"name":"nginx"},
         "spec":{"replicas":1},"status":{"replicas":1,"selector":"app=nginx"}}""", """
        {"spec":{"replicas":3}}""");

    assertThat(patched).isEqualTo(object("""
        {"apiVersion":"autoscaling/v1","kind":"Scale","metadata":{"name":"nginx"},
         "spec":{"replicas":3},"status":{"replicas":1,"selector":"app=nginx"}}"""));
  }

  @Test
  void aListIsReplacedWholeEvenWhereAStrategicPatchWouldMerge() {
    ObjectNode patched = patch(POD, """
        {"spec":{"containers":[{"name":"sidecar","image":"busybox"}]}}""");

    assertThat(patched.at("/spec/containers")).isEqualTo(tree("""
        [{"name":"sidecar","image":"busybox"}]"""));
  }

  @Test
  void aMapThatWasNotThereIsCreatedWithoutTheNullsOfThePatch() {
    ObjectNode patched = patch(POD, """
        {"spec":{"nodeSelector":{"disk":"ssd","zone":null}}}""");

    assertThat(patched.at("/spec/nodeSelector")).isEqualTo(object("""
        {"disk":"ssd"}"""));
  }

  @Test
  void aMapReplacesAScalarAndAScalarReplacesAMap() {
    ObjectNode patched = patch("""
        {"a":"text","b":{"c":1}}""", """
        {"a":{"x":1},"b":2}""");

    assertThat(patched).isEqualTo(object("""
        {"a":{"x":1},"b":2}"""));
  }

  @Test
  void theStoredObjectIsLeftUnchanged() {
    ObjectNode live = object(POD);

    JsonMergePatch.apply(live, tree("""
        {"metadata":{"labels":{"app":null,"new":"x"}},"spec":{"containers":[]}}"""));

    assertThat(live).isEqualTo(object(POD));
  }

  @Test
  void aPatchThatIsNotAnObjectIsABadRequest() {
    assertThatThrownBy(() -> patch(POD, """
        [{"op":"replace","path":"/spec/replicas","value":3}]"""))
        .isInstanceOfSatisfying(PatchException.class, e -> assertThat(e.code()).isEqualTo(400))
        .hasMessage("invalid JSON merge patch: it must be a JSON object, not a list");
  }
}
