package io.kubemu.controllermanager.nodeipam;

/**
 * The node IPAM controller's flags, with kube-controller-manager's names.
 *
 * @param allocateNodeCidrs whether Nodes get pod CIDRs at all ({@code --allocate-node-cidrs}, false as in
 *     Kubernetes; {@code kubemu up} turns it on)
 * @param clusterCidr the IPv4 range the pod CIDRs come from ({@code --cluster-cidr}, kubemu's 10.42.0.0/16)
 * @param nodeCidrMaskSize the mask size of a node's pod CIDR ({@code --node-cidr-mask-size}, 24)
 * @param serviceClusterIpRange the Services' CIDR, never handed to Nodes where it overlaps the cluster CIDR
 *     ({@code --service-cluster-ip-range}, empty: none)
 */
public record NodeIpamConfig(boolean allocateNodeCidrs, String clusterCidr, int nodeCidrMaskSize,
    String serviceClusterIpRange) {
  public static final String DEFAULT_CLUSTER_CIDR = "10.42.0.0/16";

  /** @throws IllegalArgumentException for a CIDR or mask size the range allocator cannot use */
  public void validate() {
    if (allocateNodeCidrs) {
      cidrSet();
    }
  }

  /** The allocator's range, with the Service CIDR taken out. */
  public CidrSet cidrSet() {
    CidrSet set = new CidrSet(clusterCidr, nodeCidrMaskSize);
    if (serviceClusterIpRange != null && !serviceClusterIpRange.isEmpty()) {
      try {
        set.filterOut(serviceClusterIpRange);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--service-cluster-ip-range: " + e.getMessage(), e);
      }
    }
    return set;
  }
}
