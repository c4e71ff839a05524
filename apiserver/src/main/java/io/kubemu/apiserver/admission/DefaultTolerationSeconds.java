package io.kubemu.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubemu.apiserver.resource.ResourceType;

/**
 * The DefaultTolerationSeconds admission plugin: every pod tolerates its node being not-ready
 * or unreachable for 300 s (--default-not-ready-toleration-seconds,
 * --default-unreachable-toleration-seconds) before the node lifecycle controller evicts it,
 * unless the pod already says how long it tolerates that.
 */
final class DefaultTolerationSeconds implements MutatingPlugin {
  static final String NOT_READY = "node.kubernetes.io/not-ready";
  static final String UNREACHABLE = "node.kubernetes.io/unreachable";
  static final long DEFAULT_SECONDS = 300;

  @Override
  public void admit(ResourceType type, ObjectNode pod, JsonNode old) {
    if (!type.kind().equals("Pod") || !(pod.get("spec") instanceof ObjectNode spec)) {
      return;
    }
    boolean notReady = tolerates(spec, NOT_READY);
    boolean unreachable = tolerates(spec, UNREACHABLE);
    if (notReady && unreachable) {
      return;
    }
    ArrayNode tolerations = spec.get("tolerations") instanceof ArrayNode list ? list : spec.putArray("tolerations");
    if (!notReady) {
      add(tolerations, NOT_READY);
    }
    if (!unreachable) {
      add(tolerations, UNREACHABLE);
    }
  }

  /** A toleration of the taint's key, or of every key, with the NoExecute effect or every effect. */
  private static boolean tolerates(JsonNode spec, String taint) {
    for (JsonNode toleration : spec.path("tolerations")) {
      String key = Fields.text(toleration, "key");
      String effect = Fields.text(toleration, "effect");
      if ((key.equals(taint) || key.isEmpty()) && (effect.equals("NoExecute") || effect.isEmpty())) {
        return true;
      }
    }
    return false;
  }

  private static void add(ArrayNode tolerations, String taint) {
    tolerations.addObject().put("key", taint).put("operator", "Exists").put("effect", "NoExecute")
        .put("tolerationSeconds", DEFAULT_SECONDS);
  }
}
