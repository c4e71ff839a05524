package io.kubemu.kubelet.kuberuntime;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.kubemu.kubelet.backoff.Backoff;
import io.kubemu.kubelet.container.CreateContainerConfigException;
import io.kubemu.kubelet.envvars.EnvironmentVariables;
import io.kubemu.kubelet.objects.ObjectManager;
import io.kubemu.kubelet.events.Events;
import io.kubemu.kubelet.events.PodEventRecorder;
import io.kubemu.kubelet.images.ImageManager;
import io.kubemu.kubelet.kuberuntime.PodSyncResult.Waiting;
import io.kubemu.kubelet.runtime.ContainerConfig;
import io.kubemu.kubelet.runtime.ContainerState;
import io.kubemu.kubelet.runtime.ContainerStatus;
import io.kubemu.kubelet.runtime.Labels;
import io.kubemu.kubelet.runtime.PodSandboxConfig;
import io.kubemu.kubelet.runtime.PodSandboxMetadata;
import io.kubemu.kubelet.runtime.PodSandboxStatus;
import io.kubemu.kubelet.runtime.RuntimeService;
import io.kubemu.kubelet.status.PodStatusGenerator.RuntimePodState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pods in terms of the runtime, as Kubernetes' kuberuntime manager: finds a pod's sandbox and
 * containers by the pod's UID, moves them one step toward the pod's spec (sandbox, then init
 * containers one by one, then the app containers, restarting exited ones as the restartPolicy
 * says, after the crash-loop backoff, and those the prober found dead) and kills them. It keeps
 * the kubelet's reason cache: why each container that should run does not (CrashLoopBackOff,
 * ErrImagePull, ...), which the pod's status shows, and the termination message each finished
 * container left ({@link TerminationMessages}). Knows nothing of the apiserver; works on any
 * {@link RuntimeService}.
 */
public final class RuntimeManager {
  private static final Logger LOG = LoggerFactory.getLogger(RuntimeManager.class);
  public static final String CRASH_LOOP_BACK_OFF = "CrashLoopBackOff";
  public static final String CREATE_CONTAINER_ERROR = "CreateContainerError";
  public static final String RUN_CONTAINER_ERROR = "RunContainerError";
  private static final Duration CONFIG_ERROR_RETRY = Duration.ofSeconds(10);

  private final RuntimeService runtime;
  private final String runtimeName;
  private final ImageManager images;
  private final Backoff backoff;
  private final PodEventRecorder events;
  private final Clock clock;
  private final ContainerConfigGenerator configs;
  private final TerminationMessages terminationMessages;
  private volatile LivenessCheck liveness = LivenessCheck.NONE;
  /** The kubelet's reasonCache: per pod UID, why its containers wait. */
  private final Map<String, Map<String, Waiting>> reasons = new ConcurrentHashMap<>();

  /**
   * @param backoff the crash-loop backoff of containers, keyed by pod UID and container name
   */
  public RuntimeManager(RuntimeService runtime, ImageManager images, Backoff backoff, PodEventRecorder events,
      Clock clock) {
    this(runtime, images, backoff, events, clock, new ContainerConfigGenerator(
        new EnvironmentVariables(ObjectManager.none(), Map.of()), pod -> Map.of(), null));
  }

  /**
   * @param backoff the crash-loop backoff of containers, keyed by pod UID and container name
   * @param configs makes each container's config: its environment, mounts and resources
   */
  public RuntimeManager(RuntimeService runtime, ImageManager images, Backoff backoff, PodEventRecorder events,
      Clock clock, ContainerConfigGenerator configs) {
    this.configs = configs;
    this.runtime = runtime;
    this.terminationMessages = new TerminationMessages(runtime);
    this.runtimeName = runtime.version().runtimeName();
    this.images = images;
    this.backoff = backoff;
    this.events = events;
    this.clock = clock;
  }

  public RuntimeService runtime() {
    return runtime;
  }

  /** Who says which running containers failed their liveness or startup probe (the prober, once it exists). */
  public void setLivenessCheck(LivenessCheck liveness) {
    this.liveness = liveness;
  }

