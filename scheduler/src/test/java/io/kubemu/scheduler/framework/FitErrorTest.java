package io.kubemu.scheduler.framework;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FitErrorTest {
  @Test
  void reasonsAreCountedOverTheNodesAndPreemptionFindsNoVictims() {
    Map<String, Status> statuses = new LinkedHashMap<>();
    for (String node : new String[] {"n1", "n2", "n3"}) {
      statuses.put(node, Status.unschedulable("Insufficient cpu"));
    }
    assertThat(new FitError(3, statuses).message()).isEqualTo("0/3 nodes are available: 3 Insufficient cpu. "
        + "preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.");
  }

  @Test
  void countedReasonsAreSortedAsStrings() {
    Map<String, Status> statuses = new LinkedHashMap<>();
    statuses.put("n1", Status.unschedulable("Insufficient memory"));
    statuses.put("n2", Status.unschedulable("Insufficient memory", "Insufficient cpu"));
    statuses.put("n3", Status.unschedulable("Insufficient memory", "Insufficient cpu"));
    statuses.put("n4", Status.unresolvable("node(s) had untolerated taint {dedicated: gpu}"));
    statuses.put("n5", Status.unresolvable("node(s) were unschedulable"));
    assertThat(new FitError(5, statuses).message()).isEqualTo("0/5 nodes are available: "
        + "1 node(s) had untolerated taint {dedicated: gpu}, 1 node(s) were unschedulable, 2 Insufficient cpu, "
        + "3 Insufficient memory. preemption: 0/5 nodes are available: 2 Preemption is not helpful for scheduling, "
        + "3 No preemption victims found for incoming pod.");
  }

  @Test
  void noNodesAtAll() {
    assertThat(new FitError(0, Map.of()).message()).isEqualTo("no nodes available to schedule pods");
  }
}
