package io.kubemu.controllermanager.deployment;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * A Deployment's {@code Available} and {@code Progressing} conditions, with the reasons
 * Kubernetes' deployment controller gives them ({@code deployment/util}), and the rules for
 * setting one: the same status and reason change nothing, the same status keeps its
 * lastTransitionTime.
 */
final class DeploymentConditions {
  static final String AVAILABLE = "Available";
  static final String PROGRESSING = "Progressing";
  static final String REPLICA_FAILURE = "ReplicaFailure";

  static final String MINIMUM_REPLICAS_AVAILABLE = "MinimumReplicasAvailable";
  static final String MINIMUM_REPLICAS_UNAVAILABLE = "MinimumReplicasUnavailable";
  static final String NEW_RS_CREATED = "NewReplicaSetCreated";
  static final String FOUND_NEW_RS = "FoundNewReplicaSet";
  static final String RS_UPDATED = "ReplicaSetUpdated";
  static final String NEW_RS_AVAILABLE = "NewReplicaSetAvailable";
  static final String TIMED_OUT = "ProgressDeadlineExceeded";
  static final String PAUSED = "DeploymentPaused";
  static final String RESUMED = "DeploymentResumed";
  static final String FAILED_RS_CREATE = "ReplicaSetCreateError";

  private DeploymentConditions() {}

  static String timestamp(Instant now) {
    return DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS));
  }

  static DeploymentCondition condition(String type, String status, String reason, String message, Instant now) {
    String time = timestamp(now);
    return new DeploymentConditionBuilder().withType(type).withStatus(status).withReason(reason)
        .withMessage(message).withLastUpdateTime(time).withLastTransitionTime(time).build();
  }

  static DeploymentCondition get(DeploymentStatus status, String type) {
    if (status == null || status.getConditions() == null) {
      return null;
    }
    return status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
  }

  static DeploymentCondition get(Deployment deployment, String type) {
    return get(deployment.getStatus(), type);
  }

  /** Kubernetes' SetDeploymentCondition. */
  static void set(DeploymentStatus status, DeploymentCondition condition) {
    DeploymentCondition current = get(status, condition.getType());
    if (current != null && current.getStatus().equals(condition.getStatus())
        && java.util.Objects.equals(current.getReason(), condition.getReason())) {
      return;
    }
    if (current != null && current.getStatus().equals(condition.getStatus())) {
      condition.setLastTransitionTime(current.getLastTransitionTime());
    }
    List<DeploymentCondition> conditions = without(status.getConditions(), condition.getType());
    conditions.add(condition);
    status.setConditions(conditions);
  }

  static void remove(DeploymentStatus status, String type) {
    status.setConditions(without(status.getConditions(), type));
  }

  private static List<DeploymentCondition> without(List<DeploymentCondition> conditions, String type) {
    List<DeploymentCondition> kept = new ArrayList<>();
    if (conditions != null) {
      conditions.stream().filter(c -> !type.equals(c.getType())).forEach(kept::add);
    }
    return kept;
  }

  /**
   * Kubernetes' DeploymentTimedOut: the Progressing condition was last updated longer than
   * progressDeadlineSeconds ago (and does not say the rollout completed).
   */
  static boolean timedOut(Deployment deployment, DeploymentStatus status, Instant now) {
    if (!DeploymentUtil.hasProgressDeadline(deployment)) {
      return false;
    }
    DeploymentCondition condition = get(status, PROGRESSING);
    if (condition == null || NEW_RS_AVAILABLE.equals(condition.getReason())) {
      return false;
    }
    if (TIMED_OUT.equals(condition.getReason())) {
      return true;
    }
    if (condition.getLastUpdateTime() == null) {
      return false;
    }
    Instant from = Instant.parse(condition.getLastUpdateTime());
    return from.plusSeconds(deployment.getSpec().getProgressDeadlineSeconds()).isBefore(now);
  }
}
