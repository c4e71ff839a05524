package io.kubemu.controllermanager.nodeipam;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kubemu.component.client.Patches;
import io.kubemu.component.events.EventRecorder;
import io.kubemu.component.workqueue.WorkQueue;
import io.kubemu.component.workqueue.Workers;
import io.kubemu.controllermanager.Controller;
import io.kubemu.controllermanager.ControllerContext;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes' node IPAM controller with its range allocator: every Node without a pod CIDR gets
 * the next free one of {@code --cluster-cidr} ({@code spec.podCIDR} and {@code spec.podCIDRs}),
 * sized {@code --node-cidr-mask-size}. What the Nodes hold is taken before anything is handed
 * out, so a restarted controller-manager never gives a CIDR twice; a deleted Node's CIDR is free
 * again. When none is left, the Node gets a CIDRNotAvailable event and is retried with backoff.
 * With {@code --allocate-node-cidrs=false} (Kubernetes' default) the controller does nothing.
 * Keys are Node names.
 */
public final class NodeIpamController implements Controller {
  static final String COMPONENT = "cidrAllocator";
  /** Kubernetes' cidrUpdateWorkers. */
  static final int WORKERS = 30;
  private static final Logger LOG = LoggerFactory.getLogger(NodeIpamController.class);

  private final KubernetesClient client;
  private final boolean enabled;
  private final CidrSet cidrs;
  private final SharedIndexInformer<Node> nodes;
  private final EventRecorder events;
  /** Pod CIDRs patched onto Nodes (by uid) that the informer has not brought back yet. */
  private final Map<String, String> assigned = new ConcurrentHashMap<>();
  private final WorkQueue<String> queue = new WorkQueue<>("cidrallocator_node");
  private final Workers<String> workers = new Workers<>(queue, WORKERS, this::syncNode);

  public NodeIpamController(ControllerContext context) {
    this.client = context.client();
    NodeIpamConfig config = context.config().nodeIpam();
    this.enabled = config.allocateNodeCidrs();
    this.cidrs = enabled ? config.cidrSet() : null;
    this.nodes = context.informers().informerFor(Node.class);
    this.events = new EventRecorder(client, COMPONENT, Clock.systemUTC());
    if (!enabled) {
      LOG.info("node-ipam-controller does not allocate pod CIDRs: --allocate-node-cidrs is false");
      return;
    }
    nodes.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Node node) {
        queue.add(node.getMetadata().getName());
      }

      @Override
      public void onUpdate(Node old, Node node) {
        queue.add(node.getMetadata().getName());
      }

      @Override
      public void onDelete(Node node, boolean finalStateUnknown) {
        String inFlight = assigned.remove(node.getMetadata().getUid());
        if (inFlight != null && podCidrs(node).isEmpty()) {
          cidrs.release(inFlight);
        }
        release(node);
        queue.add(node.getMetadata().getName());
      }
    });
  }

  @Override
  public void run() {
    if (!enabled) {
      return;
    }
    for (Node node : nodes.getStore().list()) {
      occupy(node); // before the first allocation: what the Nodes hold stays theirs
    }
    workers.start();
  }

  @Override
  public void close() {
    workers.close();
  }

  private static List<String> podCidrs(Node node) {
    if (node.getSpec() == null) {
      return List.of();
    }
    List<String> cidrs = node.getSpec().getPodCIDRs();
    if (cidrs != null && !cidrs.isEmpty()) {
      return cidrs;
    }
    String cidr = node.getSpec().getPodCIDR();
    return cidr == null || cidr.isEmpty() ? List.of() : List.of(cidr);
  }

  private void occupy(Node node) {
    List<String> held = podCidrs(node);
    if (!held.isEmpty()) {
      try {
        cidrs.occupy(held.get(0)); // the IPv4 one: this allocator is single-stack
      } catch (IllegalArgumentException e) {
        LOG.warn("node {} holds pod CIDR {} that is not this allocator's: {}", node.getMetadata().getName(),
            held.get(0), e.getMessage());
      }
    }
  }

  private void release(Node node) {
    List<String> held = podCidrs(node);
    if (!held.isEmpty()) {
      try {
        cidrs.release(held.get(0));
        LOG.info("released pod CIDR {} of deleted node {}", held.get(0), node.getMetadata().getName());
      } catch (IllegalArgumentException e) {
        LOG.warn("node {}: {}", node.getMetadata().getName(), e.getMessage());
      }
    }
  }

  void syncNode(String name) {
    Node node = nodes.getIndexer().getByKey(name);
    if (node == null) {
      return; // deleted: its CIDR was released by the delete handler
    }
    if (node.getMetadata().getDeletionTimestamp() != null) {
      release(node);
      return;
    }
    if (!podCidrs(node).isEmpty()) {
      assigned.remove(node.getMetadata().getUid());
      occupy(node);
      return;
    }
    if (assigned.containsKey(node.getMetadata().getUid())) {
      return; // patched already: the informer brings the Node with its CIDR
    }
    String cidr;
    try {
      cidr = cidrs.allocateNext();
    } catch (IllegalStateException e) {
      if (queue.numRequeues(name) == 0) { // once per run of failures, not at every retry
        events.warning(node, "CIDRNotAvailable", "Node " + name + " status is now: CIDRNotAvailable");
      }
      throw new IllegalStateException("failed to allocate cidr from cluster cidr at idx:0: " + e.getMessage(), e);
    }
    Map<String, Object> patch = Map.of("spec", Map.of("podCIDR", cidr, "podCIDRs", List.of(cidr)));
    try {
      Patches.send(client, Node.class, null, name, null, PatchType.JSON_MERGE,
          client.getKubernetesSerialization().asJson(patch));
      assigned.put(node.getMetadata().getUid(), cidr);
      LOG.info("Set node {} PodCIDR to [{}]", name, cidr);
    } catch (KubernetesClientException e) {
      cidrs.release(cidr);
      if (e.getCode() == 404) {
        return;
      }
      events.warning(node, "CIDRAssignmentFailed", "Node " + name + " status is now: CIDRAssignmentFailed");
      throw e;
    }
  }
}
