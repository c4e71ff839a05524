package io.kubemu.apiserver.patch;

import static io.kubemu.apiserver.patch.JsonText.body;
import static io.kubemu.apiserver.patch.JsonText.object;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class PatchesTest {

  private static final String POD = """
      {"kind":"Pod","metadata":{"name":"web","labels":{"app":"web"}},
       "spec":{"containers":[{"name":"web","image":"nginx:1"},{"name":"log","image":"fluentd"}]}}""";

  private static final String NEW_WEB_IMAGE = """
      {"spec":{"containers":[{"name":"web","image":"nginx:2"}]}}""";

  @Test
  void aStrategicMergePatchMergesContainersByName() {
    ObjectNode patched = Patches.apply("application/strategic-merge-patch+json", object(POD), body(NEW_WEB_IMAGE), "Pod");

    assertThat(patched.at("/spec/containers")).hasSize(2);
    assertThat(patched.at("/spec/containers/0/image").asText()).isEqualTo("nginx:2");
  }

  @Test
  void theSameBodyAsAMergePatchReplacesTheContainerList() {
    ObjectNode patched = Patches.apply("application/merge-patch+json", object(POD), body(NEW_WEB_IMAGE), "Pod");

    assertThat(patched.at("/spec/containers")).hasSize(1);
  }

  @Test
  void aJsonPatchIsAppliedOperationByOperation() {
    ObjectNode patched = Patches.apply("application/json-patch+json", object(POD), body("""
        [{"op":"replace","path":"/spec/containers/1/image","value":"fluent-bit"}]"""), "Pod");

    assertThat(patched.at("/spec/containers/1/image").asText()).isEqualTo("fluent-bit");
  }

  @Test
  void contentTypeParametersAndCaseDoNotMatter() {
    ObjectNode patched = Patches.apply("Application/Merge-Patch+JSON; charset=utf-8", object(POD), body("""
        {"metadata":{"labels":{"env":"prod"}}}"""), "Pod");

    assertThat(patched.at("/metadata/labels/env").asText()).isEqualTo("prod");
  }

  @Test
  void serverSideApplyIsRefusedAsUnsupportedMediaType() {
    assertThatThrownBy(() -> Patches.apply("application/apply-patch+yaml", object(POD), body("""
        apiVersion: v1
        kind: Pod"""), "Pod"))
        .isInstanceOfSatisfying(PatchException.class, e -> {
          assertThat(e.code()).isEqualTo(415);
          assertThat(e.reason().statusReason()).isEqualTo("UnsupportedMediaType");
        })
        .hasMessageContaining("server-side apply")
        .hasMessageContaining("not supported");
  }

  @Test
  void anUnknownContentTypeIsRefusedWithTheAcceptedOnes() {
    assertThatThrownBy(() -> Patches.apply("application/json", object(POD), body("{}"), "Pod"))
        .isInstanceOfSatisfying(PatchException.class, e -> assertThat(e.code()).isEqualTo(415))
        .hasMessage("the body of the request was in an unknown format - accepted media types include: "
            + "application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json");
  }

  @Test
  void aBodyThatIsNotJsonIsABadRequestThatSaysWhere() {
    for (String contentType : new String[] {"application/strategic-merge-patch+json",
        "application/merge-patch+json", "application/json-patch+json"}) {
      assertThatThrownBy(() -> Patches.apply(contentType, object(POD), body("spec: {replicas: 3}"), "Pod"))
          .as(contentType)
          .isInstanceOfSatisfying(PatchException.class, e -> assertThat(e.code()).isEqualTo(400))
          .hasMessageContaining("is not valid JSON at line 1, column");
    }
  }

  @Test
  void trailingGarbageAfterTheJsonIsABadRequest() {
    assertThatThrownBy(() -> Patches.apply("application/merge-patch+json", object(POD), body("""
        {"spec":{}} {"more":1}"""), "Pod"))
        .isInstanceOfSatisfying(PatchException.class, e -> assertThat(e.code()).isEqualTo(400))
        .hasMessageContaining("is not valid JSON");
  }

  @Test
  void anEmptyBodyIsABadRequest() {
    assertThatThrownBy(() -> Patches.apply("application/strategic-merge-patch+json", object(POD), new byte[0], "Pod"))
        .isInstanceOfSatisfying(PatchException.class, e -> assertThat(e.code()).isEqualTo(400))
        .hasMessage("the strategic merge patch is empty");
  }
}
