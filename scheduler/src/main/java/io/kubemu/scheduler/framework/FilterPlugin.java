package io.kubemu.scheduler.framework;

import io.fabric8.kubernetes.api.model.Pod;

/** A named filter: can this pod run on this node? */
public interface FilterPlugin {
  String name();

  Status filter(Pod pod, NodeInfo node);
}
