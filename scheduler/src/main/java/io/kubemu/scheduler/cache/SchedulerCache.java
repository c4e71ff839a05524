package io.kubemu.scheduler.cache;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.kubemu.scheduler.framework.NodeInfo;
import io.kubemu.scheduler.framework.Resources;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scheduler's view of the cluster: the nodes, and the pods on them, both those the
 * informer has seen bound and those this scheduler has <em>assumed</em>: chosen a node for and
 * is binding now. Assuming lets the next pod see the node's usage before the binding comes back
 * through the watch; a failed binding forgets the assumption; the informer seeing the pod bound
 * confirms it. Terminated pods (Succeeded, Failed) use nothing and are left out.
 */
public final class SchedulerCache {
  private final Map<String, CachedNode> nodes = new LinkedHashMap<>();

  /** A node and its allocatable resources, worked out once per version of the Node. */
  private record CachedNode(Node node, Resources allocatable, long allowedPods) {
    static CachedNode of(Node node) {
      return new CachedNode(node, NodeInfo.allocatableOf(node), NodeInfo.allowedPodsOf(node));
    }
  }
  /** Pods with a node, by namespace/name: bound ones and assumed ones. */
  private final Map<String, CachedPod> pods = new HashMap<>();

  /**
   * A pod and what it requests, worked out once when the pod is cached rather than in every
   * scheduling cycle's snapshot (parsing quantities for thousands of pods per cycle was most of
   * the scheduler's CPU).
   */
  private record CachedPod(Pod pod, Resources requested, Resources nonZeroRequested) {
    static CachedPod of(Pod pod) {
      return new CachedPod(pod, Resources.requestedBy(pod), Resources.nonZeroRequestedBy(pod));
    }
  }
  private final Map<String, String> assumedNodes = new HashMap<>();

  public synchronized void addOrUpdateNode(Node node) {
    nodes.put(node.getMetadata().getName(), CachedNode.of(node));
  }

  public synchronized void removeNode(Node node) {
    nodes.remove(node.getMetadata().getName());
  }

  /** A pod the informer saw; a bound one takes its place on its node (confirming an assumption). */
  public synchronized void addOrUpdatePod(Pod pod) {
    String key = key(pod);
    String nodeName = pod.getSpec().getNodeName();
    if (nodeName == null || nodeName.isEmpty()) {
      return;
    }
    assumedNodes.remove(key);
    if (isTerminated(pod)) {
      pods.remove(key);
    } else {
      pods.put(key, CachedPod.of(pod));
    }
  }

  public synchronized void removePod(Pod pod) {
    String key = key(pod);
    pods.remove(key);
    assumedNodes.remove(key);
  }

  /** The scheduler chose {@code nodeName} for the pod and binds it now. */
  public synchronized void assume(Pod pod, String nodeName) {
    String key = key(pod);
    Pod assumed = new Pod(pod.getApiVersion(), pod.getKind(), pod.getMetadata(),
        pod.getSpec().toBuilder().withNodeName(nodeName).build(), pod.getStatus());
    pods.put(key, CachedPod.of(assumed));
    assumedNodes.put(key, nodeName);
  }

  /** The binding failed: the pod is on no node after all. */
  public synchronized void forget(Pod pod) {
    String key = key(pod);
    if (assumedNodes.remove(key) != null) {
      pods.remove(key);
    }
  }

  public synchronized boolean isAssumed(Pod pod) {
    return assumedNodes.containsKey(key(pod));
  }

  /** Every node with its pods, as one scheduling cycle sees them. */
  public synchronized List<NodeInfo> snapshot() {
    Map<String, NodeInfo> infos = new LinkedHashMap<>();
    nodes.forEach((name, cached) -> infos.put(name, new NodeInfo(cached.node(), cached.allocatable(),
        cached.allowedPods())));
    for (CachedPod cached : pods.values()) {
      NodeInfo info = infos.get(cached.pod().getSpec().getNodeName());
      if (info != null) {
        info.addPod(cached.pod(), cached.requested(), cached.nonZeroRequested());
      }
    }
    return new ArrayList<>(infos.values());
  }

  private static boolean isTerminated(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  private static String key(Pod pod) {
    return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
  }
}
