package io.kubemu.controllermanager.nodelifecycle;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the node lifecycle controller remembers of each Node's heartbeats, as Kubernetes'
 * nodeHealthMap: when it last saw the kubelet alive (the probe timestamp: a new
 * {@code lastHeartbeatTime} of the Ready condition, or a renewed Lease in {@code kube-node-lease}),
 * measured on this controller's clock, never the kubelet's. A Node silent for longer than its
 * grace period (the startup grace period while it never posted a Ready condition) is unhealthy:
 * its Ready, MemoryPressure, DiskPressure and PIDPressure conditions become Unknown.
 */
public final class NodeHealth {
  static final List<String> CONDITIONS = List.of("Ready", "MemoryPressure", "DiskPressure", "PIDPressure");

  /** One Node's remembered heartbeat. */
  static final class Data {
    NodeCondition readyCondition;
    ZonedDateTime leaseRenewTime;
    Instant probeTimestamp;
    Instant readyTransitionTimestamp;
  }

  private final Map<String, Data> nodes = new HashMap<>();

  /** The outcome of one look at a Node: its Ready condition as read, and the conditions it should have now. */
  public record Result(NodeCondition observedReady, List<NodeCondition> conditions, boolean changed) {
    public String observedStatus() {
      return observedReady.getStatus();
    }

    public NodeCondition currentReady() {
      return conditions.stream().filter(c -> "Ready".equals(c.getType())).findFirst().orElse(null);
    }
  }

  public synchronized void forget(String name) {
    nodes.remove(name);
  }

  /** Gives every Node a full grace period from now (after all Nodes were unreachable, as Kubernetes does). */
  public synchronized void resetProbes(Instant now) {
    nodes.values().forEach(data -> data.probeTimestamp = now);
  }

  public synchronized Instant probeTimestamp(String name) {
    Data data = nodes.get(name);
    return data == null ? null : data.probeTimestamp;
  }

  /**
   * Kubernetes' tryUpdateNodeHealth without the write: updates the probe timestamp from the
   * Node's Ready heartbeat and its Lease, and when the Node has been silent for longer than its
   * grace period, returns its conditions turned Unknown.
   */
  public synchronized Result observe(Node node, Lease lease, Instant now, Duration monitorGracePeriod,
      Duration startupGracePeriod) {
    String name = node.getMetadata().getName();
    Instant created = parse(node.getMetadata().getCreationTimestamp(), now);
    NodeCondition current = condition(node, "Ready");
    NodeCondition observed;
    Duration gracePeriod;
    Data data = nodes.get(name);
    if (current == null) {
      observed = new NodeConditionBuilder().withType("Ready").withStatus("Unknown")
          .withLastHeartbeatTime(node.getMetadata().getCreationTimestamp())
          .withLastTransitionTime(node.getMetadata().getCreationTimestamp()).build();
      gracePeriod = startupGracePeriod;
      if (data == null) {
        data = new Data();
        data.probeTimestamp = created;
        data.readyTransitionTimestamp = created;
        nodes.put(name, data);
      }
    } else {
      observed = new NodeConditionBuilder(current).build();
      gracePeriod = monitorGracePeriod;
      if (data == null || data.readyCondition == null) {
        Data fresh = new Data();
        fresh.probeTimestamp = now;
        fresh.readyTransitionTimestamp = now;
        fresh.leaseRenewTime = data == null ? null : data.leaseRenewTime;
        data = fresh;
        nodes.put(name, data);
      } else if (!Objects.equals(data.readyCondition.getLastHeartbeatTime(), current.getLastHeartbeatTime())) {
        data.probeTimestamp = now;
        if (!Objects.equals(data.readyCondition.getLastTransitionTime(), current.getLastTransitionTime())) {
          data.readyTransitionTimestamp = now;
        }
      }
      data.readyCondition = observed;
    }
    ZonedDateTime renewed = lease == null || lease.getSpec() == null ? null : lease.getSpec().getRenewTime();
    if (renewed != null && (data.leaseRenewTime == null || data.leaseRenewTime.isBefore(renewed))) {
      data.leaseRenewTime = renewed;
      data.probeTimestamp = now;
    }
    List<NodeCondition> conditions = new ArrayList<>();
    if (node.getStatus() != null && node.getStatus().getConditions() != null) {
      node.getStatus().getConditions().forEach(c -> conditions.add(new NodeConditionBuilder(c).build()));
    }
    boolean changed = false;
    if (now.isAfter(data.probeTimestamp.plus(gracePeriod))) {
      String timestamp = format(now);
      for (String type : CONDITIONS) {
        NodeCondition condition = conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
        if (condition == null) {
          conditions.add(new NodeConditionBuilder().withType(type).withStatus("Unknown")
              .withReason("NodeStatusNeverUpdated").withMessage("Kubelet never posted node status.")
              .withLastHeartbeatTime(node.getMetadata().getCreationTimestamp()).withLastTransitionTime(timestamp)
              .build());
          changed = true;
        } else if (!"Unknown".equals(condition.getStatus())) {
          condition.setStatus("Unknown");
          condition.setReason("NodeStatusUnknown");
          condition.setMessage("Kubelet stopped posting node status.");
          condition.setLastTransitionTime(timestamp);
          changed = true;
        }
      }
    }
    return new Result(observed, conditions, changed);
  }

  /** The Node's status was written with Ready turned Unknown: that is the condition remembered now. */
  public synchronized void wroteUnknown(String name, NodeCondition ready, Instant now) {
    Data data = nodes.get(name);
    if (data != null) {
      data.readyCondition = ready;
      data.readyTransitionTimestamp = now;
    }
  }

  static NodeCondition condition(Node node, String type) {
    if (node.getStatus() == null || node.getStatus().getConditions() == null) {
      return null;
    }
    return node.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
  }

  static String format(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
  }

  private static Instant parse(String time, Instant fallback) {
    try {
      return time == null ? fallback : Instant.parse(time);
    } catch (RuntimeException e) {
      return fallback;
    }
  }
}
