package io.kubemu.controllermanager.replicaset;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** A pod's readiness as Kubernetes' podutil reads it: its {@code Ready} condition. */
final class PodStates {
  private PodStates() {}

  static boolean isReady(Pod pod) {
    return readyCondition(pod).map(condition -> "True".equals(condition.getStatus())).orElse(false);
  }

  /** Ready, and for at least {@code minReadySeconds} (since the Ready condition last changed). */
  static boolean isAvailable(Pod pod, int minReadySeconds, Instant now) {
    if (!isReady(pod)) {
      return false;
    }
    if (minReadySeconds == 0) {
      return true;
    }
    String since = readyCondition(pod).get().getLastTransitionTime();
    return since != null && !Instant.parse(since).plus(Duration.ofSeconds(minReadySeconds)).isAfter(now);
  }

  private static Optional<PodCondition> readyCondition(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return pod.getStatus().getConditions().stream().filter(condition -> "Ready".equals(condition.getType())).findFirst();
  }
}
