package io.kubemu.scheduler.plugins;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.kubemu.scheduler.framework.FilterPlugin;
import io.kubemu.scheduler.framework.NodeInfo;
import io.kubemu.scheduler.framework.Status;

/** A pod fits a node only if it tolerates every NoSchedule and NoExecute taint of the node. */
public final class TaintToleration implements FilterPlugin {
  @Override
  public String name() {
    return "TaintToleration";
  }

  @Override
  public Status filter(Pod pod, NodeInfo node) {
    for (Taint taint : node.taints()) {
      boolean filtered = "NoSchedule".equals(taint.getEffect()) || "NoExecute".equals(taint.getEffect());
      if (filtered && !Tolerations.tolerates(pod, taint)) {
        return Status.unresolvable("node(s) had untolerated taint {" + taint.getKey() + ": "
            + (taint.getValue() == null ? "" : taint.getValue()) + "}");
      }
    }
    return Status.FITS;
  }
}
