package io.kubemu.scheduler.cache;

import static io.kubemu.scheduler.TestObjects.node;
import static io.kubemu.scheduler.TestObjects.on;
import static io.kubemu.scheduler.TestObjects.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kubemu.scheduler.framework.NodeInfo;
import io.kubemu.scheduler.framework.Resources;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchedulerCacheTest {
  private final SchedulerCache cache = new SchedulerCache();

  SchedulerCacheTest() {
    cache.addOrUpdateNode(node("n1"));
  }

  @Test
  void anAssumedPodCountsOnItsNodeUntilForgotten() {
    Pod pod = pod("p", "1", "1Gi").build();
    cache.assume(pod, "n1");
    assertThat(onlyNode().requested()).isEqualTo(new Resources(1000, 1L << 30));
    assertThat(cache.isAssumed(pod)).isTrue();

    cache.forget(pod);
    assertThat(onlyNode().pods()).isEmpty();
  }

  @Test
  void seeingThePodBoundConfirmsTheAssumption() {
    Pod pod = pod("p", "1", null).build();
    cache.assume(pod, "n1");
    cache.addOrUpdatePod(on(pod, "n1"));
    assertThat(cache.isAssumed(pod)).isFalse();
    cache.forget(pod);
    assertThat(onlyNode().pods()).hasSize(1);
  }

  @Test
  void terminatedAndDeletedPodsUseNothing() {
    Pod pod = on(pod("p", "1", null).build(), "n1");
    cache.addOrUpdatePod(pod);
    cache.addOrUpdatePod(new PodBuilder(pod).withNewStatus().withPhase("Succeeded").endStatus().build());
    assertThat(onlyNode().pods()).isEmpty();
    cache.addOrUpdatePod(pod);
    cache.removePod(pod);
    assertThat(onlyNode().pods()).isEmpty();
  }

  @Test
  void eachSnapshotSeesTheChangesSinceTheOneBeforeAndOnlyTheChangedNodesAreCopied() {
    cache.addOrUpdateNode(node("n2"));
    cache.addOrUpdateNode(node("n3"));
    Pod a = on(pod("a", "1", null).build(), "n1");
    Pod b = on(pod("b", "1", null).build(), "n2");
    cache.addOrUpdatePod(a);
    cache.addOrUpdatePod(b);
    List<NodeInfo> first = cache.snapshot();
    assertThat(podsPerNode(first)).containsExactly(1, 1, 0);

    cache.assume(pod("c", "1", null).build(), "n3");
    cache.addOrUpdatePod(on(a, "n2")); // the same pod, now seen on another node
    List<NodeInfo> second = cache.snapshot();
    assertThat(podsPerNode(second)).containsExactly(0, 2, 1);
    assertThat(second.get(1).requested()).isEqualTo(new Resources(2000, 0));

    cache.removePod(b);
    List<NodeInfo> third = cache.snapshot();
    assertThat(podsPerNode(third)).containsExactly(0, 1, 1);
    assertThat(third.get(0)).isSameAs(second.get(0)); // unchanged since: not copied again
    assertThat(third.get(2)).isSameAs(second.get(2));
    assertThat(third.get(1)).isNotSameAs(second.get(1));
    assertThat(podsPerNode(second)).containsExactly(0, 2, 1); // a snapshot handed out does not change
  }

  private static List<Integer> podsPerNode(List<NodeInfo> snapshot) {
    return snapshot.stream().map(info -> info.pods().size()).toList();
  }

  private NodeInfo onlyNode() {
    return cache.snapshot().get(0);
  }
}