  /**
   * What the runtime runs of the pod with this UID: its newest sandbox and the containers of all its sandboxes
   * (the latest attempt per name is what counts), those that exited with their termination messages, and why those
   * that should run do not.
   */
  public RuntimePodState podState(String uid, boolean terminal) {
    PodSandboxStatus sandbox = sandbox(uid);
    List<ContainerStatus> containers = containers(uid).stream().map(terminationMessages::withMessage).toList();
    return new RuntimePodState(runtimeName, sandbox, containers, terminal,
        Map.copyOf(reasons.getOrDefault(uid, Map.of())));
  }

  /** The UIDs of the pods the runtime has sandboxes or containers of. */
  public Set<String> podUids() {
    Set<String> uids = new LinkedHashSet<>();
    for (PodSandboxStatus sandbox : runtime.listPodSandbox()) {
      uids.add(sandbox.metadata().uid());
    }
    for (ContainerStatus container : runtime.listAllContainers()) {
      String uid = container.labels().get(Labels.POD_UID);
      if (uid != null) {
        uids.add(uid);
      }
    }
    return uids;
  }

  public PodSandboxStatus sandbox(String uid) {
    return runtime.listPodSandbox().stream().filter(sandbox -> sandbox.metadata().uid().equals(uid))
        .max(Comparator.comparing(PodSandboxStatus::ready).thenComparing(PodSandboxStatus::createdAt))
        .orElse(null);
  }

  private List<ContainerStatus> containers(String uid) {
    List<ContainerStatus> containers = new ArrayList<>();
    for (PodSandboxStatus sandbox : runtime.listPodSandbox()) {
      if (sandbox.metadata().uid().equals(uid)) {
        containers.addAll(runtime.listContainers(sandbox.id()));
      }
    }
    return containers;
  }

  /**
   * One step of kuberuntime's SyncPod: creates the sandbox, with an IP from {@code ip}, if there is none ready,
   * runs the next init container, or starts the app containers not running; restarts the containers that
   * exited or failed their liveness probe as the restartPolicy says, unless they are backing off.
   */
  public PodSyncResult syncPod(Pod pod, Supplier<String> ip) {
    PodSyncResult result = new PodSyncResult();
    try {
      syncContainers(pod, ip, result);
      if (!result.started().isEmpty()) {
        removeDeadInstances(pod.getMetadata().getUid());
      }
    } finally {
      updateReasons(pod.getMetadata().getUid(), result);
    }
    return result;
  }

  /**
   * The kubelet's container garbage collection, per pod: of each container name the latest instance and the one
   * before it (its lastState, and {@code kubectl logs --previous}) stay; older dead instances are removed, with their
   * termination message files.
   */
  private void removeDeadInstances(String uid) {
    Map<String, List<ContainerStatus>> byName = new LinkedHashMap<>();
    for (ContainerStatus container : containers(uid)) {
      byName.computeIfAbsent(container.name(), name -> new ArrayList<>()).add(container);
    }
    for (List<ContainerStatus> instances : byName.values()) {
      instances.sort(Comparator.comparingInt(ContainerStatus::attempt).reversed());
      for (ContainerStatus old : instances.subList(Math.min(2, instances.size()), instances.size())) {
        if (old.state() != ContainerState.CONTAINER_RUNNING) {
          runtime.removeContainer(old.id());
          terminationMessages.remove(old);
        }
      }
    }
  }

