package io.kubemu.apiserver.patch;

import static io.kubemu.apiserver.patch.JsonText.body;
import static io.kubemu.apiserver.patch.JsonText.object;
import static io.kubemu.apiserver.patch.JsonText.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/**
 * The outcomes the Kubernetes task page "Update API Objects in Place Using kubectl patch" shows,
 * on the same objects and patches (written here as JSON, the way kubectl sends them).
 */
class KubectlPatchTaskPageTest {

  /** deployment-patch.yaml as the apiserver stores it, with the defaults the page's output shows. */
  private static final String PATCH_DEMO = """
      {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"patch-demo"},
       "spec":{"replicas":2,"selector":{"matchLabels":{"app":"nginx"}},
               "template":{"metadata":{"labels":{"app":"nginx"}},
                           "spec":{"containers":[{"name":"patch-demo-ctr","image":"nginx","imagePullPolicy":"Always"}],
                                   "tolerations":[{"effect":"NoSchedule","key":"dedicated","value":"test-team"}]}}}}""";

  private static ObjectNode patch(String contentType, String live, String patch) {
    return Patches.apply(contentType, object(live), body(patch), "Deployment");
  }

  @Test
  void aStrategicMergePatchAddsTheRedisContainerNextToNginx() {
    ObjectNode patched = patch("application/strategic-merge-patch+json", PATCH_DEMO, """
        {"spec":{"template":{"spec":{"containers":[{"name":"patch-demo-ctr-2","image":"redis"}]}}}}""");

    // The page's output lists the new container first.
    assertThat(patched.at("/spec/template/spec/containers")).isEqualTo(tree("""
        [{"name":"patch-demo-ctr-2","image":"redis"},
         {"name":"patch-demo-ctr","image":"nginx","imagePullPolicy":"Always"}]"""));
  }

  @Test
  void tolerationsHaveNoPatchStrategySoAStrategicMergePatchReplacesThem() {
    ObjectNode patched = patch("application/strategic-merge-patch+json", PATCH_DEMO, """
        {"spec":{"template":{"spec":{"tolerations":[{"effect":"NoSchedule","key":"disktype","value":"ssd"}]}}}}""");

    assertThat(patched.at("/spec/template/spec/tolerations")).isEqualTo(tree("""
        [{"effect":"NoSchedule","key":"disktype","value":"ssd"}]"""));
  }

  @Test
  void aJsonMergePatchReplacesTheWholeContainerList() {
    String twoContainers = patch("application/strategic-merge-patch+json", PATCH_DEMO, """
        {"spec":{"template":{"spec":{"containers":[{"name":"patch-demo-ctr-2","image":"redis"}]}}}}""").toString();

    ObjectNode patched = patch("application/merge-patch+json", twoContainers, """
        {"spec":{"template":{"spec":{"containers":[
          {"name":"patch-demo-ctr-3","image":"gcr.io/google-samples/hello-app:2.0"}]}}}}""");

    assertThat(patched.at("/spec/template/spec/containers")).isEqualTo(tree("""
        [{"name":"patch-demo-ctr-3","image":"gcr.io/google-samples/hello-app:2.0"}]"""));
  }

  @Test
  void retainKeysRemovesRollingUpdateWhenTheStrategyBecomesRecreate() {
    String retainKeysDemo = """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"retainkeys-demo"},
         "spec":{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"30%","maxUnavailable":"25%"}}}}""";

    ObjectNode patched = patch("application/strategic-merge-patch+json", retainKeysDemo, """
        {"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}}""");

    assertThat(patched.at("/spec/strategy")).isEqualTo(object("""
        {"type":"Recreate"}"""));
  }

  @Test
  void theRetainKeysListMustCoverEveryFieldInThePatch() {
    assertThatThrownBy(() -> patch("application/strategic-merge-patch+json", PATCH_DEMO, """
        {"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate","rollingUpdate":null,"maxSurge":1}}}"""))
        .isInstanceOfSatisfying(PatchException.class, e -> assertThat(e.code()).isEqualTo(400))
        .hasMessageContaining("maxSurge");
  }

  @Test
  void scaleThroughTheScaleSubresourceWithAMergePatchSetsTheReplicas() {
    ObjectNode patched = Patches.apply("application/merge-patch+json", object("""
        {"apiVersion":"autoscaling/v1","kind":"Scale","metadata":{"name":"nginx-deployment"},"spec":{"replicas":2}}"""),
        body("""
        {"spec":{"replicas":3}}"""), "Scale");

    assertThat(patched.at("/spec/replicas").asInt()).isEqualTo(3);
  }
}
