package io.kubemu.scheduler.framework;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.kubemu.component.client.OwnerReferences;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One node as a scheduling cycle sees it: the Node, the pods on it (bound, or assumed by this
 * scheduler and not yet seen bound), and what they request, compared with the node's allocatable.
 */
public final class NodeInfo {
  private final Node node;
  private final List<Pod> pods = new ArrayList<>();
  /** How many of the pods each controller (by UID) owns: spreading asks it of every node for every pod. */
  private final Map<String, Integer> podsByController = new HashMap<>();
  private Resources requested = Resources.NONE;
  private Resources nonZeroRequested = Resources.NONE;
  private final Resources allocatable;
  private final long allowedPods;

  public NodeInfo(Node node) {
    this(node, allocatableOf(node), allowedPodsOf(node));
  }

  /** A node whose allocatable resources were worked out already (the scheduler's cache keeps them per node). */
  public NodeInfo(Node node, Resources allocatable, long allowedPods) {
    this.node = node;
    this.allocatable = allocatable;
    this.allowedPods = allowedPods;
  }

  public NodeInfo(Node node, List<Pod> pods) {
    this(node);
    pods.forEach(this::addPod);
  }

  public void addPod(Pod pod) {
    addPod(pod, Resources.requestedBy(pod), Resources.nonZeroRequestedBy(pod));
  }

  /** Adds a pod whose requests were worked out already (the scheduler's cache keeps them per pod). */
  public void addPod(Pod pod, Resources podRequested, Resources podNonZeroRequested) {
    pods.add(pod);
    OwnerReference controller = OwnerReferences.controllerOf(pod);
    if (controller != null && controller.getUid() != null) {
      podsByController.merge(controller.getUid(), 1, Integer::sum);
    }
    requested = requested.plus(podRequested);
    nonZeroRequested = nonZeroRequested.plus(podNonZeroRequested);
  }

  public Node node() {
    return node;
  }

  public String name() {
    return node.getMetadata().getName();
  }

  public List<Pod> pods() {
    return pods;
  }

  /** How many of the node's pods the controller with this UID owns. */
  public int podsControlledBy(String controllerUid) {
    return podsByController.getOrDefault(controllerUid, 0);
  }

  public Resources requested() {
    return requested;
  }

  /** What the pods request, a container requesting nothing counted at the defaults; for scoring. */
  public Resources nonZeroRequested() {
    return nonZeroRequested;
  }

  /** spec.unschedulable: the node is cordoned. */
  public boolean unschedulable() {
    return node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable());
  }

  /** spec.taints, empty when there are none. */
  public List<Taint> taints() {
    return node.getSpec() == null || node.getSpec().getTaints() == null ? List.of() : node.getSpec().getTaints();
  }

  /** The node's status.allocatable cpu and memory. */
  public Resources allocatable() {
    return allocatable;
  }

  public static Resources allocatableOf(Node node) {
    return node.getStatus() == null ? Resources.NONE : Resources.of(node.getStatus().getAllocatable());
  }

  /** How many pods the node may run (status.allocatable pods); 0 when it says nothing. */
  public long allowedPods() {
    return allowedPods;
  }

  public static long allowedPodsOf(Node node) {
    Map<String, Quantity> allocatable = node.getStatus() == null ? null : node.getStatus().getAllocatable();
    Quantity pods = allocatable == null ? null : allocatable.get("pods");
    return pods == null ? 0 : Resources.value(pods);
  }
}
