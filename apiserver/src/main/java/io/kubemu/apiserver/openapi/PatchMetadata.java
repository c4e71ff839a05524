package io.kubemu.apiserver.openapi;

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
 * none of this, so it is a table, keyed by definition name and JSON field name.
 *
 * <p>kubectl reads these as {@code x-kubernetes-patch-strategy}, {@code x-kubernetes-patch-merge-key},
 * {@code x-kubernetes-list-type} and {@code x-kubernetes-list-map-keys} when it computes the
 * patch for {@code kubectl apply}. Fields not listed here replace as a whole.
 */
final class PatchMetadata {

  /**
   * The merge rules of one field; null parts are absent. {@code patchStrategy} may combine
   * strategies, comma separated ("merge,retainKeys").
   */
  record Rule(String patchStrategy, String patchMergeKey, String listType, List<String> listMapKeys) {}

  private static final String CORE = "io.k8s.api.core.v1.";
  private static final String APPS = "io.k8s.api.apps.v1.";
  private static final String META = "io.k8s.apimachinery.pkg.apis.meta.v1.";
  private static final String DISCOVERY = "io.k8s.api.discovery.v1.";

  private static final Map<String, Rule> RULES = new HashMap<>();

  /** Types that merge as one value: a patch replaces them whole ({@code +structType=atomic}). */
  private static final Set<String> ATOMIC_STRUCTS = Set.of(
      META + "LabelSelector", CORE + "LocalObjectReference", CORE + "ObjectReference",
      CORE + "TypedLocalObjectReference", CORE + "ConfigMapKeySelector", CORE + "SecretKeySelector",
      CORE + "ObjectFieldSelector", CORE + "ResourceFieldSelector", CORE + "NodeSelector",
      CORE + "NodeSelectorTerm", CORE + "TopologySelectorTerm");

  static {
    // The object metadata every kind carries.
    set(META + "ObjectMeta", "finalizers", "merge");
    mergeByKey(META + "ObjectMeta", "ownerReferences", "uid");
    atomic(META + "ObjectMeta", "managedFields");
    atomic(META + "LabelSelector", "matchExpressions");
    atomic(META + "LabelSelectorRequirement", "values");

    // Pods and their templates: the lists kubectl apply merges item by item.
    mergeByKey(CORE + "PodSpec", "containers", "name");
    mergeByKey(CORE + "PodSpec", "initContainers", "name");
    mergeByKey(CORE + "PodSpec", "ephemeralContainers", "name");
    mergeByKey(CORE + "PodSpec", "imagePullSecrets", "name");
    mergeByKey(CORE + "PodSpec", "schedulingGates", "name");
    put(CORE + "PodSpec", "volumes", new Rule("merge,retainKeys", "name", "map", List.of("name")));
    put(CORE + "PodSpec", "resourceClaims", new Rule("merge,retainKeys", "name", "map", List.of("name")));
    mergeByKey(CORE + "PodSpec", "hostAliases", "ip");
    put(CORE + "PodSpec", "topologySpreadConstraints",
        new Rule("merge", "topologyKey", "map", List.of("topologyKey", "whenUnsatisfiable")));
    atomic(CORE + "PodSpec", "tolerations");
    atomic(CORE + "PodSpec", "readinessGates");
    for (String container : List.of("Container", "EphemeralContainer")) {
      put(CORE + container, "ports", new Rule("merge", "containerPort", "map", List.of("containerPort", "protocol")));
      mergeByKey(CORE + container, "env", "name");
      mergeByKey(CORE + container, "volumeMounts", "mountPath");
      mergeByKey(CORE + container, "volumeDevices", "devicePath");
      atomic(CORE + container, "command");
      atomic(CORE + container, "args");
      atomic(CORE + container, "envFrom");
      atomic(CORE + container, "resizePolicy");
    }
    put(CORE + "ResourceRequirements", "claims", new Rule(null, null, "map", List.of("name")));
    mergeByKey(CORE + "PodStatus", "conditions", "type");
    mergeByKey(CORE + "PodStatus", "podIPs", "ip");
    put(CORE + "PodStatus", "hostIPs", new Rule("merge", "ip", "atomic", null));
    atomic(CORE + "PodStatus", "containerStatuses");
    atomic(CORE + "PodStatus", "initContainerStatuses");
    atomic(CORE + "PodStatus", "ephemeralContainerStatuses");

    // Nodes, services, namespaces, endpoints.
    set(CORE + "NodeSpec", "podCIDRs", "merge");
    atomic(CORE + "NodeSpec", "taints");
    mergeByKey(CORE + "NodeStatus", "conditions", "type");
    mergeByKey(CORE + "NodeStatus", "addresses", "type");
    atomic(CORE + "NodeStatus", "images");
    atomic(CORE + "NodeStatus", "volumesInUse");
    atomic(CORE + "NodeStatus", "volumesAttached");
    put(CORE + "ServiceSpec", "ports", new Rule("merge", "port", "map", List.of("port", "protocol")));
    atomic(CORE + "ServiceSpec", "clusterIPs");
    atomic(CORE + "ServiceSpec", "externalIPs");
    atomic(CORE + "ServiceSpec", "ipFamilies");
    atomic(CORE + "ServiceSpec", "loadBalancerSourceRanges");
    mergeByKey(CORE + "ServiceStatus", "conditions", "type");
    atomic(CORE + "LoadBalancerStatus", "ingress");
    atomic(CORE + "NamespaceSpec", "finalizers");
    mergeByKey(CORE + "NamespaceStatus", "conditions", "type");
    mergeByKey(CORE + "ServiceAccount", "secrets", "name");
    atomic(CORE + "ServiceAccount", "imagePullSecrets");
    atomic(CORE + "Endpoints", "subsets");
    atomic(CORE + "EndpointSubset", "addresses");
    atomic(CORE + "EndpointSubset", "notReadyAddresses");
    atomic(CORE + "EndpointSubset", "ports");
    atomic(DISCOVERY + "EndpointSlice", "endpoints");
    atomic(DISCOVERY + "EndpointSlice", "ports");
    set(DISCOVERY + "Endpoint", "addresses", null);

    // Workloads.
    put(APPS + "DeploymentSpec", "strategy", new Rule("retainKeys", null, null, null));
    mergeByKey(APPS + "DeploymentStatus", "conditions", "type");
    mergeByKey(APPS + "ReplicaSetStatus", "conditions", "type");
  }

  private PatchMetadata() {}

  /** The merge rules of {@code field} in the type named {@code definition}, if it has any. */
  static Optional<Rule> of(String definition, String field) {
    return Optional.ofNullable(RULES.get(definition + "." + field));
  }

  /** Whether the type named {@code definition} is replaced whole by a patch. */
  static boolean isAtomicStruct(String definition) {
    return ATOMIC_STRUCTS.contains(definition);
  }

  /** A list of objects merged by one key, and a map keyed by it for server-side apply. */
  private static void mergeByKey(String definition, String field, String key) {
    put(definition, field, new Rule("merge", key, "map", List.of(key)));
  }

  private static void set(String definition, String field, String patchStrategy) {
    put(definition, field, new Rule(patchStrategy, null, "set", null));
  }

  private static void atomic(String definition, String field) {
    put(definition, field, new Rule(null, null, "atomic", null));
  }

  private static void put(String definition, String field, Rule rule) {
    RULES.put(definition + "." + field, rule);
  }
}
