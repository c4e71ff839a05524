package io.kubemu.kubelet.kuberuntime;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kubemu.kubelet.runtime.ContainerState;
import io.kubemu.kubelet.runtime.ContainerStatus;
import io.kubemu.kubelet.runtime.simulated.SimulatedRuntime;
import io.kubemu.kubelet.status.PodStatusGenerator.RuntimePodState;
import io.kubemu.kubelet.backoff.Backoff;
import io.kubemu.kubelet.events.PodEventRecorder;
import io.kubemu.kubelet.images.ImageManager;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RuntimeManagerTest {
  private final RuntimeManager manager = manager(new SimulatedRuntime(Clock.systemUTC()));

  private static RuntimeManager manager(SimulatedRuntime runtime) {
    Clock clock = Clock.systemUTC();
    return new RuntimeManager(runtime, new ImageManager(runtime, new Backoff(clock, Duration.ofSeconds(10),
        Duration.ofMinutes(5)), PodEventRecorder.NONE, clock), new Backoff(clock, Duration.ofSeconds(10),
        Duration.ofMinutes(5)), PodEventRecorder.NONE, clock);
  }

  private static Pod pod(String uid) {
    return new PodBuilder().withNewMetadata().withName("web-" + uid).withNamespace("default").withUid(uid).endMetadata()
        .withNewSpec().addNewInitContainer().withName("setup").withImage("busybox").endInitContainer()
        .addNewInitContainer().withName("migrate").withImage("busybox").endInitContainer()
        .addNewContainer().withName("app").withImage("nginx").endContainer()
        .addNewContainer().withName("sidecar").withImage("envoy").endContainer().endSpec().build();
  }

  @Test
  void oneSyncRunsTheSandboxTheInitContainersInOrderAndTheAppContainers() {
    manager.syncPod(pod("u1"), () -> "10.42.1.2");
    RuntimePodState state = manager.podState("u1", false);
    assertThat(state.runtimeName()).isEqualTo("simulated");
    assertThat(state.sandbox().ip()).isEqualTo("10.42.1.2");
    assertThat(state.containers()).extracting(ContainerStatus::name).containsExactly("setup", "migrate", "app", "sidecar");
    assertThat(state.containers()).extracting(ContainerStatus::state).containsExactly(ContainerState.CONTAINER_EXITED,
        ContainerState.CONTAINER_EXITED, ContainerState.CONTAINER_RUNNING, ContainerState.CONTAINER_RUNNING);
  }

  @Test
  void syncingARunningPodAgainChangesNothingAndAsksForNoAddress() {
    AtomicInteger addresses = new AtomicInteger();
    manager.syncPod(pod("u1"), () -> "10.42.1." + (2 + addresses.getAndIncrement()));
    RuntimePodState before = manager.podState("u1", false);
    manager.syncPod(pod("u1"), () -> "10.42.1." + (2 + addresses.getAndIncrement()));
    assertThat(manager.podState("u1", false)).isEqualTo(before);
    assertThat(addresses).hasValue(1);
  }

  @Test
  void killingAndRemovingAPodLeavesNothingOfItAndOthersAlone() {
    manager.syncPod(pod("u1"), () -> "10.42.1.2");
    manager.syncPod(pod("u2"), () -> "10.42.1.3");
    manager.killPod("u1", 30);
    assertThat(manager.podState("u1", true).containers()).allSatisfy(container ->
        assertThat(container.state()).isEqualTo(ContainerState.CONTAINER_EXITED));
    manager.removePod("u1");
    assertThat(manager.podUids()).containsExactly("u2");
    assertThat(manager.containerId("u2", "app")).isNotNull();
    assertThat(manager.containerId("u1", "app")).isNull();
  }
}
