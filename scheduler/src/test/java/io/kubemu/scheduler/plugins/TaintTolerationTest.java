package io.kubemu.scheduler.plugins;

import static io.kubemu.scheduler.TestObjects.node;
import static io.kubemu.scheduler.TestObjects.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kubemu.scheduler.framework.NodeInfo;
import io.kubemu.scheduler.framework.Status;
import org.junit.jupiter.api.Test;

class TaintTolerationTest {
  private final TaintToleration plugin = new TaintToleration();

  private static Node tainted(String effect) {
    return node("n1", "1", "1Gi", 10).editSpec().addNewTaint().withKey("dedicated").withValue("gpu")
        .withEffect(effect).endTaint().endSpec().build();
  }

  @Test
  void anUntoleratedNoScheduleOrNoExecuteTaintKeepsThePodOff() {
    for (String effect : new String[] {"NoSchedule", "NoExecute"}) {
      assertThat(plugin.filter(pod("p"), new NodeInfo(tainted(effect))))
          .isEqualTo(Status.unresolvable("node(s) had untolerated taint {dedicated: gpu}"));
    }
  }

  @Test
  void aNodeWithoutSpecHasNoTaints() {
    Node bare = new NodeBuilder().withNewMetadata().withName("bare").endMetadata().build();
    assertThat(plugin.filter(pod("p"), new NodeInfo(bare)).fits()).isTrue();
  }

  @Test
  void preferNoScheduleDoesNotFilter() {
    assertThat(plugin.filter(pod("p"), new NodeInfo(tainted("PreferNoSchedule"))).fits()).isTrue();
  }

  @Test
  void tolerationsByEqualValueOrExists() {
    assertThat(plugin.filter(tolerating("Equal", "gpu", "NoSchedule"), new NodeInfo(tainted("NoSchedule"))).fits())
        .isTrue();
    assertThat(plugin.filter(tolerating("Equal", "tpu", "NoSchedule"), new NodeInfo(tainted("NoSchedule"))).fits())
        .isFalse();
    assertThat(plugin.filter(tolerating("Exists", null, null), new NodeInfo(tainted("NoExecute"))).fits()).isTrue();
    assertThat(plugin.filter(tolerating("Exists", null, "NoSchedule"), new NodeInfo(tainted("NoExecute"))).fits())
        .isFalse();
  }

  private static Pod tolerating(String operator, String value, String effect) {
    return new PodBuilder(pod("p")).editSpec().addNewToleration().withKey("dedicated").withOperator(operator)
        .withValue(value).withEffect(effect).endToleration().endSpec().build();
  }
}
