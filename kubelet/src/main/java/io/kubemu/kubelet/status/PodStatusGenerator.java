package io.kubemu.kubelet.status;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStateRunning;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.HostIP;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.kubemu.kubelet.kuberuntime.PodSyncResult.Waiting;
import io.kubemu.kubelet.kuberuntime.RuntimeManager;
import io.kubemu.kubelet.kuberuntime.TerminationMessages;
import io.kubemu.kubelet.runtime.ContainerState;
import io.kubemu.kubelet.runtime.ContainerStatus;
import io.kubemu.kubelet.runtime.PodSandboxStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The pod's status from what the runtime says of it, as the kubelet's generateAPIPodStatus:
 * the phase, the kubelet's four conditions (PodReadyToStartContainers, Initialized, Ready,
 * ContainersReady) with Kubernetes' reasons, the container statuses, the IPs and the start time.
 * What others own (PodScheduled, the QoS class, ...) is kept from the pod's current status, and
 * so is every transition time of a condition whose status did not change: the same inputs give
 * an equal status, so the status manager writes only when something changed.
 *
 * <p>Readiness is the prober's ({@link ContainerProbeStatus}): a running container without a
 * readiness probe is ready at once.
 */
public final class PodStatusGenerator {
  public static final String PENDING = "Pending";
  public static final String RUNNING = "Running";
  public static final String SUCCEEDED = "Succeeded";
  public static final String FAILED = "Failed";
  /** The conditions the kubelet owns (Kubernetes' PodConditionByKubelet), in the order it writes them. */
  static final List<String> KUBELET_CONDITIONS = List.of("PodReadyToStartContainers", "Initialized", "Ready",
      "ContainersReady");
  private static final Set<String> TERMINAL = Set.of(SUCCEEDED, FAILED);

  private PodStatusGenerator() {}

  /**
   * What the runtime (by its name, the scheme of container ids) runs of one pod: its sandbox (null: none yet) and containers (latest attempt
   * per name is what counts); {@code terminal}: the pod is stopping for good (deleted) and its
   * containers are stopped, so the phase becomes Succeeded or Failed; {@code waiting}: why the containers
   * that should run do not (the kubelet's reason cache), by container name.
   */
  public record RuntimePodState(String runtimeName, PodSandboxStatus sandbox, List<ContainerStatus> containers,
      boolean terminal, Map<String, Waiting> waiting) {
    /** No container waits for a reason of the sync's. */
    public RuntimePodState(String runtimeName, PodSandboxStatus sandbox, List<ContainerStatus> containers,
        boolean terminal) {
      this(runtimeName, sandbox, containers, terminal, Map.of());
    }
  }

  public static PodStatus generate(Pod pod, RuntimePodState state, String hostIP, Instant now) {
    return generate(pod, state, ContainerProbeStatus.NONE, hostIP, now);
  }

