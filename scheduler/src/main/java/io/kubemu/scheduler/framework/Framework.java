package io.kubemu.scheduler.framework;

import io.fabric8.kubernetes.api.model.Pod;
import io.kubemu.scheduler.framework.FilterPlugin.NodeFilter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * One scheduling profile's plugins, run as kube-scheduler runs them for a pod: each filter's
 * PreFilter reads the pod once, then every node goes through the filters in order (the first that
 * fails decides the node's status), the nodes left are scored by every score plugin, and the pod
 * goes to the node with the highest weighted sum; among equally good nodes one is picked at random,
 * so that ties spread.
 */
public final class Framework {
  /** The outcome of one scheduling cycle: the chosen node, or why none fits. */
  public sealed interface Result permits Selected, Unschedulable {}

  public record Selected(String nodeName) implements Result {}

  public record Unschedulable(FitError error) implements Result {}

  private final List<FilterPlugin> filters;
  private final List<ScorePlugin> scorers;
  private final RandomGenerator random;

  public Framework(List<FilterPlugin> filters, List<ScorePlugin> scorers, RandomGenerator random) {
    this.filters = List.copyOf(filters);
    this.scorers = List.copyOf(scorers);
    this.random = random;
  }

  public Result schedule(Pod pod, List<NodeInfo> nodes) {
    List<NodeFilter> cycle = preFilter(pod);
    List<NodeInfo> feasible = new ArrayList<>();
    Map<String, Status> failed = new LinkedHashMap<>();
    for (NodeInfo node : nodes) {
      Status status = filter(cycle, node);
      if (status.fits()) {
        feasible.add(node);
      } else {
        failed.put(node.name(), status);
      }
    }
    if (feasible.isEmpty()) {
      return new Unschedulable(new FitError(nodes.size(), failed));
    }
    return new Selected(feasible.get(best(score(pod, feasible))).name());
  }

  /** The first failing filter's status, or {@link Status#FITS}. */
  public Status filter(Pod pod, NodeInfo node) {
    return filter(preFilter(pod), node);
  }

  /** Each filter's part for this pod, worked out once for all the nodes of a cycle. */
  private List<NodeFilter> preFilter(Pod pod) {
    List<NodeFilter> cycle = new ArrayList<>(filters.size());
    for (FilterPlugin filter : filters) {
      cycle.add(filter.preFilter(pod));
    }
    return cycle;
  }

  private static Status filter(List<NodeFilter> cycle, NodeInfo node) {
    for (NodeFilter filter : cycle) {
      Status status = filter.filter(node);
      if (!status.fits()) {
        return status;
      }
    }
    return Status.FITS;
  }

  /** Each node's weighted sum of the scorers' scores. */
  long[] score(Pod pod, List<NodeInfo> nodes) {
    long[] total = new long[nodes.size()];
    if (nodes.size() == 1) {
      return total;
    }
    for (ScorePlugin scorer : scorers) {
      long[] scores = scorer.score(pod, nodes);
      for (int i = 0; i < total.length; i++) {
        total[i] += scores[i] * scorer.weight();
      }
    }
    return total;
  }

  /** The index of the highest score, a tie broken at random (reservoir sampling, as Kubernetes). */
  private int best(long[] scores) {
    int best = 0;
    int ties = 1;
    for (int i = 1; i < scores.length; i++) {
      if (scores[i] > scores[best]) {
        best = i;
        ties = 1;
      } else if (scores[i] == scores[best] && random.nextInt(++ties) == 0) {
        best = i;
      }
    }
    return best;
  }
}
