package io.kubemu.apiserver.admission;

import static io.kubemu.apiserver.admission.Manifests.type;
import static io.kubemu.apiserver.admission.Manifests.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubemu.apiserver.http.ApiException;
import io.kubemu.apiserver.resource.ResourceType;
import org.junit.jupiter.api.Test;

/** The whole admission chain on create and update: defaults, plugins, the Service strategy, validation. */
class AdmissionTest {
  private final Admission admission = new Admission();

  private ObjectNode created(ObjectNode object) {
    ResourceType type = type(object.path("kind").asText());
    admission.admit(type, object, null);
    admission.validateCreate(type, object);
    return object;
  }

  private ObjectNode updated(ObjectNode object, JsonNode old) {
    ResourceType type = type(object.path("kind").asText());
    admission.admit(type, object, old);
    admission.validateUpdate(type, object, old);
    return object;
  }

  private static ApiException refused(Runnable write) {
    try {
      write.run();
    } catch (ApiException e) {
      return e;
    }
    throw new AssertionError("the write was not refused");
  }

  @Test
  void aNewPodRunsAsTheDefaultServiceAccountWithPriorityZeroAndToleratesFiveMinutesOfNodeTrouble() {
    JsonNode spec = created(Manifests.pod("nginx")).path("spec");
    assertThat(spec.path("serviceAccountName").asText()).isEqualTo("default");
    assertThat(spec.path("serviceAccount").asText()).isEqualTo("default");
    assertThat(spec.path("priority").asInt()).isZero();
    assertThat(spec.path("preemptionPolicy").asText()).isEqualTo("PreemptLowerPriority");
    assertThat(spec.path("tolerations")).hasSize(2);
    assertThat(spec.path("tolerations").get(0).toString()).isEqualTo("{\"key\":\"node.kubernetes.io/not-ready\","
        + "\"operator\":\"Exists\",\"effect\":\"NoExecute\",\"tolerationSeconds\":300}");
    assertThat(spec.path("tolerations").get(1).path("key").asText()).isEqualTo("node.kubernetes.io/unreachable");
  }

  @Test
  void aPodThatAlreadyToleratesNodeTroubleKeepsItsOwnTolerations() {
    ObjectNode pod = Manifests.pod("nginx");
    ((ObjectNode) pod.path("spec")).putArray("tolerations").addObject()
        .put("key", "node.kubernetes.io/unreachable").put("operator", "Exists").put("effect", "NoExecute")
        .put("tolerationSeconds", 5);
    JsonNode tolerations = created(pod).path("spec").path("tolerations");
    assertThat(tolerations).hasSize(2);
    assertThat(tolerations.get(0).path("tolerationSeconds").asInt()).isEqualTo(5);
    assertThat(tolerations.get(1).path("key").asText()).isEqualTo("node.kubernetes.io/not-ready");
  }

  @Test
  void theDefaultTolerationSecondsComeFromTheApiserverFlags() {
    Admission configured = new Admission(30, 120);
    ObjectNode pod = Manifests.pod("nginx");
    ResourceType type = type("Pod");
    configured.admit(type, pod, null);
    JsonNode tolerations = pod.path("spec").path("tolerations");
    assertThat(tolerations).hasSize(2);
    assertThat(tolerations.get(0).path("key").asText()).isEqualTo("node.kubernetes.io/not-ready");
    assertThat(tolerations.get(0).path("tolerationSeconds").asLong()).isEqualTo(30);
    assertThat(tolerations.get(1).path("key").asText()).isEqualTo("node.kubernetes.io/unreachable");
    assertThat(tolerations.get(1).path("tolerationSeconds").asLong()).isEqualTo(120);
  }

  @Test
  void aPodOfAnUnknownPriorityClassIsForbidden() {
    ObjectNode pod = Manifests.pod("nginx");
    ((ObjectNode) pod.path("spec")).put("priorityClassName", "urgent");
    ApiException refused = refused(() -> created(pod));
    assertThat(refused.code()).isEqualTo(403);
    assertThat(refused.getMessage()).isEqualTo("pods \"web\" is forbidden: no PriorityClass with name urgent was found");
  }

  @Test
  void anInvalidPodIsRefusedWithKubernetesMessageAndCauses() {
    ObjectNode pod = yaml("""
        apiVersion: v1
        kind: Pod
        metadata: {name: bad, namespace: default}
        spec:
          dnsPolicy: Cluster
          containers: [{name: web}]
        """);
    ObjectNode status = refused(() -> created(pod)).toStatus();
    assertThat(status.path("code").asInt()).isEqualTo(422);
    assertThat(status.path("reason").asText()).isEqualTo("Invalid");
    assertThat(status.path("message").asText()).isEqualTo("Pod \"bad\" is invalid: [spec.containers[0].image: "
        + "Required value, spec.dnsPolicy: Unsupported value: \"Cluster\": supported values: "
        + "\"ClusterFirstWithHostNet\", \"ClusterFirst\", \"Default\", \"None\"]");
    assertThat(status.path("details").path("kind").asText()).isEqualTo("Pod");
    assertThat(status.path("details").path("name").asText()).isEqualTo("bad");
    JsonNode cause = status.path("details").path("causes").get(0);
    assertThat(cause.path("reason").asText()).isEqualTo("FieldValueRequired");
    assertThat(cause.path("field").asText()).isEqualTo("spec.containers[0].image");
    assertThat(cause.path("message").asText()).isEqualTo("Required value");
  }

