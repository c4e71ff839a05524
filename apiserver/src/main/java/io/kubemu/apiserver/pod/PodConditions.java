package io.kubemu.apiserver.pod;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubemu.apiserver.resource.ObjectMeta;

/**
 * Sets a condition in a pod's status as Kubernetes' podutil.UpdatePodCondition does: the
 * transition time moves only when the condition's status changes.
 */
final class PodConditions {
  private PodConditions() {}

  /** Sets condition {@code type} to True, with {@code reason} and {@code message} (null: none). */
  static void setTrue(ObjectNode pod, String type, String reason, String message) {
    ArrayNode conditions = pod.withObject("status").withArray("conditions");
    ObjectNode condition = conditions.objectNode().put("type", type).put("status", "True");
    condition.putNull("lastProbeTime");
    condition.put("lastTransitionTime", ObjectMeta.now());
    if (reason != null) {
      condition.put("reason", reason).put("message", message);
    }
    for (int i = 0; i < conditions.size(); i++) {
      JsonNode old = conditions.get(i);
      if (old.path("type").asText().equals(type)) {
        if (old.path("status").asText().equals("True")) {
          condition.set("lastTransitionTime", old.path("lastTransitionTime").deepCopy());
        }
        conditions.set(i, condition);
        return;
      }
    }
    conditions.add(condition);
  }
}
