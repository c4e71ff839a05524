package io.kubemu.apiserver.openapi;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.Patch;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.api.model.policy.v1.Eviction;
import io.kubemu.apiserver.openapi.ResourcePaths.Gvk;
import io.kubemu.apiserver.resource.ResourceType;
import io.kubemu.component.Version;
import java.util.List;

/**
 * The OpenAPI v3 document of one group version, as {@code /openapi/v3/apis/apps/v1} serves it:
 * the operations on its resources under {@code paths}, and under {@code components.schemas}
 * the schemas of its kinds and of every type they reach, each top-level kind marked with
 * {@code x-kubernetes-group-version-kind} (how kubectl finds the schema of an object).
 * Subresources of another group live here too, as in Kubernetes: apps/v1 has autoscaling/v1
 * Scale for deployments/scale, the core document policy/v1 Eviction for pods/eviction.
 */
final class GroupVersionDocument {
  private GroupVersionDocument() {}

  /**
   * Builds the document of {@code group}/{@code version} serving {@code types};
   * {@code servedGroupVersions} are all group versions of the server ("v1", "apps/v1", ...),
   * which the shared kinds (DeleteOptions, WatchEvent) name as theirs.
   */
  static ObjectNode build(ObjectMapper json, String group, String version, List<ResourceType> types,
      List<String> servedGroupVersions) {
    ModelSchemas schemas = new ModelSchemas(json);
    ResourcePaths resourcePaths = new ResourcePaths(json, new Parameters(json));
    String prefix = group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;

    ObjectNode paths = json.createObjectNode();
    resourcePaths.addResourceList(paths, prefix, group, version);
    for (ResourceType type : types) {
      String kind = addKind(schemas, new Gvk(group, version, type.kind()));
      String list = addKind(schemas, new Gvk(group, version, type.kind() + "List"));
      for (String subresource : type.subresources()) {
        switch (subresource) {
          case "scale" -> markKind(schemas.get(schemas.add(Scale.class)), ResourcePaths.SCALE);
          case "eviction" -> markKind(schemas.get(schemas.add(Eviction.class)), ResourcePaths.EVICTION);
          case "binding" -> markKind(schemas.get(schemas.add(Binding.class)), ResourcePaths.BINDING);
          default -> { } // the resource's own kind, or no body
        }
      }
      resourcePaths.add(paths, prefix, type, kind, list);
    }

    markKind(schemas.get(schemas.add(Status.class)), new Gvk("", "v1", "Status"));
    markKind(schemas.get(schemas.add(APIResourceList.class)), new Gvk("", "v1", "APIResourceList"));
    schemas.add(Patch.class);
    for (Class<?> shared : List.of(DeleteOptions.class, WatchEvent.class)) {
      ObjectNode schema = schemas.get(schemas.add(shared));
      for (String groupVersion : servedGroupVersions) {
        int slash = groupVersion.indexOf('/');
        markKind(schema, new Gvk(slash < 0 ? "" : groupVersion.substring(0, slash),
            groupVersion.substring(slash + 1), shared.getSimpleName()));
      }
    }

    ObjectNode document = json.createObjectNode();
    document.put("openapi", "3.0.0");
    document.putObject("info").put("title", "Kubernetes").put("version", Version.KUBERNETES);
    document.set("paths", paths);
    ObjectNode components = document.putObject("components").putObject("schemas");
    schemas.all().forEach(components::set);
    return document;
  }

  private static String addKind(ModelSchemas schemas, Gvk gvk) {
    String definition = schemas.add(DefinitionNames.modelClass(gvk.group(), gvk.version(), gvk.kind()));
    markKind(schemas.get(definition), gvk);
    return definition;
  }

  private static void markKind(ObjectNode schema, Gvk gvk) {
    ArrayNode kinds = schema.has("x-kubernetes-group-version-kind")
        ? (ArrayNode) schema.get("x-kubernetes-group-version-kind")
        : schema.putArray("x-kubernetes-group-version-kind");
    kinds.addObject().put("group", gvk.group()).put("kind", gvk.kind()).put("version", gvk.version());
  }
}
