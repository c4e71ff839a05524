package io.kubemu.apiserver.openapi;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.api.model.policy.v1.Eviction;
import io.kubemu.apiserver.resource.ResourceType;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code paths} of a group version's document: for each resource, the URLs the apiserver
 * serves and the operations on them (read, list and watch, create, replace, patch, delete,
 * delete collection), and the subresources (status, scale, eviction, binding, log, finalize).
 *
 * <p>kubectl reads two things here. Before {@code kubectl apply} it looks for a PATCH operation
 * whose {@code x-kubernetes-group-version-kind} is the object's kind: if that operation declares
 * {@code fieldValidation}, kubectl leaves validation to the server and sends
 * {@code fieldValidation=Strict}; if its request body accepts
 * {@code application/strategic-merge-patch+json}, kubectl computes a strategic merge patch from
 * the schemas. So every PATCH declares both.
 */
final class ResourcePaths {
  private static final List<String> PATCH_TYPES = List.of("application/apply-patch+yaml",
      "application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json");
  private static final List<String> REPLY_TYPES =
      List.of("application/json", "application/yaml", "application/vnd.kubernetes.protobuf");
  private static final List<String> WATCH_TYPES =
      List.of("application/json;stream=watch", "application/vnd.kubernetes.protobuf;stream=watch");

  /** The kinds of the subresources that are not the resource's own kind. */
  static final Gvk SCALE = new Gvk("autoscaling", "v1", "Scale");
  static final Gvk EVICTION = new Gvk("policy", "v1", "Eviction");
  static final Gvk BINDING = new Gvk("", "v1", "Binding");

  /** A group, version and kind, as the x-kubernetes-group-version-kind extension spells it. */
  record Gvk(String group, String version, String kind) {}

  private final ObjectMapper json;
  private final Parameters parameters;

  ResourcePaths(ObjectMapper json, Parameters parameters) {
    this.json = json;
    this.parameters = parameters;
  }

  /** The path that lists the resources of a group version: GET /apis/apps/v1/. */
  void addResourceList(ObjectNode paths, String prefix, String group, String version) {
    ObjectNode get = json.createObjectNode();
    get.put("description", "get available resources");
    get.put("operationId", "get" + idPart(group, version) + "APIResources");
    get.set("responses", replies(List.of(200), DefinitionNames.API_RESOURCE_LIST, REPLY_TYPES));
    get.putArray("tags").add(tag(group, version));
    paths.putObject(prefix + "/").set("get", get);
  }

  /**
   * Adds the paths of one resource: {@code kind} and {@code list} are the definitions of its
   * kind and list kind.
   */
  void add(ObjectNode paths, String prefix, ResourceType type, String kind, String list) {
    Gvk gvk = new Gvk(type.group(), type.version(), type.kind());
    String id = idPart(type.group(), type.version()) + (type.namespaced() ? "Namespaced" : "") + type.kind();
    String collection = prefix + (type.namespaced() ? "/namespaces/{namespace}/" : "/") + type.resource();
    String object = collection + "/{name}";
    Operations ops = new Operations(tag(type.group(), type.version()), gvk);

    ObjectNode collectionItem = pathItem(paths, collection, type.namespaced(), false);
    collectionItem.set("get", ops.list("list or watch objects of kind " + type.kind(), "list" + id, list));
    collectionItem.set("post", ops.create("create a " + type.kind(), "create" + id, kind));
    collectionItem.set("delete", ops.deleteCollection("delete collection of " + type.kind(),
        "deleteCollection" + id));

    ObjectNode objectItem = pathItem(paths, object, type.namespaced(), true);
    readReplacePatch(objectItem, ops, "the specified " + type.kind(), id, kind);
    objectItem.set("delete", ops.delete("delete a " + type.kind(), "delete" + id));

    if (type.namespaced()) {
      ObjectNode everywhere = paths.putObject(prefix + "/" + type.resource());
      everywhere.set("get", ops.list("list or watch objects of kind " + type.kind() + " in all namespaces",
          "list" + idPart(type.group(), type.version()) + type.kind() + "ForAllNamespaces", list));
      everywhere.putArray("parameters").add(parameters.query("pretty"));
    }
    for (String subresource : type.subresources()) {
      addSubresource(paths, object + "/" + subresource, type, subresource, id, kind, ops);
    }
  }