  /** The pod's status, with readiness and startup as the prober says ({@code probes}). */
  public static PodStatus generate(Pod pod, RuntimePodState state, ContainerProbeStatus probes, String hostIP,
      Instant now) {
    PodStatus old = pod.getStatus() != null ? pod.getStatus() : new PodStatus();
    String time = format(now);
    Map<String, ContainerStatus> byName = RuntimeManager.latestByName(state.containers());
    Map<String, ContainerStatus> previousByName = previousByName(state.containers(), byName);
    List<Container> initContainers = pod.getSpec().getInitContainers() == null ? List.of()
        : pod.getSpec().getInitContainers();
    List<Container> containers = pod.getSpec().getContainers() == null ? List.of() : pod.getSpec().getContainers();
    String waitingReason = initContainers.isEmpty() ? "ContainerCreating" : "PodInitializing";
    String restartPolicy = Objects.requireNonNullElse(pod.getSpec().getRestartPolicy(), "Always");
    // As the status manager's normalizeStatus: the pod's termination messages share 12 KiB evenly.
    int messageLimit = TerminationMessages.MAX_POD_LENGTH / Math.max(1, initContainers.size() + containers.size());
    ContainerStatusInput input = new ContainerStatusInput(pod.getMetadata().getUid(), state, probes, restartPolicy,
        messageLimit);

    List<io.fabric8.kubernetes.api.model.ContainerStatus> initStatuses = new ArrayList<>();
    List<String> incompleteInit = new ArrayList<>();
    int pendingInit = 0;
    int failedInit = 0;
    for (Container container : initContainers) {
      io.fabric8.kubernetes.api.model.ContainerStatus status = containerStatus(input, container,
          byName.get(container.getName()), previousByName.get(container.getName()), waitingReason, true);
      initStatuses.add(status);
      io.fabric8.kubernetes.api.model.ContainerStateTerminated terminated = status.getState().getTerminated();
      io.fabric8.kubernetes.api.model.ContainerStateTerminated last = status.getLastState().getTerminated();
      if (terminated == null || terminated.getExitCode() != 0) {
        incompleteInit.add(container.getName());
      }
      if (terminated != null) {
        failedInit += terminated.getExitCode() != 0 ? 1 : 0;
      } else if (status.getState().getWaiting() != null && last != null) {
        failedInit += last.getExitCode() != 0 ? 1 : 0;
      } else {
        pendingInit++;
      }
    }
    List<io.fabric8.kubernetes.api.model.ContainerStatus> statuses = new ArrayList<>();
    List<String> unready = new ArrayList<>();
    int running = 0;
    int waiting = 0;
    int succeeded = 0;
    int failed = 0;
    for (Container container : containers) {
      io.fabric8.kubernetes.api.model.ContainerStatus status = containerStatus(input, container,
          byName.get(container.getName()), previousByName.get(container.getName()), waitingReason, false);
      statuses.add(status);
      if (!Boolean.TRUE.equals(status.getReady())) {
        unready.add(container.getName());
      }
      // As getPhase: a container waiting to be restarted counts as stopped, by how it last ended.
      io.fabric8.kubernetes.api.model.ContainerStateTerminated ended = status.getState().getTerminated() != null
          ? status.getState().getTerminated() : status.getLastState().getTerminated();
      if (status.getState().getRunning() != null) {
        running++;
      } else if (ended == null) {
        waiting++;
      } else if (ended.getExitCode() == 0) {
        succeeded++;
      } else {
        failed++;
      }
    }
    String phase = phase(pod, state.terminal(), pendingInit > 0 || failedInit > 0, failedInit > 0, running, waiting,
        succeeded, failed);

    PodStatus status = new PodStatus();
    status.setPhase(phase);
    boolean sandboxReady = state.sandbox() != null && state.sandbox().ready();
    List<PodCondition> conditions = new ArrayList<>();
    conditions.add(condition(old, "PodReadyToStartContainers", sandboxReady && !state.terminal(), null, null, time));
    if (SUCCEEDED.equals(phase) && incompleteInit.isEmpty()) {
      conditions.add(condition(old, "Initialized", true, "PodCompleted", null, time));
    } else {
      conditions.add(incompleteInit.isEmpty() ? condition(old, "Initialized", true, null, null, time)
          : condition(old, "Initialized", false, "ContainersNotInitialized",
              "containers with incomplete status: [" + String.join(" ", incompleteInit) + "]", time));
    }
    for (String type : List.of("Ready", "ContainersReady")) {
      if (TERMINAL.contains(phase)) {
        conditions.add(condition(old, type, false, "PodCompleted", null, time));
      } else if (!incompleteInit.isEmpty()) {
        conditions.add(condition(old, type, false, "ContainersNotReady",
            "containers with unready status: [" + String.join(" ", containerNames(containers)) + "]", time));
      } else if (unready.isEmpty()) {
        conditions.add(condition(old, type, true, null, null, time));
      } else {
        conditions.add(condition(old, type, false, "ContainersNotReady",
            "containers with unready status: [" + String.join(" ", unready) + "]", time));
      }
    }
    if (old.getConditions() != null) {
      for (PodCondition other : old.getConditions()) {
        if (!KUBELET_CONDITIONS.contains(other.getType())) {
          conditions.add(other);
        }
      }
    }
    if (conditions.stream().noneMatch(condition -> condition.getType().equals("PodScheduled"))) {
      // A pod created with spec.nodeName never met a scheduler; on this node it is scheduled all the same.
      conditions.add(condition(old, "PodScheduled", true, null, null, time));
    }
    status.setConditions(conditions);
    status.setHostIP(hostIP);
    status.setHostIPs(List.of(new HostIP(hostIP)));
    String podIP = state.sandbox() != null && state.sandbox().ip() != null ? state.sandbox().ip() : old.getPodIP();
    if (podIP != null) {
      status.setPodIP(podIP);
      status.setPodIPs(List.of(new PodIP(podIP)));
    }
    status.setStartTime(old.getStartTime() != null ? old.getStartTime() : time);
    if (!initContainers.isEmpty()) {
      status.setInitContainerStatuses(initStatuses);
    }
    status.setContainerStatuses(statuses);
    status.setQosClass(old.getQosClass());
    status.setNominatedNodeName(old.getNominatedNodeName());
    return status;
  }

