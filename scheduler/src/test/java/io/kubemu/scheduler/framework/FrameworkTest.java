package io.kubemu.scheduler.framework;

import static io.kubemu.scheduler.TestObjects.node;
import static io.kubemu.scheduler.TestObjects.on;
import static io.kubemu.scheduler.TestObjects.ownedBy;
import static io.kubemu.scheduler.TestObjects.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.kubemu.scheduler.plugins.DefaultPlugins;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FrameworkTest {
  private final Framework framework = DefaultPlugins.framework(new Random(7));

  @Test
  void podsOfOneReplicaSetSpreadOverTheNodes() {
    List<Pod> placed = new ArrayList<>();
    Map<String, Integer> perNode = new HashMap<>();
    for (int i = 0; i < 6; i++) {
      Pod pod = ownedBy(pod("web-" + i, "500m", "256Mi").build(), "web");
      var result = (Framework.Selected) framework.schedule(pod, nodesWith(placed));
      placed.add(on(pod, result.nodeName()));
      perNode.merge(result.nodeName(), 1, Integer::sum);
    }
    assertThat(perNode).containsOnly(Map.entry("n1", 2), Map.entry("n2", 2), Map.entry("n3", 2));
  }

  @Test
  void aPodThatFitsNowhereIsUnschedulableWithEveryNodesReason() {
    var result = framework.schedule(pod("big", "8", null).build(), nodesWith(List.of()));
    assertThat(result).isInstanceOf(Framework.Unschedulable.class);
    assertThat(((Framework.Unschedulable) result).error().message()).startsWith(
        "0/3 nodes are available: 3 Insufficient cpu.");
  }

  @Test
  void theFirstFailingFilterDecides() {
    var cordoned = new NodeInfo(node("n1", "1", "1Gi", 10).editSpec().withUnschedulable(true).endSpec().build());
    assertThat(framework.filter(pod("big", "8", null).build(), cordoned))
        .isEqualTo(Status.unresolvable("node(s) were unschedulable"));
  }

  private static List<NodeInfo> nodesWith(List<Pod> pods) {
    List<NodeInfo> nodes = new ArrayList<>();
    for (String name : List.of("n1", "n2", "n3")) {
      nodes.add(new NodeInfo(node(name, "2", "4Gi", 110).build(),
          pods.stream().filter(pod -> name.equals(pod.getSpec().getNodeName())).toList()));
    }
    return nodes;
  }
}
