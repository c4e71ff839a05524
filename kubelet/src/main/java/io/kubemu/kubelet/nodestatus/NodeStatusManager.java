package io.kubemu.kubelet.nodestatus;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.kubemu.component.client.ApiErrors;
import io.kubemu.component.client.Patches;
import io.kubemu.kubelet.runtime.Image;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet's side of its Node (kubelet_node_status.go): registers it (or, when it exists from an
 * earlier run, brings its labels up to date instead), then keeps its status current: every
 * --node-status-update-frequency it computes the status and writes it when it changed, and at
 * least every --node-status-report-frequency even when not. The Lease is the frequent heartbeat.
 */
public final class NodeStatusManager {
  private static final Logger LOG = LoggerFactory.getLogger(NodeStatusManager.class);
  private static final String ATTACH_DETACH_ANNOTATION = "volumes.kubernetes.io/controller-managed-attach-detach";

  private final KubernetesClient client;
  private final NodeConfig config;
  private final MachineInfo machine;
  private final Duration reportFrequency;
  private final Clock clock;
  private final Supplier<Node> cachedNode;
  private Instant lastReported = Instant.MIN;
  private volatile Supplier<List<Image>> images = () -> null;

  /** @param cachedNode the Node as the kubelet's informer last saw it (null: not seen yet) */
  public NodeStatusManager(KubernetesClient client, NodeConfig config, MachineInfo machine, Duration reportFrequency,
      Clock clock, Supplier<Node> cachedNode) {
    this.client = client;
    this.config = config;
    this.machine = machine;
    this.reportFrequency = reportFrequency;
    this.clock = clock;
    this.cachedNode = cachedNode;
  }

  /** Where the node's images come from (the runtime's image service); without it, none are reported. */
  public void setImages(Supplier<List<Image>> images) {
    this.images = images;
  }

  private List<Image> images() {
    try {
      return images.get();
    } catch (RuntimeException e) {
      return null; // the runtime did not answer: the images reported last stay
    }
  }

  /** The Node this kubelet registers: labels, taints, and its first status. */
  public Node initialNode() {
    Map<String, String> labels = new LinkedHashMap<>(config.labels());
    labels.putAll(NodeStatusSetters.defaultLabels(config, machine));
    return new NodeBuilder()
        .withNewMetadata().withName(config.nodeName()).withLabels(labels)
        .addToAnnotations(ATTACH_DETACH_ANNOTATION, "true").endMetadata()
        .withNewSpec().withTaints(config.taints().isEmpty() ? null : config.taints()).endSpec()
        .withStatus(NodeStatusSetters.nodeStatus(null, config, machine, clock.instant()))
        .build();
  }

  /**
   * Creates the Node; if it exists (this node ran before), reconciles the labels the kubelet owns
   * instead, as kubelet's tryRegisterWithAPIServer does. Returns the Node as stored.
   */
  public Node register() {
    Node node = initialNode();
    try {
      Node created = client.nodes().resource(node).create();
      LOG.info("Successfully registered node {}", config.nodeName());
      return created;
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
    Node existing = client.nodes().withName(config.nodeName()).get();
    if (existing == null) {
      throw new KubernetesClientException("node " + config.nodeName() + " exists and does not: retrying");
    }
    Map<String, Object> labels = new LinkedHashMap<>(node.getMetadata().getLabels());
    Map<String, String> current = existing.getMetadata().getLabels() == null ? Map.of()
        : existing.getMetadata().getLabels();
    labels.entrySet().removeIf(label -> label.getValue().equals(current.get(label.getKey())));
    if (!labels.isEmpty()) {
      existing = Patches.patch(client, Node.class, null, config.nodeName(), null, PatchType.JSON_MERGE,
          Serialization.asJson(Map.of("metadata", Map.of("labels", labels))));
    }
    LOG.info("node {} was already registered: reconciled it", config.nodeName());
    return existing;
  }

  /** One round of kubelet's syncNodeStatus: writes the status if it changed or is due; true when written. */
  public boolean syncNodeStatus() {
    Node node = cachedNode.get();
    if (node == null) {
      node = client.nodes().withName(config.nodeName()).get();
      if (node == null) {
        LOG.warn("node {} not found: its status cannot be updated", config.nodeName());
        return false;
      }
    }
    Instant now = clock.instant();
    NodeStatus updated = NodeStatusSetters.nodeStatus(node.getStatus(), config, machine, now, images());
    boolean due = !now.isBefore(lastReported.plus(reportFrequency));
    if (!due && !NodeStatusSetters.changed(node.getStatus(), updated)) {
      return false;
    }
    try {
      Patches.send(client, Node.class, null, config.nodeName(), "status", PatchType.JSON_MERGE,
          Serialization.asJson(Map.of("status", updated)));
      lastReported = now;
      return true;
    } catch (KubernetesClientException e) {
      LOG.warn("Error updating node status, will retry: {}", ApiErrors.message(e));
      return false;
    }
  }
}
