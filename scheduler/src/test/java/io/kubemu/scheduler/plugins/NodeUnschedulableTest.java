package io.kubemu.scheduler.plugins;

import static io.kubemu.scheduler.TestObjects.node;
import static io.kubemu.scheduler.TestObjects.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kubemu.scheduler.framework.NodeInfo;
import io.kubemu.scheduler.framework.Status;
import org.junit.jupiter.api.Test;

class NodeUnschedulableTest {
  private final NodeUnschedulable plugin = new NodeUnschedulable();
  private final Node cordoned = node("n1", "1", "1Gi", 10).editSpec().withUnschedulable(true).endSpec().build();

  @Test
  void aCordonedNodeTakesNoPod() {
    assertThat(plugin.filter(pod("p"), new NodeInfo(cordoned)))
        .isEqualTo(Status.unresolvable("node(s) were unschedulable"));
  }

  @Test
  void aPodToleratingTheUnschedulableTaintFits() {
    var pod = new PodBuilder(pod("p")).editSpec().addNewToleration()
        .withKey("node.kubernetes.io/unschedulable").withOperator("Exists").withEffect("NoSchedule")
        .endToleration().endSpec().build();
    assertThat(plugin.filter(pod, new NodeInfo(cordoned)).fits()).isTrue();
  }

  @Test
  void anUncordonedNodeFits() {
    assertThat(plugin.filter(pod("p"), new NodeInfo(node("n1"))).fits()).isTrue();
  }
}
