package io.kubemu.kubelet.nodelease;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kubemu.component.client.ApiErrors;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's heartbeat, as Kubernetes' nodelease controller: the Lease {@code kube-node-lease/<node>}
 * (holder the node, --node-lease-duration-seconds, owned by the Node so it goes with it) renewed
 * every quarter of its duration. The node lifecycle controller reads renewTime to tell a live node
 * from a dead one; a cheap write, unlike the Node's whole status.
 */
public final class NodeLeaseController {
  public static final String NAMESPACE = "kube-node-lease";
  private static final Logger LOG = LoggerFactory.getLogger(NodeLeaseController.class);

  private final KubernetesClient client;
  private final String nodeName;
  private final int leaseDurationSeconds;
  private final Clock clock;
  private final Supplier<Node> node;
  private Lease latest;

  public NodeLeaseController(KubernetesClient client, String nodeName, int leaseDurationSeconds, Clock clock,
      Supplier<Node> node) {
    this.client = client;
    this.nodeName = nodeName;
    this.leaseDurationSeconds = leaseDurationSeconds;
    this.clock = clock;
    this.node = node;
  }

  /** How often the lease is renewed: a quarter of its duration (kubelet's renewInterval). */
  public static Duration renewInterval(int leaseDurationSeconds) {
    return Duration.ofMillis(leaseDurationSeconds * 1000L / 4);
  }

  /** Creates or renews the lease; false when the apiserver could not be reached (retried next time). */
  public synchronized boolean sync() {
    try {
      if (latest == null) {
        latest = client.leases().inNamespace(NAMESPACE).withName(nodeName).get();
        if (latest == null) {
          latest = client.leases().inNamespace(NAMESPACE).resource(renewed(new LeaseBuilder()
              .withNewMetadata().withName(nodeName).withNamespace(NAMESPACE).endMetadata().build())).create();
          LOG.info("node lease {}/{} created", NAMESPACE, nodeName);
          return true;
        }
      }
      latest = client.leases().inNamespace(NAMESPACE).resource(renewed(latest)).update();
      return true;
    } catch (KubernetesClientException e) {
      LOG.warn("failed to update lease {}/{}: {}", NAMESPACE, nodeName, ApiErrors.message(e));
      latest = null; // a conflict or a lost lease: read it again next time
      return false;
    }
  }

  private Lease renewed(Lease lease) {
    LeaseBuilder builder = new LeaseBuilder(lease).editOrNewSpec()
        .withHolderIdentity(nodeName)
        .withLeaseDurationSeconds(leaseDurationSeconds)
        .withRenewTime(ZonedDateTime.ofInstant(clock.instant().truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC))
        .endSpec();
    Node owner = node.get();
    if (owner != null && owner.getMetadata().getUid() != null) {
      OwnerReference reference = new OwnerReferenceBuilder().withApiVersion("v1").withKind("Node")
          .withName(nodeName).withUid(owner.getMetadata().getUid()).build();
      builder.editMetadata().withOwnerReferences(List.of(reference)).endMetadata();
    }
    return builder.build();
  }
}
