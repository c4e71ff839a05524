package io.kubemu.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubemu.apiserver.resource.ResourceType;

/**
 * The DefaultTolerationSeconds admission plugin: every pod tolerates its node being not-ready
 * or unreachable for 300 s (--default-not-ready-toleration-seconds,
 * --default-unreachable-toleration-seconds) before the taint eviction controller evicts it,
 * unless the pod already says how long it tolerates that.
 */
final class DefaultTolerationSeconds implements MutatingPlugin {
  static final String NOT_READY = "node.kubernetes.io/not-ready";
  static final String UNREACHABLE = "node.kubernetes.io/unreachable";
  /** kube-apiserver's default of both flags. */
  public static final long DEFAULT_SECONDS = 300;

  private final long notReadySeconds;
  private final long unreachableSeconds;

  /**
   * @param notReadySeconds how long a pod tolerates {@code node.kubernetes.io/not-ready:NoExecute}
   * @param unreachableSeconds how long a pod tolerates {@code node.kubernetes.io/unreachable:NoExecute}
   */
  DefaultTolerationSeconds(long notReadySeconds, long unreachableSeconds) {
    this.notReadySeconds = notReadySeconds;
    this.unreachableSeconds = unreachableSeconds;
  }

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
      add(tolerations, NOT_READY, notReadySeconds);
    }
    if (!unreachable) {
      add(tolerations, UNREACHABLE, unreachableSeconds);
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

  private static void add(ArrayNode tolerations, String taint, long seconds) {
    tolerations.addObject().put("key", taint).put("operator", "Exists").put("effect", "NoExecute")
        .put("tolerationSeconds", seconds);
  }
}
