package io.kubemu.kubelet.runtime.fake;

import io.kubemu.kubelet.runtime.ContainerConfig;
import io.kubemu.kubelet.runtime.ContainerState;
import io.kubemu.kubelet.runtime.ContainerStatus;
import io.kubemu.kubelet.runtime.ExecSyncResponse;
import io.kubemu.kubelet.runtime.Image;
import io.kubemu.kubelet.runtime.ImagePullException;
import io.kubemu.kubelet.runtime.ImageService;
import io.kubemu.kubelet.runtime.LogOptions;
import io.kubemu.kubelet.runtime.PodSandboxConfig;
import io.kubemu.kubelet.runtime.PodSandboxState;
import io.kubemu.kubelet.runtime.PodSandboxStatus;
import io.kubemu.kubelet.runtime.RuntimeService;
import io.kubemu.kubelet.runtime.RuntimeVersion;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A runtime for tests whose containers run until the test says otherwise: a container exits with a
 * code ({@link #exit}), disappears ({@link #remove}), a sandbox dies ({@link #killSandbox}); images are
 * present or not, a pull fails or not; an exec returns what the test says; a container's log is what the test
 * writes ({@link #log}). It counts pulls and stops and keeps each container's config.
 */
public final class FakeRuntime implements RuntimeService, ImageService {
  private final Clock clock;
  private final Map<String, PodSandboxStatus> sandboxes = new LinkedHashMap<>();
  private final Map<String, ContainerStatus> containers = new LinkedHashMap<>();
  private final Map<String, ContainerConfig> configs = new HashMap<>();
  private final Map<String, List<String>> logs = new HashMap<>();
  private final Set<String> images = new HashSet<>();
  private final Set<String> unpullable = new HashSet<>();
  private final Set<String> unstartable = new HashSet<>();
  private final Map<String, Integer> stops = new HashMap<>();
  private final List<String> pulls = new ArrayList<>();
  private volatile int execExitCode;
  private final java.util.concurrent.atomic.AtomicInteger execs = new java.util.concurrent.atomic.AtomicInteger();
  private int nextId;

  public FakeRuntime(Clock clock) {
    this.clock = clock;
  }

  public synchronized void addImage(String image) {
    images.add(image);
  }

  /** Pulling the image fails, as from a registry that does not have it. */
  public synchronized void failPulls(String image) {
    unpullable.add(image);
  }

  /** Starting a container of this name fails, as one whose command does not exist. */
  public synchronized void failStarts(String name) {
    unstartable.add(name);
  }

  public synchronized List<String> pulls() {
    return List.copyOf(pulls);
  }

  /** How many commands were run in containers (exec probes). */
  public int execs() {
    return execs.get();
  }

  public void execExitCode(int code) {
    execExitCode = code;
  }

  /** The container exits on its own, with this code (137 and OOMKilled for an OOM kill). */
  public synchronized void exit(String containerId, int exitCode, String reason) {
    ContainerStatus c = containers.get(containerId);
    containers.put(containerId, new ContainerStatus(c.id(), c.podSandboxId(), c.name(), c.attempt(),
        ContainerState.CONTAINER_EXITED, c.createdAt(), c.startedAt(), clock.instant(), exitCode, reason, null,
        c.image(), c.imageRef(), c.labels()));
  }

  /** What the kubelet asked of the container when it created it. */
  public synchronized ContainerConfig config(String containerId) {
    return configs.get(containerId);
  }

  /** The container writes these lines to its output. */
  public synchronized void log(String containerId, String... lines) {
    logs.computeIfAbsent(containerId, id -> new ArrayList<>()).addAll(List.of(lines));
  }

  /** The container is removed behind the kubelet's back. */
  public synchronized void remove(String containerId) {
    containers.remove(containerId);
  }

  /** The sandbox dies (its pause container was killed). */
  public synchronized void killSandbox(String sandboxId) {
    PodSandboxStatus s = sandboxes.get(sandboxId);
    sandboxes.put(sandboxId, new PodSandboxStatus(s.id(), s.metadata(), PodSandboxState.SANDBOX_NOTREADY,
        s.createdAt(), s.ip()));
  }

  /** How often the container was stopped by the kubelet. */
  public synchronized int stops(String containerId) {
    return stops.getOrDefault(containerId, 0);
  }

  /** The running container with this name, of any pod (tests use one pod). */
  public synchronized ContainerStatus latest(String name) {
    ContainerStatus latest = null;
    for (ContainerStatus c : containers.values()) {
      if (c.name().equals(name) && (latest == null || c.attempt() >= latest.attempt())) {
        latest = c;
      }
    }
    return latest;
  }

  @Override
  public RuntimeVersion version() {
    return new RuntimeVersion("fake", "0");
  }

  @Override
  public synchronized String runPodSandbox(PodSandboxConfig config) {
    String id = "sb" + nextId++;
    sandboxes.put(id, new PodSandboxStatus(id, config.metadata(), PodSandboxState.SANDBOX_READY, clock.instant()
        .plusNanos(nextId), config.ip()));
    return id;
  }

  @Override
  public synchronized void stopPodSandbox(String podSandboxId) {
    for (ContainerStatus c : listContainers(podSandboxId)) {
      stopContainer(c.id(), 0);
    }
    killSandbox(podSandboxId);
  }

  @Override
  public synchronized void removePodSandbox(String podSandboxId) {
    containers.values().removeIf(c -> c.podSandboxId().equals(podSandboxId));
    sandboxes.remove(podSandboxId);
  }

  @Override
  public synchronized PodSandboxStatus podSandboxStatus(String podSandboxId) {
    return sandboxes.get(podSandboxId);
  }

  @Override
  public synchronized List<PodSandboxStatus> listPodSandbox() {
    return List.copyOf(sandboxes.values());
  }

  @Override
  public synchronized String createContainer(String podSandboxId, ContainerConfig config) {
    String id = "c" + nextId++;
    containers.put(id, new ContainerStatus(id, podSandboxId, config.name(), config.attempt(),
        ContainerState.CONTAINER_CREATED, clock.instant(), null, null, 0, null, null, config.image(),
        "fake://" + config.image(), Map.copyOf(config.labels())));
    configs.put(id, config);
    return id;
  }

  @Override
  public synchronized void startContainer(String containerId) {
    ContainerStatus c = containers.get(containerId);
    if (unstartable.contains(c.name())) {
      throw new IllegalStateException("exec: \"nosuch\": executable file not found in $PATH");
    }
    containers.put(containerId, new ContainerStatus(c.id(), c.podSandboxId(), c.name(), c.attempt(),
        ContainerState.CONTAINER_RUNNING, c.createdAt(), clock.instant(), null, 0, null, null, c.image(), c.imageRef(),
        c.labels()));
  }

  @Override
  public synchronized void stopContainer(String containerId, long timeoutSeconds) {
    ContainerStatus c = containers.get(containerId);
    if (c == null || c.state() != ContainerState.CONTAINER_RUNNING) {
      return;
    }
    stops.merge(containerId, 1, Integer::sum);
    exit(containerId, 137, "Error");
  }

  @Override
  public synchronized void removeContainer(String containerId) {
    containers.remove(containerId);
  }

  @Override
  public synchronized List<ContainerStatus> listContainers(String podSandboxId) {
    return containers.values().stream().filter(c -> c.podSandboxId().equals(podSandboxId)).toList();
  }

  @Override
  public synchronized List<ContainerStatus> listAllContainers() {
    return List.copyOf(containers.values());
  }

  @Override
  public synchronized ContainerStatus containerStatus(String containerId) {
    return containers.get(containerId);
  }

  @Override
  public ExecSyncResponse execSync(String containerId, List<String> cmd, Duration timeout) {
    execs.incrementAndGet();
    return new ExecSyncResponse("out".getBytes(), new byte[0], execExitCode);
  }

  @Override
  public void readLogs(String containerId, LogOptions options, OutputStream out) throws IOException {
    List<String> lines;
    synchronized (this) {
      lines = List.copyOf(logs.getOrDefault(containerId, List.of()));
    }
    int from = options.tailLines() < 0 ? 0 : (int) Math.max(0, lines.size() - options.tailLines());
    for (String line : lines.subList(from, lines.size())) {
      out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    }
  }

  @Override
  public synchronized Image imageStatus(String image) {
    return images.contains(image) ? new Image("sha256:" + image, List.of(image), List.of(), 1234) : null;
  }

  @Override
  public synchronized String pullImage(String image) throws ImagePullException {
    pulls.add(image);
    if (unpullable.contains(image)) {
      throw new ImagePullException("rpc error: code = NotFound desc = manifest for " + image + " not found");
    }
    images.add(image);
    return "sha256:" + image;
  }

  @Override
  public synchronized List<Image> listImages() {
    return images.stream().map(this::imageStatus).toList();
  }
}
