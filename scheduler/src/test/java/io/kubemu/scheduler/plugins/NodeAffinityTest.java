package io.kubemu.scheduler.plugins;

import static io.kubemu.scheduler.TestObjects.node;
import static io.kubemu.scheduler.TestObjects.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kubemu.scheduler.framework.NodeInfo;
import io.kubemu.scheduler.framework.Status;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeAffinityTest {
  private final NodeAffinity plugin = new NodeAffinity();
  private final Node ssd = node("n1", "1", "1Gi", 10).editMetadata()
      .addToLabels(Map.of("disk", "ssd", "cores", "8")).endMetadata().build();

  @Test
  void theNodeSelectorMustMatchTheLabels() {
    Pod wantsSsd = new PodBuilder(pod("p")).editSpec().addToNodeSelector("disk", "ssd").endSpec().build();
    Pod wantsHdd = new PodBuilder(pod("p")).editSpec().addToNodeSelector("disk", "hdd").endSpec().build();
    assertThat(plugin.filter(wantsSsd, new NodeInfo(ssd)).fits()).isTrue();
    assertThat(plugin.filter(wantsHdd, new NodeInfo(ssd)))
        .isEqualTo(Status.unresolvable("node(s) didn't match Pod's node affinity/selector"));
  }

  @Test
  void everyOperatorOfTheRequiredNodeAffinity() {
    assertThat(fits("disk", "In", "ssd", "nvme")).isTrue();
    assertThat(fits("disk", "In", "hdd")).isFalse();
    assertThat(fits("disk", "NotIn", "hdd")).isTrue();
    assertThat(fits("disk", "NotIn", "ssd")).isFalse();
    assertThat(fits("disk", "Exists")).isTrue();
    assertThat(fits("gpu", "Exists")).isFalse();
    assertThat(fits("gpu", "DoesNotExist")).isTrue();
    assertThat(fits("disk", "DoesNotExist")).isFalse();
    assertThat(fits("cores", "Gt", "4")).isTrue();
    assertThat(fits("cores", "Gt", "8")).isFalse();
    assertThat(fits("cores", "Lt", "16")).isTrue();
    assertThat(fits("disk", "Lt", "16")).isFalse();
  }

  @Test
  void oneMatchingTermIsEnough() {
    Pod pod = new PodBuilder(pod("p")).editSpec().withNewAffinity().withNewNodeAffinity()
        .withNewRequiredDuringSchedulingIgnoredDuringExecution()
        .addNewNodeSelectorTerm().addToMatchExpressions(requirement("disk", "In", "hdd")).endNodeSelectorTerm()
        .addNewNodeSelectorTerm().addNewMatchField().withKey("metadata.name").withOperator("In").withValues("n1")
        .endMatchField().endNodeSelectorTerm()
        .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().endAffinity().endSpec().build();
    assertThat(plugin.filter(pod, new NodeInfo(ssd)).fits()).isTrue();
    assertThat(plugin.filter(pod, new NodeInfo(node("n2"))).fits()).isFalse();
  }

  private boolean fits(String key, String operator, String... values) {
    Pod pod = new PodBuilder(pod("p")).editSpec().withNewAffinity().withNewNodeAffinity()
        .withNewRequiredDuringSchedulingIgnoredDuringExecution()
        .addNewNodeSelectorTerm().addToMatchExpressions(requirement(key, operator, values)).endNodeSelectorTerm()
        .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().endAffinity().endSpec().build();
    return plugin.filter(pod, new NodeInfo(ssd)).fits();
  }

  private static NodeSelectorRequirement requirement(String key, String operator, String... values) {
    return new NodeSelectorRequirement(key, operator, List.of(values));
  }
}
