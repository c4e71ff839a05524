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
  /** The same pods by node name, then namespace/name. */
  private final Map<String, Map<String, CachedPod>> podsByNode = new HashMap<>();

  /**
   * A pod and what it requests, worked out once when the pod is cached rather than in every
   * scheduling cycle's snapshot (parsing quantities for thousands of pods per cycle was most of
   * the scheduler's CPU).
   */
  private record CachedPod(Pod pod, String nodeName, Resources requested, Resources nonZeroRequested) {
    static CachedPod of(Pod pod, String nodeName) {
      return new CachedPod(pod, nodeName, Resources.requestedBy(pod), Resources.nonZeroRequestedBy(pod));
    }
  }
  private final Map<String, String> assumedNodes = new HashMap<>();

  /**
   * Each node's NodeInfo as the last snapshot handed it out, reused by the next one unless the
   * node or its pods changed since (as kube-scheduler's cache updates its snapshot by generation):
   * a cycle copies the nodes that changed, not every pod of the cluster.
   */
  private final Map<String, NodeInfo> built = new HashMap<>();

  public synchronized void addOrUpdateNode(Node node) {
    nodes.put(node.getMetadata().getName(), CachedNode.of(node));
    built.remove(node.getMetadata().getName());
  }

  public synchronized void removeNode(Node node) {
    nodes.remove(node.getMetadata().getName());
    built.remove(node.getMetadata().getName());
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
      drop(key);
    } else {
      put(key, CachedPod.of(pod, nodeName));
    }
  }

  public synchronized void removePod(Pod pod) {
    String key = key(pod);
    drop(key);
    assumedNodes.remove(key);
  }

  /** The scheduler chose {@code nodeName} for the pod and binds it now. */
  public synchronized void assume(Pod pod, String nodeName) {
    String key = key(pod);
    // Cached on the node as it is: kube-scheduler assumes a copy with spec.nodeName set, but what this
    // cache and the plugins read of the pods on a node is not where they are (the node is noted here).
    put(key, CachedPod.of(pod, nodeName));
    assumedNodes.put(key, nodeName);
  }

  /** The binding failed: the pod is on no node after all. */
  public synchronized void forget(Pod pod) {
    String key = key(pod);
    if (assumedNodes.remove(key) != null) {
      drop(key);
    }
  }

  public synchronized boolean isAssumed(Pod pod) {
    return assumedNodes.containsKey(key(pod));
  }

  /** Every node with its pods, as one scheduling cycle sees them. */
  public synchronized List<NodeInfo> snapshot() {
    List<NodeInfo> infos = new ArrayList<>(nodes.size());
    nodes.forEach((name, cached) -> infos.add(built.computeIfAbsent(name, changed -> {
      NodeInfo info = new NodeInfo(cached.node(), cached.allocatable(), cached.allowedPods());
      podsByNode.getOrDefault(name, Map.of()).values()
          .forEach(pod -> info.addPod(pod.pod(), pod.requested(), pod.nonZeroRequested()));
      return info;
    })));
    return infos;
  }

  private void put(String key, CachedPod pod) {
    drop(key);
    pods.put(key, pod);
    String nodeName = pod.nodeName();
    podsByNode.computeIfAbsent(nodeName, name -> new LinkedHashMap<>()).put(key, pod);
    built.remove(nodeName);
  }

  private void drop(String key) {
    CachedPod pod = pods.remove(key);
    if (pod != null) {
      String nodeName = pod.nodeName();
      Map<String, CachedPod> onNode = podsByNode.get(nodeName);
      if (onNode != null && onNode.remove(key) != null && onNode.isEmpty()) {
        podsByNode.remove(nodeName);
      }
      built.remove(nodeName);
    }
  }

  private static boolean isTerminated(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  private static String key(Pod pod) {
    return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
  }
}
