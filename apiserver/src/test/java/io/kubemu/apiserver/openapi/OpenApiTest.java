package io.kubemu.apiserver.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.kubemu.apiserver.patch.PatchStrategies;
import io.kubemu.apiserver.resource.ResourceType;
import io.kubemu.apiserver.resource.Resources;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What kubectl reads from /openapi/v3, checked on the generated documents. */
class OpenApiTest {
  private static final Resources RESOURCES = new Resources();
  private static final OpenApi OPEN_API = new OpenApi(RESOURCES);
  private static final String META = "io.k8s.apimachinery.pkg.apis.meta.v1.";

  @Test
  void indexListsEveryServedGroupVersionWithItsDocumentsHash() {
    JsonNode paths = OPEN_API.index().get("paths");

    List<String> listed = new ArrayList<>();
    paths.fieldNames().forEachRemaining(listed::add);
    assertThat(listed).containsExactly("api/v1", "apis/apps/v1", "apis/coordination.k8s.io/v1",
        "apis/discovery.k8s.io/v1");
    for (String groupVersion : listed) {
      assertThat(paths.get(groupVersion).get("serverRelativeURL").asText())
          .isEqualTo("/openapi/v3/" + groupVersion + "?hash=" + OPEN_API.hash(groupVersion).orElseThrow());
      assertThat(OPEN_API.documentJson(groupVersion)).isPresent();
    }
    RESOURCES.groupVersions().forEach((group, versions) -> versions.forEach(version ->
        assertThat(listed).contains(group.isEmpty() ? "api/" + version : "apis/" + group + "/" + version)));
  }

  @Test
  void documentsAreTheSameEveryTimeTheyAreGenerated() {
    OpenApi again = new OpenApi(new Resources());

    assertThat(again.indexJson()).isEqualTo(OPEN_API.indexJson());
    assertThat(again.documentJson("apis/apps/v1").orElseThrow())
        .isEqualTo(OPEN_API.documentJson("/apis/apps/v1").orElseThrow());
  }

  @Test
  void deploymentHasItsKindReplicasContainersMergedByNameAndObjectMeta() {
    ObjectNode document = OPEN_API.document("apis/apps/v1").orElseThrow();
    JsonNode schemas = document.get("components").get("schemas");
    JsonNode deployment = schemas.get("io.k8s.api.apps.v1.Deployment");

    assertThat(deployment.get("x-kubernetes-group-version-kind"))
        .containsExactly(json("{group: apps, kind: Deployment, version: v1}"));
    assertThat(deployment.at("/properties/metadata/$ref").asText())
        .isEqualTo("#/components/schemas/" + META + "ObjectMeta");
    assertThat(schemas.has(META + "ObjectMeta")).isTrue();

    JsonNode spec = resolve(schemas, deployment.at("/properties/spec"));
    assertThat(spec.at("/properties/replicas")).isEqualTo(json("{type: integer, format: int32, "
        + "description: How many pods to run. Defaults to 1.}"));
    assertThat(spec.at("/properties/strategy/x-kubernetes-patch-strategy").asText()).isEqualTo("retainKeys");

    JsonNode podSpec = resolve(schemas, resolve(schemas, spec.at("/properties/template")).at("/properties/spec"));
    JsonNode containers = podSpec.at("/properties/containers");
    assertThat(containers.get("type").asText()).isEqualTo("array");
    assertThat(containers.at("/items/$ref").asText()).isEqualTo("#/components/schemas/io.k8s.api.core.v1.Container");
    assertThat(containers.get("x-kubernetes-patch-merge-key").asText()).isEqualTo("name");
    assertThat(containers.get("x-kubernetes-patch-strategy").asText()).isEqualTo("merge");
    assertThat(containers.get("x-kubernetes-list-type").asText()).isEqualTo("map");
    assertThat(containers.get("x-kubernetes-list-map-keys")).containsExactly(json("name"));

    JsonNode container = schemas.get("io.k8s.api.core.v1.Container");
    assertThat(container.at("/properties/ports/x-kubernetes-patch-merge-key").asText()).isEqualTo("containerPort");
    assertThat(container.at("/properties/env/x-kubernetes-patch-merge-key").asText()).isEqualTo("name");
    assertThat(container.at("/properties/volumeMounts/x-kubernetes-patch-merge-key").asText()).isEqualTo("mountPath");
    assertThat(container.at("/properties/resources/$ref").asText()).endsWith("io.k8s.api.core.v1.ResourceRequirements");
    assertThat(podSpec.at("/properties/volumes/x-kubernetes-patch-strategy").asText()).isEqualTo("merge,retainKeys");
  }

