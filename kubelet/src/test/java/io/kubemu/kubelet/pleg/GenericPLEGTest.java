package io.kubemu.kubelet.pleg;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubemu.kubelet.runtime.ContainerConfig;
import io.kubemu.kubelet.runtime.Labels;
import io.kubemu.kubelet.runtime.PodSandboxConfig;
import io.kubemu.kubelet.runtime.PodSandboxMetadata;
import io.kubemu.kubelet.runtime.fake.FakeClock;
import io.kubemu.kubelet.runtime.fake.FakeRuntime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class GenericPLEGTest {
  private final FakeRuntime runtime = new FakeRuntime(new FakeClock(Instant.parse("2026-11-26T10:00:00Z")));
  private final List<String> synced = new CopyOnWriteArrayList<>();
  private final GenericPLEG pleg = new GenericPLEG(runtime, synced::add);

  private String runPod(String uid) {
    String sandbox = runtime.runPodSandbox(new PodSandboxConfig(new PodSandboxMetadata("p-" + uid, "default", uid, 0),
        "p", "10.42.0.2", false, Map.of(Labels.POD_UID, uid)));
    String container = runtime.createContainer(sandbox, new ContainerConfig("app", 0, "nginx", List.of(), List.of(),
        Map.of(Labels.POD_UID, uid)));
    runtime.startContainer(container);
    return container;
  }

  @Test
  void aContainerThatDiesMakesItsPodAndOnlyItsPodSync() {
    String dying = runPod("u1");
    runPod("u2");
    assertThat(pleg.relist()).isEmpty();
    runtime.exit(dying, 137, null);
    assertThat(pleg.relist()).containsExactly("u1");
    assertThat(pleg.relist()).isEmpty();
    assertThat(synced).containsExactly("u1");
  }

  @Test
  void aContainerRemovedBehindTheKubeletsBackOrANewOneMakesItsPodSync() {
    String removed = runPod("u1");
    pleg.relist();
    runtime.remove(removed);
    assertThat(pleg.relist()).containsExactly("u1");
    runPod("u3");
    assertThat(pleg.relist()).containsExactly("u3");
  }

  @Test
  void aSandboxThatDiesMakesItsPodSync() {
    runPod("u1");
    pleg.relist();
    runtime.killSandbox(runtime.listPodSandbox().get(0).id());
    assertThat(pleg.relist()).containsExactly("u1");
  }

  @Test
  void itRelistsEveryPeriodOnTheExecutor() {
    String dying = runPod("u1");
    ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    try {
      pleg.start(executor, Duration.ofMillis(20));
      runtime.exit(dying, 1, null);
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> synced.contains("u1"));
    } finally {
      pleg.stop();
      executor.shutdownNow();
    }
  }
}
