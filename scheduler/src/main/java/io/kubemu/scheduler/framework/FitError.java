package io.kubemu.scheduler.framework;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Why a pod fits no node, worded as kube-scheduler words it in the FailedScheduling event and
 * the PodScheduled condition: {@code 0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3
 * nodes are available: 3 No preemption victims found for incoming pod.} Each reason is counted over
 * the nodes, and the "count reason" strings are sorted as strings, as Kubernetes sorts them.
 * With no nodes at all it says so as Kubernetes does. kubemu does not preempt, so the preemption part says, per node, what kube-scheduler's preemption
 * finds when no pod has a lower priority.
 *
 * @param nodeCount how many nodes there were
 * @param statuses each failing node's status, by node name
 */
public record FitError(int nodeCount, Map<String, Status> statuses) {
  static final String NO_NODES = "no nodes available to schedule pods";
  static final String NO_NODES_AVAILABLE = "0/%d nodes are available:";
  static final String PREEMPTION_NOT_HELPFUL = "Preemption is not helpful for scheduling";
  static final String NO_VICTIMS = "No preemption victims found for incoming pod";

  public String message() {
    if (nodeCount == 0) {
      return NO_NODES;
    }
    Map<String, Integer> reasons = new TreeMap<>();
    Map<String, Integer> preemption = new TreeMap<>();
    for (Status status : statuses.values()) {
      status.reasons().forEach(reason -> reasons.merge(reason, 1, Integer::sum));
      preemption.merge(status.resolvable() ? NO_VICTIMS : PREEMPTION_NOT_HELPFUL, 1, Integer::sum);
    }
    return histogram(reasons) + " preemption: " + histogram(preemption);
  }

  private String histogram(Map<String, Integer> counts) {
    List<String> entries = new ArrayList<>();
    counts.forEach((reason, count) -> entries.add(count + " " + reason));
    entries.sort(null);
    return String.format(NO_NODES_AVAILABLE, nodeCount) + " " + String.join(", ", entries) + ".";
  }
}
