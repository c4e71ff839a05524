package io.kubemu.kubelet.kuberuntime;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.kubemu.kubelet.container.CreateContainerConfigException;
import io.kubemu.kubelet.container.ReasonCache;
import io.kubemu.kubelet.envvars.EnvironmentVariables;
import io.kubemu.kubelet.objects.ObjectManager;
import io.kubemu.kubelet.runtime.ContainerConfig;
import io.kubemu.kubelet.runtime.ContainerState;
import io.kubemu.kubelet.runtime.ContainerStatus;
import io.kubemu.kubelet.runtime.Labels;
import io.kubemu.kubelet.runtime.PodSandboxConfig;
import io.kubemu.kubelet.runtime.PodSandboxMetadata;
import io.kubemu.kubelet.runtime.PodSandboxStatus;
import io.kubemu.kubelet.runtime.RuntimeService;
import io.kubemu.kubelet.status.PodStatusGenerator.RuntimePodState;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pods in terms of the runtime, as Kubernetes' kuberuntime manager: finds a pod's sandbox and
 * containers by the pod's UID, moves them one step toward the pod's spec (sandbox, then init
 * containers one by one, then the app containers, restarting exited ones as the restartPolicy
 * says) and kills them. Knows nothing of the apiserver; works on any {@link RuntimeService}.
 */
public final class RuntimeManager {
  private static final Logger LOG = LoggerFactory.getLogger(RuntimeManager.class);

  private final RuntimeService runtime;
  private final String runtimeName;
  private final ContainerConfigGenerator configs;
  private final ReasonCache reasons = new ReasonCache();

  /** A runtime manager without an apiserver: containers get their literal env, no volumes, no Service variables. */
  public RuntimeManager(RuntimeService runtime) {
    this(runtime, new ContainerConfigGenerator(new EnvironmentVariables(ObjectManager.none(), Map.of()),
        pod -> Map.of(), null));
  }

  public RuntimeManager(RuntimeService runtime, ContainerConfigGenerator configs) {
    this.runtime = runtime;
    this.runtimeName = runtime.version().runtimeName();
    this.configs = configs;
  }

  public RuntimeService runtime() {
    return runtime;
  }

  /** What the runtime runs of the pod with this UID: its newest sandbox and that sandbox's containers. */
  public RuntimePodState podState(String uid, boolean terminal) {
    PodSandboxStatus sandbox = sandbox(uid);
    return new RuntimePodState(runtimeName, sandbox, sandbox == null ? List.of() : runtime.listContainers(sandbox.id()),
        terminal, reasons.forPod(uid));
  }

  /** The UIDs of the pods the runtime has sandboxes for. */
  public Set<String> podUids() {
    Set<String> uids = new LinkedHashSet<>();
    for (PodSandboxStatus sandbox : runtime.listPodSandbox()) {
      uids.add(sandbox.metadata().uid());
    }
    return uids;
  }

  public PodSandboxStatus sandbox(String uid) {
    return runtime.listPodSandbox().stream().filter(sandbox -> sandbox.metadata().uid().equals(uid))
        .max(Comparator.comparing(PodSandboxStatus::ready).thenComparing(PodSandboxStatus::createdAt))
        .orElse(null);
  }

