package io.kubemu.apiserver.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubemu.apiserver.resource.ResourceType;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The defaults Kubernetes fills in whenever it decodes an object (pkg/apis/core/v1/defaults.go,
 * pkg/apis/apps/v1/defaults.go and the generated defaulters): on create, update and patch alike,
 * so that what is stored, and what {@code kubectl get -o yaml} shows, is what a real cluster
 * shows. Defaults never overwrite what a client set.
 */
public final class Defaulting {
  private static final Map<String, Consumer<ObjectNode>> BY_KIND = Map.of(
      "Pod", PodDefaults::apply,
      "Deployment", WorkloadDefaults::deployment,
      "ReplicaSet", WorkloadDefaults::replicaSet,
      "Service", ServiceDefaults::apply,
      "Secret", SecretDefaults::apply,
      "Namespace", Defaulting::namespace,
      "Node", Defaulting::node,
      "Endpoints", Defaulting::endpoints,
      "EndpointSlice", Defaulting::endpointSlice);

  public void apply(ResourceType type, ObjectNode object) {
    BY_KIND.getOrDefault(type.kind(), ignored -> { }).accept(object);
  }

  /** Every namespace carries its own name as a label, so that selectors can pick namespaces by name. */
  private static void namespace(ObjectNode namespace) {
    String name = Fields.text(namespace.path("metadata"), "name");
    ObjectNode metadata = Fields.object(namespace, "metadata");
    ObjectNode labels = metadata == null ? null : Fields.object(metadata, "labels");
    if (!name.isEmpty() && labels != null) {
      labels.put("kubernetes.io/metadata.name", name);
    }
    if (namespace.get("status") instanceof ObjectNode status) {
      Fields.defaultText(status, "phase", "Active");
    }
  }

  /** A node that reports its capacity but not what it can allocate can allocate all of it. */
  private static void node(ObjectNode node) {
    if (node.get("status") instanceof ObjectNode status && Fields.isNull(status.get("allocatable"))
        && status.get("capacity") instanceof ObjectNode capacity) {
      status.set("allocatable", capacity.deepCopy());
    }
  }

  private static void endpoints(ObjectNode endpoints) {
    for (ObjectNode subset : Fields.objects(endpoints, "subsets")) {
      for (ObjectNode port : Fields.objects(subset, "ports")) {
        Fields.defaultText(port, "protocol", "TCP");
      }
    }
  }

  /** A slice's port name and protocol are pointers in Go: unset they become "" and TCP. */
  private static void endpointSlice(ObjectNode slice) {
    for (ObjectNode port : Fields.objects(slice, "ports")) {
      if (Fields.isNull(port.get("name"))) {
        port.put("name", "");
      }
      Fields.defaultText(port, "protocol", "TCP");
    }
  }
}
