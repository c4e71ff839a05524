package io.kubemu.scheduler.plugins;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.Objects;

/** Whether a pod tolerates a taint, as Kubernetes' Toleration.ToleratesTaint. */
final class Tolerations {
  private Tolerations() {
  }

  static boolean tolerates(Pod pod, Taint taint) {
    if (pod.getSpec().getTolerations() == null) {
      return false;
    }
    return pod.getSpec().getTolerations().stream().anyMatch(toleration -> tolerates(toleration, taint));
  }

  static boolean tolerates(Toleration toleration, Taint taint) {
    if (!isEmpty(toleration.getEffect()) && !toleration.getEffect().equals(taint.getEffect())) {
      return false;
    }
    if (!isEmpty(toleration.getKey()) && !toleration.getKey().equals(taint.getKey())) {
      return false;
    }
    String operator = isEmpty(toleration.getOperator()) ? "Equal" : toleration.getOperator();
    return switch (operator) {
      // An empty key with Exists tolerates every taint.
      case "Exists" -> true;
      case "Equal" -> !isEmpty(toleration.getKey())
          && Objects.equals(nullToEmpty(toleration.getValue()), nullToEmpty(taint.getValue()));
      default -> false;
    };
  }

  private static boolean isEmpty(String text) {
    return text == null || text.isEmpty();
  }

  private static String nullToEmpty(String text) {
    return text == null ? "" : text;
  }
}