  /**
   * One step of kuberuntime's SyncPod: creates the sandbox, with an IP from {@code ip}, if there is none ready,
   * runs the next init container, or starts the app containers not running.
   */
  public void syncPod(Pod pod, Supplier<String> ip) {
    String uid = pod.getMetadata().getUid();
    PodSandboxStatus sandbox = sandbox(uid);
    if (sandbox == null || !sandbox.ready()) {
      int attempt = sandbox == null ? 0 : sandbox.metadata().attempt() + 1;
      String address = ip.get();
      String id = runtime.runPodSandbox(new PodSandboxConfig(
          new PodSandboxMetadata(pod.getMetadata().getName(), pod.getMetadata().getNamespace(), uid, attempt),
          pod.getMetadata().getName(), address, Boolean.TRUE.equals(pod.getSpec().getHostNetwork()), podLabels(pod)));
      sandbox = runtime.podSandboxStatus(id);
      LOG.debug("pod {}/{}: sandbox {} with IP {}", pod.getMetadata().getNamespace(), pod.getMetadata().getName(), id,
          address);
    }
    Map<String, ContainerStatus> byName = new LinkedHashMap<>();
    runtime.listContainers(sandbox.id()).stream().sorted(Comparator.comparingInt(ContainerStatus::attempt))
        .forEach(container -> byName.put(container.name(), container));
    String restartPolicy = Objects.requireNonNullElse(pod.getSpec().getRestartPolicy(), "Always");
    List<Container> initContainers = pod.getSpec().getInitContainers() == null ? List.of()
        : pod.getSpec().getInitContainers();
    for (Container init : initContainers) {
      ContainerStatus status = byName.get(init.getName());
      if (status == null) {
        String id = start(pod, sandbox, init, 0, true);
        if (id == null) {
          return; // its config cannot be made yet: retried at the next sync
        }
        status = runtime.containerStatus(id);
      }
      if (status.state() == ContainerState.CONTAINER_RUNNING || status.state() == ContainerState.CONTAINER_CREATED) {
        return; // a later sync (the runtime's next event) sees how it ended
      }
      if (status.exitCode() != 0) {
        if (!restartPolicy.equals("Never")) {
          start(pod, sandbox, init, status.attempt() + 1, true);
        }
        return;
      }
    }
    for (Container container : pod.getSpec().getContainers()) {
      ContainerStatus status = byName.get(container.getName());
      if (status == null) {
        start(pod, sandbox, container, 0, false);
      } else if (status.state() == ContainerState.CONTAINER_EXITED && (restartPolicy.equals("Always")
          || (restartPolicy.equals("OnFailure") && status.exitCode() != 0))) {
        start(pod, sandbox, container, status.attempt() + 1, false);
      }
    }
  }

  /** Creates and starts the container; null if its config cannot be made (the reason is kept for the pod's status). */
  private String start(Pod pod, PodSandboxStatus sandbox, Container container, int attempt, boolean init) {
    Map<String, String> labels = new LinkedHashMap<>(podLabels(pod));
    labels.put(Labels.CONTAINER_NAME, container.getName());
    if (init) {
      labels.put(Labels.CONTAINER_INIT, "true");
    }
    String uid = pod.getMetadata().getUid();
    ContainerConfig config;
    try {
      config = containerConfig(pod, sandbox, container, attempt, labels);
    } catch (CreateContainerConfigException e) {
      LOG.warn("pod {}/{}: container {}: Error: {}", pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
          container.getName(), e.getMessage());
      reasons.add(uid, container.getName(), new ReasonCache.Reason(CreateContainerConfigException.REASON,
          e.getMessage()));
      return null;
    }
    String id = runtime.createContainer(sandbox.id(), config);
    runtime.startContainer(id);
    reasons.remove(uid, container.getName());
    return id;
  }

  /** What the runtime is asked to create (kuberuntime's generateContainerConfig). */
  private ContainerConfig containerConfig(Pod pod, PodSandboxStatus sandbox, Container container, int attempt,
      Map<String, String> labels) throws CreateContainerConfigException {
    return configs.generate(pod, sandbox, container, attempt, labels);
  }

  /** Stops the pod's containers (each with the grace period) and its sandboxes, as kuberuntime's KillPod. */
  public void killPod(String uid, long gracePeriodSeconds) {
    for (PodSandboxStatus sandbox : runtime.listPodSandbox()) {
      if (sandbox.metadata().uid().equals(uid)) {
        for (ContainerStatus container : runtime.listContainers(sandbox.id())) {
          if (container.state() == ContainerState.CONTAINER_RUNNING) {
            runtime.stopContainer(container.id(), gracePeriodSeconds);
          }
        }
        runtime.stopPodSandbox(sandbox.id());
      }
    }
  }

  /** Removes the pod's sandboxes and containers (after {@link #killPod}), as the kubelet's garbage collection. */
  public void removePod(String uid) {
    for (PodSandboxStatus sandbox : runtime.listPodSandbox()) {
      if (sandbox.metadata().uid().equals(uid)) {
        runtime.removePodSandbox(sandbox.id());
      }
    }
    reasons.forget(uid);
  }

  /** The id of the pod's container with this name (its latest attempt), or null. */
  public String containerId(String uid, String name) {
    PodSandboxStatus sandbox = sandbox(uid);
    if (sandbox == null) {
      return null;
    }
    return runtime.listContainers(sandbox.id()).stream().filter(container -> container.name().equals(name))
        .max(Comparator.comparingInt(ContainerStatus::attempt)).map(ContainerStatus::id).orElse(null);
  }

  private static Map<String, String> podLabels(Pod pod) {
    return Map.of(Labels.POD_NAME, pod.getMetadata().getName(), Labels.POD_NAMESPACE, pod.getMetadata().getNamespace(),
        Labels.POD_UID, pod.getMetadata().getUid());
  }
}
