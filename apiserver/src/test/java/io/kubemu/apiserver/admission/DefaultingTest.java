package io.kubemu.apiserver.admission;

import static io.kubemu.apiserver.admission.Manifests.type;
import static io.kubemu.apiserver.admission.Manifests.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubemu.apiserver.http.ApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DefaultingTest {
  private final Defaulting defaulting = new Defaulting();

  private ObjectNode defaulted(ObjectNode object) {
    defaulting.apply(type(object.path("kind").asText()), object);
    return object;
  }

  @Test
  void aPodWithOnlyANameAndAnImageGetsThePodSpecDefaultsOfARealCluster() {
    JsonNode spec = defaulted(Manifests.pod("nginx:1.25")).path("spec");
    assertThat(spec.path("restartPolicy").asText()).isEqualTo("Always");
    assertThat(spec.path("dnsPolicy").asText()).isEqualTo("ClusterFirst");
    assertThat(spec.path("schedulerName").asText()).isEqualTo("default-scheduler");
    assertThat(spec.path("terminationGracePeriodSeconds").asInt()).isEqualTo(30);
    assertThat(spec.path("securityContext").isObject()).isTrue();
    assertThat(spec.path("securityContext")).isEmpty();
    assertThat(spec.path("enableServiceLinks").asBoolean()).isTrue();
    JsonNode container = spec.path("containers").get(0);
    assertThat(container.path("imagePullPolicy").asText()).isEqualTo("IfNotPresent");
    assertThat(container.path("terminationMessagePath").asText()).isEqualTo("/dev/termination-log");
    assertThat(container.path("terminationMessagePolicy").asText()).isEqualTo("File");
    assertThat(container.path("resources").isObject()).isTrue();
  }

  @ParameterizedTest(name = "{0} is pulled {1}")
  @CsvSource({
      "nginx, Always",
      "nginx:latest, Always",
      "nginx:1.25, IfNotPresent",
      "docker.io/library/nginx:1.25, IfNotPresent",
      "localhost:5000/app, Always",
      "localhost:5000/app:v2, IfNotPresent",
      "nginx@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31, IfNotPresent",
      "nginx:latest@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31, Always"})
  void theImagePullPolicyFollowsTheTag(String image, String policy) {
    assertThat(defaulted(Manifests.pod(image)).path("spec").path("containers").get(0).path("imagePullPolicy").asText())
        .isEqualTo(policy);
  }

  @Test
  void portsProbesEnvAndVolumesGetTheirDefaults() {
    ObjectNode pod = defaulted(yaml("""
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
          - name: web
            image: nginx
            ports: [{containerPort: 80}]
            env:
            - name: POD_NAME
              valueFrom: {fieldRef: {fieldPath: metadata.name}}
            livenessProbe:
              httpGet: {port: 80}
            readinessProbe:
              tcpSocket: {port: 80}
              periodSeconds: 5
          volumes:
          - name: config
            configMap: {name: settings}
          - name: token
            secret: {secretName: token}
          - name: scratch
        """));
    JsonNode container = pod.path("spec").path("containers").get(0);
    assertThat(container.path("ports").get(0).path("protocol").asText()).isEqualTo("TCP");
    assertThat(container.path("env").get(0).path("valueFrom").path("fieldRef").path("apiVersion").asText())
        .isEqualTo("v1");
    JsonNode liveness = container.path("livenessProbe");
    assertThat(liveness.path("timeoutSeconds").asInt()).isEqualTo(1);
    assertThat(liveness.path("periodSeconds").asInt()).isEqualTo(10);
    assertThat(liveness.path("successThreshold").asInt()).isEqualTo(1);
    assertThat(liveness.path("failureThreshold").asInt()).isEqualTo(3);
    assertThat(liveness.path("httpGet").path("scheme").asText()).isEqualTo("HTTP");
    assertThat(liveness.path("httpGet").path("path").asText()).isEqualTo("/");
    assertThat(container.path("readinessProbe").path("periodSeconds").asInt()).as("set by the client").isEqualTo(5);
    JsonNode volumes = pod.path("spec").path("volumes");
    assertThat(volumes.get(0).path("configMap").path("defaultMode").asInt()).isEqualTo(420);
    assertThat(volumes.get(1).path("secret").path("defaultMode").asInt()).isEqualTo(420);
    assertThat(volumes.get(2).path("emptyDir").isObject()).isTrue();
  }

  @Test
  void aPodsRequestsDefaultToItsLimits() {
    ObjectNode pod = Manifests.pod("nginx");
    ((ObjectNode) pod.path("spec").path("containers").get(0)).putObject("resources").putObject("limits")
        .put("cpu", "500m").put("memory", "128Mi");
    JsonNode resources = defaulted(pod).path("spec").path("containers").get(0).path("resources");
    assertThat(resources.path("requests").path("cpu").asText()).isEqualTo("500m");
    assertThat(resources.path("requests").path("memory").asText()).isEqualTo("128Mi");
  }

  @Test
  void aQuantityThatIsNotOneCannotBeDecoded() {
    ObjectNode pod = Manifests.pod("nginx");
    ((ObjectNode) pod.path("spec").path("containers").get(0)).putObject("resources").putObject("limits")
        .put("cpu", "lots");
    assertThatThrownBy(() -> defaulted(pod)).isInstanceOfSatisfying(ApiException.class, e -> {
      assertThat(e.code()).isEqualTo(400);
      assertThat(e.getMessage()).startsWith("Pod in version \"v1\" cannot be handled as a Pod: quantities must match");
    });
  }

  @Test
  void aDeploymentFromKubectlCreateRollsOut25PercentAtATime() {
    JsonNode spec = defaulted(Manifests.deployment()).path("spec");
    assertThat(spec.path("strategy").path("type").asText()).isEqualTo("RollingUpdate");
    assertThat(spec.path("strategy").path("rollingUpdate").path("maxUnavailable").asText()).isEqualTo("25%");
    assertThat(spec.path("strategy").path("rollingUpdate").path("maxSurge").asText()).isEqualTo("25%");
    assertThat(spec.path("revisionHistoryLimit").asInt()).isEqualTo(10);
    assertThat(spec.path("progressDeadlineSeconds").asInt()).isEqualTo(600);
    JsonNode podSpec = spec.path("template").path("spec");
    assertThat(podSpec.path("restartPolicy").asText()).isEqualTo("Always");
    assertThat(podSpec.path("containers").get(0).path("imagePullPolicy").asText()).isEqualTo("Always");
    assertThat(podSpec.has("enableServiceLinks")).as("only Pods get it, not templates").isFalse();
  }

  @Test
  void defaultsNeverOverwriteWhatTheClientSet() {
    ObjectNode deployment = Manifests.deployment();
    ObjectNode spec = (ObjectNode) deployment.path("spec");
    spec.remove("replicas");
    spec.put("revisionHistoryLimit", 0);
    spec.putObject("strategy").put("type", "Recreate");
    JsonNode defaulted = defaulted(deployment).path("spec");
    assertThat(defaulted.path("replicas").asInt()).isEqualTo(1);
    assertThat(defaulted.path("revisionHistoryLimit").asInt()).isZero();
    assertThat(defaulted.path("strategy").has("rollingUpdate")).isFalse();
  }

  @Test
  void aServiceIsAClusterIpServiceWhosePortsTargetThemselves() {
    JsonNode spec = defaulted(Manifests.service("""
        selector: {app: web}
        ports:
        - port: 80
        - port: 443
          targetPort: https
        """)).path("spec");
    assertThat(spec.path("type").asText()).isEqualTo("ClusterIP");
    assertThat(spec.path("sessionAffinity").asText()).isEqualTo("None");
    assertThat(spec.path("internalTrafficPolicy").asText()).isEqualTo("Cluster");
    assertThat(spec.has("externalTrafficPolicy")).isFalse();
    assertThat(spec.has("clusterIP")).as("allocating it is not defaulting").isFalse();
    assertThat(spec.path("ports").get(0).path("protocol").asText()).isEqualTo("TCP");
    assertThat(spec.path("ports").get(0).path("targetPort").asInt()).isEqualTo(80);
    assertThat(spec.path("ports").get(1).path("targetPort").asText()).isEqualTo("https");
  }

  @Test
  void aNodePortServiceKeepsTrafficOnAnyNodeAndAClientIpAffinityLastsThreeHours() {
    JsonNode spec = defaulted(Manifests.service("""
        type: NodePort
        sessionAffinity: ClientIP
        ports: [{port: 80}]
        """)).path("spec");
    assertThat(spec.path("externalTrafficPolicy").asText()).isEqualTo("Cluster");
    assertThat(spec.path("sessionAffinityConfig").path("clientIP").path("timeoutSeconds").asInt()).isEqualTo(10800);
  }

  @Test
  void aSecretsStringDataIsStoredBase64InDataAndItsTypeIsOpaque() {
    JsonNode secret = defaulted(yaml("""
        apiVersion: v1
        kind: Secret
        metadata: {name: token}
        data: {a: YQ==}
        stringData: {b: bee}
        """));
    assertThat(secret.path("type").asText()).isEqualTo("Opaque");
    assertThat(secret.path("data").path("a").asText()).isEqualTo("YQ==");
    assertThat(secret.path("data").path("b").asText()).isEqualTo("YmVl");
    assertThat(secret.has("stringData")).isFalse();
  }

  @Test
  void endpointSlicePortsAreTcpAndNamedEvenWhenTheNameIsEmpty() {
    JsonNode slice = defaulted(yaml("""
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata: {name: web-abc}
        addressType: IPv4
        ports: [{port: 80}]
        """));
    assertThat(slice.path("ports").get(0).path("protocol").asText()).isEqualTo("TCP");
    assertThat(slice.path("ports").get(0).path("name").isTextual()).isTrue();
  }
}
