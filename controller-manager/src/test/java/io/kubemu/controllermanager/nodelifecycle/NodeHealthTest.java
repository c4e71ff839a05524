package io.kubemu.controllermanager.nodelifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class NodeHealthTest {
  private static final Duration GRACE = Duration.ofSeconds(50);
  private static final Duration STARTUP = Duration.ofMinutes(1);
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static Node node(String heartbeat) {
    return new NodeBuilder().withNewMetadata().withName("n").withCreationTimestamp("2026-01-01T00:00:00Z")
        .endMetadata().withNewStatus()
        .addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady")
          .withLastHeartbeatTime(heartbeat).withLastTransitionTime("2026-01-01T00:00:00Z").endCondition()
        .addNewCondition().withType("MemoryPressure").withStatus("False").withLastHeartbeatTime(heartbeat)
          .withLastTransitionTime("2026-01-01T00:00:00Z").endCondition()
        .endStatus().build();
  }

  private static Lease lease(Instant renewed) {
    return new LeaseBuilder().withNewMetadata().withName("n").withNamespace("kube-node-lease").endMetadata()
        .withNewSpec().withRenewTime(renewed.atZone(ZoneOffset.UTC)).endSpec().build();
  }

  private static NodeCondition condition(NodeHealth.Result result, String type) {
    return result.conditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
  }

  @Test
  void aNodeWhoseLeaseIsRenewedStaysHealthyEvenWithAnOldStatus() {
    NodeHealth health = new NodeHealth();
    Node node = node("2026-01-01T00:00:00Z");
    assertThat(health.observe(node, lease(T0), T0, GRACE, STARTUP).changed()).isFalse();
    for (int s = 10; s <= 200; s += 10) {
      NodeHealth.Result result = health.observe(node, lease(T0.plusSeconds(s)), T0.plusSeconds(s), GRACE, STARTUP);
      assertThat(result.changed()).isFalse();
      assertThat(result.currentReady().getStatus()).isEqualTo("True");
    }
  }

  @Test
  void aSilentNodeTurnsUnknownOnceTheGracePeriodIsOver() {
    NodeHealth health = new NodeHealth();
    Node node = node("2026-01-01T00:00:00Z");
    health.observe(node, lease(T0), T0, GRACE, STARTUP);
    assertThat(health.observe(node, lease(T0), T0.plusSeconds(50), GRACE, STARTUP).changed()).isFalse();
    NodeHealth.Result result = health.observe(node, lease(T0), T0.plusSeconds(51), GRACE, STARTUP);
    assertThat(result.changed()).isTrue();
    assertThat(result.observedStatus()).isEqualTo("True");
    NodeCondition ready = result.currentReady();
    assertThat(ready.getStatus()).isEqualTo("Unknown");
    assertThat(ready.getReason()).isEqualTo("NodeStatusUnknown");
    assertThat(ready.getMessage()).isEqualTo("Kubelet stopped posting node status.");
    assertThat(ready.getLastTransitionTime()).isEqualTo("2026-01-01T00:00:51Z");
    assertThat(ready.getLastHeartbeatTime()).isEqualTo("2026-01-01T00:00:00Z"); // the kubelet's, untouched
    assertThat(condition(result, "MemoryPressure").getStatus()).isEqualTo("Unknown");
    // conditions the kubelet never posted are added as never updated
    NodeCondition disk = condition(result, "DiskPressure");
    assertThat(disk.getStatus()).isEqualTo("Unknown");
    assertThat(disk.getReason()).isEqualTo("NodeStatusNeverUpdated");
    assertThat(disk.getMessage()).isEqualTo("Kubelet never posted node status.");
  }

  @Test
  void aNewHeartbeatInTheStatusCountsLikeALeaseRenewal() {
    NodeHealth health = new NodeHealth();
    health.observe(node("2026-01-01T00:00:00Z"), null, T0, GRACE, STARTUP);
    assertThat(health.observe(node("2026-01-01T00:00:40Z"), null, T0.plusSeconds(40), GRACE, STARTUP).changed())
        .isFalse();
    assertThat(health.observe(node("2026-01-01T00:00:40Z"), null, T0.plusSeconds(85), GRACE, STARTUP).changed())
        .isFalse();
    assertThat(health.observe(node("2026-01-01T00:00:40Z"), null, T0.plusSeconds(91), GRACE, STARTUP).changed())
        .isTrue();
  }

  @Test
  void aNodeThatNeverPostedItsStatusHasTheStartupGracePeriod() {
    NodeHealth health = new NodeHealth();
    Node fresh = new NodeBuilder().withNewMetadata().withName("n").withCreationTimestamp("2026-01-01T00:00:00Z")
        .endMetadata().build();
    assertThat(health.observe(fresh, null, T0.plusSeconds(59), GRACE, STARTUP).changed()).isFalse();
    NodeHealth.Result result = health.observe(fresh, null, T0.plusSeconds(61), GRACE, STARTUP);
    assertThat(result.changed()).isTrue();
    assertThat(result.observedStatus()).isEqualTo("Unknown");
    assertThat(result.currentReady().getReason()).isEqualTo("NodeStatusNeverUpdated");
  }
}
