package io.kubemu.apiserver.openapi;

import java.util.Map;
import java.util.Optional;

/**
 * The descriptions {@code kubectl explain} prints. fabric8's classes keep none at run time, so
 * these are our own words, for the kinds we serve and the fields every object has; other fields
 * go without one.
 */
final class Descriptions {
  private static final String META = "io.k8s.apimachinery.pkg.apis.meta.v1.";

  private static final Map<String, String> TYPES = Map.ofEntries(
      Map.entry("io.k8s.api.core.v1.Pod", "A Pod is a group of containers that run together on one node, "
          + "sharing its network identity and volumes."),
      Map.entry("io.k8s.api.core.v1.PodSpec", "What a pod should run: its containers, volumes and scheduling constraints."),
      Map.entry("io.k8s.api.core.v1.PodTemplateSpec", "The pods a controller creates: their metadata and spec."),
      Map.entry("io.k8s.api.core.v1.Container", "One container of a pod: image, command, ports, environment, resources."),
      Map.entry("io.k8s.api.core.v1.Namespace", "A Namespace groups named objects; names are unique within it."),
      Map.entry("io.k8s.api.core.v1.Node", "A Node is a machine that runs pods, as its kubelet reports it."),
      Map.entry("io.k8s.api.core.v1.Service", "A Service gives a set of pods, chosen by a label selector, "
          + "one stable virtual address and port."),
      Map.entry("io.k8s.api.core.v1.Endpoints", "The addresses of the ready and not-ready pods behind a Service."),
      Map.entry("io.k8s.api.core.v1.Event", "An Event reports something that happened to an object."),
      Map.entry("io.k8s.api.core.v1.ConfigMap", "A ConfigMap holds configuration data for pods to consume."),
      Map.entry("io.k8s.api.core.v1.Secret", "A Secret holds a small amount of sensitive data, base64 encoded."),
      Map.entry("io.k8s.api.core.v1.ServiceAccount", "An identity for the processes that run in pods."),
      Map.entry("io.k8s.api.core.v1.Binding", "Binds a pod to a node; the scheduler posts it."),
      Map.entry("io.k8s.api.apps.v1.Deployment", "A Deployment keeps a number of identical pods running and "
          + "rolls out changes to their template through ReplicaSets."),
      Map.entry("io.k8s.api.apps.v1.DeploymentSpec", "The desired state of a Deployment."),
      Map.entry("io.k8s.api.apps.v1.DeploymentStatus", "The most recently observed state of a Deployment."),
      Map.entry("io.k8s.api.apps.v1.DeploymentStrategy", "How a Deployment replaces old pods with new ones."),
      Map.entry("io.k8s.api.apps.v1.ReplicaSet", "A ReplicaSet keeps a number of pods from one template running."),
      Map.entry("io.k8s.api.apps.v1.ReplicaSetSpec", "The desired state of a ReplicaSet."),
      Map.entry("io.k8s.api.coordination.v1.Lease", "A Lease records who holds a lock and until when: "
          + "node heartbeats and leader election."),
      Map.entry("io.k8s.api.discovery.v1.EndpointSlice", "A part of the endpoints of a Service."),
      Map.entry("io.k8s.api.autoscaling.v1.Scale", "The replica count of a scalable object, read and written "
          + "through its scale subresource."),
      Map.entry("io.k8s.api.policy.v1.Eviction", "A request to evict a pod, respecting disruption budgets; "
          + "posted to the pod's eviction subresource."),
      Map.entry(META + "ObjectMeta", "The metadata every persisted object has: name, namespace, labels, "
          + "annotations, owners, and the fields the server maintains."),
      Map.entry(META + "ListMeta", "The metadata of a list: its resource version and continue token."),
      Map.entry(META + "LabelSelector", "Selects objects by their labels; all requirements must hold."),
      Map.entry(META + "Status", "The outcome of a call that returns no object, or of a failed one."),
      Map.entry(META + "DeleteOptions", "Options of a delete: grace period, preconditions, propagation policy."),
      Map.entry(META + "WatchEvent", "One change in a watch stream: its type and the object."),
      Map.entry(DefinitionNames.TIME, "A timestamp in RFC 3339 form, to the second, in UTC."),
      Map.entry(DefinitionNames.MICRO_TIME, "A timestamp in RFC 3339 form, to the microsecond, in UTC."),
      Map.entry(DefinitionNames.INT_OR_STRING, "Either an integer or a string, such as a port number or "
          + "a port name, or a count or a percentage (\"25%\")."),
      Map.entry(DefinitionNames.QUANTITY, "An amount of a resource, as a number with an optional suffix: "
          + "\"500m\" CPU, \"128Mi\" memory."),
      Map.entry(DefinitionNames.RAW_EXTENSION, "An embedded object of any kind."),
      Map.entry(DefinitionNames.FIELDS_V1, "A set of fields, in the form server-side apply records them."));

