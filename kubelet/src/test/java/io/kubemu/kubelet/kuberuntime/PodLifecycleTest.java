package io.kubemu.kubelet.kuberuntime;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.kubemu.kubelet.backoff.Backoff;
import io.kubemu.kubelet.images.ImageManager;
import io.kubemu.kubelet.runtime.fake.FakeClock;
import io.kubemu.kubelet.runtime.fake.FakeRuntime;
import io.kubemu.kubelet.runtime.fake.RecordedEvents;
import io.kubemu.kubelet.status.PodStatusGenerator;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** How the kubelet runs a pod's containers over their lives: restarts, backoff, images, probes' kills, deletion. */
class PodLifecycleTest {
  private final FakeClock clock = new FakeClock(Instant.parse("2026-11-26T10:00:00Z"));
  private final FakeRuntime runtime = new FakeRuntime(clock);
  private final RecordedEvents events = new RecordedEvents();
  private final RuntimeManager manager = new RuntimeManager(runtime, new ImageManager(runtime,
      new Backoff(clock, Duration.ofSeconds(10), Duration.ofMinutes(5)), events, clock),
      new Backoff(clock, Duration.ofSeconds(10), Duration.ofMinutes(5)), events, clock);
  private Pod pod = pod("Always", "nginx:1.27", null);

  private static Pod pod(String restartPolicy, String image, String pullPolicy) {
    return new PodBuilder().withNewMetadata().withName("web").withNamespace("default").withUid("u1").endMetadata()
        .withNewSpec().withRestartPolicy(restartPolicy).withTerminationGracePeriodSeconds(30L)
        .addNewContainer().withName("app").withImage(image).withImagePullPolicy(pullPolicy).endContainer().endSpec()
        .build();
  }

  private PodSyncResult sync() {
    PodSyncResult result = manager.syncPod(pod, () -> "10.42.1.2");
    pod.setStatus(status());
    return result;
  }

  private PodStatus status() {
    return PodStatusGenerator.generate(pod, manager.podState("u1", false), "127.0.0.1", clock.instant());
  }

  private ContainerStatus app() {
    return pod.getStatus().getContainerStatuses().get(0);
  }

  private void appExits(int code) {
    clock.advance(Duration.ofSeconds(1));
    runtime.exit(runtime.latest("app").id(), code, null);
  }

