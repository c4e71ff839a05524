package io.kubemu.apiserver.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code kubectl get pods}: READY counts ready containers, STATUS tells the one reason that
 * best explains the pod (a phase, a container's waiting or termination reason, init progress,
 * Terminating), RESTARTS adds when the last restart ended.
 */
final class PodPrinter extends KindPrinter {
  /** A pod's status.reason when the node controller gave up on its node. */
  private static final String NODE_LOST = "NodeLost";

  PodPrinter() {
    super(
        Column.NAME,
        Column.string("Ready", "Ready containers out of all containers in the pod, sidecar init containers included."),
        Column.string("Status", "The pod's phase, or the reason that best explains it: a container waiting or "
            + "terminated, init containers still running, the pod being deleted."),
        Column.string("Restarts", "Restarts of the pod's containers, and how long ago the last restarted container "
            + "ended."),
        Column.AGE,
        Column.string("IP", "The pod's IP address (status.podIP).").wide(),
        Column.string("Node", "The node the pod is bound to (spec.nodeName).").wide(),
        Column.string("Nominated Node", "The node where preemption made room for the pod "
            + "(status.nominatedNodeName).").wide(),
        Column.string("Readiness Gates", "Readiness gates whose condition is True, out of "
            + "spec.readinessGates.").wide());
  }

  @Override
  List<RowCondition> conditions(ObjectNode pod) {
    return switch (Cells.text(pod.path("status").path("phase"))) {
      case "Succeeded" -> List.of(new RowCondition("Completed", "True", "Succeeded",
          "The pod has completed successfully."));
      case "Failed" -> List.of(new RowCondition("Completed", "True", "Failed", "The pod failed."));
      default -> List.of();
    };
  }

  @Override
  List<Object> cells(ObjectNode pod, Instant now) {
    JsonNode spec = pod.path("spec");
    JsonNode status = pod.path("status");
    String phase = Cells.text(status.path("phase"));
    String reason = Cells.isSet(status.path("reason")) ? Cells.text(status.path("reason")) : phase;
    for (JsonNode condition : status.path("conditions")) {
      if (Cells.text(condition.path("type")).equals("PodScheduled")
          && Cells.text(condition.path("reason")).equals("SchedulingGated")) {
        reason = "SchedulingGated";
      }
    }

    Set<String> sidecars = sidecarNames(spec);
    int totalContainers = spec.path("containers").size() + sidecars.size();
    int readyContainers = 0;
    Restarts allInitRestarts = new Restarts();
    Restarts sidecarRestarts = new Restarts();

    // Init containers run one after another: the first that has not finished explains the pod.
    boolean initializing = false;
    JsonNode initStatuses = status.path("initContainerStatuses");
    for (int i = 0; i < initStatuses.size(); i++) {
      JsonNode container = initStatuses.get(i);
      boolean sidecar = sidecars.contains(Cells.text(container.path("name")));
      allInitRestarts.add(container);
      if (sidecar) {
        sidecarRestarts.add(container);
      }
      JsonNode terminated = container.path("state").path("terminated");
      JsonNode waiting = container.path("state").path("waiting");
      if (terminated.isObject() && terminated.path("exitCode").asLong(0) == 0) {
        continue;
      }
      if (sidecar && container.path("started").asBoolean(false)) {
        if (container.path("ready").asBoolean(false)) {
          readyContainers++;
        }
        continue;
      }
      if (terminated.isObject()) {
        reason = "Init:" + terminationReason(terminated);
      } else if (Cells.isSet(waiting.path("reason")) && !Cells.text(waiting.path("reason")).equals("PodInitializing")) {
        reason = "Init:" + Cells.text(waiting.path("reason"));
      } else {
        reason = "Init:" + i + "/" + spec.path("initContainers").size();
      }
      initializing = true;
      break;
    }

    Restarts restarts = allInitRestarts;
    if (!initializing || conditionIsTrue(status, "Initialized")) {
      restarts = sidecarRestarts;
      boolean hasRunning = false;
      // From the last container to the first, so the first container's reason wins.
      JsonNode statuses = status.path("containerStatuses");
      for (int i = statuses.size() - 1; i >= 0; i--) {
        JsonNode container = statuses.get(i);
        restarts.add(container);
        JsonNode waiting = container.path("state").path("waiting");
        JsonNode terminated = container.path("state").path("terminated");
        if (Cells.isSet(waiting.path("reason"))) {
          reason = Cells.text(waiting.path("reason"));
        } else if (terminated.isObject()) {
          reason = terminationReason(terminated);
        } else if (container.path("ready").asBoolean(false) && container.path("state").path("running").isObject()) {
          hasRunning = true;
          readyContainers++;
        }
      }
      // A container that completed while another still runs does not make the pod Completed.
      if (reason.equals("Completed") && hasRunning) {
        reason = conditionIsTrue(status, "Ready") ? "Running" : "NotReady";
      }
    }

    boolean deleting = Cells.isSet(pod.path("metadata").path("deletionTimestamp"));
    if (deleting && Cells.text(status.path("reason")).equals(NODE_LOST)) {
      reason = "Unknown";
    } else if (deleting && !phase.equals("Succeeded") && !phase.equals("Failed")) {
      reason = "Terminating";
    }

    return List.of(
        Cells.name(pod),
        readyContainers + "/" + totalContainers,
        reason,
        restarts.cell(now),
        Cells.age(pod, now),
        Cells.orNone(podIP(status)),
        Cells.orNone(Cells.text(spec.path("nodeName"))),
        Cells.orNone(Cells.text(status.path("nominatedNodeName"))),
        readinessGates(spec, status));
  }

