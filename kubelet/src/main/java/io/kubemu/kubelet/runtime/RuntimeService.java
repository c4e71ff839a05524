package io.kubemu.kubelet.runtime;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;

/**
 * The container runtime as the kubelet sees it, shaped like the CRI's RuntimeService: a pod is a
 * sandbox (in a real runtime, the pause container that holds the pod's network namespace and IP)
 * and containers created in it. The kubelet's pod logic speaks only this interface, so that the
 * simulated runtime and a Docker runtime are interchangeable. Calls are synchronous and may be
 * made from several pod workers at once (for different pods).
 */
public interface RuntimeService {
  /** The runtime's name and version, as CRI's Version: {@code simulated} and kubemu's version. */
  RuntimeVersion version();

  /** Creates and starts the pod's sandbox with the IP the kubelet's network plugin chose; returns its id. */
  String runPodSandbox(PodSandboxConfig config);

  /** Stops the sandbox and any container still running in it. */
  void stopPodSandbox(String podSandboxId);

  /** Removes a stopped sandbox and its containers; an unknown id is not an error. */
  void removePodSandbox(String podSandboxId);

  /** The sandbox's status, or null when it does not exist. */
  PodSandboxStatus podSandboxStatus(String podSandboxId);

  List<PodSandboxStatus> listPodSandbox();

  /** Creates a container in the sandbox (not started); returns its id. */
  String createContainer(String podSandboxId, ContainerConfig config);

  void startContainer(String containerId);

  /** Stops the container, giving it {@code timeoutSeconds} between SIGTERM and SIGKILL. */
  void stopContainer(String containerId, long timeoutSeconds);

  /** Removes a container; an unknown id is not an error. */
  void removeContainer(String containerId);

  /** The containers of one sandbox, in the order they were created. */
  List<ContainerStatus> listContainers(String podSandboxId);

  /** Every container of this runtime (of this node, when several nodes share one engine), for the relist. */
  List<ContainerStatus> listAllContainers();

  /** The container's status, or null when it does not exist. */
  ContainerStatus containerStatus(String containerId);

  /**
   * Runs a command in the running container and waits at most {@code timeout} for it (an exec
   * probe); a command that outlives it counts as failed (a non-zero exit code).
   */
  ExecSyncResponse execSync(String containerId, List<String> cmd, Duration timeout);

  /**
   * Writes the container's log, as the kubelet serves it for {@code kubectl logs}. With
   * {@code follow} it keeps writing until the container stops or the writer fails (the client left).
   */
  void readLogs(String containerId, LogOptions options, OutputStream out) throws IOException;
}
