package io.kubemu.scheduler.plugins;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.kubemu.scheduler.framework.FilterPlugin;
import io.kubemu.scheduler.framework.NodeInfo;
import io.kubemu.scheduler.framework.Status;

/** Cordoned nodes (spec.unschedulable) take no pods, unless a pod tolerates the unschedulable taint. */
public final class NodeUnschedulable implements FilterPlugin {
  static final String REASON = "node(s) were unschedulable";
  private static final Taint UNSCHEDULABLE = new TaintBuilder()
      .withKey("node.kubernetes.io/unschedulable").withEffect("NoSchedule").build();

  @Override
  public String name() {
    return "NodeUnschedulable";
  }

  @Override
  public Status filter(Pod pod, NodeInfo node) {
    return node.unschedulable() && !Tolerations.tolerates(pod, UNSCHEDULABLE) ? Status.unresolvable(REASON) : Status.FITS;
  }
}
