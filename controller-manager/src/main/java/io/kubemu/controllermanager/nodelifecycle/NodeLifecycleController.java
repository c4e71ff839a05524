package io.kubemu.controllermanager.nodelifecycle;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kubemu.component.client.ApiErrors;
import io.kubemu.component.client.Patches;
import io.kubemu.component.events.EventRecorder;
import io.kubemu.component.workqueue.WorkQueue;
import io.kubemu.component.workqueue.Workers;
import io.kubemu.controllermanager.Controller;
import io.kubemu.controllermanager.ControllerContext;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes' node lifecycle controller. Every {@code --node-monitor-period} it looks at each
 * Node's heartbeats ({@link NodeHealth}): a Node silent past its grace period gets its conditions
 * set to Unknown ("Kubelet stopped posting node status."), a NodeNotReady event, and its pods
 * Ready=False (MarkPodsNotReady). Not-ready Nodes are tainted {@code not-ready:NoExecute} or
 * {@code unreachable:NoExecute} for the taint eviction controller, at {@code --node-eviction-rate}
 * Nodes a second per zone (slower or not at all while a zone is disrupted, none while every zone
 * is); Ready Nodes lose those taints. On every Node change the NoSchedule taints follow its
 * conditions (TaintNodesByCondition). New and removed Nodes are recorded as RegisteredNode and
 * RemovingNode events.
 */
public final class NodeLifecycleController implements Controller {
  static final String COMPONENT = "node-controller";
  static final String NODE_LEASE_NAMESPACE = "kube-node-lease";
  /** Kubernetes' NodeEvictionPeriod: how often the tainting queues are worked. */
  static final long TAINTING_PASS_MILLIS = 100;
  /** Kubernetes' nodeUpdateWorkerSize. */
  static final int NO_SCHEDULE_WORKERS = 8;
  private static final int TAINT_RETRIES = 5;
  private static final Logger LOG = LoggerFactory.getLogger(NodeLifecycleController.class);

  private final KubernetesClient client;
  private final NodeLifecycleConfig config;
  private final SharedIndexInformer<Node> nodes;
  private final SharedIndexInformer<Pod> pods;
  private final SharedIndexInformer<Lease> leases;
  private final EventRecorder events;
  private final Clock clock = Clock.systemUTC();
  private final NodeHealth health = new NodeHealth();
  /** Nodes seen by the last monitor pass, by name. */
  private final Map<String, Node> known = new HashMap<>();
  private final Map<String, Zones.State> zoneStates = new HashMap<>();
  private final Map<String, TokenBucket> zoneLimiters = new HashMap<>();
  /** Per zone: Nodes waiting for their NoExecute taint, in order. */
  private final Map<String, LinkedHashSet<String>> taintQueues = new HashMap<>();
  /** Nodes asked to be tainted since they were last reachable (Kubernetes' UniqueQueue set). */
  private final Set<String> taintRequested = new HashSet<>();
  private final WorkQueue<String> noScheduleQueue = new WorkQueue<>("node_lifecycle_controller");
  private final Workers<String> noScheduleWorkers;
  private ScheduledExecutorService loops;

  public NodeLifecycleController(ControllerContext context) {
    this.client = context.client();
    this.config = context.config().nodeLifecycle();
    this.nodes = context.informers().informerFor(Node.class);
    this.pods = context.informers().informerFor(Pod.class);
    this.leases = context.informers().informerFor(Lease.class);
    this.events = new EventRecorder(client, COMPONENT, clock);
    this.noScheduleWorkers = new Workers<>(noScheduleQueue, NO_SCHEDULE_WORKERS, this::doNoScheduleTaintingPass);
    nodes.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Node node) {
        noScheduleQueue.add(node.getMetadata().getName());
      }

      @Override
      public void onUpdate(Node old, Node node) {
        noScheduleQueue.add(node.getMetadata().getName());
      }

