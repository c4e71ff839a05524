package io.kubemu.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubemu.apiserver.http.ApiException;
import io.kubemu.apiserver.resource.ResourceType;
import java.util.List;
import java.util.Map;

/**
 * The Priority admission plugin: a new pod's priority comes from its priorityClassName, and an
 * update keeps it. kubemu serves no PriorityClasses, so only the two built-in system classes
 * exist; a pod without a class gets priority 0, as in a cluster without a global default class.
 */
final class PriorityAdmission implements MutatingPlugin {
  static final Map<String, Integer> SYSTEM_PRIORITY_CLASSES = Map.of(
      "system-node-critical", 2000001000,
      "system-cluster-critical", 2000000000);

  @Override
  public void admit(ResourceType type, ObjectNode pod, JsonNode old) {
    if (!type.kind().equals("Pod") || !(pod.get("spec") instanceof ObjectNode spec)) {
      return;
    }
    if (old != null) {
      // Set on create and immutable since: an update that leaves them out keeps them.
      for (String field : List.of("priority", "preemptionPolicy")) {
        if (Fields.isNull(spec.get(field)) && !Fields.isNull(old.path("spec").get(field))) {
          spec.set(field, old.path("spec").get(field).deepCopy());
        }
      }
      return;
    }
    String className = Fields.text(spec, "priorityClassName");
    String name = Fields.text(pod.path("metadata"), "name");
    int priority = 0;
    if (!className.isEmpty()) {
      Integer known = SYSTEM_PRIORITY_CLASSES.get(className);
      if (known == null) {
        throw forbidden(type, name, "no PriorityClass with name " + className + " was found");
      }
      priority = known;
    }
    JsonNode given = spec.get("priority");
    if (!Fields.isNull(given) && given.asLong() != priority) {
      throw forbidden(type, name, "the integer value of priority (" + given.asLong()
          + ") must not be provided in pod spec; priority admission controller computed " + priority
          + " from the given PriorityClass name");
    }
    spec.put("priority", priority);
    Fields.defaultText(spec, "preemptionPolicy", "PreemptLowerPriority");
  }

  private static ApiException forbidden(ResourceType type, String name, String reason) {
    return new ApiException(403, "Forbidden", type.qualifiedResource() + " \"" + name + "\" is forbidden: " + reason,
        type, name, List.of());
  }
}
