package io.kubemu.apiserver.patch;

import static io.kubemu.apiserver.patch.JsonText.object;
import static io.kubemu.apiserver.patch.JsonText.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class JsonPatchTest {

  private static final String DEPLOYMENT = """
      {"kind":"Deployment","metadata":{"name":"nginx","labels":{"app":"nginx"}},
       "spec":{"replicas":2,"paused":false,
               "template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.14.2"}]}}}}""";

  private static ObjectNode patch(String live, String patch) {
    return JsonPatch.apply(object(live), tree(patch));
  }

  @Test
  void addReplaceRemoveAndTestApplyInOrder() {
    ObjectNode patched = patch(DEPLOYMENT, """
        [{"op":"test","path":"/spec/replicas","value":2},
         {"op":"replace","path":"/spec/replicas","value":3},
         {"op":"add","path":"/metadata/labels/tier","value":"web"},
         {"op":"remove","path":"/spec/paused"},
         {"op":"add","path":"/spec/template/spec/containers/-","value":{"name":"sidecar","image":"busybox"}},
         {"op":"replace","path":"/spec/template/spec/containers/0/image","value":"nginx:1.16.1"}]""");

    assertThat(patched).isEqualTo(object("""
        {"kind":"Deployment","metadata":{"name":"nginx","labels":{"app":"nginx","tier":"web"}},
         "spec":{"replicas":3,
                 "template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.16.1"},
                                                   {"name":"sidecar","image":"busybox"}]}}}}"""));
  }

  @Test
  void anAnnotationKeyWithASlashIsAddressedWithTheEscapeTilde1() {
    ObjectNode patched = patch(DEPLOYMENT, """
        [{"op":"add","path":"/metadata/annotations","value":{}},
         {"op":"add","path":"/metadata/annotations/example.com~1owner","value":"team-a"}]""");

    assertThat(patched.at("/metadata/annotations")).isEqualTo(object("""
        {"example.com/owner":"team-a"}"""));
  }

  @Test
  void aFailingTestIsUnprocessableAndAppliesNothing() {
    ObjectNode live = object(DEPLOYMENT);

    assertThatThrownBy(() -> JsonPatch.apply(live, tree("""
        [{"op":"replace","path":"/spec/replicas","value":5},
         {"op":"test","path":"/metadata/labels/app","value":"apache"}]""")))
        .isInstanceOfSatisfying(PatchException.class, e -> {
          assertThat(e.code()).isEqualTo(422);
          assertThat(e.reason().statusReason()).isEqualTo("Invalid");
        })
        .hasMessage("testing value /metadata/labels/app failed: operation 2 (test /metadata/labels/app)"
            + " expects \"apache\" but the value is \"nginx\"");
    assertThat(live).isEqualTo(object(DEPLOYMENT));
  }

  @Test
  void replacingAFieldThatIsNotThereIsUnprocessable() {
    assertThatThrownBy(() -> patch(DEPLOYMENT, """
        [{"op":"replace","path":"/spec/strategy/type","value":"Recreate"}]"""))
        .isInstanceOfSatisfying(PatchException.class, e -> assertThat(e.code()).isEqualTo(422))
        .hasMessageStartingWith("operation 1 (replace /spec/strategy/type) does not apply: ");
  }

  @Test
  void removingAFieldThatIsNotThereIsUnprocessable() {
    assertThatThrownBy(() -> patch(DEPLOYMENT, """
        [{"op":"remove","path":"/metadata/labels/tier"}]"""))
        .isInstanceOfSatisfying(PatchException.class, e -> assertThat(e.code()).isEqualTo(422))
        .hasMessageStartingWith("operation 1 (remove /metadata/labels/tier) does not apply: ");
  }

  @Test
  void anIndexPastTheEndOfAListIsUnprocessable() {
    assertThatThrownBy(() -> patch(DEPLOYMENT, """
        [{"op":"add","path":"/spec/template/spec/containers/5","value":{"name":"x"}}]"""))
        .isInstanceOfSatisfying(PatchException.class, e -> assertThat(e.code()).isEqualTo(422))
        .hasMessageStartingWith("operation 1 (add /spec/template/spec/containers/5) does not apply: ");
  }

  @Test
  void anOperationWithoutAPathIsABadRequest() {
    assertThatThrownBy(() -> patch(DEPLOYMENT, """
        [{"op":"add","value":1}]"""))
        .isInstanceOfSatisfying(PatchException.class, e -> assertThat(e.code()).isEqualTo(400))
        .hasMessageStartingWith("invalid JSON patch: ");
  }

  @Test
  void anUnknownOperationIsABadRequest() {
    assertThatThrownBy(() -> patch(DEPLOYMENT, """
        [{"op":"increment","path":"/spec/replicas","value":1}]"""))
        .isInstanceOfSatisfying(PatchException.class, e -> assertThat(e.code()).isEqualTo(400))
        .hasMessageStartingWith("invalid JSON patch: ");
  }

  @Test
  void aPatchThatIsNotAListIsABadRequest() {
    assertThatThrownBy(() -> patch(DEPLOYMENT, """
        {"spec":{"replicas":3}}"""))
        .isInstanceOfSatisfying(PatchException.class, e -> assertThat(e.code()).isEqualTo(400))
        .hasMessage("invalid JSON patch: it must be a list of operations, not an object");
  }

  @Test
  void replacingTheWholeObjectWithAScalarIsUnprocessable() {
    assertThatThrownBy(() -> patch(DEPLOYMENT, """
        [{"op":"replace","path":"","value":42}]"""))
        .isInstanceOfSatisfying(PatchException.class, e -> assertThat(e.code()).isEqualTo(422))
        .hasMessage("the JSON patch replaces the whole object with a number");
  }

  @Test
  void anEmptyPatchReturnsAnEqualCopy() {
    ObjectNode live = object(DEPLOYMENT);

    ObjectNode patched = JsonPatch.apply(live, tree("[]"));

    assertThat(patched).isEqualTo(live).isNotSameAs(live);
  }
}
