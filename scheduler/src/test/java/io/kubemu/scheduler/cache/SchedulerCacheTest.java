package io.kubemu.scheduler.cache;

import static io.kubemu.scheduler.TestObjects.node;
import static io.kubemu.scheduler.TestObjects.on;
import static io.kubemu.scheduler.TestObjects.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kubemu.scheduler.framework.NodeInfo;
import io.kubemu.scheduler.framework.Resources;
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

  private NodeInfo onlyNode() {
    return cache.snapshot().get(0);
  }
}
