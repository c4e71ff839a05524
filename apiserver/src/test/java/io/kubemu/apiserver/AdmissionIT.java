package io.kubemu.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Admission in the real apiserver over a real store: what comes back (and stays) is defaulted
 * as in a real cluster, what is invalid is refused with kube-apiserver's 422 and never stored,
 * and the real kubectl prints both as it prints them for a real cluster.
 */
class AdmissionIT {
  @RegisterExtension
  static final ControlPlane cluster = new ControlPlane();

  @Test
  void aPodCreatedWithOnlyANameAndAnImageComesBackAndStaysWithKubernetesDefaults() throws Exception {
    ApiClient.Reply created = cluster.api().send("POST", "/api/v1/namespaces/default/pods", ApiClient.pod("defaulted"));
    assertThat(created.code()).isEqualTo(201);
    JsonNode spec = created.body().path("spec");
    assertThat(spec.path("restartPolicy").asText()).isEqualTo("Always");
    assertThat(spec.path("dnsPolicy").asText()).isEqualTo("ClusterFirst");
    assertThat(spec.path("schedulerName").asText()).isEqualTo("default-scheduler");
    assertThat(spec.path("terminationGracePeriodSeconds").asInt()).isEqualTo(30);
    assertThat(spec.path("enableServiceLinks").asBoolean()).isTrue();
    assertThat(spec.path("serviceAccountName").asText()).isEqualTo("default");
    assertThat(spec.path("priority").asInt()).isZero();
    assertThat(spec.path("preemptionPolicy").asText()).isEqualTo("PreemptLowerPriority");
    assertThat(spec.path("tolerations").findValuesAsText("key"))
        .containsExactly("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable");
    JsonNode container = spec.path("containers").get(0);
    assertThat(container.path("imagePullPolicy").asText()).isEqualTo("IfNotPresent");
    assertThat(container.path("terminationMessagePath").asText()).isEqualTo("/dev/termination-log");
    assertThat(container.path("terminationMessagePolicy").asText()).isEqualTo("File");
    assertThat(created.body().path("status").path("qosClass").asText()).isEqualTo("BestEffort");
    assertThat(cluster.api().get("/api/v1/namespaces/default/pods/defaulted").body()).isEqualTo(created.body());
  }

  @Test
  void anInvalidPodIsRefusedWithEveryCauseAndNeverStored() throws Exception {
    ObjectNode pod = ApiClient.pod("Bad_Pod");
    ((ObjectNode) pod.path("spec").path("containers").get(0)).remove("image");
    ApiClient.Reply refused = cluster.api().send("POST", "/api/v1/namespaces/default/pods", pod);
    ApiClient.assertStatus(refused, 422, "Invalid");
    assertThat(refused.body().path("message").asText()).isEqualTo("Pod \"Bad_Pod\" is invalid: ["
        + "metadata.name: Invalid value: \"Bad_Pod\": a lowercase RFC 1123 subdomain must consist of lower case "
        + "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. "
        + "'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*'), "
        + "spec.containers[0].image: Required value]");
    JsonNode causes = refused.body().path("details").path("causes");
    assertThat(causes.findValuesAsText("field")).containsExactly("metadata.name", "spec.containers[0].image");
    assertThat(causes.findValuesAsText("reason")).containsExactly("FieldValueInvalid", "FieldValueRequired");
    assertThat(refused.body().path("details").path("kind").asText()).isEqualTo("Pod");
    ApiClient.assertStatus(cluster.api().get("/api/v1/namespaces/default/pods/Bad_Pod"), 404, "NotFound");
  }

  @Test
  void anInvalidUpdateOrPatchChangesNothing() throws Exception {
    JsonNode created = cluster.api().send("POST", "/api/v1/namespaces/default/services", service("web")).body();
    ObjectNode noPorts = created.deepCopy();
    ((ObjectNode) noPorts.path("spec")).remove("ports");
    ApiClient.Reply refused = cluster.api().send("PUT", "/api/v1/namespaces/default/services/web", noPorts);
    ApiClient.assertStatus(refused, 422, "Invalid");
    assertThat(refused.body().path("message").asText()).isEqualTo("Service \"web\" is invalid: spec.ports: Required value");

    ApiClient.Reply patched = cluster.api().sendRaw("PATCH", "/api/v1/namespaces/default/services/web",
        "application/merge-patch+json", "{\"spec\":{\"type\":\"Balanced\"}}");
    ApiClient.assertStatus(patched, 422, "Invalid");
    assertThat(cluster.api().get("/api/v1/namespaces/default/services/web").body()).isEqualTo(created);
  }

