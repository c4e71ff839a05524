package io.kubemu.scheduler.plugins;

import io.fabric8.kubernetes.api.model.Pod;
import io.kubemu.scheduler.framework.FilterPlugin;
import io.kubemu.scheduler.framework.NodeInfo;
import io.kubemu.scheduler.framework.Status;

/** A pod naming a node in spec.nodeName fits only that node. */
public final class NodeName implements FilterPlugin {
  static final String REASON = "node(s) didn't match the requested node name";

  @Override
  public String name() {
    return "NodeName";
  }

  @Override
  public Status filter(Pod pod, NodeInfo node) {
    String wanted = pod.getSpec().getNodeName();
    return wanted == null || wanted.isEmpty() || wanted.equals(node.name()) ? Status.FITS : Status.unresolvable(REASON);
  }
}
