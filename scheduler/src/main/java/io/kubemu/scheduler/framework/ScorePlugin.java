package io.kubemu.scheduler.framework;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;

/**
 * A named scorer: how well the pod fits each node that passed the filters, normalized to
 * 0 (worst) .. 100 (best); the framework sums the scores times each plugin's weight.
 */
public interface ScorePlugin {
  long MAX_NODE_SCORE = 100;

  String name();

  int weight();

  /** The scores of {@code nodes}, in their order, each 0..{@link #MAX_NODE_SCORE}. */
  long[] score(Pod pod, List<NodeInfo> nodes);
}
