package io.kubemu.apiserver.patch;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which fields of the built-in kinds a strategic merge patch merges instead of replacing: the
 * {@code patchStrategy} and {@code patchMergeKey} tags of the upstream Go types
 * (k8s.io/api core/v1, apps/v1, coordination/v1, discovery/v1 and ObjectMeta), nothing more.
 *
 * <p>Two readers use it, so that the server merges as it tells kubectl it does. The patch engine
 * asks about one field of one object, {@code PatchStrategies.of("Deployment", "spec.template.spec.containers")};
 * the OpenAPI generator asks for the tagged fields of one type ({@link #ofType(String)}) and writes
 * {@code x-kubernetes-patch-strategy} and {@code x-kubernetes-patch-merge-key} (and the list types
 * they imply). {@link #of(String)} lists every tagged field of a kind. Field paths are written as
 * {@code kubectl explain} writes them: field names joined by dots, list items implied.
 *
 * <p>A field that is not in the table is a map that merges key by key, or an atomic list that a
 * patch replaces whole (tolerations, envFrom, args, the subsets of Endpoints, ...).
 */
public final class PatchStrategies {

  /**
   * A field's tags, as the OpenAPI extensions spell them.
   *
   * @param patchStrategy {@code merge}, {@code retainKeys}, {@code merge,retainKeys} or {@code replace}
   * @param mergeKey the item field that identifies an item of a list of objects; null for a list of
   *     primitives and for maps
   */
  public record Strategy(String patchStrategy, String mergeKey) {

    /** A list merged item by item: by {@link #mergeKey} for objects, by value for primitives. */
    public boolean merges() {
      return strategies().contains("merge");
    }

    /** A field whose {@code $retainKeys} directive kubectl apply sends (e.g. a Deployment's strategy). */
    public boolean retainsKeys() {
      return strategies().contains("retainKeys");
    }

    /** A map that a patch replaces whole instead of merging key by key. */
    public boolean replaces() {
      return strategies().contains("replace");
    }

    private Set<String> strategies() {
      return Set.of(patchStrategy.split(","));
    }
  }

  /** The kinds the table covers; the metadata of each is an ObjectMeta. */
  private static final Set<String> KINDS = Set.of(
      // core/v1
      "Pod", "Node", "Service", "Endpoints", "ConfigMap", "Secret", "ServiceAccount", "Namespace", "Event",
      // apps/v1, and autoscaling/v1 Scale for `kubectl patch --subresource=scale`
      "Deployment", "ReplicaSet", "Scale",
      // coordination/v1, discovery/v1
      "Lease", "EndpointSlice");

  private static final Field[] CONTAINER_LISTS = {
      tagged("ports", "merge", "containerPort"),
      tagged("env", "merge", "name"),
      tagged("volumeMounts", "merge", "mountPath"),
      tagged("volumeDevices", "merge", "devicePath"),
  };

  /** Go type name → its fields that carry tags or lead to a type that does. */
  private static final Map<String, Map<String, Field>> TYPES = table(
      type("ObjectMeta",
          tagged("finalizers", "merge"),
          tagged("ownerReferences", "merge", "uid")),

      type("Pod",
          nested("spec", "PodSpec"),
          nested("status", "PodStatus")),
      type("PodTemplateSpec",
          nested("metadata", "ObjectMeta"),
          nested("spec", "PodSpec")),
      type("PodSpec",
          tagged("volumes", "merge,retainKeys", "name"),
          tagged("initContainers", "merge", "name", "Container"),
          tagged("containers", "merge", "name", "Container"),
          tagged("ephemeralContainers", "merge", "name", "EphemeralContainer"),
          tagged("imagePullSecrets", "merge", "name"),
          tagged("hostAliases", "merge", "ip"),
          tagged("topologySpreadConstraints", "merge", "topologyKey"),
          tagged("schedulingGates", "merge", "name"),
          tagged("resourceClaims", "merge,retainKeys", "name")),
      type("Container", CONTAINER_LISTS),
      type("EphemeralContainer", CONTAINER_LISTS),
      type("PodStatus",
          tagged("conditions", "merge", "type"),
          tagged("podIPs", "merge", "ip"),
          tagged("hostIPs", "merge", "ip"),
          tagged("resourceClaimStatuses", "merge,retainKeys", "name")),

      type("Node",
          nested("spec", "NodeSpec"),
          nested("status", "NodeStatus")),
      type("NodeSpec",
          tagged("podCIDRs", "merge")),
      type("NodeStatus",
          tagged("conditions", "merge", "type"),
          tagged("addresses", "merge", "type")),

      type("Service",
          nested("spec", "ServiceSpec"),
          nested("status", "ServiceStatus")),
      type("ServiceSpec",
          tagged("ports", "merge", "port")),
      type("ServiceStatus",
          tagged("conditions", "merge", "type")),

      type("ServiceAccount",
          tagged("secrets", "merge", "name")),

      type("Namespace",
          nested("status", "NamespaceStatus")),
      type("NamespaceStatus",
          tagged("conditions", "merge", "type")),

      type("Deployment",
          nested("spec", "DeploymentSpec"),
          nested("status", "DeploymentStatus")),
      type("DeploymentSpec",
          nested("template", "PodTemplateSpec"),
          tagged("strategy", "retainKeys")),
      type("DeploymentStatus",
          tagged("conditions", "merge", "type")),

      type("ReplicaSet",
          nested("spec", "ReplicaSetSpec"),
          nested("status", "ReplicaSetStatus")),
      type("ReplicaSetSpec",
          nested("template", "PodTemplateSpec")),
      type("ReplicaSetStatus",
          tagged("conditions", "merge", "type")));

  private PatchStrategies() {
  }

  /** The kinds whose strategic merge patches this table can serve. */
  public static Set<String> kinds() {
    return Collections.unmodifiableSet(new TreeSet<>(KINDS));
  }

  public static boolean knows(String kind) {
    return KINDS.contains(kind);
  }

  /**
   * The tags of one field of a kind, e.g. {@code of("Pod", "spec.containers.env")} is merge by
   * {@code name}; empty for a field without tags or a kind the table does not know.
   */
  public static Optional<Strategy> of(String kind, String fieldPath) {
    if (!knows(kind)) {
      return Optional.empty();
    }
    String type = kind;
    String[] names = fieldPath.split("\\.");
    for (int i = 0; i < names.length - 1; i++) {
      type = fieldOf(type, names[i]).map(Field::type).orElse(null);
      if (type == null) {
        return Optional.empty();
      }
    }
    return fieldOf(type, names[names.length - 1]).map(Field::strategy);
  }

  /** Every tagged field of a kind by its path, e.g. for Deployment {@code spec.template.spec.containers}. */
  public static Map<String, Strategy> of(String kind) {
    Map<String, Strategy> byPath = new TreeMap<>();
    if (knows(kind)) {
      collect(kind, "", byPath);
    }
    return byPath;
  }

  /** The tagged fields of one upstream type by field name, e.g. {@code ofType("PodSpec")}. */
  public static Map<String, Strategy> ofType(String type) {
    Map<String, Strategy> byName = new TreeMap<>();
    TYPES.getOrDefault(type, Map.of()).forEach((name, field) -> {
      if (field.strategy() != null) {
        byName.put(name, field.strategy());
      }
    });
    return byName;
  }

  private static void collect(String type, String prefix, Map<String, Strategy> byPath) {
    Map<String, Field> fields = new LinkedHashMap<>(TYPES.getOrDefault(type, Map.of()));
    if (KINDS.contains(type)) {
      fields.putIfAbsent("metadata", nested("metadata", "ObjectMeta"));
    }
    for (Field field : fields.values()) {
      String path = prefix + field.name();
      if (field.strategy() != null) {
        byPath.put(path, field.strategy());
      }
      if (field.type() != null) {
        collect(field.type(), path + ".", byPath);
      }
    }
  }

  private static Optional<Field> fieldOf(String type, String name) {
    if (KINDS.contains(type) && name.equals("metadata")) {
      return Optional.of(nested("metadata", "ObjectMeta"));
    }
    return Optional.ofNullable(TYPES.getOrDefault(type, Map.of()).get(name));
  }

  /** One field: its tags (null when untagged) and the type of its value or items (null when it has no tags inside). */
  private record Field(String name, String type, Strategy strategy) {
  }

  private static Field nested(String name, String type) {
    return new Field(name, type, null);
  }

  private static Field tagged(String name, String patchStrategy) {
    return new Field(name, null, new Strategy(patchStrategy, null));
  }

  private static Field tagged(String name, String patchStrategy, String mergeKey) {
    return new Field(name, null, new Strategy(patchStrategy, mergeKey));
  }

  private static Field tagged(String name, String patchStrategy, String mergeKey, String itemType) {
    return new Field(name, itemType, new Strategy(patchStrategy, mergeKey));
  }

  private static Map.Entry<String, Map<String, Field>> type(String name, Field... fields) {
    Map<String, Field> byName = new LinkedHashMap<>();
    Arrays.stream(fields).forEach(field -> byName.put(field.name(), field));
    return Map.entry(name, Collections.unmodifiableMap(byName));
  }

  @SafeVarargs
  private static Map<String, Map<String, Field>> table(Map.Entry<String, Map<String, Field>>... types) {
    return Map.ofEntries(types);
  }
}
