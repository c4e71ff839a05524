package io.kubemu.apiserver.admission;

import static io.kubemu.apiserver.admission.Manifests.type;
import static io.kubemu.apiserver.admission.Manifests.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What kube-apiserver says about invalid objects, message for message. */
class ValidationTest {
  private static final String SUBDOMAIN_RULE = "a lowercase RFC 1123 subdomain must consist of lower case "
      + "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. "
      + "'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
  private static final String LABEL_RULE = "a lowercase RFC 1123 label must consist of lower case alphanumeric "
      + "characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', "
      + "regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

  private final Defaulting defaulting = new Defaulting();
  private final Validation validation = new Validation();

  /** The errors of an object as a client would send it: decoded (defaulted), then validated. */
  private List<String> errorsOf(ObjectNode object) {
    defaulting.apply(type(object.path("kind").asText()), object);
    return validation.validateCreate(type(object.path("kind").asText()), object).stream()
        .map(FieldError::toString).toList();
  }

  static Stream<Arguments> invalidObjects() {
    return Stream.of(
        Arguments.of("a name that is not a DNS subdomain", """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: Bad_Name, namespace: default}
            """, List.of("metadata.name: Invalid value: \"Bad_Name\": " + SUBDOMAIN_RULE)),
        Arguments.of("no name at all", """
            apiVersion: v1
            kind: ConfigMap
            metadata: {namespace: default}
            """, List.of("metadata.name: Required value: name or generateName is required")),
        Arguments.of("a namespace named like a domain", """
            apiVersion: v1
            kind: Namespace
            metadata: {name: team.web}
            """, List.of("metadata.name: Invalid value: \"team.web\": must not contain dots")),
        Arguments.of("a service whose name starts with a digit", """
            apiVersion: v1
            kind: Service
            metadata: {name: 1web, namespace: default}
            spec:
              ports: [{port: 80}]
            """, List.of("metadata.name: Invalid value: \"1web\": a DNS-1035 label must consist of lower case "
            + "alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric "
            + "character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')")),
        Arguments.of("a label value with a space", """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: c, namespace: default, labels: {tier: front end}}
            """, List.of("metadata.labels: Invalid value: \"front end\": a valid label must be an empty string or "
            + "consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric "
            + "character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is "
            + "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')")),
        Arguments.of("a pod without containers", """
            apiVersion: v1
            kind: Pod
            metadata: {name: empty, namespace: default}
            spec: {}
            """, List.of("spec.containers: Required value")),
        Arguments.of("a container named like a Java field, twice, once without an image", """
            apiVersion: v1
            kind: Pod
            metadata: {name: p, namespace: default}
            spec:
              containers:
              - {name: Web_1, image: nginx}
              - {name: Web_1}
            """, List.of(
            "spec.containers[0].name: Invalid value: \"Web_1\": " + LABEL_RULE,
            "spec.containers[1].name: Invalid value: \"Web_1\": " + LABEL_RULE,
            "spec.containers[1].image: Required value",
            "spec.containers[1].name: Duplicate value: \"Web_1\"")),
        Arguments.of("a port out of range, a restart policy that does not exist", """
            apiVersion: v1
            kind: Pod
            metadata: {name: p, namespace: default}
            spec:
              restartPolicy: Sometimes
              containers:
              - name: web
                image: nginx
                ports: [{containerPort: 70000}]
            """, List.of(
            "spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
            "spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"")),
        Arguments.of("a mount of a volume that is not there", """
            apiVersion: v1
            kind: Pod
            metadata: {name: p, namespace: default}
            spec:
              containers:
              - name: web
                image: nginx
                volumeMounts: [{name: data, mountPath: /data}]
            """, List.of("spec.containers[0].volumeMounts[0].name: Not found: \"data\"")),
        Arguments.of("a deployment whose selector does not match its pods", """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: default}
            spec:
              replicas: -1
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: other, tier: front}}
                spec:
                  restartPolicy: Never
                  containers: [{name: web, image: nginx}]
            """, List.of(
            "spec.replicas: Invalid value: -1: must be greater than or equal to 0",
            "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"other\", \"tier\":\"front\"}: "
                + "`selector` does not match template `labels`",
            "spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\"")),
        Arguments.of("a replica set without a selector", """
            apiVersion: apps/v1
            kind: ReplicaSet
            metadata: {name: web, namespace: default}
            spec:
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers: [{name: web, image: nginx}]
            """, List.of("spec.selector: Required value")),
        Arguments.of("a rollout that may neither add nor remove a pod", """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: default}
            spec:
              selector: {matchLabels: {app: web}}
              strategy: {rollingUpdate: {maxUnavailable: 0, maxSurge: 0}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers: [{name: web, image: nginx}]
            """, List.of("spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "
            + "intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}: may not be 0 when `maxSurge` is 0")),
        Arguments.of("a service without ports", """
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: default}
            spec: {selector: {app: web}}
            """, List.of("spec.ports: Required value")),
        Arguments.of("a service with two unnamed ports, one of them taken twice", """
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: default}
            spec:
              ports: [{port: 80}, {port: 80}]
            """, List.of(
            "spec.ports[0].name: Required value",
            "spec.ports[1].name: Required value",
            "spec.ports[1]: Duplicate value: core.ServicePort{Name:\"\", Protocol:\"TCP\", AppProtocol:(*string)(nil), "
                + "Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}, NodePort:0}")),
        Arguments.of("a service of a type that does not exist, with a node port", """
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: default}
            spec:
              type: Balanced
              ports: [{port: 80, nodePort: 30080}]
            """, List.of("spec.type: Unsupported value: \"Balanced\": supported values: \"ClusterIP\", "
            + "\"ExternalName\", \"LoadBalancer\", \"NodePort\"")),
        Arguments.of("a ClusterIP service with a node port", """
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: default}
            spec:
              ports: [{port: 80, nodePort: 30080}]
            """, List.of("spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'")),
        Arguments.of("config map keys that cannot be file names", """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: c, namespace: default}
            data: {"bad key": x, "..": y}
            """, List.of(
            "data[bad key]: Invalid value: \"bad key\": a valid config key must consist of alphanumeric characters, "
                + "'-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is "
                + "'[-._a-zA-Z0-9]+')",
            "data[..]: Invalid value: \"..\": must not be '..'")),
        Arguments.of("a TLS secret without its key", """
            apiVersion: v1
            kind: Secret
            type: kubernetes.io/tls
            metadata: {name: tls, namespace: default}
            data: {tls.crt: Y2VydA==}
            """, List.of("data[tls.key]: Required value")),
        Arguments.of("a lease that never lasts", """
            apiVersion: coordination.k8s.io/v1
            kind: Lease
            metadata: {name: node-1, namespace: kube-node-lease}
            spec: {leaseDurationSeconds: 0}
            """, List.of("spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0")),
        Arguments.of("an endpoint that is not an IP", """
            apiVersion: v1
            kind: Endpoints
            metadata: {name: web, namespace: default}
            subsets:
            - addresses: [{ip: web-1}]
              ports: [{port: 80}]
            """, List.of("subsets[0].addresses[0].ip: Invalid value: \"web-1\": must be a valid IP address, "
            + "(e.g. 10.9.8.7 or 2001:db8::ffff)")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidObjects")
  void anInvalidObjectGetsKubernetesMessages(String description, String manifest, List<String> expected) {
    assertThat(errorsOf(yaml(manifest))).containsExactlyElementsOf(expected);
  }

  @Test
  void theObjectsKubectlCreatesAreValid() {
    assertThat(errorsOf(Manifests.pod("nginx"))).isEmpty();
    assertThat(errorsOf(Manifests.deployment())).isEmpty();
    assertThat(errorsOf(Manifests.service("ports: [{name: 80-8080, port: 80, targetPort: 8080}]"))).isEmpty();
    assertThat(errorsOf(yaml("""
        apiVersion: v1
        kind: Secret
        metadata: {name: token, namespace: default}
        data: {a: Yg==}
        """))).isEmpty();
  }

  @Test
  void aBigConfigMapIsTooLongAsAWhole() {
    ObjectNode big = yaml("""
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: big, namespace: default}
        """);
    big.putObject("data").put("a", "x".repeat(1024 * 1024)).put("b", "y");
    assertThat(errorsOf(big)).containsExactly("[]: Too long: may not be more than 1048576 bytes");
  }

  @Test
  void aCauseCarriesTheReasonTheFieldAndTheMessageWithoutTheField() {
    FieldError error = FieldError.notSupported(FieldPath.of("spec", "dnsPolicy"), GoValue.quote("Cluster"),
        List.of("ClusterFirst", "Default"));
    assertThat(error.toCause().reason()).isEqualTo("FieldValueNotSupported");
    assertThat(error.toCause().field()).isEqualTo("spec.dnsPolicy");
    assertThat(error.toCause().message())
        .isEqualTo("Unsupported value: \"Cluster\": supported values: \"ClusterFirst\", \"Default\"");
  }
}
