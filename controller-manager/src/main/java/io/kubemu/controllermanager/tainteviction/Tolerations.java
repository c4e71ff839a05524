package io.kubemu.controllermanager.tainteviction;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How long a pod may stay on a Node with NoExecute taints, as Kubernetes' taint eviction
 * controller reads its tolerations: not at all when a taint is not tolerated, forever when every
 * matching toleration is without tolerationSeconds, else the least tolerationSeconds.
 */
public final class Tolerations {
  /** Tolerated forever: no eviction. */
  public static final Duration FOREVER = Duration.ofSeconds(-1);

  private Tolerations() {}

  /** Kubernetes' ToleratesTaint. */
  static boolean tolerates(Toleration toleration, Taint taint) {
    String effect = toleration.getEffect();
    if (effect != null && !effect.isEmpty() && !effect.equals(taint.getEffect())) {
      return false;
    }
    String key = toleration.getKey();
    if (key != null && !key.isEmpty() && !key.equals(taint.getKey())) {
      return false;
    }
    String operator = toleration.getOperator() == null || toleration.getOperator().isEmpty()
        ? "Equal" : toleration.getOperator();
    return switch (operator) {
      case "Exists" -> true;
      case "Equal" -> Objects.equals(emptyIfNull(toleration.getValue()), emptyIfNull(taint.getValue()));
      default -> false;
    };
  }

  private static String emptyIfNull(String value) {
    return value == null ? "" : value;
  }

  /**
   * How long the pod tolerates the taints: {@link Duration#ZERO} when one is not tolerated (or a
   * matching toleration allows 0 s or less), {@link #FOREVER} when no matching toleration is
   * limited in time.
   */
  public static Duration minTolerationTime(List<Taint> noExecuteTaints, List<Toleration> tolerations) {
    List<Toleration> used = new ArrayList<>();
    for (Taint taint : noExecuteTaints) {
      List<Toleration> matching = tolerations.stream().filter(t -> tolerates(t, taint)).toList();
      if (matching.isEmpty()) {
        return Duration.ZERO;
      }
      used.addAll(matching);
    }
    if (used.isEmpty()) {
      return FOREVER; // no NoExecute taints at all
    }
    long min = Long.MAX_VALUE;
    for (Toleration toleration : used) {
      Long seconds = toleration.getTolerationSeconds();
      if (seconds != null) {
        if (seconds <= 0) {
          return Duration.ZERO;
        }
        min = Math.min(min, seconds);
      }
    }
    return min == Long.MAX_VALUE ? FOREVER : Duration.ofSeconds(min);
  }
}