  /** Init containers with restartPolicy Always run beside the app containers and count in READY. */
  private static Set<String> sidecarNames(JsonNode spec) {
    Set<String> names = new HashSet<>();
    for (JsonNode container : spec.path("initContainers")) {
      if (Cells.text(container.path("restartPolicy")).equals("Always")) {
        names.add(Cells.text(container.path("name")));
      }
    }
    return names;
  }

  /** The termination reason, or "Signal:9" / "ExitCode:1" when the runtime gave none. */
  private static String terminationReason(JsonNode terminated) {
    if (Cells.isSet(terminated.path("reason"))) {
      return Cells.text(terminated.path("reason"));
    }
    long signal = terminated.path("signal").asLong(0);
    return signal != 0 ? "Signal:" + signal : "ExitCode:" + terminated.path("exitCode").asLong(0);
  }

  private static boolean conditionIsTrue(JsonNode status, String type) {
    for (JsonNode condition : status.path("conditions")) {
      if (Cells.text(condition.path("type")).equals(type)) {
        return Cells.text(condition.path("status")).equals("True");
      }
    }
    return false;
  }

  private static String podIP(JsonNode status) {
    String ip = Cells.text(status.path("podIP"));
    return ip.isEmpty() ? Cells.text(status.path("podIPs").path(0).path("ip")) : ip;
  }

  private static String readinessGates(JsonNode spec, JsonNode status) {
    JsonNode gates = spec.path("readinessGates");
    if (gates.isEmpty()) {
      return Cells.NONE;
    }
    int satisfied = 0;
    for (JsonNode gate : gates) {
      for (JsonNode condition : status.path("conditions")) {
        if (Cells.text(condition.path("type")).equals(Cells.text(gate.path("conditionType")))) {
          if (Cells.text(condition.path("status")).equals("True")) {
            satisfied++;
          }
          break;
        }
      }
    }
    return satisfied + "/" + gates.size();
  }

  /** Restarts of a set of containers, and when the most recent restarted one last ended. */
  private static final class Restarts {
    private long count;
    private Instant last;

    void add(JsonNode containerStatus) {
      count += containerStatus.path("restartCount").asLong(0);
      Instant finished = Cells.time(containerStatus.path("lastState").path("terminated").path("finishedAt"));
      if (finished != null && (last == null || finished.isAfter(last))) {
        last = finished;
      }
    }

    /** "2 (5m ago)", or the bare count when nothing restarted or the time is unknown. */
    String cell(Instant now) {
      return count != 0 && last != null ? count + " (" + Cells.since(last, now) + " ago)" : String.valueOf(count);
    }
  }
}
