package io.kubemu.kubelet.status;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.HostIP;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.kubemu.kubelet.container.ReasonCache;
import io.kubemu.kubelet.runtime.ContainerState;
import io.kubemu.kubelet.runtime.ContainerStatus;
import io.kubemu.kubelet.runtime.PodSandboxStatus;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
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
 * <p>Readiness: there are no probes yet, so a running container is ready at once (in the simulated
 * runtime that is the whole truth: nothing runs that could fail a probe).
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
   * containers are stopped, so the phase becomes Succeeded or Failed; {@code reasons}: why a container's
   * latest start failed (the kubelet's reason cache, e.g. CreateContainerConfigError), by name.
   */
  public record RuntimePodState(String runtimeName, PodSandboxStatus sandbox, List<ContainerStatus> containers,
      boolean terminal, Map<String, ReasonCache.Reason> reasons) {
    public RuntimePodState(String runtimeName, PodSandboxStatus sandbox, List<ContainerStatus> containers,
        boolean terminal) {
      this(runtimeName, sandbox, containers, terminal, Map.of());
    }
  }

  public static PodStatus generate(Pod pod, RuntimePodState state, String hostIP, Instant now) {
    PodStatus old = pod.getStatus() != null ? pod.getStatus() : new PodStatus();
    String time = format(now);
    Map<String, ContainerStatus> byName = latestByName(state.containers());
    List<Container> initContainers = pod.getSpec().getInitContainers() == null ? List.of()
        : pod.getSpec().getInitContainers();
    List<Container> containers = pod.getSpec().getContainers() == null ? List.of() : pod.getSpec().getContainers();
    String waitingReason = initContainers.isEmpty() ? "ContainerCreating" : "PodInitializing";

    List<io.fabric8.kubernetes.api.model.ContainerStatus> initStatuses = new ArrayList<>();
    List<String> incompleteInit = new ArrayList<>();
    boolean initFailed = false;
    for (Container container : initContainers) {
      ContainerStatus runtime = byName.get(container.getName());
      initStatuses.add(containerStatus(container, runtime, waitingReason, state.runtimeName(),
          state.reasons().get(container.getName())));
      boolean done = runtime != null && runtime.state() == ContainerState.CONTAINER_EXITED && runtime.exitCode() == 0;
      if (!done) {
        incompleteInit.add(container.getName());
        initFailed |= runtime != null && runtime.state() == ContainerState.CONTAINER_EXITED;
      }
    }
    List<io.fabric8.kubernetes.api.model.ContainerStatus> statuses = new ArrayList<>();
    List<String> unready = new ArrayList<>();
    int running = 0;
    int waiting = 0;
    int succeeded = 0;
    int failed = 0;
    for (Container container : containers) {
      ContainerStatus runtime = byName.get(container.getName());
      io.fabric8.kubernetes.api.model.ContainerStatus status = containerStatus(container, runtime, waitingReason,
          state.runtimeName(), state.reasons().get(container.getName()));
      statuses.add(status);
      if (!Boolean.TRUE.equals(status.getReady())) {
        unready.add(container.getName());
      }
      if (runtime == null || runtime.state() == ContainerState.CONTAINER_CREATED
          || runtime.state() == ContainerState.CONTAINER_UNKNOWN) {
        waiting++;
      } else if (runtime.state() == ContainerState.CONTAINER_RUNNING) {
        running++;
      } else if (runtime.exitCode() == 0) {
        succeeded++;
      } else {
        failed++;
      }
    }
    String phase = phase(pod, state.terminal(), !incompleteInit.isEmpty(), initFailed, running, waiting, succeeded,
        failed);

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

  /** {@code failed}: why the container's latest start failed (it waits with that reason), or null. */
  private static io.fabric8.kubernetes.api.model.ContainerStatus containerStatus(Container container,
      ContainerStatus runtime, String waitingReason, String runtimeName, ReasonCache.Reason failed) {
    ContainerStatusBuilder status = new ContainerStatusBuilder()
        .withName(container.getName())
        .withImage(container.getImage())
        .withImageID(runtime == null ? "" : runtime.imageRef())
        .withRestartCount(runtime == null ? 0 : runtime.attempt())
        .withLastState(new ContainerStateBuilder().build());
    if (runtime == null || runtime.state() == ContainerState.CONTAINER_CREATED
        || runtime.state() == ContainerState.CONTAINER_UNKNOWN) {
      return status.withReady(false).withStarted(false)
          .withState(failed != null ? waiting(failed)
              : new ContainerStateBuilder().withNewWaiting().withReason(waitingReason).endWaiting().build())
          .build();
    }
    String containerId = runtimeName + "://" + runtime.id();
    status.withContainerID(containerId);
    if (runtime.state() == ContainerState.CONTAINER_RUNNING) {
      return status.withReady(true).withStarted(true)
          .withState(new ContainerStateBuilder().withNewRunning().withStartedAt(format(runtime.startedAt()))
              .endRunning().build())
          .build();
    }
    io.fabric8.kubernetes.api.model.ContainerState terminated = new ContainerStateBuilder().withNewTerminated()
        .withExitCode(runtime.exitCode())
        .withReason(runtime.reason() != null ? runtime.reason() : runtime.exitCode() == 0 ? "Completed" : "Error")
        .withMessage(runtime.message())
        .withStartedAt(format(runtime.startedAt()))
        .withFinishedAt(format(runtime.finishedAt()))
        .withContainerID(containerId)
        .endTerminated().build();
    if (failed != null) {
      // Its restart failed before the runtime was asked: waiting, with the run that ended as its last state.
      return status.withReady(false).withStarted(false).withState(waiting(failed)).withLastState(terminated).build();
    }
    return status.withReady(false).withStarted(false).withState(terminated).build();
  }

  private static io.fabric8.kubernetes.api.model.ContainerState waiting(ReasonCache.Reason reason) {
    return new ContainerStateBuilder().withNewWaiting().withReason(reason.reason()).withMessage(reason.message())
        .endWaiting().build();
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
    return new PodConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
        .withLastTransitionTime(transition).build();
  }

  private static Map<String, ContainerStatus> latestByName(List<ContainerStatus> containers) {
    Map<String, ContainerStatus> latest = new LinkedHashMap<>();
    containers.stream().sorted(Comparator.comparingInt(ContainerStatus::attempt))
        .forEach(container -> latest.put(container.name(), container));
    return latest;
  }

  private static List<String> containerNames(List<Container> containers) {
    return containers.stream().map(Container::getName).toList();
  }

  /** RFC 3339 at second precision, as Kubernetes' metav1.Time. */
  public static String format(Instant time) {
    return time == null ? null : time.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