  private void addSubresource(ObjectNode paths, String path, ResourceType type, String subresource, String id,
      String kind, Operations ops) {
    ObjectNode item = pathItem(paths, path, type.namespaced(), true);
    String of = " of the specified " + type.kind();
    switch (subresource) {
      case "status" -> readReplacePatch(item, ops, "status" + of, id + "Status", kind);
      case "scale" -> readReplacePatch(item, ops.withGvk(SCALE), "scale" + of, id + "Scale",
          DefinitionNames.of(Scale.class));
      case "eviction" -> item.set("post", ops.withGvk(EVICTION).create("create eviction" + of,
          "create" + id + "Eviction", DefinitionNames.of(Eviction.class)));
      case "binding" -> item.set("post", ops.withGvk(BINDING).create("create binding" + of,
          "create" + id + "Binding", DefinitionNames.of(Binding.class)));
      case "log" -> item.set("get", ops.log("read log" + of, "read" + id + "Log"));
      case "finalize" -> item.set("put", ops.replace("replace finalize" + of, "replace" + id + "Finalize", kind));
      default -> throw new IllegalArgumentException("no OpenAPI operations for the subresource " + subresource);
    }
  }

  /** GET, PUT and PATCH on one object or one of its subresources. */
  private static void readReplacePatch(ObjectNode item, Operations ops, String what, String id, String definition) {
    item.set("get", ops.read("read " + what, "read" + id, definition));
    item.set("put", ops.replace("replace " + what, "replace" + id, definition));
    item.set("patch", ops.patch("partially update " + what, "patch" + id, definition));
  }

  /** A path item with the path parameters every operation on it shares. */
  private ObjectNode pathItem(ObjectNode paths, String path, boolean namespaced, boolean named) {
    ObjectNode item = paths.putObject(path);
    ArrayNode shared = item.putArray("parameters");
    if (named) {
      shared.add(parameters.path("name", "The name of the object."));
    }
    if (namespaced) {
      shared.add(parameters.path("namespace", "The namespace of the object."));
    }
    shared.add(parameters.query("pretty"));
    return item;
  }

  /** "AppsV1", "CoreV1", "CoordinationV1": the group version part of an operation id. */
  private static String idPart(String group, String version) {
    String name = group.isEmpty() ? "core" : group.split("\\.")[0];
    return capitalize(name) + capitalize(version);
  }

  private static String tag(String group, String version) {
    return (group.isEmpty() ? "core" : group.split("\\.")[0]) + "_" + version;
  }

  private static String capitalize(String word) {
    return Character.toUpperCase(word.charAt(0)) + word.substring(1);
  }

  private ObjectNode replies(List<Integer> codes, String definition, List<String> mediaTypes) {
    ObjectNode responses = json.createObjectNode();
    for (int code : codes) {
      ObjectNode response = responses.putObject(Integer.toString(code));
      response.put("description", switch (code) {
        case 201 -> "Created";
        case 202 -> "Accepted";
        default -> "OK";
      });
      response.set("content", content(mediaTypes, reference(definition)));
    }
    return responses;
  }

  private ObjectNode content(List<String> mediaTypes, ObjectNode schema) {
    ObjectNode content = json.createObjectNode();
    mediaTypes.forEach(type -> content.putObject(type).set("schema", schema.deepCopy()));
    return content;
  }

  private ObjectNode reference(String definition) {
    ObjectNode reference = json.createObjectNode();
    reference.put("$ref", DefinitionNames.ref(definition));
    return reference;
  }

  /** Builds the operations on one resource, all tagged with its group version and carrying one kind. */
  private final class Operations {
    private final String tag;
    private final Gvk gvk;

    Operations(String tag, Gvk gvk) {
      this.tag = tag;
      this.gvk = gvk;
    }

