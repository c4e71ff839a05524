package io.kubemu.apiserver.protobuf;

import static io.kubemu.apiserver.protobuf.KubectlCapturedBodiesTest.fixture;
import static io.kubemu.apiserver.protobuf.KubectlWire.body;
import static io.kubemu.apiserver.protobuf.KubectlWire.withGoZeros;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import com.google.protobuf.UnknownFieldSet;
import io.kubemu.apiserver.protobuf.ProtobufBodyException.Problem;
import io.kubemu.apiserver.protobuf.k8s.api.apps.v1.Deployment;
import io.kubemu.apiserver.protobuf.k8s.api.apps.v1.DeploymentSpec;
import io.kubemu.apiserver.protobuf.k8s.api.apps.v1.DeploymentStatus;
import io.kubemu.apiserver.protobuf.k8s.api.apps.v1.DeploymentStrategy;
import io.kubemu.apiserver.protobuf.k8s.api.apps.v1.ReplicaSet;
import io.kubemu.apiserver.protobuf.k8s.api.apps.v1.ReplicaSetSpec;
import io.kubemu.apiserver.protobuf.k8s.api.apps.v1.RollingUpdateDeployment;
import io.kubemu.apiserver.protobuf.k8s.api.autoscaling.v1.Scale;
import io.kubemu.apiserver.protobuf.k8s.api.autoscaling.v1.ScaleSpec;
import io.kubemu.apiserver.protobuf.k8s.api.coordination.v1.Lease;
import io.kubemu.apiserver.protobuf.k8s.api.coordination.v1.LeaseSpec;
import io.kubemu.apiserver.protobuf.k8s.api.core.v1.Binding;
import io.kubemu.apiserver.protobuf.k8s.api.core.v1.ConfigMap;
import io.kubemu.apiserver.protobuf.k8s.api.core.v1.Container;
import io.kubemu.apiserver.protobuf.k8s.api.core.v1.EndpointAddress;
import io.kubemu.apiserver.protobuf.k8s.api.core.v1.EndpointSubset;
import io.kubemu.apiserver.protobuf.k8s.api.core.v1.Endpoints;
import io.kubemu.apiserver.protobuf.k8s.api.core.v1.Event;
import io.kubemu.apiserver.protobuf.k8s.api.core.v1.EventSeries;
import io.kubemu.apiserver.protobuf.k8s.api.core.v1.EventSource;
import io.kubemu.apiserver.protobuf.k8s.api.core.v1.LoadBalancerStatus;
import io.kubemu.apiserver.protobuf.k8s.api.core.v1.Namespace;
import io.kubemu.apiserver.protobuf.k8s.api.core.v1.NamespaceSpec;
import io.kubemu.apiserver.protobuf.k8s.api.core.v1.NamespaceStatus;
import io.kubemu.apiserver.protobuf.k8s.api.core.v1.Node;
import io.kubemu.apiserver.protobuf.k8s.api.core.v1.NodeCondition;
import io.kubemu.apiserver.protobuf.k8s.api.core.v1.NodeSpec;
import io.kubemu.apiserver.protobuf.k8s.api.core.v1.NodeStatus;
import io.kubemu.apiserver.protobuf.k8s.api.core.v1.ObjectReference;
import io.kubemu.apiserver.protobuf.k8s.api.core.v1.Pod;
import io.kubemu.apiserver.protobuf.k8s.api.core.v1.PodSpec;
import io.kubemu.apiserver.protobuf.k8s.api.core.v1.PodStatus;
import io.kubemu.apiserver.protobuf.k8s.api.core.v1.PodTemplateSpec;
import io.kubemu.apiserver.protobuf.k8s.api.core.v1.ResourceRequirements;
import io.kubemu.apiserver.protobuf.k8s.api.core.v1.Secret;
import io.kubemu.apiserver.protobuf.k8s.api.core.v1.Service;
import io.kubemu.apiserver.protobuf.k8s.api.core.v1.ServiceAccount;
import io.kubemu.apiserver.protobuf.k8s.api.core.v1.ServicePort;
import io.kubemu.apiserver.protobuf.k8s.api.core.v1.ServiceSpec;
import io.kubemu.apiserver.protobuf.k8s.api.core.v1.ServiceStatus;
import io.kubemu.apiserver.protobuf.k8s.api.discovery.v1.Endpoint;
import io.kubemu.apiserver.protobuf.k8s.api.discovery.v1.EndpointConditions;
import io.kubemu.apiserver.protobuf.k8s.api.discovery.v1.EndpointPort;
import io.kubemu.apiserver.protobuf.k8s.api.discovery.v1.EndpointSlice;
import io.kubemu.apiserver.protobuf.k8s.api.policy.v1.Eviction;
import io.kubemu.apiserver.protobuf.k8s.apimachinery.intstr.IntOrString;
import io.kubemu.apiserver.protobuf.k8s.apimachinery.meta.v1.DeleteOptions;
import io.kubemu.apiserver.protobuf.k8s.apimachinery.meta.v1.FieldsV1;
import io.kubemu.apiserver.protobuf.k8s.apimachinery.meta.v1.LabelSelector;
import io.kubemu.apiserver.protobuf.k8s.apimachinery.meta.v1.ManagedFieldsEntry;
import io.kubemu.apiserver.protobuf.k8s.apimachinery.meta.v1.MicroTime;
import io.kubemu.apiserver.protobuf.k8s.apimachinery.meta.v1.ObjectMeta;
import io.kubemu.apiserver.protobuf.k8s.apimachinery.meta.v1.Preconditions;
import io.kubemu.apiserver.protobuf.k8s.apimachinery.meta.v1.Time;
import io.kubemu.apiserver.protobuf.k8s.apimachinery.resource.Quantity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bodies built in the test from the protobuf types, wrapped and zero-filled the way kubectl 1.33
 * does it, read back as the JSON kubectl would have sent.
 */
class KubeProtobufTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** 2024-01-02T03:04:05Z */
  private static final long JAN_2_2024 = 1_704_164_645L;

  // What kubectl create / run / delete send.

  @Test
  void kubectlCreateDeploymentNginx() throws IOException {
    Deployment deployment = withGoZeros(Deployment.newBuilder()
        .setMetadata(created("nginx").putLabels("app", "nginx"))
        .setSpec(DeploymentSpec.newBuilder()
            .setReplicas(1)
            .setSelector(LabelSelector.newBuilder().putMatchLabels("app", "nginx"))
            .setTemplate(PodTemplateSpec.newBuilder()
                .setMetadata(created("").putLabels("app", "nginx"))
                .setSpec(PodSpec.newBuilder().addContainers(container("nginx", "nginx"))))
            .setStrategy(DeploymentStrategy.getDefaultInstance()))
        .setStatus(DeploymentStatus.getDefaultInstance())).build();

    byte[] body = body("apps/v1", "Deployment", deployment);

    assertThat(body).isEqualTo(fixture("create-deployment-nginx.pb"));
    assertThat(KubeProtobuf.toJson(body)).isEqualTo(json("""
        {"kind":"Deployment","apiVersion":"apps/v1",
         "metadata":{"name":"nginx","creationTimestamp":null,"labels":{"app":"nginx"}},
         "spec":{"replicas":1,"selector":{"matchLabels":{"app":"nginx"}},
                 "template":{"metadata":{"creationTimestamp":null,"labels":{"app":"nginx"}},
                             "spec":{"containers":[{"name":"nginx","image":"nginx","resources":{}}]}},
                 "strategy":{}},
         "status":{}}"""));
  }

  @Test
  void kubectlCreateNamespace() throws IOException {
    Namespace namespace = withGoZeros(Namespace.newBuilder()
        .setMetadata(created("x"))
        .setSpec(NamespaceSpec.getDefaultInstance())
        .setStatus(NamespaceStatus.getDefaultInstance())).build();

    byte[] body = body("v1", "Namespace", namespace);

    assertThat(body).isEqualTo(fixture("create-namespace-x.pb"));
    assertThat(KubeProtobuf.toJson(body)).isEqualTo(json("""
        {"kind":"Namespace","apiVersion":"v1","metadata":{"name":"x","creationTimestamp":null},"spec":{},"status":{}}"""));
  }

  @Test
  void kubectlCreateServiceClusterIp() throws IOException {
    Service service = withGoZeros(Service.newBuilder()
        .setMetadata(created("s").putLabels("app", "s"))
        .setSpec(ServiceSpec.newBuilder()
            .addPorts(ServicePort.newBuilder().setName("80-8080").setProtocol("TCP").setPort(80)
                .setTargetPort(IntOrString.newBuilder().setIntVal(8080)))
            .putSelector("app", "s")
            .setType("ClusterIP"))
        .setStatus(ServiceStatus.newBuilder().setLoadBalancer(LoadBalancerStatus.getDefaultInstance()))).build();

    byte[] body = body("v1", "Service", service);

    assertThat(body).isEqualTo(fixture("create-service-clusterip-s.pb"));
    assertThat(KubeProtobuf.toJson(body)).isEqualTo(json("""
        {"kind":"Service","apiVersion":"v1","metadata":{"name":"s","creationTimestamp":null,"labels":{"app":"s"}},
         "spec":{"ports":[{"name":"80-8080","protocol":"TCP","port":80,"targetPort":8080}],
                 "selector":{"app":"s"},"type":"ClusterIP"},
         "status":{"loadBalancer":{}}}"""));
  }

  @Test
  void kubectlCreateConfigMapFromLiteral() throws IOException {
    ConfigMap configMap = withGoZeros(ConfigMap.newBuilder()
        .setMetadata(created("c"))
        .putData("a", "b")).build();

    byte[] body = body("v1", "ConfigMap", configMap);

    assertThat(body).isEqualTo(fixture("create-configmap-c.pb"));
    assertThat(KubeProtobuf.toJson(body)).isEqualTo(json("""
        {"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"c","creationTimestamp":null},"data":{"a":"b"}}"""));
  }

  @Test
  void kubectlCreateSecretGenericFromLiteralCarriesTheValueInBase64() throws IOException {
    Secret secret = withGoZeros(Secret.newBuilder()
        .setMetadata(created("s"))
        .putData("a", ByteString.copyFromUtf8("b"))).build();

    byte[] body = body("v1", "Secret", secret);

    assertThat(body).isEqualTo(fixture("create-secret-generic-s.pb"));
    assertThat(KubeProtobuf.toJson(body)).isEqualTo(json("""
        {"kind":"Secret","apiVersion":"v1","metadata":{"name":"s","creationTimestamp":null},"data":{"a":"Yg=="}}"""));
  }

  /** kubectl 1.33 sends this one as JSON (kubectl-1.33/run-p.json); a typed client sends it as protobuf. */
  @Test
  void kubectlRunPod() throws IOException {
    Pod pod = withGoZeros(Pod.newBuilder()
        .setMetadata(created("p").putLabels("run", "p"))
        .setSpec(PodSpec.newBuilder()
            .addContainers(container("p", "nginx"))
            .setRestartPolicy("Always")
            .setDnsPolicy("ClusterFirst"))
        .setStatus(PodStatus.getDefaultInstance())).build();

    JsonNode json = KubeProtobuf.toJson(body("v1", "Pod", pod));

    assertThat(json).isEqualTo(MAPPER.readTree(fixture("run-p.json")));
  }

  @Test
  void deleteOptionsWithBackgroundPropagation() throws IOException {
    DeleteOptions options = withGoZeros(DeleteOptions.newBuilder().setPropagationPolicy("Background")).build();

    JsonNode json = KubeProtobuf.toJson(body("v1", "DeleteOptions", options));

    assertThat(json).isEqualTo(json("""
        {"kind":"DeleteOptions","apiVersion":"v1","propagationPolicy":"Background"}"""));
  }

  @Test
  void deleteOptionsAreReadUnderTheGroupVersionOfTheResource() throws IOException {
    DeleteOptions options = DeleteOptions.newBuilder()
        .setPropagationPolicy("Foreground")
        .setPreconditions(Preconditions.newBuilder().setUid("6f1c").setResourceVersion("42"))
        .addDryRun("All")
        .build();

    JsonNode json = KubeProtobuf.toJson(body("apps/v1", "DeleteOptions", options));

    assertThat(json).isEqualTo(json("""
        {"kind":"DeleteOptions","apiVersion":"apps/v1","propagationPolicy":"Foreground",
         "preconditions":{"uid":"6f1c","resourceVersion":"42"},"dryRun":["All"]}"""));
  }

  @Test
  void drainEvictionWithItsDeleteOptions() throws IOException {
    Eviction eviction = withGoZeros(Eviction.newBuilder()
        .setMetadata(created("p").setNamespace("default"))
        .setDeleteOptions(DeleteOptions.getDefaultInstance())).build();

    JsonNode json = KubeProtobuf.toJson(body("policy/v1", "Eviction", eviction));

    // What kubectl drain sends as JSON.
    assertThat(json).isEqualTo(json("""
        {"kind":"Eviction","apiVersion":"policy/v1",
         "metadata":{"name":"p","namespace":"default","creationTimestamp":null},"deleteOptions":{}}"""));
  }

  // The Go JSON rules.

  @Test
  void zeroIsKeptForGoPointersAndLeftOutForPlainValues() throws IOException {
    Deployment deployment = withGoZeros(Deployment.newBuilder()
        .setMetadata(created("zero"))
        .setSpec(DeploymentSpec.newBuilder()
            .setReplicas(0)
            .setRevisionHistoryLimit(0)
            .setTemplate(PodTemplateSpec.newBuilder()
                .setMetadata(created(""))
                .setSpec(PodSpec.newBuilder()
                    .addContainers(container("nginx", "nginx"))
                    .setAutomountServiceAccountToken(false)
                    .setTerminationGracePeriodSeconds(0)))
            .setStrategy(DeploymentStrategy.getDefaultInstance()))
        .setStatus(DeploymentStatus.getDefaultInstance())).build();

    ObjectNode json = KubeProtobuf.toJson(body("apps/v1", "Deployment", deployment));

    assertThat(json.at("/spec/replicas").isInt()).isTrue();
    assertThat(json.at("/spec/replicas").intValue()).isZero();
    assertThat(json.at("/spec/revisionHistoryLimit").intValue()).isZero();
    assertThat(json.at("/spec/template/spec/automountServiceAccountToken").isBoolean()).isTrue();
    assertThat(json.at("/spec/template/spec/terminationGracePeriodSeconds").isInt()).isTrue();
    // Plain values that Go wrote as zeros: minReadySeconds, paused, hostNetwork, nodeName, ...
    assertThat(keys(json.get("spec"))).doesNotContain("minReadySeconds", "paused", "progressDeadlineSeconds");
    assertThat(keys(json.at("/spec/template/spec"))).doesNotContain("hostNetwork", "nodeName", "restartPolicy");
    assertThat(keys(json.get("metadata"))).doesNotContain("namespace", "uid", "generation", "resourceVersion");
  }

  @Test
  void timesAreRfc3339InSecondsAndMicroTimesKeepMicroseconds() throws IOException {
    Lease lease = withGoZeros(Lease.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setName("node-1").setNamespace("kube-node-lease")
            .setCreationTimestamp(Time.newBuilder().setSeconds(JAN_2_2024).setNanos(999_000_000))
            .setDeletionTimestamp(Time.newBuilder().setSeconds(0).setNanos(0)))
        .setSpec(LeaseSpec.newBuilder()
            .setHolderIdentity("node-1")
            .setLeaseDurationSeconds(40)
            .setAcquireTime(MicroTime.newBuilder().setSeconds(JAN_2_2024))
            .setRenewTime(MicroTime.newBuilder().setSeconds(JAN_2_2024).setNanos(123_456_789)))).build();

    JsonNode json = KubeProtobuf.toJson(body("coordination.k8s.io/v1", "Lease", lease));

    assertThat(json).isEqualTo(json("""
        {"kind":"Lease","apiVersion":"coordination.k8s.io/v1",
         "metadata":{"name":"node-1","namespace":"kube-node-lease",
                     "creationTimestamp":"2024-01-02T03:04:05Z","deletionTimestamp":"1970-01-01T00:00:00Z"},
         "spec":{"holderIdentity":"node-1","leaseDurationSeconds":40,
                 "acquireTime":"2024-01-02T03:04:05.000000Z","renewTime":"2024-01-02T03:04:05.123456Z"}}"""));
  }

  @Test
  void intOrStringIsANumberOrAStringAndQuantitiesAreStrings() throws IOException {
    Deployment deployment = withGoZeros(Deployment.newBuilder()
        .setMetadata(created("web"))
        .setSpec(DeploymentSpec.newBuilder()
            .setReplicas(2)
            .setTemplate(PodTemplateSpec.newBuilder()
                .setMetadata(created(""))
                .setSpec(PodSpec.newBuilder().addContainers(Container.newBuilder()
                    .setName("web").setImage("nginx")
                    .setResources(ResourceRequirements.newBuilder()
                        .putLimits("cpu", quantity("500m"))
                        .putLimits("memory", quantity("128Mi"))
                        .putRequests("cpu", quantity("0"))))))
            .setStrategy(DeploymentStrategy.newBuilder()
                .setType("RollingUpdate")
                .setRollingUpdate(RollingUpdateDeployment.newBuilder()
                    .setMaxSurge(IntOrString.newBuilder().setType(1).setStrVal("25%"))
                    .setMaxUnavailable(IntOrString.newBuilder().setType(0).setIntVal(1)))))
        .setStatus(DeploymentStatus.getDefaultInstance())).build();

    ObjectNode json = KubeProtobuf.toJson(body("apps/v1", "Deployment", deployment));

    assertThat(json.at("/spec/strategy")).isEqualTo(json("""
        {"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":1,"maxSurge":"25%"}}"""));
    assertThat(json.at("/spec/template/spec/containers/0/resources")).isEqualTo(json("""
        {"limits":{"cpu":"500m","memory":"128Mi"},"requests":{"cpu":"0"}}"""));
  }

  @Test
  void managedFieldsCarryTheirFieldSetAsJson() throws IOException {
    ConfigMap configMap = withGoZeros(ConfigMap.newBuilder()
        .setMetadata(created("c").addManagedFields(ManagedFieldsEntry.newBuilder()
            .setManager("kubectl-create").setOperation("Update").setApiVersion("v1")
            .setTime(Time.newBuilder().setSeconds(JAN_2_2024))
            .setFieldsType("FieldsV1")
            .setFieldsV1(FieldsV1.newBuilder().setRaw(ByteString.copyFromUtf8("{\"f:data\":{\"f:a\":{}}}")))))
        .putData("a", "b")).build();

    JsonNode json = KubeProtobuf.toJson(body("v1", "ConfigMap", configMap));

    assertThat(json.at("/metadata/managedFields")).isEqualTo(json("""
        [{"manager":"kubectl-create","operation":"Update","apiVersion":"v1","time":"2024-01-02T03:04:05Z",
          "fieldsType":"FieldsV1","fieldsV1":{"f:data":{"f:a":{}}}}]"""));
  }

  @Test
  void eventWithMicroTimeAndSeries() throws IOException {
    Event event = withGoZeros(Event.newBuilder()
        .setMetadata(created("p.17a").setNamespace("default"))
        .setInvolvedObject(ObjectReference.newBuilder().setKind("Pod").setNamespace("default").setName("p"))
        .setReason("Scheduled")
        .setMessage("Successfully assigned default/p to n")
        .setSource(EventSource.newBuilder().setComponent("default-scheduler"))
        .setFirstTimestamp(Time.newBuilder().setSeconds(JAN_2_2024))
        .setLastTimestamp(Time.getDefaultInstance())
        .setCount(1)
        .setType("Normal")
        .setEventTime(MicroTime.newBuilder().setSeconds(JAN_2_2024).setNanos(5_000))
        .setSeries(EventSeries.newBuilder().setCount(2)
            .setLastObservedTime(MicroTime.newBuilder().setSeconds(JAN_2_2024)))).build();

    JsonNode json = KubeProtobuf.toJson(body("v1", "Event", event));

    // Go would also write "reportingComponent":"" and "reportingInstance":"" (no omitempty on those two).
    assertThat(json).isEqualTo(json("""
        {"kind":"Event","apiVersion":"v1",
         "metadata":{"name":"p.17a","namespace":"default","creationTimestamp":null},
         "involvedObject":{"kind":"Pod","namespace":"default","name":"p"},
         "reason":"Scheduled","message":"Successfully assigned default/p to n",
         "source":{"component":"default-scheduler"},
         "firstTimestamp":"2024-01-02T03:04:05Z","lastTimestamp":null,"count":1,"type":"Normal",
         "eventTime":"2024-01-02T03:04:05.000005Z",
         "series":{"count":2,"lastObservedTime":"2024-01-02T03:04:05.000000Z"}}"""));
  }

  static Stream<Arguments> servedKinds() {
    ObjectMeta.Builder meta = created("it");
    return Stream.of(
        Arguments.of("v1", "Pod", Pod.newBuilder().setMetadata(meta)),
        Arguments.of("v1", "Node", Node.newBuilder().setMetadata(meta).setSpec(NodeSpec.newBuilder().setUnschedulable(true))
            .setStatus(NodeStatus.newBuilder().putCapacity("cpu", quantity("2"))
                .addConditions(NodeCondition.newBuilder().setType("Ready").setStatus("True")
                    .setLastHeartbeatTime(Time.newBuilder().setSeconds(JAN_2_2024))
                    .setLastTransitionTime(Time.getDefaultInstance())))),
        Arguments.of("v1", "Service", Service.newBuilder().setMetadata(meta)),
        Arguments.of("v1", "Endpoints", Endpoints.newBuilder().setMetadata(meta)
            .addSubsets(EndpointSubset.newBuilder().addAddresses(EndpointAddress.newBuilder().setIp("10.0.0.1")))),
        Arguments.of("v1", "Event", Event.newBuilder().setMetadata(meta)),
        Arguments.of("v1", "ConfigMap", ConfigMap.newBuilder().setMetadata(meta)),
        Arguments.of("v1", "Secret", Secret.newBuilder().setMetadata(meta)),
        Arguments.of("v1", "ServiceAccount", ServiceAccount.newBuilder().setMetadata(meta).setAutomountServiceAccountToken(false)),
        Arguments.of("v1", "Namespace", Namespace.newBuilder().setMetadata(meta)),
        Arguments.of("v1", "Binding", Binding.newBuilder().setMetadata(meta)
            .setTarget(ObjectReference.newBuilder().setKind("Node").setName("n"))),
        Arguments.of("v1", "DeleteOptions", DeleteOptions.newBuilder().setGracePeriodSeconds(0)),
        Arguments.of("meta.k8s.io/v1", "DeleteOptions", DeleteOptions.newBuilder().setOrphanDependents(false)),
        Arguments.of("policy/v1", "Eviction", Eviction.newBuilder().setMetadata(meta)),
        Arguments.of("apps/v1", "Deployment", Deployment.newBuilder().setMetadata(meta)),
        Arguments.of("apps/v1", "ReplicaSet", ReplicaSet.newBuilder().setMetadata(meta)
            .setSpec(ReplicaSetSpec.newBuilder().setReplicas(3))),
        Arguments.of("autoscaling/v1", "Scale", Scale.newBuilder().setMetadata(meta).setSpec(ScaleSpec.newBuilder().setReplicas(3))),
        Arguments.of("coordination.k8s.io/v1", "Lease", Lease.newBuilder().setMetadata(meta)),
        Arguments.of("discovery.k8s.io/v1", "EndpointSlice", EndpointSlice.newBuilder().setMetadata(meta)
            .setAddressType("IPv4")
            .addEndpoints(Endpoint.newBuilder().addAddresses("10.0.0.1")
                .setConditions(EndpointConditions.newBuilder().setReady(true).setTerminating(false)))
            .addPorts(EndpointPort.newBuilder().setName("").setPort(80).setProtocol("TCP"))));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("servedKinds")
  void everyServedKindIsRead(String apiVersion, String kind, Message.Builder object) {
    ObjectNode json = KubeProtobuf.toJson(body(apiVersion, kind, withGoZeros(object).build()));

    assertThat(json.get("kind").asText()).isEqualTo(kind);
    assertThat(json.get("apiVersion").asText()).isEqualTo(apiVersion);
    if (!kind.equals("DeleteOptions")) {
      assertThat(json.at("/metadata/name").asText()).isEqualTo("it");
    }
  }

  @Test
  void nestedStructuresOfOtherKindsKeepTheirValues() {
    ObjectNode node = readServedKind("Node");
    assertThat(node.at("/spec/unschedulable").booleanValue()).isTrue();
    assertThat(node.at("/status/capacity/cpu").asText()).isEqualTo("2");
    assertThat(node.at("/status/conditions/0/lastHeartbeatTime").asText()).isEqualTo("2024-01-02T03:04:05Z");
    assertThat(node.at("/status/conditions/0/lastTransitionTime").isNull()).isTrue();

    assertThat(readServedKind("ServiceAccount").get("automountServiceAccountToken").booleanValue()).isFalse();
    assertThat(readServedKind("Binding").get("target")).isEqualTo(json("{\"kind\":\"Node\",\"name\":\"n\"}"));
    assertThat(readServedKind("Endpoints").at("/subsets/0/addresses/0/ip").asText()).isEqualTo("10.0.0.1");
    assertThat(readServedKind("ReplicaSet").at("/spec/replicas").intValue()).isEqualTo(3);
    assertThat(readServedKind("Scale").at("/spec/replicas").intValue()).isEqualTo(3);
    // EndpointSlice's pointers: a name of "" and a terminating of false were set, serving was not.
    assertThat(readServedKind("EndpointSlice").at("/endpoints/0")).isEqualTo(json("""
        {"addresses":["10.0.0.1"],"conditions":{"ready":true,"terminating":false}}"""));
    assertThat(readServedKind("EndpointSlice").at("/ports/0")).isEqualTo(json("""
        {"name":"","protocol":"TCP","port":80}"""));
  }

  // Bodies kubemu refuses.

  @Test
  void aBodyWithoutTheMagicBytesIsRefused() {
    byte[] json = "{\"kind\":\"Pod\",\"apiVersion\":\"v1\"}".getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> KubeProtobuf.toJson(json))
        .isInstanceOfSatisfying(ProtobufBodyException.class, e -> {
          assertThat(e.problem()).isEqualTo(Problem.NOT_PROTOBUF);
          assertThat(e.statusCode()).isEqualTo(400);
        })
        .hasMessageContaining("6b 38 73 00");
    assertThatThrownBy(() -> KubeProtobuf.toJson(new byte[] {0x6b, 0x38}))
        .isInstanceOf(ProtobufBodyException.class);
  }

  @Test
  void aTruncatedBodyIsRefused() throws IOException {
    byte[] kubectlBody = fixture("create-deployment-nginx.pb");
    byte[] truncated = Arrays.copyOf(kubectlBody, kubectlBody.length / 2);

    assertThatThrownBy(() -> KubeProtobuf.toJson(truncated))
        .isInstanceOfSatisfying(ProtobufBodyException.class, e -> {
          assertThat(e.problem()).isEqualTo(Problem.MALFORMED);
          assertThat(e.statusCode()).isEqualTo(400);
        })
        .hasMessageContaining("cut short");
  }

  @Test
  void anObjectThatIsNotValidProtobufIsRefused() {
    byte[] body = body("v1", "Pod", ByteString.copyFrom(new byte[] {0x0a, 0x7f, 0x01}));

    assertThatThrownBy(() -> KubeProtobuf.toJson(body))
        .isInstanceOfSatisfying(ProtobufBodyException.class, e -> assertThat(e.problem()).isEqualTo(Problem.MALFORMED))
        .hasMessageContaining("Pod");
  }

  @Test
  void aKindKubemuDoesNotServeIsRefusedAsUnsupportedMediaType() {
    byte[] body = body("apps/v1", "DaemonSet", ByteString.EMPTY);

    assertThatThrownBy(() -> KubeProtobuf.toJson(body))
        .isInstanceOfSatisfying(ProtobufBodyException.class, e -> {
          assertThat(e.problem()).isEqualTo(Problem.UNSUPPORTED_KIND);
          assertThat(e.statusCode()).isEqualTo(415);
        })
        .hasMessageContaining("DaemonSet (apps/v1)")
        .hasMessageContaining("application/json");
  }

  @Test
  void aKindUnderTheWrongGroupVersionIsRefused() {
    assertThatThrownBy(() -> KubeProtobuf.toJson(body("v1", "Deployment", ByteString.EMPTY)))
        .isInstanceOfSatisfying(ProtobufBodyException.class, e -> assertThat(e.problem()).isEqualTo(Problem.UNSUPPORTED_KIND));
  }

  @Test
  void aFieldNewerThanKubernetes133WithAValueIsRefusedNotDropped() {
    Deployment deployment = Deployment.newBuilder()
        .setMetadata(created("nginx"))
        .setSpec(DeploymentSpec.newBuilder().setReplicas(1).setUnknownFields(UnknownFieldSet.newBuilder()
            .addField(99, UnknownFieldSet.Field.newBuilder().addVarint(3).build())
            .build()))
        .build();

    assertThatThrownBy(() -> KubeProtobuf.toJson(body("apps/v1", "Deployment", deployment)))
        .isInstanceOfSatisfying(ProtobufBodyException.class, e -> {
          assertThat(e.problem()).isEqualTo(Problem.UNKNOWN_FIELD);
          assertThat(e.statusCode()).isEqualTo(400);
        })
        .hasMessageContaining("spec has field number 99")
        .hasMessageContaining("k8s.io.api.apps.v1.DeploymentSpec");
  }

  /** A newer Go client writes its new non-pointer fields as zeros even when nobody set them. */
  @Test
  void aFieldNewerThanKubernetes133HoldingItsZeroValueIsIgnored() {
    UnknownFieldSet newerZeros = UnknownFieldSet.newBuilder()
        .addField(90, UnknownFieldSet.Field.newBuilder().addVarint(0).build())
        .addField(91, UnknownFieldSet.Field.newBuilder().addLengthDelimited(ByteString.EMPTY).build())
        // A struct whose own fields are all zero: {1: "", 2: 0}.
        .addField(92, UnknownFieldSet.Field.newBuilder()
            .addLengthDelimited(ByteString.copyFrom(new byte[] {0x0a, 0x00, 0x10, 0x00})).build())
        .build();
    Namespace namespace = Namespace.newBuilder()
        .setMetadata(created("x").setUnknownFields(newerZeros))
        .build();

    assertThat(KubeProtobuf.toJson(body("v1", "Namespace", namespace))).isEqualTo(json("""
        {"kind":"Namespace","apiVersion":"v1","metadata":{"name":"x","creationTimestamp":null}}"""));
  }

  @Test
  void anEncodedEnvelopeIsRefused() {
    byte[] body = body("v1", "Namespace", Namespace.getDefaultInstance());
    byte[] gzip = Arrays.copyOf(body, body.length + 6);
    // contentEncoding (field 3) = "gzip", appended after the envelope's own empty one: the last one wins.
    System.arraycopy(new byte[] {0x1a, 0x04, 'g', 'z', 'i', 'p'}, 0, gzip, body.length, 6);

    assertThatThrownBy(() -> KubeProtobuf.toJson(gzip))
        .isInstanceOfSatisfying(ProtobufBodyException.class, e -> {
          assertThat(e.problem()).isEqualTo(Problem.UNSUPPORTED_ENCODING);
          assertThat(e.statusCode()).isEqualTo(415);
        })
        .hasMessageContaining("gzip");
  }

  @Test
  void theContentTypeHeaderIsRecognizedWithParameters() {
    assertThat(KubeProtobuf.isProtobuf("application/vnd.kubernetes.protobuf")).isTrue();
    assertThat(KubeProtobuf.isProtobuf("application/vnd.kubernetes.protobuf; charset=binary")).isTrue();
    assertThat(KubeProtobuf.isProtobuf("application/json")).isFalse();
    assertThat(KubeProtobuf.isProtobuf(null)).isFalse();
  }

  // Helpers.

  private static ObjectNode readServedKind(String kind) {
    Arguments arguments = servedKinds().filter(a -> a.get()[1].equals(kind)).findFirst().orElseThrow();
    Message.Builder object = (Message.Builder) arguments.get()[2];
    return KubeProtobuf.toJson(body((String) arguments.get()[0], kind, withGoZeros(object).build()));
  }

  /** Metadata as kubectl fills it in for a new object: a name and a zero creationTimestamp. */
  private static ObjectMeta.Builder created(String name) {
    return ObjectMeta.newBuilder().setName(name).setCreationTimestamp(Time.getDefaultInstance());
  }

  private static Container.Builder container(String name, String image) {
    return Container.newBuilder().setName(name).setImage(image).setResources(ResourceRequirements.getDefaultInstance());
  }

  private static Quantity quantity(String value) {
    return Quantity.newBuilder().setString(value).build();
  }

  private static List<String> keys(JsonNode object) {
    List<String> keys = new ArrayList<>();
    object.fieldNames().forEachRemaining(keys::add);
    return keys;
  }

  private static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