  private void syncContainers(Pod pod, Supplier<String> ip, PodSyncResult result) {
    String uid = pod.getMetadata().getUid();
    String restartPolicy = restartPolicy(pod);
    PodSandboxStatus sandbox = sandbox(uid);
    if (sandbox == null || !sandbox.ready()) {
      if (sandbox != null && restartPolicy.equals("Never") && !containers(uid).isEmpty()) {
        return; // the pod ran and will not be restarted: it is over
      }
      if (sandbox != null) {
        LOG.info("pod {}/{}: its sandbox {} is gone, the pod starts again in a new one", pod.getMetadata().getNamespace(),
            pod.getMetadata().getName(), sandbox.id());
        killPod(pod, uid, gracePeriod(pod));
      }
      sandbox = runSandbox(pod, sandbox == null ? 0 : sandbox.metadata().attempt() + 1, ip);
    }
    Map<String, ContainerStatus> current = latestByName(runtime.listContainers(sandbox.id()));
    Map<String, ContainerStatus> history = latestByName(containers(uid));
    List<Container> initContainers = pod.getSpec().getInitContainers() == null ? List.of()
        : pod.getSpec().getInitContainers();
    for (Container init : initContainers) {
      ContainerStatus status = current.get(init.getName());
      if (status != null && status.state() == ContainerState.CONTAINER_RUNNING) {
        return; // a later sync (the relist's next event) sees how it ended
      }
      boolean exited = status != null && status.state() == ContainerState.CONTAINER_EXITED;
      if (exited && status.exitCode() == 0) {
        continue;
      }
      if (exited && restartPolicy.equals("Never")) {
        return; // the init container failed: so did the pod
      }
      ContainerStatus last = history.get(init.getName());
      String id = startUnlessBackingOff(pod, sandbox, init, last, true, result);
      ContainerStatus started = id == null ? null : runtime.containerStatus(id);
      if (started == null || started.state() != ContainerState.CONTAINER_EXITED || started.exitCode() != 0) {
        return;
      }
    }
    for (Container container : pod.getSpec().getContainers()) {
      ContainerStatus status = current.get(container.getName());
      if (status != null && status.state() == ContainerState.CONTAINER_RUNNING) {
        String probe = liveness.failedProbe(status.id());
        if (probe == null) {
          continue;
        }
        events.normal(pod, Events.KILLING_CONTAINER, "Container " + container.getName() + " failed " + probe
            + " probe, will be restarted");
        runtime.stopContainer(status.id(), gracePeriod(pod));
        status = runtime.containerStatus(status.id());
        if (restartPolicy.equals("Never")) {
          continue;
        }
      } else if (status != null && status.state() != ContainerState.CONTAINER_EXITED) {
        // created but never started (its start failed), or unknown: started again whatever the policy, as Kubernetes
      } else if (status != null && !restartPolicy.equals("Always")
          && (restartPolicy.equals("Never") || status.exitCode() == 0)) {
        continue; // it ended, for good
      } else if (status == null && history.containsKey(container.getName()) && !restartPolicy.equals("Always")
          && history.get(container.getName()).exitCode() == 0) {
        continue; // it succeeded in the pod's previous sandbox
      }
      startUnlessBackingOff(pod, sandbox, container, status != null ? status : history.get(container.getName()), false,
          result);
    }
  }

  private PodSandboxStatus runSandbox(Pod pod, int attempt, Supplier<String> ip) {
    String uid = pod.getMetadata().getUid();
    String address = ip.get();
    String id = runtime.runPodSandbox(new PodSandboxConfig(
        new PodSandboxMetadata(pod.getMetadata().getName(), pod.getMetadata().getNamespace(), uid, attempt),
        pod.getMetadata().getName(), address, Boolean.TRUE.equals(pod.getSpec().getHostNetwork()), podLabels(pod)));
    LOG.debug("pod {}/{}: sandbox {} with IP {}", pod.getMetadata().getNamespace(), pod.getMetadata().getName(), id,
        address);
    return runtime.podSandboxStatus(id);
  }