  /**
   * The pod's status when the kubelet refuses it (admission), as kubelet's rejectPod: Failed,
   * with the reason and message, and nothing else of the kubelet's.
   */
  public static PodStatus rejected(Pod pod, String reason, String message) {
    PodStatus old = pod.getStatus() != null ? pod.getStatus() : new PodStatus();
    PodStatus status = new PodStatus();
    status.setPhase(FAILED);
    status.setReason(reason);
    status.setMessage(message);
    status.setConditions(old.getConditions());
    status.setQosClass(old.getQosClass());
    return status;
  }

  /** The phase, as the kubelet's getPhase, from how many app containers run, wait or ended how. */
  static String phase(Pod pod, boolean terminal, boolean pendingInit, boolean initFailed, int running, int waiting,
      int succeeded, int failed) {
    String restartPolicy = Objects.requireNonNullElse(pod.getSpec().getRestartPolicy(), "Always");
    if (terminal) {
      return failed == 0 && waiting == 0 && running == 0 && !pendingInit ? SUCCEEDED : FAILED;
    }
    if (pendingInit) {
      return initFailed && restartPolicy.equals("Never") ? FAILED : PENDING;
    }
    if (waiting > 0) {
      return PENDING;
    }
    if (running > 0) {
      return RUNNING;
    }
    if (restartPolicy.equals("Always")) {
      return RUNNING; // the containers will be restarted
    }
    if (failed == 0 && succeeded > 0) {
      return SUCCEEDED;
    }
    return restartPolicy.equals("Never") ? FAILED : RUNNING;
  }

  /** What every container's status is made from, besides the container's own runtime records. */
  private record ContainerStatusInput(String podUid, RuntimePodState state, ContainerProbeStatus probes,
      String restartPolicy, int messageLimit) {}

  /**
   * One container's status, as the kubelet's convertToAPIContainerStatuses: its latest instance's state
   * (running, terminated; waiting when it has none yet), the one before it as lastState; a container that
   * ended and will be restarted, or could not start, waits with the reason the sync gave (CrashLoopBackOff,
   * ErrImagePull, ...), its last end as lastState.
   */
  private static io.fabric8.kubernetes.api.model.ContainerStatus containerStatus(ContainerStatusInput input,
      Container container, ContainerStatus runtime, ContainerStatus previous, String waitingReason, boolean init) {
    // Made with setters rather than fabric8's builders, which allocate a builder for every part and copy
    // it again on build: the kubelet makes these for every pod at every sync.
    String runtimeName = input.state().runtimeName();
    io.fabric8.kubernetes.api.model.ContainerStatus status = new io.fabric8.kubernetes.api.model.ContainerStatus();
    status.setName(container.getName());
    status.setImage(container.getImage());
    status.setImageID(runtime == null ? "" : runtime.imageRef());
    status.setRestartCount(runtime == null ? 0 : runtime.attempt());
    status.setLastState(previous == null || previous.state() != ContainerState.CONTAINER_EXITED
        ? new io.fabric8.kubernetes.api.model.ContainerState() : terminated(previous, input));
    status.setReady(false);
    status.setStarted(false);
    Waiting reason = input.state().waiting().get(container.getName());
    if (runtime == null || runtime.state() == ContainerState.CONTAINER_CREATED
        || runtime.state() == ContainerState.CONTAINER_UNKNOWN) {
      if (runtime != null) {
        status.setContainerID(runtimeName + "://" + runtime.id());
      }
      status.setState(waiting(reason != null && !input.state().terminal() ? reason : new Waiting(waitingReason, null)));
      return status;
    }
    status.setContainerID(runtimeName + "://" + runtime.id());
    if (runtime.state() == ContainerState.CONTAINER_RUNNING) {
      boolean started = init || input.probes().started(input.podUid(), container, runtime.id());
      status.setStarted(started);
      status.setReady(started && input.probes().ready(input.podUid(), container, runtime.id()));
      status.setState(new io.fabric8.kubernetes.api.model.ContainerState(
          new ContainerStateRunning(format(runtime.startedAt())), null, null));
      return status;
    }
    boolean restarts = !input.state().terminal() && (init
        ? !input.restartPolicy().equals("Never") && runtime.exitCode() != 0
        : input.restartPolicy().equals("Always") || (input.restartPolicy().equals("OnFailure") && runtime.exitCode() != 0));
    if (restarts && reason != null) {
      status.setState(waiting(reason));
      status.setLastState(terminated(runtime, input));
    } else {
      status.setState(terminated(runtime, input));
    }
    return status;
  }

