package io.kubemu.controllermanager.nodelifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeTaintsTest {
  private static List<String> keys(List<Taint> taints) {
    return taints.stream().map(t -> t.getKey() + ":" + t.getEffect()).toList();
  }

  @Test
  void conditionsAndUnschedulableBecomeNoScheduleTaints() {
    Node node = new NodeBuilder().withNewMetadata().withName("n").endMetadata()
        .withNewSpec().withUnschedulable(true)
          .addNewTaint().withKey("node.kubernetes.io/not-ready").withEffect("NoSchedule").endTaint()
          .addNewTaint().withKey("dedicated").withValue("db").withEffect("NoSchedule").endTaint().endSpec()
        .withNewStatus().addNewCondition().withType("Ready").withStatus("Unknown").endCondition()
          .addNewCondition().withType("DiskPressure").withStatus("True").endCondition()
          .addNewCondition().withType("MemoryPressure").withStatus("False").endCondition().endStatus().build();
    List<Taint> wanted = NodeTaints.wantedNoSchedule(node);
    assertThat(keys(wanted)).containsExactlyInAnyOrder("node.kubernetes.io/unreachable:NoSchedule",
        "node.kubernetes.io/disk-pressure:NoSchedule", "node.kubernetes.io/unschedulable:NoSchedule");
    assertThat(keys(NodeTaints.missing(node, wanted))).hasSize(3);
    // the user's own taints are not the controller's to remove
    assertThat(keys(NodeTaints.unwantedNoSchedule(node, wanted)))
        .containsExactly("node.kubernetes.io/not-ready:NoSchedule");
  }

  @Test
  void aSwapReplacesTheOppositeTaintAndKeepsTheOthers() {
    List<Taint> taints = List.of(new TaintBuilder().withKey("dedicated").withEffect("NoExecute").build(),
        NodeTaints.taint(NodeTaints.NOT_READY, NodeTaints.NO_EXECUTE));
    List<Taint> swapped = NodeTaints.apply(taints, List.of(NodeTaints.taint(NodeTaints.UNREACHABLE, "NoExecute")),
        List.of(NodeTaints.taint(NodeTaints.NOT_READY, "NoExecute")));
    assertThat(keys(swapped)).containsExactly("dedicated:NoExecute", "node.kubernetes.io/unreachable:NoExecute");
  }

  @Test
  void zonesAreDisruptedAsKubernetesCountsThem() {
    assertThat(Zones.state(0, 1, 0.55)).isEqualTo(Zones.State.FULL_DISRUPTION);
    assertThat(Zones.state(1, 1, 0.55)).isEqualTo(Zones.State.NORMAL);
    assertThat(Zones.state(2, 2, 0.55)).isEqualTo(Zones.State.NORMAL); // at most two not ready: normal
    assertThat(Zones.state(2, 3, 0.55)).isEqualTo(Zones.State.PARTIAL_DISRUPTION);
    assertThat(Zones.rate(Zones.State.PARTIAL_DISRUPTION, 10, 0.1, 0.01, 50)).isZero();
    assertThat(Zones.rate(Zones.State.PARTIAL_DISRUPTION, 60, 0.1, 0.01, 50)).isEqualTo(0.01);
    assertThat(Zones.rate(Zones.State.NORMAL, 60, 0.1, 0.01, 50)).isEqualTo(0.1);
  }

  @Test
  void theTokenBucketLetsOneNodeThroughThenOneEveryTenSecondsAtTheDefaultRate() {
    TokenBucket bucket = new TokenBucket(0.1, 0);
    assertThat(bucket.tryAccept(0)).isTrue();
    assertThat(bucket.tryAccept(5_000_000_000L)).isFalse();
    assertThat(bucket.tryAccept(10_000_000_000L)).isTrue();
    bucket.setRate(0, 10_000_000_000L);
    assertThat(bucket.tryAccept(100_000_000_000L)).isFalse();
  }
}
