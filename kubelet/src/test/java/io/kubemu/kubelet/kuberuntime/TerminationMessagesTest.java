package io.kubemu.kubelet.kuberuntime;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kubemu.kubelet.backoff.Backoff;
import io.kubemu.kubelet.envvars.EnvironmentVariables;
import io.kubemu.kubelet.images.ImageManager;
import io.kubemu.kubelet.objects.ObjectManager;
import io.kubemu.kubelet.runtime.ContainerConfig.Mount;
import io.kubemu.kubelet.runtime.ContainerStatus;
import io.kubemu.kubelet.runtime.fake.FakeClock;
import io.kubemu.kubelet.runtime.fake.FakeRuntime;
import io.kubemu.kubelet.runtime.fake.RecordedEvents;
import io.kubemu.kubelet.status.PodStatusGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A container's termination message: the file it writes at its terminationMessagePath, or the end of its log. */
class TerminationMessagesTest {
  private final FakeClock clock = new FakeClock(Instant.parse("2026-11-26T10:00:00Z"));
  private final FakeRuntime runtime = new FakeRuntime(clock);
  @TempDir
  Path rootDir;
  private RuntimeManager manager;

  private RuntimeManager manager() {
    if (manager == null) {
      RecordedEvents events = new RecordedEvents();
      manager = new RuntimeManager(runtime, new ImageManager(runtime,
          new Backoff(clock, Duration.ofSeconds(10), Duration.ofMinutes(5)), events, clock),
          new Backoff(clock, Duration.ofSeconds(10), Duration.ofMinutes(5)), events, clock,
          new ContainerConfigGenerator(new EnvironmentVariables(ObjectManager.none(), Map.of()), pod -> Map.of(),
              "192.168.1.10", uid -> rootDir.resolve("pods").resolve(uid)));
      runtime.addImage("busybox");
    }
    return manager;
  }

  private static Pod pod(String restartPolicy, ContainerBuilder... containers) {
    PodBuilder pod = new PodBuilder().withNewMetadata().withName("job").withNamespace("default").withUid("u1")
        .endMetadata().withNewSpec().withRestartPolicy(restartPolicy).endSpec();
    for (ContainerBuilder container : containers) {
      pod.editSpec().addToContainers(container.build()).endSpec();
    }
    return pod.build();
  }

  private static ContainerBuilder container(String name) {
    return new ContainerBuilder().withName(name).withImage("busybox");
  }

  private Pod run(Pod pod) {
    manager().syncPod(pod, () -> "10.42.1.2");
    pod.setStatus(status(pod));
    return pod;
  }

  private io.fabric8.kubernetes.api.model.PodStatus status(Pod pod) {
    return PodStatusGenerator.generate(pod, manager().podState("u1", false), "192.168.1.10", clock.instant());
  }

  private ContainerStateTerminated terminated(Pod pod, int index) {
    return status(pod).getContainerStatuses().get(index).getState().getTerminated();
  }

  private Mount terminationMount(String name) {
    return runtime.config(runtime.latest(name).id()).mounts().stream()
        .filter(mount -> mount.hostPath().startsWith(rootDir.toString())).findFirst().orElseThrow();
  }

  /** The container writes its termination message, as a process in it would at its terminationMessagePath. */
  private void writes(String name, String message) throws IOException {
    Files.writeString(Path.of(terminationMount(name).hostPath()), message);
  }

  private void exits(String name, int code) {
    clock.advance(Duration.ofSeconds(1));
    runtime.exit(runtime.latest(name).id(), code, null);
  }

  @Test
  void everyContainerGetsAnEmptyFileOfItsOwnBoundReadWriteAtDevTerminationLog() throws IOException {
    run(pod("Never", container("app"), container("sidecar")));
    Mount app = terminationMount("app");
    assertThat(app.containerPath()).isEqualTo("/dev/termination-log");
    assertThat(app.readOnly()).isFalse();
    Path file = Path.of(app.hostPath());
    assertThat(file.getParent()).isEqualTo(rootDir.resolve("pods/u1/containers/app"));
    assertThat(file.getFileName().toString()).matches("[0-9a-f]{8}");
    assertThat(Files.size(file)).isZero();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-rw-rw-");
    assertThat(Path.of(terminationMount("sidecar").hostPath()).getParent())
        .isEqualTo(rootDir.resolve("pods/u1/containers/sidecar"));
  }

  @Test
  void aContainerWhoseFileCannotBeMadeWaitsWithCreateContainerConfigError() throws IOException {
    Files.createDirectories(rootDir.resolve("pods"));
    Files.writeString(rootDir.resolve("pods/u1"), "a file where the pod's directory should be");
    Pod pod = run(pod("Never", container("app")));
    ContainerStateWaiting waiting = status(pod).getContainerStatuses().get(0).getState().getWaiting();
    assertThat(waiting.getReason()).isEqualTo("CreateContainerConfigError");
    assertThat(waiting.getMessage()).contains("termination message file of container \"app\"", "pods/u1");
    assertThat(runtime.latest("app")).isNull();
  }

