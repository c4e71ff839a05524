package io.kubemu.scheduler.plugins;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.kubemu.component.client.OwnerReferences;
import io.kubemu.scheduler.framework.NodeInfo;
import io.kubemu.scheduler.framework.ScorePlugin;
import java.util.List;

/**
 * Spreads the pods of one owner (the controller in their ownerReferences, e.g. a ReplicaSet) over
 * the nodes, as the SelectorSpread plugin did: the fewer of its siblings a node runs, the higher it
 * scores (100 for none, 0 for the node with the most). A pod without a controller is not spread.
 */
public final class SelectorSpread implements ScorePlugin {
  @Override
  public String name() {
    return "SelectorSpread";
  }

  /** PodTopologySpread's weight in the default profile. */
  @Override
  public int weight() {
    return 2;
  }

  @Override
  public long[] score(Pod pod, List<NodeInfo> nodes) {
    long[] scores = new long[nodes.size()];
    OwnerReference owner = OwnerReferences.controllerOf(pod);
    if (owner == null || owner.getUid() == null) {
      return scores;
    }
    // A controller's UID names one object in one namespace: its pods are the pod's siblings.
    long[] siblings = new long[nodes.size()];
    long most = 0;
    for (int i = 0; i < siblings.length; i++) {
      siblings[i] = nodes.get(i).podsControlledBy(owner.getUid());
      most = Math.max(most, siblings[i]);
    }
    for (int i = 0; i < scores.length; i++) {
      scores[i] = most == 0 ? MAX_NODE_SCORE : (most - siblings[i]) * MAX_NODE_SCORE / most;
    }
    return scores;
  }
}