  @Test
  void specialTypesAreSerializedAsKubernetesDoes() {
    JsonNode schemas = OPEN_API.document("apis/apps/v1").orElseThrow().get("components").get("schemas");

    JsonNode maxSurge = schemas.at("/io.k8s.api.apps.v1.RollingUpdateDeployment/properties/maxSurge");
    assertThat(maxSurge.get("$ref").asText()).endsWith("io.k8s.apimachinery.pkg.util.intstr.IntOrString");
    JsonNode intOrString = schemas.get("io.k8s.apimachinery.pkg.util.intstr.IntOrString");
    assertThat(intOrString.get("format").asText()).isEqualTo("int-or-string");
    assertThat(intOrString.get("x-kubernetes-int-or-string").asBoolean()).isTrue();

    JsonNode limits = schemas.at("/io.k8s.api.core.v1.ResourceRequirements/properties/limits");
    assertThat(limits.get("type").asText()).isEqualTo("object");
    assertThat(limits.at("/additionalProperties/$ref").asText()).endsWith("io.k8s.apimachinery.pkg.api.resource.Quantity");
    assertThat(schemas.at("/io.k8s.apimachinery.pkg.api.resource.Quantity/oneOf"))
        .containsExactly(json("{type: string}"), json("{type: number}"));

    assertThat(schemas.at("/" + META + "ObjectMeta/properties/creationTimestamp/$ref").asText())
        .endsWith(META + "Time");
    assertThat(schemas.get(META + "Time")).isEqualTo(json("{description: 'A timestamp in RFC 3339 form, to the "
        + "second, in UTC.', type: string, format: date-time}"));
    assertThat(schemas.at("/" + META + "WatchEvent/properties/object/$ref").asText())
        .endsWith("io.k8s.apimachinery.pkg.runtime.RawExtension");
    assertThat(schemas.at("/io.k8s.api.apps.v1.DeploymentCondition/properties/lastUpdateTime/$ref").asText())
        .endsWith(META + "Time");

    JsonNode lease = OPEN_API.document("apis/coordination.k8s.io/v1").orElseThrow()
        .at("/components/schemas/io.k8s.api.coordination.v1.LeaseSpec/properties/renewTime/$ref");
    assertThat(lease.asText()).endsWith(META + "MicroTime");
    JsonNode secretData = OPEN_API.document("api/v1").orElseThrow()
        .at("/components/schemas/io.k8s.api.core.v1.Secret/properties/data/additionalProperties");
    assertThat(secretData).isEqualTo(json("{type: string, format: byte}"));
  }

  @Test
  void everyServedKindAndItsListHaveASchemaMarkedWithTheirKind() {
    for (ResourceType type : RESOURCES.all()) {
      JsonNode schemas = documentOf(type).get("components").get("schemas");
      for (String kind : List.of(type.kind(), type.kind() + "List")) {
        JsonNode gvk = json("{group: '" + type.group() + "', kind: " + kind + ", version: " + type.version() + "}");
        assertThat(schemas).as(type.apiVersion() + " " + kind)
            .anyMatch(schema -> contains(schema.get("x-kubernetes-group-version-kind"), gvk));
      }
    }
  }

  @Test
  void requiredFieldsAreFieldsOfTheirType() {
    for (String groupVersion : OPEN_API.groupVersionPaths()) {
      JsonNode schemas = OPEN_API.document(groupVersion).orElseThrow().get("components").get("schemas");
      schemas.fields().forEachRemaining(schema -> {
        for (JsonNode required : schema.getValue().path("required")) {
          assertThat(schema.getValue().get("properties").has(required.asText()))
              .as(schema.getKey() + " requires " + required).isTrue();
        }
      });
    }
    JsonNode apps = OPEN_API.document("apis/apps/v1").orElseThrow().get("components").get("schemas");
    assertThat(apps.at("/io.k8s.api.apps.v1.DeploymentSpec/required")).containsExactly(json("selector"), json("template"));
    assertThat(apps.at("/io.k8s.api.apps.v1.DeploymentList/required")).containsExactly(json("items"));
  }

  @Test
  void everyReferenceResolvesWithinItsDocument() {
    for (String groupVersion : OPEN_API.groupVersionPaths()) {
      ObjectNode document = OPEN_API.document(groupVersion).orElseThrow();
      JsonNode schemas = document.get("components").get("schemas");
      List<String> refs = new ArrayList<>();
      collectRefs(document, refs);
      assertThat(refs).isNotEmpty();
      for (String ref : refs) {
        assertThat(schemas.has(ref.substring("#/components/schemas/".length()))).as(groupVersion + " " + ref).isTrue();
      }
    }
  }