  /** Descriptions of the fields of every kind and list, by JSON name. */
  private static final Map<String, String> COMMON_FIELDS = Map.of(
      "apiVersion", "The versioned schema of this object, such as \"v1\" or \"apps/v1\".",
      "kind", "The kind of this object, in CamelCase, such as \"Pod\".",
      "metadata", "Standard object metadata.",
      "spec", "The desired state of this object.",
      "status", "The most recently observed state of this object, written by the system; read-only for users.",
      "items", "The objects of this list.");

  /** Descriptions of particular fields, by definition name and JSON name. */
  private static final Map<String, String> FIELDS = Map.ofEntries(
      Map.entry("io.k8s.api.apps.v1.DeploymentSpec.replicas", "How many pods to run. Defaults to 1."),
      Map.entry("io.k8s.api.apps.v1.DeploymentSpec.selector", "The label selector of the pods this Deployment "
          + "manages; it must match the template's labels and cannot change."),
      Map.entry("io.k8s.api.apps.v1.DeploymentSpec.template", "The pods to create."),
      Map.entry("io.k8s.api.apps.v1.DeploymentSpec.strategy", "How to replace old pods with new ones."),
      Map.entry("io.k8s.api.apps.v1.ReplicaSetSpec.replicas", "How many pods to run. Defaults to 1."),
      Map.entry("io.k8s.api.core.v1.PodSpec.containers", "The containers of the pod; at least one. "
          + "A patch merges this list by container name."),
      Map.entry("io.k8s.api.core.v1.PodSpec.nodeName", "The node the pod is bound to; set by the scheduler."),
      Map.entry("io.k8s.api.core.v1.Container.name", "The container's name, unique within the pod."),
      Map.entry("io.k8s.api.core.v1.Container.image", "The container image to run."),
      Map.entry(META + "ObjectMeta.name", "The object's name, unique among its kind in its namespace."),
      Map.entry(META + "ObjectMeta.namespace", "The namespace of the object; empty for cluster-scoped kinds."),
      Map.entry(META + "ObjectMeta.labels", "Key-value pairs that selectors match against."),
      Map.entry(META + "ObjectMeta.annotations", "Key-value pairs for tools and people; not selectable."),
      Map.entry(META + "ObjectMeta.resourceVersion", "The version of the object in the store, for optimistic "
          + "concurrency and watches; opaque to clients."),
      Map.entry(META + "ObjectMeta.uid", "The unique id of this object, never reused."));

  private Descriptions() {}

  static Optional<String> ofType(String definition) {
    return Optional.ofNullable(TYPES.get(definition));
  }

  /** The description of a field; {@code ofKind} when its type is a kind or a list, with apiVersion and kind. */
  static Optional<String> ofField(String definition, String field, boolean ofKind) {
    String specific = FIELDS.get(definition + "." + field);
    return Optional.ofNullable(specific != null ? specific : ofKind ? COMMON_FIELDS.get(field) : null);
  }
}