  @Test
  void aDeploymentsSelectorCannotChange() throws Exception {
    JsonNode created = cluster.api().send("POST", "/apis/apps/v1/namespaces/default/deployments",
        ApiClient.deployment("pinned", "nginx:1.25")).body();
    ApiClient.Reply refused = cluster.api().sendRaw("PATCH", "/apis/apps/v1/namespaces/default/deployments/pinned",
        "application/strategic-merge-patch+json", "{\"spec\":{\"selector\":{\"matchLabels\":{\"app\":\"moved\"}},"
            + "\"template\":{\"metadata\":{\"labels\":{\"app\":\"moved\"}}}}}");
    ApiClient.assertStatus(refused, 422, "Invalid");
    assertThat(refused.body().path("message").asText()).isEqualTo("Deployment.apps \"pinned\" is invalid: "
        + "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"moved\"}, "
        + "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable");
    assertThat(refused.body().path("details").path("causes").get(0).path("field").asText()).isEqualTo("spec.selector");
    assertThat(cluster.api().get("/apis/apps/v1/namespaces/default/deployments/pinned").body()).isEqualTo(created);
  }

  @Test
  void kubectlDescribeShowsTheRolloutStrategyTheServerDefaulted() throws Exception {
    assertThat(cluster.kubectl().run("create", "deployment", "described", "--image=nginx:1.25").out())
        .contains("deployment.apps/described created");
    Kubectl.Run described = cluster.kubectl().run("describe", "deployment", "described");
    assertThat(described.code()).as(described.out()).isZero();
    assertThat(described.out().lines()).contains(
        "StrategyType:           RollingUpdate",
        "MinReadySeconds:        0",
        "RollingUpdateStrategy:  25% max unavailable, 25% max surge");
    assertThat(cluster.kubectl().run("get", "deployment", "described", "-o",
        "jsonpath={.spec.revisionHistoryLimit} {.spec.progressDeadlineSeconds} "
            + "{.spec.template.spec.containers[0].imagePullPolicy}").out()).isEqualTo("10 600 IfNotPresent");
  }

  @Test
  void kubectlApplyOfAnInvalidManifestPrintsKubectlsMessageAndFails() throws Exception {
    Path manifest = cluster.kubectl().file("mismatched.yaml", """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: mismatched
        spec:
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: api}
            spec:
              containers:
              - name: web
                image: nginx:1.25
        """);
    Kubectl.Run refused = cluster.kubectl().run("apply", "-f", manifest.toString());
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.out().strip()).isEqualTo("The Deployment \"mismatched\" is invalid: "
        + "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"api\"}: "
        + "`selector` does not match template `labels`");
    assertThat(cluster.kubectl().run("get", "deployment", "mismatched").out()).contains("NotFound");
  }

  @Test
  void kubectlSetImageChangesARunningPodsImageButAnyOtherChangeIsForbidden() throws Exception {
    cluster.api().send("POST", "/api/v1/namespaces/default/pods", ApiClient.pod("running"));
    assertThat(cluster.kubectl().run("set", "image", "pod/running", "app=kubemu/httpd:2").out()).contains("image updated");
    assertThat(cluster.kubectl().run("get", "pod", "running", "-o", "jsonpath={.spec.containers[0].image}").out())
        .isEqualTo("kubemu/httpd:2");

    Kubectl.Run refused = cluster.kubectl().run("patch", "pod", "running", "-p", "{\"spec\":{\"restartPolicy\":\"Never\"}}");
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.out()).startsWith("The Pod \"running\" is invalid: spec: Forbidden: pod updates may not change "
        + "fields other than `spec.containers[*].image`");
  }

  private static ObjectNode service(String name) {
    ObjectNode service = ApiClient.json.createObjectNode().put("apiVersion", "v1").put("kind", "Service");
    service.putObject("metadata").put("name", name);
    ObjectNode spec = service.putObject("spec");
    spec.putObject("selector").put("app", name);
    spec.putArray("ports").addObject().put("port", 80);
    return service;
  }
}