  @Test
  void createReplaceAndPatchDeclareFieldValidationAndPatchAcceptsStrategicMerge() {
    for (ResourceType type : RESOURCES.all()) {
      JsonNode paths = documentOf(type).get("paths");
      String prefix = type.group().isEmpty() ? "/api/v1" : "/apis/" + type.apiVersion();
      String collection = prefix + (type.namespaced() ? "/namespaces/{namespace}/" : "/") + type.resource();
      JsonNode gvk = json("{group: '" + type.group() + "', kind: " + type.kind() + ", version: " + type.version() + "}");

      JsonNode create = paths.at(pointer(collection) + "/post");
      JsonNode replace = paths.at(pointer(collection + "/{name}") + "/put");
      JsonNode patch = paths.at(pointer(collection + "/{name}") + "/patch");
      for (JsonNode operation : List.of(create, replace, patch)) {
        assertThat(queryParameters(operation)).as(type.resource()).contains("fieldValidation", "dryRun", "fieldManager");
        assertThat(operation.get("x-kubernetes-group-version-kind")).isEqualTo(gvk);
      }
      assertThat(patch.at("/requestBody/content").has("application/strategic-merge-patch+json")).isTrue();
      assertThat(patch.at("/requestBody/content").has("application/merge-patch+json")).isTrue();
      assertThat(paths.at(pointer(collection) + "/get/x-kubernetes-action").asText()).isEqualTo("list");
      assertThat(queryParameters(paths.at(pointer(collection) + "/get")))
          .contains("watch", "labelSelector", "fieldSelector", "resourceVersion", "limit");
      assertThat(paths.at(pointer(collection + "/{name}") + "/delete/x-kubernetes-action").asText()).isEqualTo("delete");
    }
  }

  @Test
  void subresourcesCarryTheirOwnKinds() {
    JsonNode apps = OPEN_API.document("apis/apps/v1").orElseThrow();
    JsonNode scale = apps.get("paths").at(pointer("/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale") + "/patch");
    assertThat(scale.get("x-kubernetes-group-version-kind"))
        .isEqualTo(json("{group: autoscaling, kind: Scale, version: v1}"));
    assertThat(queryParameters(scale)).contains("fieldValidation");
    assertThat(apps.at("/components/schemas/io.k8s.api.autoscaling.v1.Scale/x-kubernetes-group-version-kind/0/kind")
        .asText()).isEqualTo("Scale");

    JsonNode core = OPEN_API.document("api/v1").orElseThrow();
    JsonNode eviction = core.get("paths").at(pointer("/api/v1/namespaces/{namespace}/pods/{name}/eviction") + "/post");
    assertThat(eviction.get("x-kubernetes-group-version-kind"))
        .isEqualTo(json("{group: policy, kind: Eviction, version: v1}"));
    assertThat(core.at("/components/schemas/io.k8s.api.policy.v1.Eviction/properties/deleteOptions/$ref").asText())
        .endsWith(META + "DeleteOptions");
    JsonNode status = core.get("paths").at(pointer("/api/v1/namespaces/{namespace}/pods/{name}/status") + "/patch");
    assertThat(queryParameters(status)).contains("fieldValidation");
    assertThat(core.get("paths").at(pointer("/api/v1/nodes/{name}") + "/patch/x-kubernetes-group-version-kind/kind").asText())
        .isEqualTo("Node");
  }

  @Test
  void kubectlIsToldToMergeEveryFieldTheServerMergesAndByTheSameKey() {
    for (ResourceType type : RESOURCES.all()) {
      if (!PatchStrategies.knows(type.kind())) {
        continue;
      }
      JsonNode schemas = documentOf(type).get("components").get("schemas");
      JsonNode kind = kindSchema(schemas, type.kind());
      PatchStrategies.of(type.kind()).forEach((path, strategy) -> {
        JsonNode field = field(schemas, kind, path);
        assertThat(field.path("x-kubernetes-patch-strategy").asText()).as(type.kind() + " " + path)
            .isEqualTo(strategy.patchStrategy());
        assertThat(field.path("x-kubernetes-patch-merge-key").textValue()).as(type.kind() + " " + path)
            .isEqualTo(strategy.mergeKey());
      });
    }
    JsonNode podStatus = documentOf(RESOURCES.find("", "v1", "pods").orElseThrow())
        .at("/components/schemas/io.k8s.api.core.v1.PodStatus/properties/resourceClaimStatuses");
    assertThat(podStatus.get("x-kubernetes-list-type").asText()).isEqualTo("map");
    assertThat(podStatus.get("x-kubernetes-list-map-keys")).containsExactly(json("name"));
  }

