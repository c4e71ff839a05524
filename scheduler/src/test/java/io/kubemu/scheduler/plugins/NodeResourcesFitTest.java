package io.kubemu.scheduler.plugins;

import static io.kubemu.scheduler.TestObjects.node;
import static io.kubemu.scheduler.TestObjects.on;
import static io.kubemu.scheduler.TestObjects.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kubemu.scheduler.framework.NodeInfo;
import io.kubemu.scheduler.framework.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeResourcesFitTest {
  private final NodeResourcesFit plugin = new NodeResourcesFit();

  @Test
  void requestsMustFitInWhatThePodsOnTheNodeLeave() {
    NodeInfo node = new NodeInfo(node("n1", "2", "4Gi", 10).build(),
        List.of(on(pod("a", "1500m", "1Gi").build(), "n1")));
    assertThat(plugin.filter(pod("b", "500m", "3Gi").build(), node).fits()).isTrue();
    assertThat(plugin.filter(pod("b", "501m", "1Gi").build(), node)).isEqualTo(Status.unschedulable("Insufficient cpu"));
    assertThat(plugin.filter(pod("b", "1", "4Gi").build(), node))
        .isEqualTo(Status.unschedulable("Insufficient cpu", "Insufficient memory"));
  }

  @Test
  void theNodeMustAllowOneMorePod() {
    NodeInfo full = new NodeInfo(node("n1", "2", "4Gi", 1).build(), List.of(on(pod("a"), "n1")));
    assertThat(plugin.filter(pod("b"), full)).isEqualTo(Status.unschedulable("Too many pods"));
  }

  @Test
  void anInitContainerRequestingMoreThanTheContainersCounts() {
    Pod pod = new PodBuilder(pod("p", "500m", null).build()).editSpec().addNewInitContainer().withName("init")
        .withNewResources().addToRequests("cpu", new Quantity("3")).endResources().endInitContainer().endSpec()
        .build();
    assertThat(plugin.filter(pod, new NodeInfo(node("n1", "2", "4Gi", 10).build())))
        .isEqualTo(Status.unschedulable("Insufficient cpu"));
  }

  @Test
  void leastAllocatedPrefersTheEmptierNode() {
    NodeInfo busy = new NodeInfo(node("busy", "4", "8Gi", 10).build(), List.of(on(pod("a", "3", "6Gi").build(), "busy")));
    NodeInfo idle = new NodeInfo(node("idle", "4", "8Gi", 10).build());
    long[] scores = plugin.score(pod("p", "1", "2Gi").build(), List.of(busy, idle));
    assertThat(scores).containsExactly(0, 75);
  }
}