  @Test
  void oneProblemIsReportedWithoutBracketsAndAnAppsKindWithItsGroup() {
    ObjectNode deployment = Manifests.deployment();
    ((ObjectNode) deployment.path("spec")).put("replicas", -1);
    ObjectNode status = refused(() -> created(deployment)).toStatus();
    assertThat(status.path("message").asText())
        .isEqualTo("Deployment.apps \"web\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0");
    assertThat(status.path("details").path("group").asText()).isEqualTo("apps");
    assertThat(status.path("details").path("kind").asText()).isEqualTo("Deployment");
  }

  @Test
  void aPodsImageMayChangeButNotItsRestartPolicy() {
    ObjectNode stored = created(Manifests.pod("nginx:1.25"));
    ObjectNode newImage = stored.deepCopy();
    ((ObjectNode) newImage.path("spec").path("containers").get(0)).put("image", "nginx:1.27");
    assertThat(updated(newImage, stored).path("spec").path("containers").get(0).path("image").asText())
        .isEqualTo("nginx:1.27");

    ObjectNode neverRestart = stored.deepCopy();
    ((ObjectNode) neverRestart.path("spec")).put("restartPolicy", "Never");
    ApiException refused = refused(() -> updated(neverRestart, stored));
    assertThat(refused.getMessage()).startsWith("Pod \"web\" is invalid: spec: Forbidden: pod updates may not change "
        + "fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,"
        + "`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it "
        + "to be set to 1 if it was previously negative)\n");
    assertThat(refused.getMessage()).contains("- spec.restartPolicy: \"Always\"", "+ spec.restartPolicy: \"Never\"");
  }

  @Test
  void aDeploymentsSelectorIsImmutable() {
    ObjectNode stored = created(Manifests.deployment());
    ObjectNode moved = stored.deepCopy();
    ((ObjectNode) moved.path("spec").path("selector").path("matchLabels")).put("app", "api");
    ((ObjectNode) moved.path("spec").path("template").path("metadata").path("labels")).put("app", "api");
    assertThat(refused(() -> updated(moved, stored)).getMessage()).isEqualTo("Deployment.apps \"web\" is invalid: "
        + "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"api\"}, "
        + "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable");
  }

  @Test
  void aServiceIsSingleStackIpv4UnlessItIsHeadlessWithoutASelector() {
    JsonNode spec = created(Manifests.service("ports: [{port: 80}]")).path("spec");
    assertThat(spec.path("ipFamilyPolicy").asText()).isEqualTo("SingleStack");
    assertThat(spec.path("ipFamilies").toString()).isEqualTo("[\"IPv4\"]");

    JsonNode headless = created(Manifests.service("clusterIP: None")).path("spec");
    assertThat(headless.path("clusterIPs").toString()).isEqualTo("[\"None\"]");
    assertThat(headless.path("ipFamilyPolicy").asText()).isEqualTo("RequireDualStack");
    assertThat(headless.path("ipFamilies").toString()).isEqualTo("[\"IPv4\",\"IPv6\"]");
  }

  @Test
  void aServiceResentWithoutItsClusterIpKeepsItButMayNotChangeIt() {
    ObjectNode stored = created(Manifests.service("clusterIP: 10.43.0.10\nports: [{port: 80}]"));
    assertThat(stored.path("spec").path("clusterIPs").toString()).isEqualTo("[\"10.43.0.10\"]");

    JsonNode resent = updated(Manifests.service("ports: [{port: 80}]"), stored).path("spec");
    assertThat(resent.path("clusterIP").asText()).isEqualTo("10.43.0.10");
    assertThat(resent.path("clusterIPs").toString()).isEqualTo("[\"10.43.0.10\"]");

    ApiException refused = refused(() -> updated(Manifests.service("clusterIP: 10.43.0.11\nports: [{port: 80}]"),
        stored));
    assertThat(refused.getMessage()).isEqualTo("Service \"web\" is invalid: spec.clusterIPs[0]: Invalid value: "
        + "[]string{\"10.43.0.11\"}: may not change once set");
  }

  @Test
  void aServiceThatStopsBeingANodePortDropsItsNodePortsAndExternalPolicy() {
    ObjectNode stored = created(Manifests.service("type: NodePort\nclusterIP: 10.43.0.12\nports: [{port: 80, nodePort: 30080}]"));
    ObjectNode clusterIp = stored.deepCopy();
    ((ObjectNode) clusterIp.path("spec")).put("type", "ClusterIP");
    JsonNode spec = updated(clusterIp, stored).path("spec");
    assertThat(spec.path("ports").get(0).has("nodePort")).isFalse();
    assertThat(spec.has("externalTrafficPolicy")).isFalse();
  }

  @Test
  void theStatusOfAWorkloadCannotCountMorePodsThanItHas() {
    ObjectNode stored = created(Manifests.deployment());
    ObjectNode withStatus = stored.deepCopy();
    withStatus.putObject("status").put("replicas", 1).put("readyReplicas", 2);
    ApiException refused = refused(() -> admission.validateStatusUpdate(type("Deployment"), withStatus, stored));
    assertThat(refused.getMessage()).isEqualTo("Deployment.apps \"web\" is invalid: status.readyReplicas: "
        + "Invalid value: 2: cannot be greater than status.replicas");
  }

  @Test
  void aStrangeShapeIsAnErrorNotACrash() {
    ObjectNode pod = yaml("""
        apiVersion: v1
        kind: Pod
        metadata: {name: odd, namespace: default}
        spec:
          containers: nginx
          volumes: [3]
          tolerations: {}
        """);
    assertThat(refused(() -> created(pod)).code()).isEqualTo(422);
  }
}
