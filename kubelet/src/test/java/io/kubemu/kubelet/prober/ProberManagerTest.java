package io.kubemu.kubelet.prober;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.kubemu.kubelet.runtime.ContainerConfig;
import io.kubemu.kubelet.runtime.ContainerStatus;
import io.kubemu.kubelet.runtime.PodSandboxConfig;
import io.kubemu.kubelet.runtime.PodSandboxMetadata;
import io.kubemu.kubelet.runtime.fake.FakeClock;
import io.kubemu.kubelet.runtime.fake.FakeRuntime;
import io.kubemu.kubelet.runtime.fake.RecordedEvents;
import io.kubemu.kubelet.status.PodStatusGenerator.RuntimePodState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProberManagerTest {
  private final FakeClock clock = new FakeClock(Instant.parse("2026-11-26T10:00:00Z"));
  private final FakeRuntime runtime = new FakeRuntime(clock);
  private final RecordedEvents events = new RecordedEvents();
  private final List<String> changed = new CopyOnWriteArrayList<>();
  private final ManualScheduler scheduler = new ManualScheduler();
  private final ProberManager manager = new ProberManager(new Prober(runtime, true), scheduler, clock, events,
      changed::add);
  private String sandbox;

  /** Runs the periodic tasks when the test says: one period passes. */
  private static final class ManualScheduler extends ScheduledThreadPoolExecutor {
    private final List<Runnable> tasks = new ArrayList<>();
    private final List<ScheduledFuture<?>> futures = new ArrayList<>();

    ManualScheduler() {
      super(1);
    }

    @Override
    public synchronized ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay,
        TimeUnit unit) {
      ScheduledFuture<?> future = schedule(() -> { }, 1, TimeUnit.DAYS);
      tasks.add(command);
      futures.add(future);
      return future;
    }

    synchronized int periodPasses() {
      int ran = 0;
      for (int i = 0; i < tasks.size(); i++) {
        if (!futures.get(i).isCancelled()) {
          tasks.get(i).run();
          ran++;
        }
      }
      return ran;
    }
  }

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  private static Probe exec(int failureThreshold, int initialDelay) {
    return new ProbeBuilder().withNewExec().withCommand("check").endExec().withFailureThreshold(failureThreshold)
        .withInitialDelaySeconds(initialDelay).build();
  }

  private Pod pod(Probe liveness, Probe readiness, Probe startup) {
    return new PodBuilder().withNewMetadata().withName("web").withNamespace("default").withUid("u1").endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage("nginx").withLivenessProbe(liveness)
        .withReadinessProbe(readiness).withStartupProbe(startup).endContainer().endSpec().build();
  }

  private String runApp() {
    if (sandbox == null) {
      sandbox = runtime.runPodSandbox(new PodSandboxConfig(new PodSandboxMetadata("web", "default", "u1", 0), "web",
          "10.42.0.2", false, Map.of()));
    }
    String id = runtime.createContainer(sandbox, new ContainerConfig("app", 0, "nginx", List.of(), List.of(), Map.of()));
    runtime.startContainer(id);
    return id;
  }

  private void synced(Pod pod) {
    List<ContainerStatus> containers = runtime.listAllContainers();
    manager.updatePod(pod, new RuntimePodState("fake", runtime.podSandboxStatus(sandbox), containers, false));
  }

  private static Container app(Pod pod) {
    return pod.getSpec().getContainers().get(0);
  }

  @Test
  void aContainerWithAReadinessProbeIsReadyOnceItSucceedsAndUnreadyAfterThreeFailures() {
    Pod pod = pod(null, exec(3, 0), null);
    String id = runApp();
    synced(pod);
    assertThat(manager.ready("u1", app(pod), id)).isFalse();
    scheduler.periodPasses();
    assertThat(manager.ready("u1", app(pod), id)).isTrue();
    assertThat(changed).containsExactly("u1");
    runtime.execExitCode(1);
    scheduler.periodPasses();
    scheduler.periodPasses();
    assertThat(manager.ready("u1", app(pod), id)).isTrue();
    scheduler.periodPasses();
    assertThat(manager.ready("u1", app(pod), id)).isFalse();
    assertThat(changed).containsExactly("u1", "u1");
    assertThat(events.all()).containsExactly("Warning Unhealthy: Readiness probe failed: out",
        "Warning Unhealthy: Readiness probe failed: out", "Warning Unhealthy: Readiness probe failed: out");
    assertThat(manager.failedProbe(id)).isNull();
  }

  @Test
  void aContainerWithoutProbesIsStartedAndReady() {
    Pod pod = pod(null, null, null);
    String id = runApp();
    synced(pod);
    assertThat(scheduler.periodPasses()).isZero();
    assertThat(manager.started("u1", app(pod), id)).isTrue();
    assertThat(manager.ready("u1", app(pod), id)).isTrue();
  }

  @Test
  void aFailedLivenessProbeAsksForARestartAndStopsProbingUntilTheContainerIsReplaced() {
    Pod pod = pod(exec(2, 0), null, null);
    String first = runApp();
    synced(pod);
    runtime.execExitCode(1);
    scheduler.periodPasses();
    assertThat(manager.failedProbe(first)).isNull();
    scheduler.periodPasses();
    assertThat(manager.failedProbe(first)).isEqualTo("liveness");
    assertThat(changed).containsExactly("u1");
    int execs = runtime.execs();
    scheduler.periodPasses();
    assertThat(runtime.execs()).as("on hold").isEqualTo(execs);

    runtime.stopContainer(first, 30);
    runtime.execExitCode(0);
    String second = runApp();
    synced(pod);
    scheduler.periodPasses();
    assertThat(manager.failedProbe(second)).isNull();
    assertThat(runtime.execs()).isEqualTo(execs + 1);
  }

  @Test
  void noProbeRunsBeforeTheInitialDelay() {
    Pod pod = pod(exec(3, 30), null, null);
    runApp();
    synced(pod);
    scheduler.periodPasses();
    assertThat(runtime.execs()).isZero();
    clock.advance(Duration.ofSeconds(30));
    scheduler.periodPasses();
    assertThat(runtime.execs()).isEqualTo(1);
  }

  @Test
  void theStartupProbeHoldsReadinessBackUntilItSucceeds() {
    Pod pod = pod(null, exec(3, 0), exec(3, 0));
    runtime.execExitCode(1);
    String id = runApp();
    synced(pod);
    scheduler.periodPasses();
    assertThat(runtime.execs()).as("only the startup probe ran").isEqualTo(1);
    assertThat(manager.started("u1", app(pod), id)).isFalse();
    runtime.execExitCode(0);
    scheduler.periodPasses();
    assertThat(manager.started("u1", app(pod), id)).isTrue();
    scheduler.periodPasses();
    assertThat(manager.ready("u1", app(pod), id)).isTrue();
  }

  @Test
  void aRemovedPodsProbesStop() {
    Pod pod = pod(exec(3, 0), exec(3, 0), null);
    runApp();
    synced(pod);
    assertThat(manager.workerKeys()).hasSize(2);
    manager.removePod("u1");
    assertThat(manager.workerKeys()).isEmpty();
    assertThat(scheduler.periodPasses()).isZero();
  }
}
