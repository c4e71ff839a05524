package io.kubemu.apiserver.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubemu.apiserver.resource.ResourceType;
import io.kubemu.apiserver.resource.Resources;
import io.kubemu.component.Version;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Legacy discovery, as kubectl reads it to learn what the server serves: {@code /api},
 * {@code /apis}, and one APIResourceList per group version with verbs, short names
 * ({@code kubectl get rs} needs them) and subresources.
 */
public final class Discovery {
  private static final List<String> VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  private final Resources resources;
  private final ObjectMapper json;

  public Discovery(Resources resources, ObjectMapper json) {
    this.resources = resources;
    this.json = json;
  }

  public ObjectNode apiVersions() {
    ObjectNode versions = json.createObjectNode();
    versions.put("kind", "APIVersions");
    versions.putArray("versions").add("v1");
    versions.putArray("serverAddressByClientCIDRs").addObject().put("clientCIDR", "0.0.0.0/0").put("serverAddress", "");
    return versions;
  }

  public ObjectNode apiGroupList() {
    ObjectNode list = json.createObjectNode();
    list.put("kind", "APIGroupList").put("apiVersion", "v1");
    ArrayNode groups = list.putArray("groups");
    for (Map.Entry<String, Set<String>> group : resources.groupVersions().entrySet()) {
      if (group.getKey().isEmpty()) {
        continue; // the legacy core group is served under /api
      }
      ObjectNode entry = groups.addObject().put("name", group.getKey());
      ArrayNode versions = entry.putArray("versions");
      String preferred = null;
      for (String version : group.getValue()) {
        versions.addObject().put("groupVersion", group.getKey() + "/" + version).put("version", version);
        preferred = preferred == null ? version : preferred;
      }
      entry.putObject("preferredVersion").put("groupVersion", group.getKey() + "/" + preferred).put("version", preferred);
    }
    return list;
  }

  /** The APIResourceList of a group version, or null when it is not served. */
  public ObjectNode apiResourceList(String group, String version) {
    List<ResourceType> types = resources.inGroupVersion(group, version);
    if (types.isEmpty()) {
      return null;
    }
    ObjectNode list = json.createObjectNode();
    list.put("kind", "APIResourceList").put("apiVersion", "v1").put("groupVersion", types.get(0).apiVersion());
    ArrayNode entries = list.putArray("resources");
    for (ResourceType type : types) {
      ObjectNode entry = entries.addObject()
          .put("name", type.resource())
          .put("singularName", type.singular())
          .put("namespaced", type.namespaced())
          .put("kind", type.kind());
      VERBS.forEach(entry.putArray("verbs")::add);
      if (!type.shortNames().isEmpty()) {
        type.shortNames().forEach(entry.putArray("shortNames")::add);
      }
      if (!type.categories().isEmpty()) {
        type.categories().forEach(entry.putArray("categories")::add);
      }
      for (String subresource : type.subresources()) {
        entries.add(subresourceEntry(type, subresource));
      }
    }
    return list;
  }

  private ObjectNode subresourceEntry(ResourceType type, String subresource) {
    ObjectNode entry = json.createObjectNode()
        .put("name", type.resource() + "/" + subresource)
        .put("singularName", "")
        .put("namespaced", type.namespaced());
    List<String> verbs;
    switch (subresource) {
      case "scale" -> {
        entry.put("group", "autoscaling").put("version", "v1").put("kind", "Scale");
        verbs = List.of("get", "patch", "update");
      }
      case "eviction" -> {
        entry.put("group", "policy").put("version", "v1").put("kind", "Eviction");
        verbs = List.of("create");
      }
      case "binding" -> {
        entry.put("kind", "Binding");
        verbs = List.of("create");
      }
      case "log" -> {
        entry.put("kind", "Pod");
        verbs = List.of("get");
      }
      case "finalize" -> {
        entry.put("kind", type.kind());
        verbs = List.of("update");
      }
      default -> {
        entry.put("kind", type.kind());
        verbs = List.of("get", "patch", "update");
      }
    }
    verbs.forEach(entry.putArray("verbs")::add);
    return entry;
  }

  public ObjectNode version() {
    String[] parts = Version.KUBERNETES.substring(1).split("\\.");
    return json.createObjectNode()
        .put("major", parts[0])
        .put("minor", parts[1])
        .put("gitVersion", Version.KUBERNETES)
        .put("gitCommit", "kubemu-" + Version.VERSION)
        .put("gitTreeState", "clean")
        .put("buildDate", "2026-01-01T00:00:00Z")
        .put("goVersion", "java" + Runtime.version().feature())
        .put("compiler", "kubemu")
        .put("platform", System.getProperty("os.name").toLowerCase() + "/" + System.getProperty("os.arch"));
  }
}
