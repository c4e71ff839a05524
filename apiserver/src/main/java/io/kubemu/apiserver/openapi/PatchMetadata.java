package io.kubemu.apiserver.openapi;

import io.kubemu.apiserver.patch.PatchStrategies;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How a field merges, as the {@code patchStrategy}, {@code patchMergeKey}, {@code listType}
 * and {@code listMapKey} tags of Kubernetes' Go types say: a strategic merge patch merges
 * {@code containers} by {@code name} instead of replacing the list, server-side apply treats
 * a list as a set, a map keyed by some fields, or one atomic value. The fabric8 classes carry
 * none of this, so it comes from tables.
 *
 * <p>The patch strategy and merge key are the strategic merge patch's own table,
 * {@link PatchStrategies}, so that what kubectl is told and what the server does agree. A list
 * merged by a key is, for server-side apply, a map keyed by it, and a list of primitives merged
 * by value is a set; this class lists only the list types that say more or otherwise, and the
 * lists and types that are atomic.
 *
 * <p>kubectl reads these as {@code x-kubernetes-patch-strategy}, {@code x-kubernetes-patch-merge-key},
 * {@code x-kubernetes-list-type} and {@code x-kubernetes-list-map-keys} when it computes the
 * patch for {@code kubectl apply}. Fields without any replace as a whole.
 */
final class PatchMetadata {

  /**
   * The merge rules of one field; null parts are absent. {@code patchStrategy} may combine
   * strategies, comma separated ("merge,retainKeys").
   */
  record Rule(String patchStrategy, String patchMergeKey, String listType, List<String> listMapKeys) {}

  /** A list's {@code +listType} and, for a map, its {@code +listMapKey}s. */
  private record ListType(String type, List<String> mapKeys) {
    static final ListType ATOMIC = new ListType("atomic", null);
    static final ListType SET = new ListType("set", null);

    static ListType map(String... keys) {
      return new ListType("map", List.of(keys));
    }
  }

  private static final String CORE = "io.k8s.api.core.v1.";
  private static final String META = "io.k8s.apimachinery.pkg.apis.meta.v1.";
  private static final String DISCOVERY = "io.k8s.api.discovery.v1.";

  /** List types that the patch strategy does not imply, by definition name and field. */
  private static final Map<String, ListType> LIST_TYPES = new HashMap<>();

  /** Types that merge as one value: a patch replaces them whole ({@code +structType=atomic}). */
  private static final Set<String> ATOMIC_STRUCTS = Set.of(
      META + "LabelSelector", CORE + "LocalObjectReference", CORE + "ObjectReference",
      CORE + "TypedLocalObjectReference", CORE + "ConfigMapKeySelector", CORE + "SecretKeySelector",
      CORE + "ObjectFieldSelector", CORE + "ResourceFieldSelector", CORE + "NodeSelector",
      CORE + "NodeSelectorTerm", CORE + "TopologySelectorTerm");

  static {
    // The object metadata every kind carries.
    atomic(META + "ObjectMeta", "managedFields");
    atomic(META + "LabelSelector", "matchExpressions");
    atomic(META + "LabelSelectorRequirement", "values");

    // Pods and their templates: lists keyed by more than their merge key, and atomic lists.
    put(CORE + "PodSpec", "topologySpreadConstraints", ListType.map("topologyKey", "whenUnsatisfiable"));
    atomic(CORE + "PodSpec", "tolerations");
    atomic(CORE + "PodSpec", "readinessGates");
    for (String container : List.of("Container", "EphemeralContainer")) {
      put(CORE + container, "ports", ListType.map("containerPort", "protocol"));
      atomic(CORE + container, "command");
      atomic(CORE + container, "args");
      atomic(CORE + container, "envFrom");
      atomic(CORE + container, "resizePolicy");
    }
    put(CORE + "ResourceRequirements", "claims", ListType.map("name"));
    atomic(CORE + "PodStatus", "hostIPs");
    atomic(CORE + "PodStatus", "containerStatuses");
    atomic(CORE + "PodStatus", "initContainerStatuses");
    atomic(CORE + "PodStatus", "ephemeralContainerStatuses");

    // Nodes, services, namespaces, endpoints.
    atomic(CORE + "NodeSpec", "taints");
    atomic(CORE + "NodeStatus", "images");
    atomic(CORE + "NodeStatus", "volumesInUse");
    atomic(CORE + "NodeStatus", "volumesAttached");
    put(CORE + "ServiceSpec", "ports", ListType.map("port", "protocol"));
    atomic(CORE + "ServiceSpec", "clusterIPs");
    atomic(CORE + "ServiceSpec", "externalIPs");
    atomic(CORE + "ServiceSpec", "ipFamilies");
    atomic(CORE + "ServiceSpec", "loadBalancerSourceRanges");
    atomic(CORE + "LoadBalancerStatus", "ingress");
    atomic(CORE + "NamespaceSpec", "finalizers");
    atomic(CORE + "ServiceAccount", "imagePullSecrets");
    atomic(CORE + "Endpoints", "subsets");
    atomic(CORE + "EndpointSubset", "addresses");
    atomic(CORE + "EndpointSubset", "notReadyAddresses");
    atomic(CORE + "EndpointSubset", "ports");
    atomic(DISCOVERY + "EndpointSlice", "endpoints");
    atomic(DISCOVERY + "EndpointSlice", "ports");
    put(DISCOVERY + "Endpoint", "addresses", ListType.SET);
  }

  private PatchMetadata() {}

  /** The merge rules of {@code field} in the type named {@code definition}, if it has any. */
  static Optional<Rule> of(String definition, String field) {
    // PatchStrategies names types as Go does, without their package; among the served kinds that is unique.
    String goType = definition.substring(definition.lastIndexOf('.') + 1);
    PatchStrategies.Strategy strategy = PatchStrategies.ofType(goType).get(field);
    ListType listType = LIST_TYPES.getOrDefault(definition + "." + field, impliedBy(strategy));
    if (strategy == null && listType == null) {
      return Optional.empty();
    }
    return Optional.of(new Rule(strategy == null ? null : strategy.patchStrategy(),
        strategy == null ? null : strategy.mergeKey(),
        listType == null ? null : listType.type(), listType == null ? null : listType.mapKeys()));
  }

  /** Whether the type named {@code definition} is replaced whole by a patch. */
  static boolean isAtomicStruct(String definition) {
    return ATOMIC_STRUCTS.contains(definition);
  }

  /** A list merged by a key is a map keyed by it, one merged by value a set; other fields are no lists. */
  private static ListType impliedBy(PatchStrategies.Strategy strategy) {
    if (strategy == null || !strategy.merges()) {
      return null;
    }
    return strategy.mergeKey() == null ? ListType.SET : ListType.map(strategy.mergeKey());
  }

  private static void atomic(String definition, String field) {
    put(definition, field, ListType.ATOMIC);
  }

  private static void put(String definition, String field, ListType listType) {
    LIST_TYPES.put(definition + "." + field, listType);
  }
}
