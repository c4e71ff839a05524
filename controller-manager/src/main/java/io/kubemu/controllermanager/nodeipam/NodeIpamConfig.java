package io.kubemu.controllermanager.nodeipam;

/**
 * The node IPAM controller's flags, with kube-controller-manager's names.
 *
 * @param allocateNodeCidrs whether Nodes get pod CIDRs at all ({@code --allocate-node-cidrs}, false as in
 *     Kubernetes; {@code kubemu up} turns it on)
 * @param clusterCidr the IPv4 range the pod CIDRs come from ({@code --cluster-cidr}, kubemu's 10.42.0.0/16)
 * @param nodeCidrMaskSize the mask size of a node's pod CIDR ({@code --node-cidr-mask-size}, 24)
 */
public record NodeIpamConfig(boolean allocateNodeCidrs, String clusterCidr, int nodeCidrMaskSize) {
  public static final String DEFAULT_CLUSTER_CIDR = "10.42.0.0/16";

  /** @throws IllegalArgumentException for a CIDR or mask size the range allocator cannot use */
  public void validate() {
    if (allocateNodeCidrs) {
      new CidrSet(clusterCidr, nodeCidrMaskSize);
    }
  }
}