    Operations withGvk(Gvk other) {
      return new Operations(tag, other);
    }

    ObjectNode read(String description, String operationId, String reply) {
      ObjectNode op = operation("get", description, operationId, List.of());
      op.set("responses", replies(List.of(200), reply, REPLY_TYPES));
      return op;
    }

    ObjectNode list(String description, String operationId, String list) {
      ObjectNode op = operation("list", description, operationId, Parameters.LIST);
      ObjectNode responses = replies(List.of(200), list, REPLY_TYPES);
      ObjectNode content = (ObjectNode) responses.get("200").get("content");
      WATCH_TYPES.forEach(type -> content.putObject(type).set("schema", reference(list)));
      op.set("responses", responses);
      return op;
    }

    ObjectNode create(String description, String operationId, String definition) {
      return write("post", description, operationId, Parameters.CREATE, definition, List.of(200, 201, 202));
    }

    ObjectNode replace(String description, String operationId, String definition) {
      return write("put", description, operationId, Parameters.UPDATE, definition, List.of(200, 201));
    }

    private ObjectNode write(String action, String description, String operationId, List<String> query,
        String definition, List<Integer> codes) {
      ObjectNode op = operation(action, description, operationId, query);
      op.set("requestBody", requestBody(List.of("application/json", "application/yaml"), definition));
      op.set("responses", replies(codes, definition, REPLY_TYPES));
      return op;
    }

    ObjectNode patch(String description, String operationId, String reply) {
      ObjectNode op = operation("patch", description, operationId, Parameters.PATCH);
      op.set("requestBody", requestBody(PATCH_TYPES, DefinitionNames.PATCH));
      op.set("responses", replies(List.of(200, 201), reply, REPLY_TYPES));
      return op;
    }

    ObjectNode delete(String description, String operationId) {
      ObjectNode op = operation("delete", description, operationId, Parameters.DELETE);
      op.set("requestBody", requestBody(List.of("application/json"), DefinitionNames.DELETE_OPTIONS));
      op.set("responses", replies(List.of(200, 202), DefinitionNames.STATUS, REPLY_TYPES));
      return op;
    }

    ObjectNode deleteCollection(String description, String operationId) {
      List<String> query = new ArrayList<>(Parameters.DELETE);
      Parameters.LIST.stream().filter(name -> !name.equals("watch") && !name.equals("allowWatchBookmarks"))
          .forEach(query::add);
      ObjectNode op = operation("deletecollection", description, operationId, query);
      op.set("requestBody", requestBody(List.of("application/json"), DefinitionNames.DELETE_OPTIONS));
      op.set("responses", replies(List.of(200), DefinitionNames.STATUS, REPLY_TYPES));
      return op;
    }

    ObjectNode log(String description, String operationId) {
      ObjectNode op = operation("get", description, operationId, Parameters.LOG);
      ObjectNode ok = op.putObject("responses").putObject("200").put("description", "OK");
      ObjectNode text = json.createObjectNode().put("type", "string");
      ok.set("content", content(List.of("text/plain", "application/json", "application/yaml"), text));
      return op;
    }

    private ObjectNode operation(String action, String description, String operationId, List<String> query) {
      ObjectNode op = json.createObjectNode();
      op.put("description", description);
      op.put("operationId", operationId);
      if (!query.isEmpty()) {
        op.set("parameters", parameters.query(query));
      }
      op.putArray("tags").add(tag);
      op.put("x-kubernetes-action", action);
      op.putObject("x-kubernetes-group-version-kind")
          .put("group", gvk.group()).put("kind", gvk.kind()).put("version", gvk.version());
      return op;
    }

    private ObjectNode requestBody(List<String> mediaTypes, String definition) {
      ObjectNode body = json.createObjectNode();
      body.set("content", content(mediaTypes, reference(definition)));
      if (!definition.equals(DefinitionNames.DELETE_OPTIONS)) {
        body.put("required", true); // a delete may come without options
      }
      return body;
    }
  }
}
