package io.kubemu.controllermanager.replicaset;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ActivePodsTest {
  private static PodBuilder pod(String name, String created) {
    return new PodBuilder().withNewMetadata().withName(name).withCreationTimestamp(created).endMetadata()
        .withNewSpec().endSpec().withNewStatus().withPhase("Pending").endStatus();
  }

  private static Pod running(String name, String node, boolean ready, int restarts) {
    return pod(name, "2026-01-01T00:00:00Z").editSpec().withNodeName(node).endSpec()
        .editStatus().withPhase("Running")
        .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
        .addNewContainerStatus().withName("app").withRestartCount(restarts).endContainerStatus()
        .endStatus().build();
  }

  private static List<String> ranked(Pod... pods) {
    List<Pod> list = new ArrayList<>(List.of(pods));
    list.sort(ActivePods.LEAST_VALUABLE_FIRST);
    return list.stream().map(pod -> pod.getMetadata().getName()).toList();
  }

  @Test
  void unassignedPodsGoFirstThenPendingThenUnknownThenRunning() {
    Pod unassigned = pod("unassigned", "2026-01-01T00:00:00Z").build();
    Pod pendingOnNode = pod("pending", "2026-01-01T00:00:00Z").editSpec().withNodeName("n1").endSpec().build();
    Pod unknown = pod("unknown", "2026-01-01T00:00:00Z").editSpec().withNodeName("n1").endSpec()
        .editStatus().withPhase("Unknown").endStatus().build();
    Pod running = running("running", "n1", true, 0);

    assertThat(ranked(running, unknown, pendingOnNode, unassigned))
        .containsExactly("unassigned", "pending", "unknown", "running");
  }

  @Test
  void notReadyBeforeReadyThenMoreRestartsFirst() {
    assertThat(ranked(running("ready", "n1", true, 0), running("not-ready", "n1", false, 0)))
        .containsExactly("not-ready", "ready");
    assertThat(ranked(running("steady", "n1", true, 0), running("flaky", "n1", true, 7)))
        .containsExactly("flaky", "steady");
  }

  @Test
  void amongEqualsTheNewestGoesFirst() {
    assertThat(ranked(pod("old", "2026-01-01T00:00:00Z").build(), pod("new", "2026-01-01T00:05:00Z").build(),
        pod("middle", "2026-01-01T00:01:00Z").build()))
        .containsExactly("new", "middle", "old");
  }

  @Test
  void terminatingAndFinishedPodsAreNotActive() {
    assertThat(ActivePods.isActive(pod("pending", "2026-01-01T00:00:00Z").build())).isTrue();
    assertThat(ActivePods.isActive(pod("terminating", "2026-01-01T00:00:00Z").editMetadata()
        .withDeletionTimestamp("2026-01-01T00:01:00Z").endMetadata().build())).isFalse();
    assertThat(ActivePods.isActive(pod("done", "2026-01-01T00:00:00Z").editStatus().withPhase("Succeeded")
        .endStatus().build())).isFalse();
    assertThat(ActivePods.isActive(pod("failed", "2026-01-01T00:00:00Z").editStatus().withPhase("Failed")
        .endStatus().build())).isFalse();
  }
}
