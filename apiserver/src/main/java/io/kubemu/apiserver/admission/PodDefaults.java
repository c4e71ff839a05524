package io.kubemu.apiserver.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Kubernetes' SetDefaults_Pod, what a Pod gets beyond its PodSpec's defaults: service links
 * on, requests equal to limits where only limits were given, and with host networking each
 * container port taken on the host as well.
 */
final class PodDefaults {
  private PodDefaults() {}

  static void apply(ObjectNode pod) {
    ObjectNode spec = Fields.object(pod, "spec");
    if (spec == null) {
      return;
    }
    for (String list : List.of("containers", "initContainers")) {
      for (ObjectNode container : Fields.objects(spec, list)) {
        requestsFromLimits(container);
        if (spec.path("hostNetwork").asBoolean(false)) {
          for (ObjectNode port : Fields.objects(container, "ports")) {
            if (port.path("hostPort").asLong(0) == 0 && !Fields.isNull(port.get("containerPort"))) {
              port.set("hostPort", port.get("containerPort").deepCopy());
            }
          }
        }
      }
    }
    if (Fields.isNull(spec.get("enableServiceLinks"))) {
      spec.put("enableServiceLinks", true);
    }
    PodSpecDefaults.apply(spec, "Pod");
  }

  private static void requestsFromLimits(ObjectNode container) {
    if (!(container.get("resources") instanceof ObjectNode resources)
        || !(resources.get("limits") instanceof ObjectNode limits) || limits.isEmpty()) {
      return;
    }
    ObjectNode requests = Fields.object(resources, "requests");
    if (requests == null) {
      return;
    }
    limits.fields().forEachRemaining(limit -> {
      if (!requests.has(limit.getKey())) {
        requests.set(limit.getKey(), limit.getValue().deepCopy());
      }
    });
  }
}
