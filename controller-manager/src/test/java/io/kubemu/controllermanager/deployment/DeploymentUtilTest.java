package io.kubemu.controllermanager.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeploymentUtilTest {
  private static final String T0 = "2026-01-01T00:00:00Z";
  private static final String T1 = "2026-01-01T00:01:00Z";

  @Test
  void maxSurgeRoundsUpAndMaxUnavailableRoundsDown() {
    assertThat(DeploymentUtil.resolveFenceposts(new IntOrString("25%"), new IntOrString("25%"), 10))
        .isEqualTo(new DeploymentUtil.Fenceposts(3, 2));
    assertThat(DeploymentUtil.resolveFenceposts(new IntOrString("25%"), new IntOrString("25%"), 3))
        .isEqualTo(new DeploymentUtil.Fenceposts(1, 0));
    assertThat(DeploymentUtil.resolveFenceposts(new IntOrString(2), new IntOrString(1), 3))
        .isEqualTo(new DeploymentUtil.Fenceposts(2, 1));
  }

  @Test
  void whenBothFencepostsResolveToZeroOnePodMayBeUnavailable() {
    assertThat(DeploymentUtil.resolveFenceposts(new IntOrString("10%"), new IntOrString(0), 5))
        .isEqualTo(new DeploymentUtil.Fenceposts(1, 0));
    assertThat(DeploymentUtil.resolveFenceposts(new IntOrString(0), new IntOrString("10%"), 5))
        .isEqualTo(new DeploymentUtil.Fenceposts(0, 1));
  }

  @Test
  void aStringThatIsNoPercentageIsRefused() {
    assertThatThrownBy(() -> DeploymentUtil.scaledValue(new IntOrString("half"), 4, true))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"half\"");
  }

  @Test
  void maxUnavailableNeverExceedsTheReplicasAndRecreateHasNoFenceposts() {
    assertThat(DeploymentUtil.maxUnavailable(Fixtures.rolling(2, 1, 5))).isEqualTo(2);
    assertThat(DeploymentUtil.maxUnavailable(Fixtures.rolling(0, 1, 5))).isZero();
    assertThat(DeploymentUtil.maxSurge(Fixtures.recreate(3))).isZero();
    assertThat(DeploymentUtil.maxUnavailable(Fixtures.recreate(3))).isZero();
  }

  @Test
  void theNewReplicaSetGrowsUpToMaxSurgeAboveTheReplicasButNotPastThem() {
    Deployment deployment = Fixtures.rolling(4, 1, 1);
    ReplicaSet old = Fixtures.replicaSet("old", 4, 4, T0, null);
    ReplicaSet fresh = Fixtures.replicaSet("new", 0, 0, T1, null);

    assertThat(DeploymentUtil.newReplicaSetReplicas(deployment, List.of(old, fresh), fresh)).isEqualTo(1);
    ReplicaSet grown = Fixtures.replicaSet("new", 1, 0, T1, null);
    assertThat(DeploymentUtil.newReplicaSetReplicas(deployment, List.of(old, grown), grown)).isEqualTo(1);
    ReplicaSet shrunk = Fixtures.replicaSet("old", 1, 1, T0, null);
    ReplicaSet almost = Fixtures.replicaSet("new", 3, 3, T1, null);
    assertThat(DeploymentUtil.newReplicaSetReplicas(deployment, List.of(shrunk, almost), almost)).isEqualTo(4);
    assertThat(DeploymentUtil.newReplicaSetReplicas(Fixtures.recreate(4), List.of(old, fresh), fresh)).isEqualTo(4);
  }

  @Test
  void aReplicaSetTakesItsShareOfAScaleByTheDeploymentsFormerSize() {
    // 10 replicas, maxSurge 3: max-replicas was 13; scaled to 20 (max 23), a ReplicaSet of 8 grows to round(8*23/13)=14.
    Deployment deployment = Fixtures.rolling(20, 3, 2);
    ReplicaSet rs = Fixtures.replicaSet("a", 8, 8, T0, Map.of(DeploymentUtil.MAX_REPLICAS, "13"));

    assertThat(DeploymentUtil.fraction(rs, deployment)).isEqualTo(6);
    assertThat(DeploymentUtil.proportion(rs, deployment, 10, 0)).isEqualTo(6);
    assertThat(DeploymentUtil.proportion(rs, deployment, 10, 7)).isEqualTo(3); // no more than is left
    assertThat(DeploymentUtil.fraction(rs, Fixtures.rolling(0, 3, 2))).isEqualTo(-8);
  }

  @Test
  void theNewReplicaSetGetsTheNextRevisionAndARolledBackOneKeepsItsHistory() {
    Deployment deployment = new DeploymentBuilder(Fixtures.rolling(3, 1, 0)).editMetadata()
        .addToAnnotations("kubernetes.io/change-cause", "kubectl set image")
        .addToAnnotations(DeploymentUtil.REVISION, "2")
        .addToAnnotations(DeploymentUtil.LAST_APPLIED, "{}").endMetadata().build();
    ReplicaSet created = Fixtures.replicaSet("new", 0, 0, T1, null);

    assertThat(DeploymentUtil.setNewReplicaSetAnnotations(deployment, created, 3, false, 2000)).isTrue();
    assertThat(created.getMetadata().getAnnotations()).containsEntry(DeploymentUtil.REVISION, "3")
        .containsEntry("kubernetes.io/change-cause", "kubectl set image")
        .containsEntry(DeploymentUtil.DESIRED_REPLICAS, "3").containsEntry(DeploymentUtil.MAX_REPLICAS, "4")
        .doesNotContainKey(DeploymentUtil.LAST_APPLIED).doesNotContainKey(DeploymentUtil.REVISION_HISTORY);

    ReplicaSet rolledBackTo = Fixtures.replicaSet("first", 0, 0, T0,
        new HashMap<>(Map.of(DeploymentUtil.REVISION, "1")));
    assertThat(DeploymentUtil.setNewReplicaSetAnnotations(deployment, rolledBackTo, 3, true, 2000)).isTrue();
    assertThat(rolledBackTo.getMetadata().getAnnotations()).containsEntry(DeploymentUtil.REVISION, "3")
        .containsEntry(DeploymentUtil.REVISION_HISTORY, "1");
    assertThat(DeploymentUtil.setNewReplicaSetAnnotations(deployment, rolledBackTo, 3, true, 2000)).isFalse();
  }

  @Test
  void theRevisionHistoryDropsItsOldestEntriesToStayWithinTheLimit() {
    assertThat(DeploymentUtil.appendHistory("1,3", "5", 2000)).isEqualTo("1,3,5");
    assertThat(DeploymentUtil.appendHistory("1,3", "5", 3)).isEqualTo("3,5");
    assertThat(DeploymentUtil.appendHistory("11,13", "15", 5)).isEqualTo("13,15");
  }

  @Test
  void theMaxRevisionIgnoresReplicaSetsWithoutOne() {
    assertThat(DeploymentUtil.maxRevision(List.of(
        Fixtures.replicaSet("a", 0, 0, T0, Map.of(DeploymentUtil.REVISION, "4")),
        Fixtures.replicaSet("b", 0, 0, T0, Map.of(DeploymentUtil.REVISION, "x")),
        Fixtures.replicaSet("c", 0, 0, T0, null)))).isEqualTo(4);
  }

  @Test
  void aNewReplicaSetIsSaturatedWhenItRunsAllReplicasAvailable() {
    Deployment deployment = Fixtures.rolling(3, 1, 0);
    assertThat(DeploymentUtil.isSaturated(deployment,
        Fixtures.replicaSet("a", 3, 3, T0, Map.of(DeploymentUtil.DESIRED_REPLICAS, "3")))).isTrue();
    assertThat(DeploymentUtil.isSaturated(deployment,
        Fixtures.replicaSet("a", 3, 2, T0, Map.of(DeploymentUtil.DESIRED_REPLICAS, "3")))).isFalse();
    assertThat(DeploymentUtil.isSaturated(deployment, Fixtures.replicaSet("a", 3, 3, T0, null))).isFalse();
  }
}
