package io.kubemu.controllermanager.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The decisions of the controller that need no apiserver: status, progress, proportions, Recreate's wait. */
class DeploymentControllerTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:10:00Z");
  private static final String T0 = "2026-01-01T00:00:00Z";
  private static final String T1 = "2026-01-01T00:01:00Z";

  @Test
  void theStatusCountsTheReplicaSetsAndIsAvailableAtReplicasMinusMaxUnavailable() {
    Deployment deployment = Fixtures.rolling(4, 1, 1);
    ReplicaSet old = Fixtures.replicaSet("old", 2, 2, T0, null);
    ReplicaSet fresh = Fixtures.replicaSet("new", 3, 1, T1, null);

    DeploymentStatus status = DeploymentController.calculateStatus(List.of(old, fresh), fresh, deployment, NOW);

    assertThat(status.getReplicas()).isEqualTo(5);
    assertThat(status.getUpdatedReplicas()).isEqualTo(3);
    assertThat(status.getAvailableReplicas()).isEqualTo(3);
    assertThat(status.getUnavailableReplicas()).isEqualTo(2);
    assertThat(status.getObservedGeneration()).isEqualTo(1L);
    DeploymentCondition available = DeploymentConditions.get(status, DeploymentConditions.AVAILABLE);
    assertThat(available.getStatus()).isEqualTo("True");
    assertThat(available.getReason()).isEqualTo("MinimumReplicasAvailable");
    assertThat(available.getMessage()).isEqualTo("Deployment has minimum availability.");

    ReplicaSet starting = Fixtures.replicaSet("new", 4, 2, T1, null);
    DeploymentCondition unavailable = DeploymentConditions.get(
        DeploymentController.calculateStatus(List.of(starting), starting, deployment, NOW), DeploymentConditions.AVAILABLE);
    assertThat(unavailable.getStatus()).isEqualTo("False");
    assertThat(unavailable.getReason()).isEqualTo("MinimumReplicasUnavailable");
  }

  private static Deployment withProgressing(Deployment deployment, String reason, String lastUpdate, int updated) {
    DeploymentCondition condition = DeploymentConditions.condition(DeploymentConditions.PROGRESSING, "True", reason,
        "", Instant.parse(lastUpdate));
    return new DeploymentBuilder(deployment).withStatus(new DeploymentStatusBuilder().withObservedGeneration(1L)
        .withReplicas(4).withUpdatedReplicas(updated).withAvailableReplicas(updated).withReadyReplicas(updated)
        .withConditions(new ArrayList<>(List.of(condition))).build()).build();
  }

  private static DeploymentStatus status(int replicas, int updated, int available) {
    return new DeploymentStatusBuilder().withObservedGeneration(1L).withReplicas(replicas).withUpdatedReplicas(updated)
        .withAvailableReplicas(available).withReadyReplicas(available).build();
  }

  @Test
  void aCompleteRolloutSaysTheNewReplicaSetHasSuccessfullyProgressed() {
    Deployment deployment = withProgressing(Fixtures.rolling(4, 1, 1), "ReplicaSetUpdated", "2026-01-01T00:09:00Z", 3);
    DeploymentStatus status = status(4, 4, 4);
    status.setConditions(new ArrayList<>(deployment.getStatus().getConditions()));

    DeploymentController.updateProgressing(deployment, status, Fixtures.replicaSet("web-abc", 4, 4, T1, null), NOW);

    DeploymentCondition progressing = DeploymentConditions.get(status, DeploymentConditions.PROGRESSING);
    assertThat(progressing.getReason()).isEqualTo("NewReplicaSetAvailable");
    assertThat(progressing.getMessage()).isEqualTo("ReplicaSet \"web-abc\" has successfully progressed.");
    assertThat(progressing.getLastTransitionTime()).isEqualTo("2026-01-01T00:09:00Z"); // still True
  }

  @Test
  void progressRefreshesTheLastUpdateTimeButNotTheTransition() {
    Deployment deployment = withProgressing(Fixtures.rolling(4, 1, 1), "ReplicaSetUpdated", "2026-01-01T00:05:00Z", 1);
    DeploymentStatus status = status(5, 2, 2);
    status.setConditions(new ArrayList<>(deployment.getStatus().getConditions()));

    DeploymentController.updateProgressing(deployment, status, Fixtures.replicaSet("web-abc", 2, 2, T1, null), NOW);

    DeploymentCondition progressing = DeploymentConditions.get(status, DeploymentConditions.PROGRESSING);
    assertThat(progressing.getReason()).isEqualTo("ReplicaSetUpdated");
    assertThat(progressing.getMessage()).isEqualTo("ReplicaSet \"web-abc\" is progressing.");
    assertThat(progressing.getLastUpdateTime()).isEqualTo("2026-01-01T00:10:00Z");
    assertThat(progressing.getLastTransitionTime()).isEqualTo("2026-01-01T00:05:00Z");
  }

  @Test
  void noProgressForLongerThanTheDeadlineIsProgressDeadlineExceeded() {
    Deployment deployment = new DeploymentBuilder(withProgressing(Fixtures.rolling(4, 1, 1), "ReplicaSetUpdated",
        "2026-01-01T00:00:00Z", 1)).editSpec().withProgressDeadlineSeconds(300).endSpec().build();
    DeploymentStatus status = status(4, 1, 1);
    status.setConditions(new ArrayList<>(deployment.getStatus().getConditions()));

    DeploymentController.updateProgressing(deployment, status, Fixtures.replicaSet("web-abc", 1, 1, T1, null), NOW);

    DeploymentCondition progressing = DeploymentConditions.get(status, DeploymentConditions.PROGRESSING);
    assertThat(progressing.getStatus()).isEqualTo("False");
    assertThat(progressing.getReason()).isEqualTo("ProgressDeadlineExceeded");
    assertThat(progressing.getMessage()).isEqualTo("ReplicaSet \"web-abc\" has timed out progressing.");
  }

  @Test
  void scalingUpMidRolloutSpreadsTheNewReplicasInProportion() {
    // 10 replicas, maxSurge 3 (max 13): old 8, new 5; scaled to 20 (max 23): 10 more, old +6, new +4.
    Deployment deployment = Fixtures.rolling(20, 3, 2);
    ReplicaSet old = Fixtures.replicaSet("old", 8, 8, T0, Map.of(DeploymentUtil.MAX_REPLICAS, "13"));
    ReplicaSet fresh = Fixtures.replicaSet("new", 5, 0, T1, Map.of(DeploymentUtil.MAX_REPLICAS, "13"));
    List<ReplicaSet> active = new ArrayList<>(List.of(fresh, old));

    List<Integer> sizes = DeploymentController.proportionalSizes(deployment, active, 23);

    assertThat(active).extracting(rs -> rs.getMetadata().getName()).containsExactly("old", "new");
    assertThat(sizes).containsExactly(14, 9);
  }

  @Test
  void scalingDownMidRolloutTakesFromTheLargestAndOlderFirst() {
    Deployment deployment = Fixtures.rolling(5, 1, 1);
    ReplicaSet old = Fixtures.replicaSet("old", 4, 4, T0, Map.of(DeploymentUtil.MAX_REPLICAS, "11"));
    ReplicaSet fresh = Fixtures.replicaSet("new", 4, 0, T1, Map.of(DeploymentUtil.MAX_REPLICAS, "11"));
    List<ReplicaSet> active = new ArrayList<>(List.of(fresh, old));

    List<Integer> sizes = DeploymentController.proportionalSizes(deployment, active, 6);

    assertThat(active).extracting(rs -> rs.getMetadata().getName()).containsExactly("old", "new");
    // 5 replicas, maxSurge 1 (max 6), max-replicas was 11: the old one shrinks to round(4*6/11)=2, which is all of it
    assertThat(sizes).containsExactly(2, 4);
  }

  @Test
  void oldPodsMayGoOnlyAsFarAsTheNewOnesAreAvailable() {
    Deployment deployment = Fixtures.rolling(4, 1, 1); // at least 3 available
    assertThat(DeploymentController.maxScaledDown(deployment, 5, Fixtures.replicaSet("new", 1, 0, T1, null))).isEqualTo(1);
    assertThat(DeploymentController.maxScaledDown(deployment, 5, Fixtures.replicaSet("new", 1, 1, T1, null))).isEqualTo(2);
    assertThat(DeploymentController.maxScaledDown(deployment, 4, Fixtures.replicaSet("new", 2, 0, T1, null))).isEqualTo(-1);
  }

  @Test
  void recreateWaitsWhileAnOldPodIsNotFinished() {
    ReplicaSet fresh = Fixtures.replicaSet("new", 0, 0, T1, null);
    ReplicaSet old = Fixtures.replicaSet("old", 0, 0, T0, null);
    old.getStatus().setReplicas(0);
    Pod running = new PodBuilder().withNewStatus().withPhase("Running").endStatus().build();
    Pod succeeded = new PodBuilder().withNewStatus().withPhase("Succeeded").endStatus().build();

    assertThat(DeploymentController.oldPodsRunning(fresh, List.of(old), Map.of("old-uid", List.of(running)))).isTrue();
    assertThat(DeploymentController.oldPodsRunning(fresh, List.of(old), Map.of("old-uid", List.of(succeeded)))).isFalse();
    assertThat(DeploymentController.oldPodsRunning(fresh, List.of(old), Map.of("new-uid", List.of(running)))).isFalse();
  }
}