      @Override
      public void onDelete(Node node, boolean finalStateUnknown) {}
    });
  }

  @Override
  public synchronized void run() {
    noScheduleWorkers.start();
    loops = Executors.newScheduledThreadPool(2, runnable -> {
      Thread thread = new Thread(runnable, "node-lifecycle");
      thread.setDaemon(true);
      return thread;
    });
    long period = config.nodeMonitorPeriod().toMillis();
    loops.scheduleWithFixedDelay(guarded("monitorNodeHealth", this::monitorNodeHealth), 0, period,
        TimeUnit.MILLISECONDS);
    loops.scheduleWithFixedDelay(guarded("doNoExecuteTaintingPass", this::doNoExecuteTaintingPass),
        TAINTING_PASS_MILLIS, TAINTING_PASS_MILLIS, TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void close() {
    if (loops != null) {
      loops.shutdownNow();
    }
    noScheduleWorkers.close();
  }

  private static Runnable guarded(String name, Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        LOG.warn("{} failed: {}", name, ApiErrors.message(e));
        LOG.debug("{} failed", name, e);
      }
    };
  }

  // --- health ---

  /** Kubernetes' monitorNodeHealth: one pass over every Node. */
  void monitorNodeHealth() {
    Instant now = clock.instant();
    List<Node> all = nodes.getStore().list();
    Map<String, Node> current = new HashMap<>();
    all.forEach(node -> current.put(node.getMetadata().getName(), node));
    synchronized (this) {
      for (Node node : all) {
        if (!known.containsKey(node.getMetadata().getName())) {
          String name = node.getMetadata().getName();
          LOG.info("Controller observed a new Node: {}", name);
          events.normal(node, "RegisteredNode", "Node " + name + " event: Registered Node " + name + " in Controller");
        }
      }
      for (Map.Entry<String, Node> entry : new ArrayList<>(known.entrySet())) {
        if (!current.containsKey(entry.getKey())) {
          String name = entry.getKey();
          LOG.info("Controller observed a Node deletion: {}", name);
          events.normal(entry.getValue(), "RemovingNode", "Node " + name + " event: Removing Node " + name
              + " from Controller");
          health.forget(name);
          taintRequested.remove(name);
          taintQueues.values().forEach(queue -> queue.remove(name));
        }
      }
      known.clear();
      known.putAll(current);
    }
    Map<String, int[]> zoneCounts = new HashMap<>();
    for (Node node : all) {
      String name = node.getMetadata().getName();
      Lease lease = leases.getIndexer().getByKey(NODE_LEASE_NAMESPACE + "/" + name);
      NodeHealth.Result result = health.observe(node, lease, now, config.nodeMonitorGracePeriod(),
          config.nodeStartupGracePeriod());
      Node seen = node;
      if (result.changed()) {
        try {
          seen = writeConditions(node, result.conditions());
          health.wroteUnknown(name, result.currentReady(), now);
        } catch (KubernetesClientException e) {
          LOG.warn("Error updating node {}: {}", name, ApiErrors.message(e));
          continue;
        }
      }
      NodeCondition ready = result.currentReady();
      int[] counts = zoneCounts.computeIfAbsent(Zones.key(node), ignored -> new int[2]);
      if (ready != null && "True".equals(ready.getStatus())) {
        counts[0]++;
      } else {
        counts[1]++;
      }
      if (ready == null) {
        continue;
      }
      processTaintBaseEviction(seen, result.observedStatus());
      if (!"True".equals(ready.getStatus())) {
        if ("True".equals(result.observedStatus())) {
          LOG.info("Node {} is NotReady", name);
          events.normal(node, "NodeNotReady", "Node " + name + " status is now: NodeNotReady");
        }
        markPodsNotReady(name);
      }
    }
    handleDisruption(zoneCounts, all, now);
  }

  /** Writes the Node's conditions through the status subresource. */
  private Node writeConditions(Node node, List<NodeCondition> conditions) {
    Node updated = new NodeBuilder(node).editOrNewStatus().withConditions(conditions).endStatus().build();
    return client.nodes().resource(updated).updateStatus();
  }

  /** Kubernetes' MarkPodsNotReady: the Node's pods are not ready while it is not. */
  private void markPodsNotReady(String nodeName) {
    String now = NodeHealth.format(clock.instant());
    for (Pod pod : pods.getStore().list()) {
      if (pod.getSpec() == null || !nodeName.equals(pod.getSpec().getNodeName()) || pod.getStatus() == null
          || pod.getStatus().getConditions() == null) {
        continue;
      }
      PodCondition ready = pod.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType()))
          .findFirst().orElse(null);
      if (ready == null || "False".equals(ready.getStatus())) {
        continue;
      }
      Pod updated = new PodBuilder(pod).build();
      updated.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType())).forEach(c -> {
        c.setStatus("False");
        c.setLastTransitionTime(now);
      });
      try {
        client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(updated).updateStatus();
        LOG.info("Updating ready status of pod {}/{} to false", pod.getMetadata().getNamespace(),
            pod.getMetadata().getName());
        events.warning(pod, "NodeNotReady", "Node is not ready");
      } catch (KubernetesClientException e) {
        if (e.getCode() != 404) {
          LOG.info("Failed to update status for pod {}/{}: {}", pod.getMetadata().getNamespace(),
              pod.getMetadata().getName(), ApiErrors.message(e)); // the next pass tries again
        }
      }
    }
  }

  // --- NoExecute taints ---

  /** Kubernetes' processTaintBaseEviction, from the Ready status read off the Node. */
  private void processTaintBaseEviction(Node node, String observedStatus) {
    String name = node.getMetadata().getName();
    switch (observedStatus) {
      case "False" -> {
        if (NodeTaints.has(node, NodeTaints.UNREACHABLE, NodeTaints.NO_EXECUTE)) {
          swap(name, NodeTaints.NOT_READY, NodeTaints.UNREACHABLE);
        } else {
          markForTainting(node);
        }
      }
      case "Unknown" -> {
        if (NodeTaints.has(node, NodeTaints.NOT_READY, NodeTaints.NO_EXECUTE)) {
          swap(name, NodeTaints.UNREACHABLE, NodeTaints.NOT_READY);
        } else {
          markForTainting(node);
        }
      }
      case "True" -> markReachable(node);
      default -> { }
    }
  }

  private synchronized void markForTainting(Node node) {
    String name = node.getMetadata().getName();
    if (taintRequested.add(name)) {
      taintQueues.computeIfAbsent(Zones.key(node), ignored -> new LinkedHashSet<>()).add(name);
    }
  }

  /** Kubernetes' markNodeAsReachable: no NoExecute taints of ours, and out of the tainting queue. */
  private void markReachable(Node node) {
    String name = node.getMetadata().getName();
    synchronized (this) {
      taintRequested.remove(name);
      taintQueues.values().forEach(queue -> queue.remove(name));
    }
    if (NodeTaints.has(node, NodeTaints.NOT_READY, NodeTaints.NO_EXECUTE)
        || NodeTaints.has(node, NodeTaints.UNREACHABLE, NodeTaints.NO_EXECUTE)) {
      updateTaints(name, List.of(), List.of(NodeTaints.taint(NodeTaints.NOT_READY, NodeTaints.NO_EXECUTE),
          NodeTaints.taint(NodeTaints.UNREACHABLE, NodeTaints.NO_EXECUTE)));
    }
  }

  private boolean swap(String name, String add, String remove) {
    Taint taint = new TaintBuilder().withKey(add).withEffect(NodeTaints.NO_EXECUTE)
        .withTimeAdded(NodeHealth.format(clock.instant())).build();
    return updateTaints(name, List.of(taint), List.of(NodeTaints.taint(remove, NodeTaints.NO_EXECUTE)));
  }

  /** Kubernetes' doNoExecuteTaintingPass: each zone's queue, as fast as its rate allows. */
  void doNoExecuteTaintingPass() {
    List<Map.Entry<String, String>> due = new ArrayList<>();
    long nanos = System.nanoTime();
    synchronized (this) {
      for (Map.Entry<String, LinkedHashSet<String>> entry : taintQueues.entrySet()) {
        TokenBucket limiter = zoneLimiters.computeIfAbsent(entry.getKey(),
            ignored -> new TokenBucket(config.nodeEvictionRate(), nanos));
        while (!entry.getValue().isEmpty() && limiter.tryAccept(nanos)) {
          String name = entry.getValue().iterator().next();
          entry.getValue().remove(name);
          due.add(Map.entry(entry.getKey(), name));
        }
      }
    }
    for (Map.Entry<String, String> item : due) {
      String name = item.getValue();
      Node node = nodes.getIndexer().getByKey(name);
      NodeCondition ready = node == null ? null : NodeHealth.condition(node, "Ready");
      if (ready == null) {
        continue;
      }
      boolean done = switch (ready.getStatus()) {
        case "False" -> swap(name, NodeTaints.NOT_READY, NodeTaints.UNREACHABLE);
        case "Unknown" -> swap(name, NodeTaints.UNREACHABLE, NodeTaints.NOT_READY);
        default -> true; // ready again: nothing to taint
      };
      if (!done) {
        synchronized (this) {
          if (taintRequested.contains(name)) {
            taintQueues.computeIfAbsent(item.getKey(), ignored -> new LinkedHashSet<>()).add(name);
          }
        }
      }
    }
  }

  /** Kubernetes' handleDisruption: zone states set the zones' tainting rates. */
  private void handleDisruption(Map<String, int[]> zoneCounts, List<Node> all, Instant now) {
    Map<String, Zones.State> states = new HashMap<>();
    zoneCounts.forEach((zone, counts) -> states.put(zone,
        Zones.state(counts[0], counts[1], config.unhealthyZoneThreshold())));
    boolean allAre = !states.isEmpty() && states.values().stream().allMatch(s -> s == Zones.State.FULL_DISRUPTION);
    boolean allWere;
    synchronized (this) {
      allWere = !zoneStates.isEmpty()
          && zoneStates.values().stream().allMatch(s -> s == Zones.State.FULL_DISRUPTION);
    }
    long nanos = System.nanoTime();
    if (allAre && !allWere) {
      LOG.info("Controller detected that all Nodes are not-Ready. Entering master disruption mode.");
      for (Node node : all) {
        markReachable(node);
      }
      synchronized (this) {
        states.keySet().forEach(zone -> limiter(zone, nanos).setRate(0, nanos));
        zoneStates.clear();
        zoneStates.putAll(states);
      }
      return;
    }
    if (allWere && !allAre) {
      LOG.info("Controller detected that some Nodes are Ready. Exiting master disruption mode.");
      health.resetProbes(now);
    }
    synchronized (this) {
      for (Map.Entry<String, Zones.State> entry : states.entrySet()) {
        String zone = entry.getKey();
        if (allAre) {
          limiter(zone, nanos).setRate(0, nanos);
        } else if (allWere || entry.getValue() != zoneStates.get(zone)) {
          if (entry.getValue() != zoneStates.get(zone) && zoneStates.containsKey(zone)) {
            LOG.info("Controller detected that zone {} is now in state {}", zone, entry.getValue());
          }
          limiter(zone, nanos).setRate(Zones.rate(entry.getValue(), zoneCounts.get(zone)[0] + zoneCounts.get(zone)[1],
              config.nodeEvictionRate(), config.secondaryNodeEvictionRate(), config.largeClusterSizeThreshold()), nanos);
        }
      }
      zoneStates.clear();
      zoneStates.putAll(states);
    }
  }

  private TokenBucket limiter(String zone, long nanos) {
    return zoneLimiters.computeIfAbsent(zone, ignored -> new TokenBucket(config.nodeEvictionRate(), nanos));
  }

  // --- NoSchedule taints ---

  /** Kubernetes' doNoScheduleTaintingPass for one Node. */
  void doNoScheduleTaintingPass(String name) {
    Node node = nodes.getIndexer().getByKey(name);
    if (node == null) {
      return;
    }
    List<Taint> wanted = NodeTaints.wantedNoSchedule(node);
    List<Taint> add = NodeTaints.missing(node, wanted);
    List<Taint> remove = NodeTaints.unwantedNoSchedule(node, wanted);
    if (add.isEmpty() && remove.isEmpty()) {
      return;
    }
    if (!updateTaints(name, add, remove)) {
      throw new IllegalStateException("failed to update the NoSchedule taints of node " + name);
    }
  }

  /**
   * Adds and removes taints on the Node as read from the apiserver, guarded by its
   * resourceVersion and retried on conflicts; a taint already there (same key and effect) is kept
   * as it is. False when the Node could not be written.
   */
  private boolean updateTaints(String name, List<Taint> add, List<Taint> remove) {
    for (int attempt = 0; attempt < TAINT_RETRIES; attempt++) {
      Node node;
      try {
        node = client.nodes().withName(name).get();
      } catch (KubernetesClientException e) {
        LOG.warn("could not read node {}: {}", name, ApiErrors.message(e));
        return false;
      }
      if (node == null) {
        return true; // gone: nothing to taint
      }
      List<Taint> taints = NodeTaints.taints(node);
      List<Taint> adding = add.stream().filter(t -> !NodeTaints.has(node, t.getKey(), t.getEffect())).toList();
      List<Taint> removing = remove.stream().filter(t -> NodeTaints.has(node, t.getKey(), t.getEffect())).toList();
      if (adding.isEmpty() && removing.isEmpty()) {
        return true;
      }
      List<Taint> updated = NodeTaints.apply(taints, adding, removing);
      Map<String, Object> patch = Map.of(
          "metadata", Map.of("resourceVersion", node.getMetadata().getResourceVersion()),
          "spec", Map.of("taints", updated));
      try {
        Patches.send(client, Node.class, null, name, null, PatchType.JSON_MERGE,
            client.getKubernetesSerialization().asJson(patch));
        LOG.info("Node {}: added taints {}, removed taints {}", name, keys(adding), keys(removing));
        return true;
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404) {
          return true;
        }
        if (e.getCode() != 409) {
          LOG.warn("could not update the taints of node {}: {}", name, ApiErrors.message(e));
          return false;
        }
      }
    }
    return false;
  }

  private static List<String> keys(List<Taint> taints) {
    return taints.stream().map(t -> t.getKey() + ":" + t.getEffect()).toList();
  }
}