  @Test
  void aCrashingContainerRestartsAtOnceThenBacksOffTenSecondsThenTwenty() {
    runtime.addImage("nginx:1.27");
    sync();
    assertThat(app().getState().getRunning()).isNotNull();
    appExits(1);
    sync();
    assertThat(app().getRestartCount()).isEqualTo(1);
    assertThat(app().getState().getRunning()).isNotNull();
    assertThat(app().getLastState().getTerminated().getExitCode()).isEqualTo(1);
    assertThat(app().getLastState().getTerminated().getReason()).isEqualTo("Error");

    appExits(1);
    PodSyncResult result = sync();
    assertThat(app().getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
    assertThat(app().getState().getWaiting().getMessage())
        .isEqualTo("back-off 10s restarting failed container=app pod=web_default(u1)");
    assertThat(app().getLastState().getTerminated().getExitCode()).isEqualTo(1);
    assertThat(app().getRestartCount()).isEqualTo(1);
    assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
    assertThat(result.retryAfter()).isEqualTo(Duration.ofSeconds(10));
    assertThat(events.all()).contains(
        "Warning BackOff: Back-off restarting failed container app in pod web_default(u1)");

    clock.advance(Duration.ofSeconds(10));
    sync();
    assertThat(app().getRestartCount()).isEqualTo(2);
    assertThat(app().getState().getRunning()).isNotNull();
    appExits(2);
    sync();
    assertThat(app().getState().getWaiting().getMessage()).startsWith("back-off 20s ");
  }

  @Test
  void aContainerThatRanTwiceTheMaximumBackoffStartsItsBackoffAfresh() {
    runtime.addImage("nginx:1.27");
    sync();
    for (int i = 0; i < 3; i++) {
      appExits(1);
      clock.advance(Duration.ofMinutes(1));
      sync();
    }
    appExits(1);
    sync();
    assertThat(app().getState().getWaiting().getMessage()).startsWith("back-off 40s ");
    clock.advance(Duration.ofSeconds(40));
    sync();
    clock.advance(Duration.ofMinutes(11));
    appExits(1);
    sync();
    assertThat(app().getState().getRunning()).as("restarted at once, as the first time").isNotNull();
    appExits(1);
    sync();
    assertThat(app().getState().getWaiting().getMessage()).startsWith("back-off 10s ");
  }

  @Test
  void onlyTheLatestTwoInstancesOfARestartedContainerAreKept() {
    runtime.addImage("nginx:1.27");
    sync();
    for (int i = 0; i < 4; i++) {
      appExits(1);
      clock.advance(Duration.ofMinutes(6));
      sync();
    }
    assertThat(app().getRestartCount()).isEqualTo(4);
    assertThat(runtime.listAllContainers()).extracting(c -> c.attempt()).containsExactlyInAnyOrder(3, 4);
    assertThat(app().getLastState().getTerminated().getExitCode()).isEqualTo(1);
  }

  @Test
  void aFailingInitContainerIsRestartedWithBackoffAndThePodStaysPending() {
    pod = new PodBuilder(pod).editSpec().addNewInitContainer().withName("setup").withImage("nginx:1.27")
        .endInitContainer().endSpec().build();
    runtime.addImage("nginx:1.27");
    sync();
    runtime.exit(runtime.latest("setup").id(), 1, null);
    sync();
    assertThat(runtime.latest("setup").attempt()).isEqualTo(1);
    runtime.exit(runtime.latest("setup").id(), 1, null);
    sync();
    ContainerStatus setup = pod.getStatus().getInitContainerStatuses().get(0);
    assertThat(setup.getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
    assertThat(setup.getLastState().getTerminated().getExitCode()).isEqualTo(1);
    assertThat(app().getState().getWaiting().getReason()).isEqualTo("PodInitializing");
    assertThat(pod.getStatus().getPhase()).isEqualTo("Pending");
    assertThat(runtime.latest("app")).isNull();
  }

  @Test
  void aContainerThatFailsItsStartupProbeIsKilledAndRestarted() {
    runtime.addImage("nginx:1.27");
    sync();
    String slow = runtime.latest("app").id();
    manager.setLivenessCheck(id -> id.equals(slow) ? "startup" : null);
    events.clear();
    sync();
    assertThat(events.all()).startsWith("Normal Killing: Container app failed startup probe, will be restarted");
    assertThat(runtime.latest("app").id()).isNotEqualTo(slow);
  }

  @Test
  void onFailureLeavesASucceededContainerAndThePodSucceeds() {
    pod = pod("OnFailure", "nginx:1.27", "IfNotPresent");
    runtime.addImage("nginx:1.27");
    sync();
    appExits(0);
    sync();
    assertThat(app().getRestartCount()).isZero();
    assertThat(app().getState().getTerminated().getReason()).isEqualTo("Completed");
    assertThat(pod.getStatus().getPhase()).isEqualTo("Succeeded");
  }

  @Test
  void neverLeavesAFailedContainerAndThePodFails() {
    pod = pod("Never", "nginx:1.27", "IfNotPresent");
    runtime.addImage("nginx:1.27");
    sync();
    clock.advance(Duration.ofSeconds(1));
    runtime.exit(runtime.latest("app").id(), 137, "OOMKilled");
    sync();
    assertThat(app().getState().getTerminated().getReason()).isEqualTo("OOMKilled");
    assertThat(app().getState().getTerminated().getExitCode()).isEqualTo(137);
    assertThat(pod.getStatus().getPhase()).isEqualTo("Failed");
  }

  @Test
  void aFailingInitContainerWithRestartPolicyNeverFailsThePod() {
    pod = new PodBuilder(pod("Never", "nginx:1.27", "IfNotPresent")).editSpec().addNewInitContainer()
        .withName("setup").withImage("nginx:1.27").endInitContainer().endSpec().build();
    runtime.addImage("nginx:1.27");
    sync();
    assertThat(runtime.latest("app")).isNull();
    runtime.exit(runtime.latest("setup").id(), 3, null);
    sync();
    assertThat(runtime.latest("app")).isNull();
    assertThat(pod.getStatus().getPhase()).isEqualTo("Failed");
    assertThat(pod.getStatus().getInitContainerStatuses().get(0).getState().getTerminated().getExitCode())
        .isEqualTo(3);
  }

  @Test
  void initContainersRunInOrderBeforeTheAppContainers() {
    pod = new PodBuilder(pod).editSpec().addNewInitContainer().withName("setup").withImage("nginx:1.27")
        .endInitContainer().addNewInitContainer().withName("migrate").withImage("nginx:1.27").endInitContainer()
        .endSpec().build();
    runtime.addImage("nginx:1.27");
    sync();
    assertThat(runtime.latest("migrate")).isNull();
    assertThat(pod.getStatus().getPhase()).isEqualTo("Pending");
    runtime.exit(runtime.latest("setup").id(), 0, null);
    sync();
    assertThat(runtime.latest("app")).isNull();
    runtime.exit(runtime.latest("migrate").id(), 0, null);
    sync();
    assertThat(app().getState().getRunning()).isNotNull();
    assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
  }

  @Test
  void aContainerRemovedBehindTheKubeletsBackIsStartedAgain() {
    runtime.addImage("nginx:1.27");
    sync();
    runtime.remove(runtime.latest("app").id());
    sync();
    assertThat(app().getState().getRunning()).isNotNull();
  }

  @Test
  void aDeadSandboxIsReplacedAndItsContainersRestartInTheNewOne() {
    runtime.addImage("nginx:1.27");
    sync();
    String first = runtime.latest("app").id();
    runtime.killSandbox(manager.sandbox("u1").id());
    sync();
    assertThat(manager.sandbox("u1").ready()).isTrue();
    assertThat(manager.sandbox("u1").metadata().attempt()).isEqualTo(1);
    assertThat(runtime.latest("app").id()).isNotEqualTo(first);
    assertThat(app().getRestartCount()).isEqualTo(1);
    assertThat(runtime.stops(first)).isEqualTo(1);
  }

  @Test
  void anImagePresentIsNotPulledWithIfNotPresent() {
    pod = pod("Always", "nginx:1.27", "IfNotPresent");
    runtime.addImage("nginx:1.27");
    sync();
    assertThat(runtime.pulls()).isEmpty();
    assertThat(events.all()).containsExactly(
        "Normal Pulled: Container image \"nginx:1.27\" already present on machine",
        "Normal Created: Created container: app",
        "Normal Started: Started container app");
  }

  @Test
  void anImageIsPulledEveryTimeWithAlways() {
    pod = pod("Always", "nginx", "Always");
    runtime.addImage("nginx");
    sync();
    assertThat(runtime.pulls()).containsExactly("nginx");
    assertThat(events.all().get(0)).isEqualTo("Normal Pulling: Pulling image \"nginx\"");
    assertThat(events.all().get(1)).startsWith("Normal Pulled: Successfully pulled image \"nginx\" in ")
        .endsWith("Image size: 1234 bytes.");
  }

  @Test
  void anAbsentImageWithPullPolicyNeverWaitsInErrImageNeverPull() {
    pod = pod("Always", "nginx:1.27", "Never");
    sync();
    assertThat(runtime.pulls()).isEmpty();
    assertThat(app().getState().getWaiting().getReason()).isEqualTo("ErrImageNeverPull");
    assertThat(app().getState().getWaiting().getMessage())
        .isEqualTo("Container image \"nginx:1.27\" is not present with pull policy of Never");
    assertThat(pod.getStatus().getPhase()).isEqualTo("Pending");
  }

  @Test
  void aFailingPullWaitsInErrImagePullThenBacksOffInImagePullBackOff() {
    pod = pod("Always", "nosuch:1", null);
    runtime.failPulls("nosuch:1");
    PodSyncResult first = sync();
    assertThat(app().getState().getWaiting().getReason()).isEqualTo("ErrImagePull");
    assertThat(app().getState().getWaiting().getMessage()).startsWith("Failed to pull image \"nosuch:1\": ");
    assertThat(first.retryAfter()).isEqualTo(Duration.ofSeconds(10));
    assertThat(events.all()).contains("Warning Failed: Error: ErrImagePull");

    clock.advance(Duration.ofSeconds(3));
    sync();
    assertThat(app().getState().getWaiting().getReason()).isEqualTo("ImagePullBackOff");
    assertThat(app().getState().getWaiting().getMessage()).isEqualTo("Back-off pulling image \"nosuch:1\"");
    assertThat(runtime.pulls()).hasSize(1);

    clock.advance(Duration.ofSeconds(7));
    PodSyncResult third = sync();
    assertThat(runtime.pulls()).hasSize(2);
    assertThat(third.retryAfter()).isEqualTo(Duration.ofSeconds(20));
  }

  @Test
  void aContainerTheRuntimeCannotStartWaitsInRunContainerError() {
    runtime.addImage("nginx:1.27");
    runtime.failStarts("app");
    sync();
    assertThat(app().getState().getWaiting().getReason()).isEqualTo("RunContainerError");
    assertThat(app().getState().getWaiting().getMessage())
        .isEqualTo("exec: \"nosuch\": executable file not found in $PATH");
    assertThat(events.all()).contains("Warning Failed: Error: exec: \"nosuch\": executable file not found in $PATH");

    sync();
    assertThat(app().getRestartCount()).as("tried again at once, the first time").isEqualTo(1);
    assertThat(app().getState().getWaiting().getReason()).isEqualTo("RunContainerError");
    PodSyncResult backingOff = sync();
    assertThat(app().getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
    assertThat(backingOff.retryAfter()).isEqualTo(Duration.ofSeconds(10));
    clock.advance(Duration.ofSeconds(10));
    sync();
    assertThat(app().getRestartCount()).isEqualTo(2);
  }

  @Test
  void aContainerThatFailsItsLivenessProbeIsKilledAndRestarted() {
    runtime.addImage("nginx:1.27");
    sync();
    String unhealthy = runtime.latest("app").id();
    manager.setLivenessCheck(id -> id.equals(unhealthy) ? "liveness" : null);
    events.clear();
    sync();
    assertThat(runtime.stops(unhealthy)).isEqualTo(1);
    assertThat(app().getRestartCount()).isEqualTo(1);
    assertThat(app().getState().getRunning()).isNotNull();
    assertThat(events.all()).startsWith("Normal Killing: Container app failed liveness probe, will be restarted");
  }

  @Test
  void deletingAPodStopsItsContainersWithAKillingEventAndRestartsNone() {
    runtime.addImage("nginx:1.27");
    sync();
    events.clear();
    manager.killPod(pod, 30);
    assertThat(events.all()).containsExactly("Normal Killing: Stopping container app");
    PodStatus last = PodStatusGenerator.generate(pod, manager.podState("u1", true), "127.0.0.1", clock.instant());
    assertThat(last.getContainerStatuses().get(0).getState().getTerminated().getExitCode()).isEqualTo(137);
    assertThat(last.getPhase()).isEqualTo("Failed");
  }
}
