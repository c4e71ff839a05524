package io.kubemu.scheduler.framework;

import io.fabric8.kubernetes.api.model.Pod;

/** A named filter: can this pod run on this node? */
public interface FilterPlugin {
  String name();

  Status filter(Pod pod, NodeInfo node);

  /**
   * kube-scheduler's PreFilter: what the filter needs of the pod, worked out once in a scheduling
   * cycle rather than for every node (its requests, its host ports), and the filter of that cycle.
   * By default the filter reads the pod at every node.
   */
  default NodeFilter preFilter(Pod pod) {
    return node -> filter(pod, node);
  }

  /** A filter with its pod's part already worked out: one scheduling cycle's. */
  @FunctionalInterface
  interface NodeFilter {
    Status filter(NodeInfo node);
  }
}