  @Test
  void theFileIsBoundAtTheContainersOwnTerminationMessagePath() {
    run(pod("Never", container("app").withTerminationMessagePath("/tmp/why")));
    assertThat(terminationMount("app").containerPath()).isEqualTo("/tmp/why");
  }

  @Test
  void whatTheContainerWroteIsItsTerminatedMessage() throws IOException {
    Pod pod = run(pod("Never", container("app")));
    writes("app", "bye now\n");
    exits("app", 2);
    assertThat(terminated(pod, 0).getExitCode()).isEqualTo(2);
    assertThat(terminated(pod, 0).getMessage()).isEqualTo("bye now\n");
  }

  @Test
  void aContainerThatWroteNothingHasNoMessage() {
    Pod pod = run(pod("Never", container("app")));
    runtime.log(runtime.latest("app").id(), "some output");
    exits("app", 1);
    assertThat(terminated(pod, 0).getMessage()).isNull();
  }

  @Test
  void ofALongerMessageTheLast4096BytesAreKept() throws IOException {
    Pod pod = run(pod("Never", container("app")));
    writes("app", "x".repeat(1000) + "y".repeat(4096));
    exits("app", 1);
    assertThat(terminated(pod, 0).getMessage()).isEqualTo("y".repeat(4096));
  }

  @Test
  void withFallbackToLogsOnErrorAFailedContainerThatWroteNothingGetsTheLast80LinesOfItsLog() {
    Pod pod = run(pod("Never", container("app").withTerminationMessagePolicy("FallbackToLogsOnError")));
    String id = runtime.latest("app").id();
    IntStream.rangeClosed(1, 100).forEach(line -> runtime.log(id, "line " + line));
    exits("app", 1);
    String expected = IntStream.rangeClosed(21, 100).mapToObj(line -> "line " + line + "\n")
        .reduce("", String::concat);
    assertThat(terminated(pod, 0).getMessage()).isEqualTo(expected);
  }

  @Test
  void ofTheLogAtMost2048BytesAreTakenFromItsEnd() {
    Pod pod = run(pod("Never", container("app").withTerminationMessagePolicy("FallbackToLogsOnError")));
    String id = runtime.latest("app").id();
    runtime.log(id, "a".repeat(3000), "b".repeat(1000));
    exits("app", 1);
    assertThat(terminated(pod, 0).getMessage()).isEqualTo("a".repeat(1046) + "\n" + "b".repeat(1000) + "\n");
  }

  @Test
  void theLogIsNotTheMessageOfAContainerThatSucceededOrWroteOne() throws IOException {
    Pod pod = run(pod("Never", container("ok").withTerminationMessagePolicy("FallbackToLogsOnError"),
        container("said").withTerminationMessagePolicy("FallbackToLogsOnError")));
    runtime.log(runtime.latest("ok").id(), "all fine");
    runtime.log(runtime.latest("said").id(), "noise");
    writes("said", "disk full");
    exits("ok", 0);
    exits("said", 1);
    assertThat(terminated(pod, 0).getMessage()).isNull();
    assertThat(terminated(pod, 1).getMessage()).isEqualTo("disk full");
  }

  @Test
  void aFinishedContainersFileIsReadOnce() throws IOException {
    Pod pod = run(pod("Never", container("app")));
    writes("app", "first words");
    exits("app", 1);
    assertThat(terminated(pod, 0).getMessage()).isEqualTo("first words");
    writes("app", "changed afterwards");
    assertThat(terminated(pod, 0).getMessage()).isEqualTo("first words");
  }

  @Test
  void aRunningContainersFileIsNotTheMessageOfItsLastEnd() throws IOException {
    Pod pod = run(pod("Always", container("app")));
    writes("app", "attempt 0");
    exits("app", 1);
    pod = run(pod);
    writes("app", "attempt 1, still running");
    var status = status(pod).getContainerStatuses().get(0);
    assertThat(status.getState().getRunning()).isNotNull();
    assertThat(status.getLastState().getTerminated().getMessage()).isEqualTo("attempt 0");
  }

  @Test
  void theMessagesOfAPodShare12KiBEvenly() throws IOException {
    Pod pod = run(pod("Never", container("a"), container("b"), container("c"), container("d")));
    for (String name : List.of("a", "b", "c", "d")) {
      writes(name, name.repeat(4096));
      exits(name, 1);
    }
    for (int i = 0; i < 4; i++) {
      assertThat(terminated(pod, i).getMessage()).hasSize(3072);
    }
  }

  @Test
  void removingAnOldDeadInstanceRemovesItsFileAndTheNewestKeepTheirs() {
    Pod pod = run(pod("Always", container("app")));
    Path first = Path.of(terminationMount("app").hostPath());
    exits("app", 1);
    pod = run(pod);
    Path second = Path.of(terminationMount("app").hostPath());
    exits("app", 1);
    clock.advance(Duration.ofSeconds(11));
    run(pod);
    Path third = Path.of(terminationMount("app").hostPath());
    assertThat(runtime.listAllContainers()).extracting(ContainerStatus::attempt).containsExactlyInAnyOrder(1, 2);
    assertThat(first).doesNotExist();
    assertThat(second).exists();
    assertThat(third).exists();
  }
}
