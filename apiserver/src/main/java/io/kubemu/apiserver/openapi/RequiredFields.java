package io.kubemu.apiserver.openapi;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fields a type cannot do without, as Kubernetes' schemas list them under {@code required}
 * and {@code kubectl explain} marks them ({@code -required-}). fabric8 does not say which, so
 * this is a table of the ones a user writes most; every list kind also requires its items.
 */
final class RequiredFields {
  private static final String CORE = "io.k8s.api.core.v1.";
  private static final String META = "io.k8s.apimachinery.pkg.apis.meta.v1.";

  private static final Map<String, List<String>> REQUIRED = Map.ofEntries(
      Map.entry("io.k8s.api.apps.v1.DeploymentSpec", List.of("selector", "template")),
      Map.entry("io.k8s.api.apps.v1.ReplicaSetSpec", List.of("selector")),
      Map.entry("io.k8s.api.apps.v1.DeploymentCondition", List.of("type", "status")),
      Map.entry("io.k8s.api.apps.v1.ReplicaSetCondition", List.of("type", "status")),
      Map.entry("io.k8s.api.apps.v1.ReplicaSetStatus", List.of("replicas")),
      Map.entry(CORE + "PodSpec", List.of("containers")),
      Map.entry(CORE + "Container", List.of("name")),
      Map.entry(CORE + "EphemeralContainer", List.of("name")),
      Map.entry(CORE + "ContainerPort", List.of("containerPort")),
      Map.entry(CORE + "EnvVar", List.of("name")),
      Map.entry(CORE + "VolumeMount", List.of("name", "mountPath")),
      Map.entry(CORE + "Volume", List.of("name")),
      Map.entry(CORE + "KeyToPath", List.of("key", "path")),
      Map.entry(CORE + "ServicePort", List.of("port")),
      Map.entry(CORE + "HTTPGetAction", List.of("port")),
      Map.entry(CORE + "TCPSocketAction", List.of("port")),
      Map.entry(CORE + "Taint", List.of("key", "effect")),
      Map.entry(CORE + "NodeSelector", List.of("nodeSelectorTerms")),
      Map.entry(CORE + "NodeSelectorRequirement", List.of("key", "operator")),
      Map.entry(CORE + "PodCondition", List.of("type", "status")),
      Map.entry(CORE + "NodeCondition", List.of("type", "status")),
      Map.entry(CORE + "NodeAddress", List.of("type", "address")),
      Map.entry(CORE + "EndpointAddress", List.of("ip")),
      Map.entry(CORE + "EndpointPort", List.of("port")),
      Map.entry(CORE + "Binding", List.of("target")),
      Map.entry(CORE + "Event", List.of("metadata", "involvedObject")),
      Map.entry("io.k8s.api.discovery.v1.EndpointSlice", List.of("addressType", "endpoints")),
      Map.entry("io.k8s.api.discovery.v1.Endpoint", List.of("addresses")),
      Map.entry(META + "LabelSelectorRequirement", List.of("key", "operator")),
      Map.entry(META + "OwnerReference", List.of("apiVersion", "kind", "name", "uid")),
      Map.entry(META + "Condition", List.of("type", "status", "lastTransitionTime", "reason", "message")),
      Map.entry(META + "WatchEvent", List.of("type", "object")),
      Map.entry(META + "APIResourceList", List.of("groupVersion", "resources")),
      Map.entry(META + "APIResource", List.of("name", "singularName", "namespaced", "kind", "verbs")));

  private RequiredFields() {}

  /** The required fields of the type named {@code definition}, given the fields it has. */
  static List<String> of(String definition, Set<String> fields) {
    List<String> required = REQUIRED.get(definition);
    if (required != null) {
      return required;
    }
    return definition.endsWith("List") && fields.contains("items") ? List.of("items") : List.of();
  }
}
