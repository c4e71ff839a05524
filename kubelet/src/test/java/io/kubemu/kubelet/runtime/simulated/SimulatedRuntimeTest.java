package io.kubemu.kubelet.runtime.simulated;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kubemu.kubelet.runtime.ContainerConfig;
import io.kubemu.kubelet.runtime.ContainerState;
import io.kubemu.kubelet.runtime.ContainerStatus;
import io.kubemu.kubelet.runtime.Labels;
import io.kubemu.kubelet.runtime.LogOptions;
import io.kubemu.kubelet.runtime.PodSandboxConfig;
import io.kubemu.kubelet.runtime.PodSandboxMetadata;
import io.kubemu.kubelet.runtime.PodSandboxStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimulatedRuntimeTest {
  private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
  private final SimulatedRuntime runtime = new SimulatedRuntime(Clock.fixed(T0, ZoneOffset.UTC));

  private String sandbox() {
    return runtime.runPodSandbox(new PodSandboxConfig(new PodSandboxMetadata("web", "default", "uid-1", 0), "web",
        "10.42.1.2", false, Map.of(Labels.POD_UID, "uid-1")));
  }

  private String start(String sandbox, String name, boolean init) {
    String id = runtime.createContainer(sandbox, new ContainerConfig(name, 0, "nginx:1.25", List.of(), List.of(),
        init ? Map.of(Labels.CONTAINER_INIT, "true") : Map.of()));
    runtime.startContainer(id);
    return id;
  }

  private String log(String id, LogOptions options) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    runtime.readLogs(id, options, out);
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aStartedContainerRunsUntilStoppedAndThenExitedCleanly() {
    String id = start(sandbox(), "app", false);
    assertThat(runtime.containerStatus(id).state()).isEqualTo(ContainerState.CONTAINER_RUNNING);
    runtime.stopContainer(id, 30);
    ContainerStatus stopped = runtime.containerStatus(id);
    assertThat(stopped.state()).isEqualTo(ContainerState.CONTAINER_EXITED);
    assertThat(stopped.exitCode()).isZero();
  }

  @Test
  void anInitContainerCompletesAtOnce() {
    ContainerStatus init = runtime.containerStatus(start(sandbox(), "setup", true));
    assertThat(init.state()).isEqualTo(ContainerState.CONTAINER_EXITED);
    assertThat(init.reason()).isEqualTo("Completed");
  }

  @Test
  void stoppingTheSandboxStopsItsContainersAndRemovingItForgetsThem() {
    String sandbox = sandbox();
    String id = start(sandbox, "app", false);
    runtime.stopPodSandbox(sandbox);
    assertThat(runtime.podSandboxStatus(sandbox).ready()).isFalse();
    assertThat(runtime.containerStatus(id).state()).isEqualTo(ContainerState.CONTAINER_EXITED);
    runtime.removePodSandbox(sandbox);
    assertThat(runtime.listPodSandbox()).isEmpty();
    assertThat(runtime.containerStatus(id)).isNull();
  }

  @Test
  void theLogIsOneLineSayingTheContainerIsSimulated() throws IOException {
    String id = start(sandbox(), "app", false);
    assertThat(log(id, LogOptions.ALL)).contains("container app (nginx:1.25) is simulated").endsWith("\n");
    assertThat(log(id, new LogOptions(false, -1, true, null, -1))).startsWith("2026-11-26T10:00:00Z ");
    assertThat(log(id, new LogOptions(false, 0, false, null, -1))).isEmpty();
    assertThat(log(id, new LogOptions(false, -1, false, null, 6))).hasSize(6);
    assertThat(log(id, new LogOptions(false, -1, false, T0.plusSeconds(1), -1))).isEmpty();
  }

  @Test
  void aPodFromBeforeARestartIsAdoptedAsItWas() {
    Pod pod = new PodBuilder().withNewMetadata().withName("web").withNamespace("default").withUid("uid-1").endMetadata()
        .withNewStatus().withPhase("Running")
        .addNewContainerStatus().withName("app").withImage("nginx:1.25").withContainerID("simulated://abc")
        .withNewState().withNewRunning().withStartedAt("2026-11-26T09:00:00Z").endRunning().endState()
        .endContainerStatus().endStatus().build();
    String sandbox = runtime.adopt(pod, "10.42.1.7");
    PodSandboxStatus status = runtime.podSandboxStatus(sandbox);
    assertThat(status.ip()).isEqualTo("10.42.1.7");
    assertThat(status.metadata().uid()).isEqualTo("uid-1");
    ContainerStatus app = runtime.containerStatus("abc");
    assertThat(app.state()).isEqualTo(ContainerState.CONTAINER_RUNNING);
    assertThat(app.startedAt()).isEqualTo(Instant.parse("2026-11-26T09:00:00Z"));
  }

  @Test
  void aPodThatRanNothingIsNotAdopted() {
    Pod pending = new PodBuilder().withNewMetadata().withName("web").withNamespace("default").withUid("uid-2")
        .endMetadata().withNewStatus().withPhase("Pending").addNewContainerStatus().withName("app")
        .withNewState().withNewWaiting().withReason("ContainerCreating").endWaiting().endState()
        .endContainerStatus().endStatus().build();
    assertThat(runtime.adopt(pending, null)).isNull();
    assertThat(runtime.listPodSandbox()).isEmpty();
  }
}
