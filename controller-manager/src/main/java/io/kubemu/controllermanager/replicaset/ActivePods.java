package io.kubemu.controllermanager.replicaset;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Which pods count for a ReplicaSet, and which of them matter least, as Kubernetes'
 * {@code controller.FilterActivePods} and {@code ActivePods} ordering: a surplus is removed from
 * the front of {@link #LEAST_VALUABLE_FIRST}.
 */
final class ActivePods {
  private static final Map<String, Integer> PHASE_RANK = Map.of("Pending", 0, "Unknown", 1, "Running", 2);

  /**
   * Unassigned before assigned; Pending before Unknown before Running; not ready before ready;
   * more container restarts first; newer (later creationTimestamp) first.
   */
  static final Comparator<Pod> LEAST_VALUABLE_FIRST = Comparator
      .comparing((Pod pod) -> isAssigned(pod))
      .thenComparing(pod -> PHASE_RANK.getOrDefault(phase(pod), 0))
      .thenComparing(PodStates::isReady)
      .thenComparing(ActivePods::restarts, Comparator.reverseOrder())
      .thenComparing(ActivePods::created, Comparator.reverseOrder());

  private ActivePods() {}

  /** Neither terminating (deletionTimestamp set) nor finished (Succeeded or Failed). */
  static boolean isActive(Pod pod) {
    String phase = phase(pod);
    return !"Succeeded".equals(phase) && !"Failed".equals(phase) && pod.getMetadata().getDeletionTimestamp() == null;
  }

  private static boolean isAssigned(Pod pod) {
    return pod.getSpec() != null && pod.getSpec().getNodeName() != null && !pod.getSpec().getNodeName().isEmpty();
  }

  private static String phase(Pod pod) {
    return pod.getStatus() == null || pod.getStatus().getPhase() == null ? "Pending" : pod.getStatus().getPhase();
  }

  private static int restarts(Pod pod) {
    List<ContainerStatus> statuses = pod.getStatus() == null ? null : pod.getStatus().getContainerStatuses();
    if (statuses == null) {
      return 0;
    }
    return statuses.stream().mapToInt(status -> status.getRestartCount() == null ? 0 : status.getRestartCount())
        .max().orElse(0);
  }

  private static Instant created(Pod pod) {
    String timestamp = pod.getMetadata().getCreationTimestamp();
    return timestamp == null ? Instant.EPOCH : Instant.parse(timestamp);
  }
}
