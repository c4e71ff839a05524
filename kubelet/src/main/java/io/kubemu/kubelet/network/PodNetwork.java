package io.kubemu.kubelet.network;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's pod network, as the kubelet's network plugin sees it (kubenet's role): not ready until
 * the controller-manager's node IPAM gives the Node a spec.podCIDR; then pods get addresses from
 * it through {@link HostLocalIpam}. Until then pods wait in ContainerCreating, as they do on a
 * node whose network is not ready.
 */
public final class PodNetwork {
  private static final Logger LOG = LoggerFactory.getLogger(PodNetwork.class);

  private volatile HostLocalIpam ipam;

  /** The Node's spec.podCIDR as last seen (null: none yet); a changed CIDR starts a new range. */
  public synchronized boolean setPodCIDR(String podCIDR) {
    if (podCIDR == null || podCIDR.isBlank() || (ipam != null && ipam.cidr().equals(podCIDR.trim()))) {
      return false;
    }
    try {
      HostLocalIpam range = new HostLocalIpam(podCIDR);
      if (ipam != null && ipam.cidr().equals(range.cidr())) {
        return false;
      }
      ipam = range;
      LOG.info("pod CIDR {}: pod network ready, gateway {}", range.cidr(), range.gateway());
      return true;
    } catch (IllegalArgumentException e) {
      LOG.error("the Node's spec.podCIDR is unusable: {}", e.getMessage());
      return false;
    }
  }

  public boolean ready() {
    return ipam != null;
  }

  /** Why pods cannot start yet, as kubelet's network-not-ready message; null when ready. */
  public String notReadyMessage() {
    return ipam != null ? null
        : "network is not ready: container runtime network not ready: NetworkReady=false "
            + "reason:NetworkPluginNotReady message:the node has no spec.podCIDR yet";
  }

  public String allocate(String podUid) {
    HostLocalIpam range = ipam;
    if (range == null) {
      throw new IllegalStateException(notReadyMessage());
    }
    return range.allocate(podUid);
  }

  /** Keeps the address a pod already has (a kubelet restart); false when it is not in the range. */
  public boolean reserve(String ip, String podUid) {
    HostLocalIpam range = ipam;
    return range != null && range.reserve(ip, podUid);
  }

  public void release(String podUid) {
    HostLocalIpam range = ipam;
    if (range != null) {
      range.release(podUid);
    }
  }
}