  @Test
  void strictValidationFindsTheUnknownFieldsOfADeployment() throws Exception {
    JsonNode deployment = new YAMLMapper().readTree("""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          labels: {app: web, anything.example.com/goes: "yes"}
        spec:
          replicaz: 3
          selector: {matchLabels: {app: web}}
          strategy: {rollingUpdate: {maxSurge: 25%, maxUnavailable: 1}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers:
              - name: web
                image: nginx
                imagePullPolicyy: Always
                resources: {limits: {cpu: 500m, memory: 128Mi}}
                ports: [{containerPort: 80}]
        """);

    List<String> unknown = OPEN_API.unknownFields("apps/v1", "Deployment", deployment);

    assertThat(unknown).containsExactly("spec.replicaz", "spec.template.spec.containers[0].imagePullPolicyy");
    assertThat(OpenApi.strictDecodingError("Deployment", "v1", unknown)).isEqualTo("Deployment in version \"v1\" "
        + "cannot be handled as a Deployment: strict decoding error: unknown field \"spec.replicaz\", "
        + "unknown field \"spec.template.spec.containers[0].imagePullPolicyy\"");
    ((ObjectNode) deployment.get("spec")).remove("replicaz");
    ((ObjectNode) deployment.at("/spec/template/spec/containers/0")).remove("imagePullPolicyy");
    assertThat(OPEN_API.unknownFields("apps/v1", "Deployment", deployment)).isEmpty();
    assertThat(OPEN_API.unknownFields("autoscaling/v1", "Scale", json("{spec: {replicas: 3, replicaz: 4}}")))
        .containsExactly("spec.replicaz");
    assertThat(OPEN_API.unknownFields("v1", "Pod", json("{metadata: {name: p, labelz: {a: b}}, "
        + "spec: {containers: [{name: a}, {name: b, envv: []}], nodeSelector: {any: thing}}, statuss: {}}")))
        .containsExactly("metadata.labelz", "spec.containers[1].envv", "statuss");
  }

  private static JsonNode documentOf(ResourceType type) {
    return OPEN_API.document(type.group().isEmpty() ? "api/v1" : "apis/" + type.apiVersion()).orElseThrow();
  }

  private static JsonNode kindSchema(JsonNode schemas, String kind) {
    for (JsonNode schema : schemas) {
      for (JsonNode groupVersionKind : schema.path("x-kubernetes-group-version-kind")) {
        if (groupVersionKind.get("kind").asText().equals(kind)) {
          return schema;
        }
      }
    }
    throw new AssertionError("no schema of kind " + kind);
  }

  /** The property at a dotted path as kubectl explain writes it: references followed, list items implied. */
  private static JsonNode field(JsonNode schemas, JsonNode schema, String path) {
    JsonNode node = schema;
    for (String name : path.split("\\.")) {
      if (node.has("items")) {
        node = node.get("items");
      }
      if (node.has("$ref")) {
        node = resolve(schemas, node);
      }
      node = node.at("/properties/" + name);
    }
    return node;
  }

  private static JsonNode resolve(JsonNode schemas, JsonNode property) {
    return schemas.get(property.get("$ref").asText().substring("#/components/schemas/".length()));
  }

  private static List<String> queryParameters(JsonNode operation) {
    List<String> names = new ArrayList<>();
    for (JsonNode parameter : operation.path("parameters")) {
      if (parameter.get("in").asText().equals("query")) {
        names.add(parameter.get("name").asText());
      }
    }
    return names;
  }

  private static boolean contains(JsonNode array, JsonNode element) {
    if (array == null) {
      return false;
    }
    for (JsonNode item : array) {
      if (item.equals(element)) {
        return true;
      }
    }
    return false;
  }

  private static void collectRefs(JsonNode node, List<String> refs) {
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> field : (Iterable<Map.Entry<String, JsonNode>>) node::fields) {
        if (field.getKey().equals("$ref")) {
          refs.add(field.getValue().asText());
        } else {
          collectRefs(field.getValue(), refs);
        }
      }
    } else if (node.isArray()) {
      node.forEach(item -> collectRefs(item, refs));
    }
  }

  /** A JSON pointer to a path item: '/' is escaped as '~1'. */
  private static String pointer(String path) {
    return "/" + path.replace("~", "~0").replace("/", "~1");
  }

  /** Flow-style YAML, to keep the expected JSON short. */
  private static JsonNode json(String yaml) {
    try {
      return new YAMLMapper().readTree(yaml);
    } catch (Exception e) {
      throw new IllegalArgumentException(yaml, e);
    }
  }
}