  /**
   * kuberuntime's doBackOff then startContainer: a container that exited ({@code last}) less than its
   * backoff ago waits in CrashLoopBackOff and the pod syncs again when the backoff ends; else it starts,
   * as the next attempt. Returns the new container's id, or null when it did not start.
   */
  private String startUnlessBackingOff(Pod pod, PodSandboxStatus sandbox, Container container, ContainerStatus last,
      boolean init, PodSyncResult result) {
    String name = container.getName();
    if (last != null) {
      Instant finishedAt = last.finishedAt() != null ? last.finishedAt()
          : last.createdAt() != null ? last.createdAt() : clock.instant();
      String key = backoffKey(pod, name);
      if (backoff.isInBackOffSince(key, finishedAt)) {
        events.warning(pod, Events.BACK_OFF_START_CONTAINER, "Back-off restarting failed container " + name
            + " in pod " + PodEventRecorder.format(pod));
        result.failed(name, CRASH_LOOP_BACK_OFF, "back-off " + Backoff.format(backoff.get(key))
            + " restarting failed container=" + name + " pod=" + PodEventRecorder.format(pod));
        result.retryAfter(backoff.remaining(key, finishedAt));
        return null;
      }
      backoff.next(key, finishedAt);
    }
    try {
      String id = start(pod, sandbox, container, last == null ? 0 : last.attempt() + 1, init);
      result.started(name);
      return id;
    } catch (ContainerStartException e) {
      // As kuberuntime: an image error is named by its reason (Error: ErrImagePull), a runtime error by its message.
      boolean imageError = e.reason().equals(ImageManager.ERR_IMAGE_PULL)
          || e.reason().equals(ImageManager.IMAGE_PULL_BACK_OFF) || e.reason().equals(ImageManager.ERR_IMAGE_NEVER_PULL);
      events.warning(pod, Events.FAILED_TO_CREATE_CONTAINER, "Error: " + (imageError ? e.reason() : e.getMessage()));
      result.failed(name, e.reason(), e.getMessage());
      if (e.retryAfter() != null) {
        result.retryAfter(e.retryAfter());
      }
      return null;
    }
  }

  private String start(Pod pod, PodSandboxStatus sandbox, Container container, int attempt, boolean init)
      throws ContainerStartException {
    images.ensureImageExists(pod, container);
    Map<String, String> labels = new LinkedHashMap<>(podLabels(pod));
    labels.put(Labels.CONTAINER_NAME, container.getName());
    if (init) {
      labels.put(Labels.CONTAINER_INIT, "true");
    }
    ContainerConfig config;
    try {
      config = containerConfig(pod, sandbox, container, attempt, labels);
    } catch (CreateContainerConfigException e) {
      // Tried again after the kubelet's backOffPeriod (10 s), by when the ConfigMap or Secret may exist.
      throw new ContainerStartException(CreateContainerConfigException.REASON, e.getMessage(), CONFIG_ERROR_RETRY);
    }
    String id;
    try {
      id = runtime.createContainer(sandbox.id(), config);
    } catch (RuntimeException e) {
      throw new ContainerStartException(CREATE_CONTAINER_ERROR, String.valueOf(e.getMessage()));
    }
    events.normal(pod, Events.CREATED_CONTAINER, "Created container: " + container.getName());
    try {
      runtime.startContainer(id);
    } catch (RuntimeException e) {
      throw new ContainerStartException(RUN_CONTAINER_ERROR, String.valueOf(e.getMessage()));
    }
    events.normal(pod, Events.STARTED_CONTAINER, "Started container " + container.getName());
    return id;
  }

  /** What the runtime is asked to create (kuberuntime's generateContainerConfig). */
  private ContainerConfig containerConfig(Pod pod, PodSandboxStatus sandbox, Container container, int attempt,
      Map<String, String> labels) throws CreateContainerConfigException {
    return configs.generate(pod, sandbox, container, attempt, labels);
  }

  /** The reason cache after a sync: a started container no longer waits; one that could not start says why. */
  private void updateReasons(String uid, PodSyncResult result) {
    if (result.started().isEmpty() && result.failed().isEmpty()) {
      return;
    }
    Map<String, Waiting> waiting = reasons.computeIfAbsent(uid, key -> new ConcurrentHashMap<>());
    result.started().forEach(waiting::remove);
    waiting.putAll(result.failed());
  }

  /** Stops the pod's running containers (each with the grace period, a Killing event each) and its sandboxes. */
  public void killPod(Pod pod, long gracePeriodSeconds) {
    killPod(pod, pod.getMetadata().getUid(), gracePeriodSeconds);
  }

