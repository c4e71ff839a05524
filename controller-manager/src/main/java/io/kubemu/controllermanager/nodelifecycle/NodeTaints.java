package io.kubemu.controllermanager.nodelifecycle;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The taints the node lifecycle controller owns, as Kubernetes names them: NoExecute
 * {@code not-ready}/{@code unreachable} for taint-based eviction, and the NoSchedule taints of
 * TaintNodesByCondition (from the Node's conditions and {@code spec.unschedulable}).
 */
public final class NodeTaints {
  public static final String NOT_READY = "node.kubernetes.io/not-ready";
  public static final String UNREACHABLE = "node.kubernetes.io/unreachable";
  public static final String UNSCHEDULABLE = "node.kubernetes.io/unschedulable";
  static final String MEMORY_PRESSURE = "node.kubernetes.io/memory-pressure";
  static final String DISK_PRESSURE = "node.kubernetes.io/disk-pressure";
  static final String PID_PRESSURE = "node.kubernetes.io/pid-pressure";
  static final String NETWORK_UNAVAILABLE = "node.kubernetes.io/network-unavailable";
  public static final String NO_EXECUTE = "NoExecute";
  public static final String NO_SCHEDULE = "NoSchedule";

  /** Kubernetes' nodeConditionToTaintKeyStatusMap: condition type, status, taint key. */
  private static final Map<String, Map<String, String>> CONDITION_TAINTS = Map.of(
      "Ready", Map.of("False", NOT_READY, "Unknown", UNREACHABLE),
      "MemoryPressure", Map.of("True", MEMORY_PRESSURE),
      "DiskPressure", Map.of("True", DISK_PRESSURE),
      "NetworkUnavailable", Map.of("True", NETWORK_UNAVAILABLE),
      "PIDPressure", Map.of("True", PID_PRESSURE));
  private static final List<String> NO_SCHEDULE_KEYS = List.of(NOT_READY, UNREACHABLE, MEMORY_PRESSURE, DISK_PRESSURE,
      NETWORK_UNAVAILABLE, PID_PRESSURE, UNSCHEDULABLE);

  private NodeTaints() {}

  static Taint taint(String key, String effect) {
    return new TaintBuilder().withKey(key).withEffect(effect).build();
  }

  public static List<Taint> taints(Node node) {
    return node.getSpec() == null || node.getSpec().getTaints() == null ? List.of() : node.getSpec().getTaints();
  }

  public static boolean has(Node node, String key, String effect) {
    return taints(node).stream().anyMatch(t -> key.equals(t.getKey()) && effect.equals(t.getEffect()));
  }

  /** Kubernetes' doNoScheduleTaintingPass: the NoSchedule taints the Node's conditions and spec ask for. */
  public static List<Taint> wantedNoSchedule(Node node) {
    List<Taint> wanted = new ArrayList<>();
    List<NodeCondition> conditions = node.getStatus() == null || node.getStatus().getConditions() == null
        ? List.of() : node.getStatus().getConditions();
    for (NodeCondition condition : conditions) {
      Map<String, String> byStatus = CONDITION_TAINTS.get(condition.getType());
      String key = byStatus == null ? null : byStatus.get(condition.getStatus());
      if (key != null) {
        wanted.add(taint(key, NO_SCHEDULE));
      }
    }
    if (node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable())) {
      wanted.add(taint(UNSCHEDULABLE, NO_SCHEDULE));
    }
    return wanted;
  }

  /** The controller's NoSchedule taints the Node has but should not. */
  public static List<Taint> unwantedNoSchedule(Node node, List<Taint> wanted) {
    return taints(node).stream()
        .filter(t -> NO_SCHEDULE.equals(t.getEffect()) && NO_SCHEDULE_KEYS.contains(t.getKey()))
        .filter(t -> wanted.stream().noneMatch(w -> w.getKey().equals(t.getKey())))
        .toList();
  }

  /** The wanted taints the Node lacks. */
  public static List<Taint> missing(Node node, List<Taint> wanted) {
    return wanted.stream().filter(w -> !has(node, w.getKey(), w.getEffect())).toList();
  }

  /**
   * The Node's taints with {@code remove} (by key and effect) taken away and {@code add} put in
   * (replacing a taint of the same key and effect).
   */
  public static List<Taint> apply(List<Taint> taints, List<Taint> add, List<Taint> remove) {
    List<Taint> result = new ArrayList<>();
    for (Taint taint : taints) {
      boolean removed = remove.stream().anyMatch(r -> same(r, taint));
      boolean replaced = add.stream().anyMatch(a -> same(a, taint));
      if (!removed && !replaced) {
        result.add(taint);
      }
    }
    result.addAll(add);
    return result;
  }

  static boolean same(Taint a, Taint b) {
    return Objects.equals(a.getKey(), b.getKey()) && Objects.equals(a.getEffect(), b.getEffect());
  }
}
