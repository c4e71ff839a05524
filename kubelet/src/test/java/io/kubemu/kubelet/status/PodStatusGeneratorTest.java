package io.kubemu.kubelet.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.kubemu.kubelet.runtime.ContainerState;
import io.kubemu.kubelet.runtime.ContainerStatus;
import io.kubemu.kubelet.runtime.PodSandboxMetadata;
import io.kubemu.kubelet.runtime.PodSandboxState;
import io.kubemu.kubelet.runtime.PodSandboxStatus;
import io.kubemu.kubelet.status.PodStatusGenerator.RuntimePodState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodStatusGeneratorTest {
  private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
  private static final Instant T1 = Instant.parse("2026-11-26T10:00:05Z");
  private static final PodSandboxStatus SANDBOX = new PodSandboxStatus("sb", new PodSandboxMetadata("web", "default",
      "uid-1", 0), PodSandboxState.SANDBOX_READY, T0, "10.42.1.2");

  private static Pod pod(boolean withInit) {
    PodBuilder pod = new PodBuilder().withNewMetadata().withName("web").withNamespace("default").withUid("uid-1")
        .endMetadata().withNewSpec().withNodeName("node-1")
        .addNewContainer().withName("app").withImage("nginx:1.25").endContainer()
        .addNewContainer().withName("sidecar").withImage("busybox:1.36").endContainer().endSpec()
        .withNewStatus().withPhase("Pending").withQosClass("BestEffort")
        .addNewCondition().withType("PodScheduled").withStatus("True").withLastTransitionTime("2026-11-26T09:59:59Z")
        .endCondition().endStatus();
    if (withInit) {
      pod.editSpec().addNewInitContainer().withName("setup").withImage("busybox:1.36").endInitContainer().endSpec();
    }
    return pod.build();
  }

  private static ContainerStatus running(String name) {
    return new ContainerStatus("id-" + name, "sb", name, 0, ContainerState.CONTAINER_RUNNING, T0, T0, null, 0, null,
        null, "img", "simulated://img@sha256:00", Map.of());
  }

  private static ContainerStatus exited(String name, int exitCode) {
    return new ContainerStatus("id-" + name, "sb", name, 0, ContainerState.CONTAINER_EXITED, T0, T0, T0, exitCode,
        null, null, "img", "simulated://img@sha256:00", Map.of());
  }

  private static PodCondition condition(PodStatus status, String type) {
    return status.getConditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
  }

  @Test
  void aPodWithoutSandboxWaitsInContainerCreating() {
    PodStatus status = PodStatusGenerator.generate(pod(false), new RuntimePodState("simulated", null, List.of(), false),
        "127.0.0.1", T0);
    assertThat(status.getPhase()).isEqualTo("Pending");
    assertThat(status.getContainerStatuses()).allSatisfy(c -> {
      assertThat(c.getState().getWaiting().getReason()).isEqualTo("ContainerCreating");
      assertThat(c.getReady()).isFalse();
      assertThat(c.getContainerID()).isNull();
    });
    assertThat(condition(status, "PodReadyToStartContainers").getStatus()).isEqualTo("False");
    assertThat(condition(status, "Initialized").getStatus()).isEqualTo("True");
    assertThat(condition(status, "ContainersReady").getReason()).isEqualTo("ContainersNotReady");
    assertThat(condition(status, "Ready").getMessage()).isEqualTo("containers with unready status: [app sidecar]");
    assertThat(status.getPodIP()).isNull();
    assertThat(status.getHostIP()).isEqualTo("127.0.0.1");
    assertThat(status.getStartTime()).isEqualTo("2026-11-26T10:00:00Z");
  }

  @Test
  void aPodWhoseContainersRunIsRunningAndReadyWithTheSandboxIp() {
    PodStatus status = PodStatusGenerator.generate(pod(false),
        new RuntimePodState("simulated", SANDBOX, List.of(running("app"), running("sidecar")), false), "127.0.0.1", T0);
    assertThat(status.getPhase()).isEqualTo("Running");
    assertThat(status.getConditions()).extracting(PodCondition::getType)
        .containsExactly("PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled");
    assertThat(status.getConditions()).allSatisfy(c -> assertThat(c.getStatus()).isEqualTo("True"));
    assertThat(condition(status, "PodScheduled").getLastTransitionTime()).isEqualTo("2026-11-26T09:59:59Z");
    assertThat(status.getPodIP()).isEqualTo("10.42.1.2");
    assertThat(status.getPodIPs()).singleElement().satisfies(ip -> assertThat(ip.getIp()).isEqualTo("10.42.1.2"));
    assertThat(status.getQosClass()).isEqualTo("BestEffort");
    assertThat(status.getContainerStatuses()).allSatisfy(c -> {
      assertThat(c.getReady()).isTrue();
      assertThat(c.getStarted()).isTrue();
      assertThat(c.getRestartCount()).isZero();
      assertThat(c.getContainerID()).isEqualTo("simulated://id-" + c.getName());
      assertThat(c.getState().getRunning().getStartedAt()).isEqualTo("2026-11-26T10:00:00Z");
    });
  }

  @Test
  void oneContainerNotRunningKeepsThePodPendingAndNamesIt() {
    PodStatus status = PodStatusGenerator.generate(pod(false),
        new RuntimePodState("simulated", SANDBOX, List.of(running("app")), false), "127.0.0.1", T0);
    assertThat(status.getPhase()).isEqualTo("Pending");
    assertThat(condition(status, "Ready").getMessage()).isEqualTo("containers with unready status: [sidecar]");
  }

  @Test
  void unfinishedInitContainersLeaveThePodNotInitialized() {
    PodStatus status = PodStatusGenerator.generate(pod(true),
        new RuntimePodState("simulated", SANDBOX, List.of(), false), "127.0.0.1", T0);
    assertThat(status.getPhase()).isEqualTo("Pending");
    assertThat(condition(status, "Initialized").getReason()).isEqualTo("ContainersNotInitialized");
    assertThat(condition(status, "Initialized").getMessage()).isEqualTo("containers with incomplete status: [setup]");
    assertThat(status.getContainerStatuses()).allSatisfy(c ->
        assertThat(c.getState().getWaiting().getReason()).isEqualTo("PodInitializing"));
    assertThat(status.getInitContainerStatuses()).hasSize(1);
  }

  @Test
  void completedInitContainersAreTerminatedCompleted() {
    PodStatus status = PodStatusGenerator.generate(pod(true), new RuntimePodState("simulated", SANDBOX,
        List.of(exited("setup", 0), running("app"), running("sidecar")), false), "127.0.0.1", T0);
    assertThat(status.getPhase()).isEqualTo("Running");
    assertThat(condition(status, "Initialized").getStatus()).isEqualTo("True");
    assertThat(status.getInitContainerStatuses().get(0).getState().getTerminated().getReason()).isEqualTo("Completed");
  }

  @Test
  void theSameRuntimeStateLaterGivesAnEqualStatusSoNothingIsWritten() {
    Pod pod = pod(false);
    RuntimePodState state = new RuntimePodState("simulated", SANDBOX, List.of(running("app"), running("sidecar")), false);
    pod.setStatus(PodStatusGenerator.generate(pod, state, "127.0.0.1", T0));
    assertThat(PodStatusGenerator.generate(pod, state, "127.0.0.1", T1)).isEqualTo(pod.getStatus());
  }

  @Test
  void aConditionThatChangesGetsANewTransitionTime() {
    Pod pod = pod(false);
    pod.setStatus(PodStatusGenerator.generate(pod, new RuntimePodState("simulated", null, List.of(), false),
        "127.0.0.1", T0));
    PodStatus running = PodStatusGenerator.generate(pod, new RuntimePodState("simulated", SANDBOX,
        List.of(running("app"), running("sidecar")), false), "127.0.0.1", T1);
    assertThat(condition(running, "Ready").getLastTransitionTime()).isEqualTo("2026-11-26T10:00:05Z");
    assertThat(condition(running, "Initialized").getLastTransitionTime()).isEqualTo("2026-11-26T10:00:00Z");
    assertThat(running.getStartTime()).isEqualTo("2026-11-26T10:00:00Z");
  }

  @Test
  void aDeletedPodWhoseContainersStoppedCleanlySucceeded() {
    PodStatus status = PodStatusGenerator.generate(pod(false), new RuntimePodState("simulated", SANDBOX,
        List.of(exited("app", 0), exited("sidecar", 0)), true), "127.0.0.1", T0);
    assertThat(status.getPhase()).isEqualTo("Succeeded");
    assertThat(condition(status, "Ready").getReason()).isEqualTo("PodCompleted");
    assertThat(condition(status, "PodReadyToStartContainers").getStatus()).isEqualTo("False");
    assertThat(status.getContainerStatuses()).allSatisfy(c ->
        assertThat(c.getState().getTerminated().getExitCode()).isZero());
  }

  @Test
  void theRestartPolicyDecidesThePhaseOnceContainersExited() {
    Pod always = pod(false);
    Pod never = new PodBuilder(pod(false)).editSpec().withRestartPolicy("Never").endSpec().build();
    Pod onFailure = new PodBuilder(pod(false)).editSpec().withRestartPolicy("OnFailure").endSpec().build();
    assertThat(PodStatusGenerator.phase(always, false, false, false, 0, 0, 2, 0)).isEqualTo("Running");
    assertThat(PodStatusGenerator.phase(never, false, false, false, 0, 0, 2, 0)).isEqualTo("Succeeded");
    assertThat(PodStatusGenerator.phase(never, false, false, false, 0, 0, 1, 1)).isEqualTo("Failed");
    assertThat(PodStatusGenerator.phase(onFailure, false, false, false, 0, 0, 1, 1)).isEqualTo("Running");
    assertThat(PodStatusGenerator.phase(never, false, true, true, 0, 2, 0, 0)).isEqualTo("Failed");
  }

  @Test
  void aRejectedPodFailsWithTheReason() {
    PodStatus status = PodStatusGenerator.rejected(pod(false), "OutOfpods",
        "Node didn't have enough resource: pods, requested: 1, used: 110, capacity: 110");
    assertThat(status.getPhase()).isEqualTo("Failed");
    assertThat(status.getReason()).isEqualTo("OutOfpods");
  }

  @Test
  void aRunningContainerItsReadinessProbeHasNotPassedMakesThePodUnready() {
    ContainerProbeStatus sidecarUnready = new ContainerProbeStatus() {
      @Override
      public boolean started(String podUid, io.fabric8.kubernetes.api.model.Container container, String containerId) {
        return true;
      }

      @Override
      public boolean ready(String podUid, io.fabric8.kubernetes.api.model.Container container, String containerId) {
        return !container.getName().equals("sidecar");
      }
    };
    PodStatus status = PodStatusGenerator.generate(pod(false),
        new RuntimePodState("simulated", SANDBOX, List.of(running("app"), running("sidecar")), false), sidecarUnready,
        "127.0.0.1", T0);
    assertThat(status.getPhase()).isEqualTo("Running");
    assertThat(status.getContainerStatuses()).extracting(c -> c.getReady()).containsExactly(true, false);
    assertThat(condition(status, "Ready").getStatus()).isEqualTo("False");
    assertThat(condition(status, "ContainersReady").getMessage())
        .isEqualTo("containers with unready status: [sidecar]");
  }

  @Test
  void aTruncatedTerminationMessageEndsBeforeACharacterItCannotHoldWhole() {
    assertThat(PodStatusGenerator.truncate("\u00e9".repeat(10), 5)).isEqualTo("\u00e9\u00e9");
    assertThat(PodStatusGenerator.truncate("abcdef", 4)).isEqualTo("abcd");
    assertThat(PodStatusGenerator.truncate("abc", 4)).isEqualTo("abc");
  }
}