  /** Stops the containers and sandboxes of a pod the kubelet knows only by its UID (no events: there is no pod). */
  public void killPod(String uid, long gracePeriodSeconds) {
    killPod(null, uid, gracePeriodSeconds);
  }

  private void killPod(Pod pod, String uid, long gracePeriodSeconds) {
    for (PodSandboxStatus sandbox : runtime.listPodSandbox()) {
      if (sandbox.metadata().uid().equals(uid)) {
        for (ContainerStatus container : runtime.listContainers(sandbox.id())) {
          if (container.state() == ContainerState.CONTAINER_RUNNING) {
            if (pod != null) {
              events.normal(pod, Events.KILLING_CONTAINER, "Stopping container " + container.name());
            }
            runtime.stopContainer(container.id(), gracePeriodSeconds);
          }
        }
        if (sandbox.ready()) {
          runtime.stopPodSandbox(sandbox.id());
        }
      }
    }
  }

  /**
   * Removes the pod's sandboxes and containers (after {@link #killPod}), as the kubelet's garbage collection; their
   * termination message files go with the pod's directory.
   */
  public void removePod(String uid) {
    for (PodSandboxStatus sandbox : runtime.listPodSandbox()) {
      if (sandbox.metadata().uid().equals(uid)) {
        runtime.listContainers(sandbox.id()).forEach(container -> terminationMessages.forget(container.id()));
        runtime.removePodSandbox(sandbox.id());
      }
    }
    // A container whose sandbox went before it (e.g. a kubelet stopped between the two removals) goes too.
    for (ContainerStatus container : runtime.listAllContainers()) {
      if (uid.equals(container.labels().get(Labels.POD_UID))) {
        terminationMessages.forget(container.id());
        runtime.removeContainer(container.id());
      }
    }
  }

  /** The pod is gone from this node: its backoffs and reasons go with it. */
  public void forget(String uid) {
    reasons.remove(uid);
    backoff.resetPrefix(uid + "_");
  }

  /** The id of the pod's container with this name (its latest attempt), or null. */
  public String containerId(String uid, String name) {
    ContainerStatus latest = latestByName(containers(uid)).get(name);
    return latest == null ? null : latest.id();
  }

  /** The id of the instance before the latest of the pod's container with this name (kubectl logs --previous), or null. */
  public String previousContainerId(String uid, String name) {
    return containers(uid).stream().filter(container -> container.name().equals(name))
        .sorted(Comparator.comparingInt(ContainerStatus::attempt).reversed()).skip(1).findFirst()
        .map(ContainerStatus::id).orElse(null);
  }

  /** The latest attempt of each container name (a restarted container's newest instance). */
  public static Map<String, ContainerStatus> latestByName(List<ContainerStatus> containers) {
    Map<String, ContainerStatus> latest = new LinkedHashMap<>();
    containers.stream().sorted(Comparator.comparingInt(ContainerStatus::attempt)
            .thenComparing(ContainerStatus::createdAt, Comparator.nullsFirst(Comparator.naturalOrder())))
        .forEach(container -> latest.put(container.name(), container));
    return latest;
  }

  static String restartPolicy(Pod pod) {
    return Objects.requireNonNullElse(pod.getSpec().getRestartPolicy(), "Always");
  }

  /** The pod's terminationGracePeriodSeconds (30 when it says none), for a container the kubelet stops. */
  static long gracePeriod(Pod pod) {
    Long grace = pod.getSpec().getTerminationGracePeriodSeconds();
    return grace == null ? 30 : grace;
  }

  private static String backoffKey(Pod pod, String containerName) {
    return pod.getMetadata().getUid() + "_" + containerName;
  }

  private static Map<String, String> podLabels(Pod pod) {
    return Map.of(Labels.POD_NAME, pod.getMetadata().getName(), Labels.POD_NAMESPACE, pod.getMetadata().getNamespace(),
        Labels.POD_UID, pod.getMetadata().getUid());
  }
}
