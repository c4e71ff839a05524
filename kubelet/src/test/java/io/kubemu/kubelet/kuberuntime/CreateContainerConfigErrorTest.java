package io.kubemu.kubelet.kuberuntime;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.kubemu.kubelet.backoff.Backoff;
import io.kubemu.kubelet.events.PodEventRecorder;
import io.kubemu.kubelet.images.ImageManager;
import io.kubemu.kubelet.envvars.EnvironmentVariables;
import io.kubemu.kubelet.objects.InMemoryObjects;
import io.kubemu.kubelet.runtime.ContainerState;
import io.kubemu.kubelet.runtime.simulated.SimulatedRuntime;
import io.kubemu.kubelet.status.PodStatusGenerator;
import io.kubemu.kubelet.status.PodStatusGenerator.RuntimePodState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CreateContainerConfigErrorTest {
  private final InMemoryObjects objects = new InMemoryObjects();
  private final SimulatedRuntime runtime = new SimulatedRuntime(Clock.systemUTC());
  private final RuntimeManager manager = new RuntimeManager(runtime, new ImageManager(runtime,
      new Backoff(Clock.systemUTC(), Duration.ofSeconds(10), Duration.ofMinutes(5)), PodEventRecorder.NONE,
      Clock.systemUTC()), new Backoff(Clock.systemUTC(), Duration.ofSeconds(10), Duration.ofMinutes(5)),
      PodEventRecorder.NONE, Clock.systemUTC(),
      new ContainerConfigGenerator(new EnvironmentVariables(objects, Map.of()), pod -> Map.of(), "192.168.1.10"));

  private static Pod pod() {
    return new PodBuilder().withNewMetadata().withName("web-1").withNamespace("shop").withUid("u-1").endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage("nginx").addNewEnv().withName("LEVEL")
        .withNewValueFrom().withNewConfigMapKeyRef("LOG_LEVEL", "settings", null).endValueFrom().endEnv()
        .endContainer().addNewContainer().withName("sidecar").withImage("envoy").endContainer().endSpec().build();
  }

  private PodStatus status(Pod pod) {
    return PodStatusGenerator.generate(pod, manager.podState("u-1", false), "192.168.1.10", Instant.now());
  }

  private static ContainerStatus container(PodStatus status, String name) {
    return status.getContainerStatuses().stream().filter(container -> container.getName().equals(name)).findFirst()
        .orElseThrow();
  }

  @Test
  void aContainerWhoseConfigMapIsMissingWaitsWithTheReasonWhileTheOthersRun() {
    Pod pod = pod();
    manager.syncPod(pod, () -> "10.42.1.7");
    PodStatus status = status(pod);
    assertThat(status.getPhase()).isEqualTo("Pending");
    assertThat(container(status, "app").getState().getWaiting().getReason()).isEqualTo("CreateContainerConfigError");
    assertThat(container(status, "app").getState().getWaiting().getMessage())
        .isEqualTo("configmap \"settings\" not found");
    assertThat(container(status, "sidecar").getState().getRunning()).isNotNull();

    objects.configMap("shop", "settings", Map.of("OTHER", "x"));
    manager.syncPod(pod, () -> "10.42.1.7");
    assertThat(container(status(pod), "app").getState().getWaiting().getMessage())
        .isEqualTo("couldn't find key LOG_LEVEL in ConfigMap shop/settings");
  }

  @Test
  void onceTheConfigMapIsThereTheContainerStartsAndTheReasonIsGone() {
    Pod pod = pod();
    manager.syncPod(pod, () -> "10.42.1.7");
    objects.configMap("shop", "settings", Map.of("LOG_LEVEL", "debug"));
    manager.syncPod(pod, () -> "10.42.1.7");
    PodStatus status = status(pod);
    assertThat(status.getPhase()).isEqualTo("Running");
    assertThat(container(status, "app").getState().getRunning()).isNotNull();
    assertThat(manager.podState("u-1", false).waiting()).isEmpty();
  }

  @Test
  void anInitContainerThatCannotBeCreatedHoldsThePodInInitialization() {
    Pod pod = new PodBuilder(pod()).editSpec().addNewInitContainer().withName("setup").withImage("busybox")
        .addNewEnv().withName("X").withNewValueFrom().withNewSecretKeyRef("k", "missing", null).endValueFrom().endEnv()
        .endInitContainer().endSpec().build();
    manager.syncPod(pod, () -> "10.42.1.7");
    PodStatus status = status(pod);
    assertThat(status.getInitContainerStatuses().get(0).getState().getWaiting().getReason())
        .isEqualTo("CreateContainerConfigError");
    assertThat(container(status, "sidecar").getState().getWaiting().getReason()).isEqualTo("PodInitializing");
    manager.killPod("u-1", 0);
    manager.removePod("u-1");
    manager.forget("u-1");
    assertThat(manager.podState("u-1", false).waiting()).as("forgotten with the pod").isEmpty();
  }

  @Test
  void aRestartThatCannotBeCreatedWaitsWithTheReasonAndTheEndedRunAsLastState() {
    Pod pod = pod();
    Instant started = Instant.parse("2026-01-01T10:00:00Z");
    io.kubemu.kubelet.runtime.ContainerStatus exited = new io.kubemu.kubelet.runtime.ContainerStatus("c-1",
        "sandbox-1", "app", 0, ContainerState.CONTAINER_EXITED, started, started, started.plusSeconds(5), 1, null,
        null, "nginx", "nginx@sha256:1", Map.of());
    RuntimePodState state = new RuntimePodState("simulated", null, List.of(exited), false,
        Map.of("app", new PodSyncResult.Waiting("CreateContainerConfigError", "configmap \"settings\" not found")));
    ContainerStatus app = container(PodStatusGenerator.generate(pod, state, "192.168.1.10", Instant.now()), "app");
    assertThat(app.getState().getWaiting().getReason()).isEqualTo("CreateContainerConfigError");
    assertThat(app.getLastState().getTerminated().getExitCode()).isEqualTo(1);
    assertThat(app.getLastState().getTerminated().getReason()).isEqualTo("Error");
  }
}
