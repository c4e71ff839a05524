package io.kubemu.apiserver.resource;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What each kind's registry strategy does to a new object before it is stored, as
 * kube-apiserver's PrepareForCreate: a client does not get to write a status on create; a new
 * pod is Pending in its QoS class.
 */
public final class CreateStrategy {
  private CreateStrategy() {}

  public static void prepare(ResourceType type, ObjectNode object) {
    switch (type.kind()) {
      case "Pod" -> object.putObject("status").put("phase", "Pending").put("qosClass", PodQos.of(object.path("spec")));
      case "Namespace" -> {
        if (!object.path("spec").has("finalizers")) {
          object.withObject("spec").putArray("finalizers").add("kubernetes");
        }
        object.putObject("status").put("phase", "Active");
      }
      case "Deployment", "ReplicaSet", "Node", "Service" -> object.remove("status");
      default -> { }
    }
  }
}
