package io.kubemu.kubelet.runtime.simulated;

import io.fabric8.kubernetes.api.model.ContainerStateRunning;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.Pod;
import io.kubemu.component.Version;
import io.kubemu.kubelet.runtime.ContainerConfig;
import io.kubemu.kubelet.runtime.ContainerState;
import io.kubemu.kubelet.runtime.ContainerStatus;
import io.kubemu.kubelet.runtime.ExecSyncResponse;
import io.kubemu.kubelet.runtime.Image;
import io.kubemu.kubelet.runtime.ImageService;
import io.kubemu.kubelet.runtime.Labels;
import io.kubemu.kubelet.runtime.LogOptions;
import io.kubemu.kubelet.runtime.PodSandboxConfig;
import io.kubemu.kubelet.runtime.PodSandboxMetadata;
import io.kubemu.kubelet.runtime.PodSandboxState;
import io.kubemu.kubelet.runtime.PodSandboxStatus;
import io.kubemu.kubelet.runtime.RuntimeService;
import io.kubemu.kubelet.runtime.RuntimeVersion;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A runtime that runs nothing, as kwok does: sandboxes and containers exist only as records in
 * this process's memory, a started container "runs" until stopped, an init container (labelled
 * {@link Labels#CONTAINER_INIT}) exits 0 at once. Every container's log is one line saying so.
 * Light enough for a hundred kubelets on one machine. Its ids are {@code simulated://} ids.
 * Every image is present (nothing is pulled) and every exec probe succeeds, as in kwok.
 *
 * <p>Its state dies with the process; a restarted kubelet rebuilds it from what it last wrote to
 * the apiserver ({@link #adopt(Pod, String)}), so pods keep running across a kubelet restart.
 */
public final class SimulatedRuntime implements RuntimeService, ImageService {
  public static final String NAME = "simulated";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Clock clock;
  private final Map<String, PodSandboxStatus> sandboxes = new LinkedHashMap<>();
  private final Map<String, ContainerStatus> containers = new LinkedHashMap<>();
  private final Map<String, String> logs = new LinkedHashMap<>();

  public SimulatedRuntime(Clock clock) {
    this.clock = clock;
  }

  @Override
  public RuntimeVersion version() {
    return new RuntimeVersion(NAME, Version.VERSION);
  }

  @Override
  public synchronized String runPodSandbox(PodSandboxConfig config) {
    String id = newId();
    sandboxes.put(id, new PodSandboxStatus(id, config.metadata(), PodSandboxState.SANDBOX_READY, clock.instant(),
        config.ip()));
    return id;
  }

  @Override
  public synchronized void stopPodSandbox(String podSandboxId) {
    PodSandboxStatus sandbox = sandboxes.get(podSandboxId);
    if (sandbox == null) {
      return;
    }
    for (ContainerStatus container : listContainers(podSandboxId)) {
      stopContainer(container.id(), 0);
    }
    sandboxes.put(podSandboxId, new PodSandboxStatus(sandbox.id(), sandbox.metadata(), PodSandboxState.SANDBOX_NOTREADY,
        sandbox.createdAt(), sandbox.ip()));
  }

  @Override
  public synchronized void removePodSandbox(String podSandboxId) {
    for (ContainerStatus container : listContainers(podSandboxId)) {
      removeContainer(container.id());
    }
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
    if (!sandboxes.containsKey(podSandboxId)) {
      throw new IllegalStateException("no sandbox " + podSandboxId);
    }
    String id = newId();
    containers.put(id, new ContainerStatus(id, podSandboxId, config.name(), config.attempt(),
        ContainerState.CONTAINER_CREATED, clock.instant(), null, null, 0, null, null, config.image(),
        imageRef(config.image()), Map.copyOf(config.labels())));
    return id;
  }

  @Override
  public synchronized void startContainer(String containerId) {
    ContainerStatus created = require(containerId);
    Instant now = clock.instant();
    boolean init = "true".equals(created.labels().get(Labels.CONTAINER_INIT));
    containers.put(containerId, new ContainerStatus(containerId, created.podSandboxId(), created.name(),
        created.attempt(), init ? ContainerState.CONTAINER_EXITED : ContainerState.CONTAINER_RUNNING,
        created.createdAt(), now, init ? now : null, 0, init ? "Completed" : null, null, created.image(),
        created.imageRef(), created.labels()));
    logs.put(containerId, logLine(created.name(), created.image()));
  }

  @Override
  public synchronized void stopContainer(String containerId, long timeoutSeconds) {
    ContainerStatus container = containers.get(containerId);
    if (container == null || container.state() != ContainerState.CONTAINER_RUNNING) {
      return;
    }
    // Nothing runs, so nothing needs the grace period: the container stops at once, cleanly.
    containers.put(containerId, new ContainerStatus(containerId, container.podSandboxId(), container.name(),
        container.attempt(), ContainerState.CONTAINER_EXITED, container.createdAt(), container.startedAt(),
        clock.instant(), 0, "Completed", null, container.image(), container.imageRef(), container.labels()));
  }

  @Override
  public synchronized void removeContainer(String containerId) {
    containers.remove(containerId);
    logs.remove(containerId);
  }

  @Override
  public synchronized List<ContainerStatus> listContainers(String podSandboxId) {
    List<ContainerStatus> list = new ArrayList<>();
    for (ContainerStatus container : containers.values()) {
      if (container.podSandboxId().equals(podSandboxId)) {
        list.add(container);
      }
    }
    return list;
  }

  @Override
  public synchronized List<ContainerStatus> listAllContainers() {
    return List.copyOf(containers.values());
  }

  @Override
  public synchronized ExecSyncResponse execSync(String containerId, List<String> cmd, Duration timeout) {
    require(containerId);
    return new ExecSyncResponse(new byte[0], new byte[0], 0);
  }

  @Override
  public Image imageStatus(String image) {
    return new Image(imageRef(image), List.of(image), List.of(), 0);
  }

  @Override
  public String pullImage(String image) {
    return imageRef(image);
  }

  /** The images of the containers this runtime has, as the images a node reports. */
  @Override
  public List<Image> listImages() {
    Collection<ContainerStatus> all;
    synchronized (this) {
      all = List.copyOf(containers.values());
    }
    return all.stream().map(ContainerStatus::image).distinct().map(this::imageStatus).toList();
  }

  @Override
  public synchronized ContainerStatus containerStatus(String containerId) {
    return containers.get(containerId);
  }

  @Override
  public void readLogs(String containerId, LogOptions options, OutputStream out) throws IOException {
    String line;
    Instant startedAt;
    synchronized (this) {
      ContainerStatus container = require(containerId);
      line = logs.getOrDefault(containerId, "");
      startedAt = container.startedAt();
    }
    if (line.isEmpty() || options.tailLines() == 0 || startedAt == null
        || (options.since() != null && startedAt.isBefore(options.since()))) {
      return;
    }
    String text = (options.timestamps() ? startedAt + " " : "") + line;
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    int length = options.limitBytes() >= 0 ? (int) Math.min(bytes.length, options.limitBytes()) : bytes.length;
    out.write(bytes, 0, length);
  }

  /**
   * Takes back a pod this node ran before the kubelet restarted, from the status the kubelet
   * wrote: a ready sandbox with the pod's IP, and its containers as they were (same ids, same
   * start times, init containers completed). A pod with no running containers is not adopted.
   *
   * @return the sandbox id, or null when there was nothing to adopt
   */
  public synchronized String adopt(Pod pod, String ip) {
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return null;
    }
    List<ContainerStatus> adopted = new ArrayList<>();
    String sandboxId = newId();
    List<io.fabric8.kubernetes.api.model.ContainerStatus> all = new ArrayList<>();
    if (pod.getStatus().getInitContainerStatuses() != null) {
      all.addAll(pod.getStatus().getInitContainerStatuses());
    }
    int initCount = all.size();
    all.addAll(pod.getStatus().getContainerStatuses());
    for (int i = 0; i < all.size(); i++) {
      io.fabric8.kubernetes.api.model.ContainerStatus status = all.get(i);
      String id = status.getContainerID() == null ? "" : status.getContainerID();
      if (!id.startsWith(NAME + "://")) {
        continue;
      }
      boolean init = i < initCount;
      ContainerStateRunning running = status.getState() == null ? null : status.getState().getRunning();
      ContainerStateTerminated terminated = status.getState() == null ? null : status.getState().getTerminated();
      if (init ? terminated == null : running == null) {
        continue;
      }
      Instant startedAt = time(init ? terminated.getStartedAt() : running.getStartedAt());
      Instant finishedAt = init ? time(terminated.getFinishedAt()) : null;
      Map<String, String> labels = new LinkedHashMap<>();
      labels.put(Labels.POD_NAME, pod.getMetadata().getName());
      labels.put(Labels.POD_NAMESPACE, pod.getMetadata().getNamespace());
      labels.put(Labels.POD_UID, pod.getMetadata().getUid());
      labels.put(Labels.CONTAINER_NAME, status.getName());
      if (init) {
        labels.put(Labels.CONTAINER_INIT, "true");
      }
      adopted.add(new ContainerStatus(id.substring(NAME.length() + 3), sandboxId, status.getName(),
          status.getRestartCount() == null ? 0 : status.getRestartCount(),
          init ? ContainerState.CONTAINER_EXITED : ContainerState.CONTAINER_RUNNING, startedAt, startedAt,
          finishedAt, 0, init ? "Completed" : null, null, status.getImage(), imageRef(status.getImage()),
          Map.copyOf(labels)));
    }
    if (adopted.stream().noneMatch(container -> container.state() == ContainerState.CONTAINER_RUNNING)) {
      return null;
    }
    Instant createdAt = adopted.get(0).createdAt();
    sandboxes.put(sandboxId, new PodSandboxStatus(sandboxId, new PodSandboxMetadata(pod.getMetadata().getName(),
        pod.getMetadata().getNamespace(), pod.getMetadata().getUid(), 0), PodSandboxState.SANDBOX_READY, createdAt, ip));
    for (ContainerStatus container : adopted) {
      containers.put(container.id(), container);
      logs.put(container.id(), logLine(container.name(), container.image()));
    }
    return sandboxId;
  }

  private Instant time(String time) {
    return time != null ? Instant.parse(time) : clock.instant();
  }

  private ContainerStatus require(String containerId) {
    ContainerStatus container = containers.get(containerId);
    if (container == null) {
      throw new IllegalArgumentException("no container " + containerId);
    }
    return container;
  }

  private static String logLine(String name, String image) {
    return "kubemu simulated runtime: container " + name + " (" + image + ") is simulated; nothing runs, so it writes"
        + " no output\n";
  }

  /** A stable, clearly made-up digest: the simulated runtime pulls nothing. */
  static String imageRef(String image) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(String.valueOf(image).getBytes(StandardCharsets.UTF_8));
      return NAME + "://" + image + "@sha256:" + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String newId() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
