package io.kubemu.controllermanager.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DeploymentConditionsTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant T1 = Instant.parse("2026-01-01T00:01:00Z");

  @Test
  void theSameStatusAndReasonChangeNothing() {
    DeploymentStatus status = new DeploymentStatus();
    DeploymentConditions.set(status, DeploymentConditions.condition("Available", "True", "MinimumReplicasAvailable",
        "m", T0));
    DeploymentConditions.set(status, DeploymentConditions.condition("Available", "True", "MinimumReplicasAvailable",
        "m", T1));

    assertThat(status.getConditions()).hasSize(1);
    assertThat(status.getConditions().get(0).getLastUpdateTime()).isEqualTo("2026-01-01T00:00:00Z");
  }

  @Test
  void aNewReasonWithTheSameStatusKeepsTheTransitionTime() {
    DeploymentStatus status = new DeploymentStatus();
    DeploymentConditions.set(status, DeploymentConditions.condition("Progressing", "True", "NewReplicaSetCreated",
        "m", T0));
    DeploymentConditions.set(status, DeploymentConditions.condition("Progressing", "True", "NewReplicaSetAvailable",
        "m", T1));

    assertThat(status.getConditions()).hasSize(1);
    assertThat(status.getConditions().get(0).getReason()).isEqualTo("NewReplicaSetAvailable");
    assertThat(status.getConditions().get(0).getLastUpdateTime()).isEqualTo("2026-01-01T00:01:00Z");
    assertThat(status.getConditions().get(0).getLastTransitionTime()).isEqualTo("2026-01-01T00:00:00Z");

    DeploymentConditions.set(status, DeploymentConditions.condition("Progressing", "Unknown", "DeploymentPaused",
        "Deployment is paused", T1));
    assertThat(status.getConditions().get(0).getLastTransitionTime()).isEqualTo("2026-01-01T00:01:00Z");
  }
}