  private static io.fabric8.kubernetes.api.model.ContainerState waiting(Waiting waiting) {
    return new io.fabric8.kubernetes.api.model.ContainerState(null, null,
        new ContainerStateWaiting(waiting.message(), waiting.reason()));
  }

  private static io.fabric8.kubernetes.api.model.ContainerState terminated(ContainerStatus runtime,
      ContainerStatusInput input) {
    ContainerStateTerminated terminated = new ContainerStateTerminated();
    terminated.setExitCode(runtime.exitCode());
    terminated.setReason(runtime.reason() != null ? runtime.reason() : runtime.exitCode() == 0 ? "Completed" : "Error");
    terminated.setMessage(truncate(runtime.message(), input.messageLimit()));
    terminated.setStartedAt(format(runtime.startedAt()));
    terminated.setFinishedAt(format(runtime.finishedAt()));
    terminated.setContainerID(input.state().runtimeName() + "://" + runtime.id());
    return new io.fabric8.kubernetes.api.model.ContainerState(null, terminated, null);
  }

  /** The first {@code maxBytes} bytes of the message in UTF-8, never half a character. */
  static String truncate(String message, int maxBytes) {
    if (message == null || message.length() * 3 <= maxBytes) {
      return message;
    }
    byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= maxBytes) {
      return message;
    }
    int end = maxBytes;
    while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
      end--; // bytes[end] continues the character before it: cut before that character
    }
    return new String(bytes, 0, end, StandardCharsets.UTF_8);
  }

  /** The instance before the latest of each container name (its last end, once it restarted). */
  private static Map<String, ContainerStatus> previousByName(List<ContainerStatus> containers,
      Map<String, ContainerStatus> latest) {
    List<ContainerStatus> older = new ArrayList<>(containers);
    older.removeAll(latest.values());
    return RuntimeManager.latestByName(older);
  }

  private static PodCondition condition(PodStatus old, String type, boolean value, String reason, String message,
      String now) {
    String status = value ? "True" : "False";
    String transition = now;
    if (old.getConditions() != null) {
      for (PodCondition previous : old.getConditions()) {
        if (previous.getType().equals(type) && status.equals(previous.getStatus())) {
          transition = previous.getLastTransitionTime();
        }
      }
    }
    PodCondition condition = new PodCondition();
    condition.setType(type);
    condition.setStatus(status);
    condition.setReason(reason);
    condition.setMessage(message);
    condition.setLastTransitionTime(transition);
    return condition;
  }

  private static List<String> containerNames(List<Container> containers) {
    return containers.stream().map(Container::getName).toList();
  }

  /** RFC 3339 at second precision, as Kubernetes' metav1.Time. */
  public static String format(Instant time) {
    return time == null ? null : time.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
