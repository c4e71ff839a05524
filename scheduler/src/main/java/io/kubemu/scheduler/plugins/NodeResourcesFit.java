package io.kubemu.scheduler.plugins;

import io.fabric8.kubernetes.api.model.Pod;
import io.kubemu.scheduler.framework.FilterPlugin;
import io.kubemu.scheduler.framework.NodeInfo;
import io.kubemu.scheduler.framework.Resources;
import io.kubemu.scheduler.framework.ScorePlugin;
import io.kubemu.scheduler.framework.Status;
import java.util.ArrayList;
import java.util.List;

/**
 * Filter: the pod's cpu and memory requests must fit in what the node's allocatable leaves after
 * the pods already there (bound or assumed), and the node must allow one more pod. Score, with
 * the LeastAllocated strategy: the more of the node's cpu and memory stays free once the pod is
 * there, the better (the mean of both, 0..100).
 */
public final class NodeResourcesFit implements FilterPlugin, ScorePlugin {
  static final String TOO_MANY_PODS = "Too many pods";
  static final String INSUFFICIENT_CPU = "Insufficient cpu";
  static final String INSUFFICIENT_MEMORY = "Insufficient memory";

  @Override
  public String name() {
    return "NodeResourcesFit";
  }

  @Override
  public int weight() {
    return 1;
  }

  @Override
  public Status filter(Pod pod, NodeInfo node) {
    return preFilter(pod).filter(node);
  }

  /** The pod's requests, summed once per cycle (kube-scheduler's PreFilter state of this plugin). */
  @Override
  public NodeFilter preFilter(Pod pod) {
    Resources request = Resources.requestedBy(pod);
    return node -> fits(request, node);
  }

  private static Status fits(Resources request, NodeInfo node) {
    boolean tooManyPods = node.pods().size() + 1 > node.allowedPods();
    Resources allocatable = node.allocatable();
    Resources used = node.requested();
    boolean cpu = request.milliCpu() > 0 && request.milliCpu() > allocatable.milliCpu() - used.milliCpu();
    boolean memory = request.memory() > 0 && request.memory() > allocatable.memory() - used.memory();
    if (!tooManyPods && !cpu && !memory) {
      return Status.FITS;
    }
    List<String> reasons = new ArrayList<>();
    if (tooManyPods) {
      reasons.add(TOO_MANY_PODS);
    }
    if (cpu) {
      reasons.add(INSUFFICIENT_CPU);
    }
    if (memory) {
      reasons.add(INSUFFICIENT_MEMORY);
    }
    return Status.unschedulable(reasons.toArray(String[]::new));
  }

  @Override
  public long[] score(Pod pod, List<NodeInfo> nodes) {
    Resources request = Resources.nonZeroRequestedBy(pod);
    long[] scores = new long[nodes.size()];
    for (int i = 0; i < scores.length; i++) {
      NodeInfo node = nodes.get(i);
      Resources requested = node.nonZeroRequested().plus(request);
      Resources allocatable = node.allocatable();
      scores[i] = (leastAllocated(requested.milliCpu(), allocatable.milliCpu())
          + leastAllocated(requested.memory(), allocatable.memory())) / 2;
    }
    return scores;
  }

  private static long leastAllocated(long requested, long capacity) {
    if (capacity == 0 || requested > capacity) {
      return 0;
    }
    return (capacity - requested) * MAX_NODE_SCORE / capacity;
  }
}
