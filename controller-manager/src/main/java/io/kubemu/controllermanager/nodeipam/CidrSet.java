package io.kubemu.controllermanager.nodeipam;

import java.util.BitSet;

/**
 * Kubernetes' cidrset: the node-sized subnets of an IPv4 cluster CIDR (e.g. the /24s of a /16),
 * each either free or taken. Allocation goes round the range from where it last stopped, so a
 * subnet just released is not handed out again at once. Thread-safe.
 */
public final class CidrSet {
  /** Kubernetes' limit: the node mask may be at most 16 bits longer than the cluster's. */
  static final int MAX_PREFIX_DIFFERENCE = 16;

  private final long base;
  private final int clusterPrefix;
  private final int nodePrefix;
  private final int size;
  private final BitSet used;
  private int next;

  /** @throws IllegalArgumentException when the CIDR is no IPv4 CIDR or the node mask does not fit it */
  public CidrSet(String clusterCidr, int nodeMaskSize) {
    Cidr cidr = Cidr.parse(clusterCidr);
    if (nodeMaskSize < cidr.prefix() || nodeMaskSize > 32) {
      throw new IllegalArgumentException("--node-cidr-mask-size " + nodeMaskSize + " must be between the cluster CIDR's "
          + "mask size " + cidr.prefix() + " and 32");
    }
    if (nodeMaskSize - cidr.prefix() > MAX_PREFIX_DIFFERENCE) {
      throw new IllegalArgumentException("the node CIDR mask size " + nodeMaskSize + " is more than "
          + MAX_PREFIX_DIFFERENCE + " bits longer than the cluster CIDR's " + cidr.prefix());
    }
    this.base = cidr.address();
    this.clusterPrefix = cidr.prefix();
    this.nodePrefix = nodeMaskSize;
    this.size = 1 << (nodeMaskSize - cidr.prefix());
    this.used = new BitSet(size);
  }

  /** An IPv4 CIDR, its address masked. */
  public record Cidr(long address, int prefix) {
    public static Cidr parse(String text) {
      int slash = text == null ? -1 : text.indexOf('/');
      if (slash < 0) {
        throw new IllegalArgumentException("invalid CIDR address: " + text);
      }
      String[] octets = text.substring(0, slash).split("\\.", -1);
      int prefix;
      try {
        prefix = Integer.parseInt(text.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("invalid CIDR address: " + text);
      }
      if (octets.length != 4 || prefix < 0 || prefix > 32) {
        throw new IllegalArgumentException("invalid CIDR address: " + text + " (only IPv4 CIDRs are supported)");
      }
      long address = 0;
      for (String octet : octets) {
        int value;
        try {
          value = Integer.parseInt(octet);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("invalid CIDR address: " + text);
        }
        if (value < 0 || value > 255 || octet.isEmpty()) {
          throw new IllegalArgumentException("invalid CIDR address: " + text);
        }
        address = (address << 8) | value;
      }
      return new Cidr(address & mask(prefix), prefix);
    }

    static long mask(int prefix) {
      return prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
    }

    @Override
    public String toString() {
      return ((address >> 24) & 255) + "." + ((address >> 16) & 255) + "." + ((address >> 8) & 255) + "."
          + (address & 255) + "/" + prefix;
    }
  }

  /** The next free subnet, now taken. @throws IllegalStateException when none is free */
  public synchronized String allocateNext() {
    for (int i = 0; i < size; i++) {
      int candidate = (next + i) % size;
      if (!used.get(candidate)) {
        used.set(candidate);
        next = (candidate + 1) % size;
        return subnet(candidate).toString();
      }
    }
    throw new IllegalStateException("CIDR allocation failed; there are no remaining CIDRs left to allocate in the "
        + "accepted range");
  }

  private Cidr subnet(int index) {
    return new Cidr(base + ((long) index << (32 - nodePrefix)), nodePrefix);
  }

  /** Marks the subnets a CIDR covers as taken (a node's podCIDR, found on the node). */
  public synchronized void occupy(String cidr) {
    int[] range = indexRange(Cidr.parse(cidr));
    used.set(range[0], range[1] + 1);
  }

  /** Frees the subnets a CIDR covers (its node is gone). */
  public synchronized void release(String cidr) {
    int[] range = indexRange(Cidr.parse(cidr));
    used.clear(range[0], range[1] + 1);
  }

  /**
   * Kubernetes' filterOutServiceRange: the subnets that overlap the Service CIDR (e.g. a
   * {@code --service-cluster-ip-range} inside the cluster CIDR) are never handed out.
   */
  public synchronized void filterOut(String serviceCidr) {
    Cidr service = Cidr.parse(serviceCidr);
    long clusterMask = Cidr.mask(clusterPrefix);
    if (service.prefix() >= clusterPrefix && (service.address() & clusterMask) == base) {
      int[] range = indexRange(service); // inside the cluster CIDR
      used.set(range[0], range[1] + 1);
    } else if (service.prefix() < clusterPrefix && (base & Cidr.mask(service.prefix())) == service.address()) {
      used.set(0, size); // it holds the whole cluster CIDR
    }
  }

  public synchronized boolean isTaken(String cidr) {
    int[] range = indexRange(Cidr.parse(cidr));
    return used.get(range[0], range[1] + 1).cardinality() == range[1] - range[0] + 1;
  }

  public synchronized int free() {
    return size - used.cardinality();
  }

  /** The first and last subnet index a CIDR covers. @throws IllegalArgumentException outside the cluster CIDR */
  private int[] indexRange(Cidr cidr) {
    long clusterMask = Cidr.mask(clusterPrefix);
    if (cidr.prefix() < clusterPrefix || (cidr.address() & clusterMask) != base) {
      throw new IllegalArgumentException("CIDR " + cidr + " is not inside the cluster CIDR " + new Cidr(base, clusterPrefix));
    }
    long first = cidr.address();
    long last = cidr.address() | (~Cidr.mask(cidr.prefix()) & 0xFFFFFFFFL);
    int shift = 32 - nodePrefix;
    return new int[] {(int) ((first - base) >> shift), (int) ((last - base) >> shift)};
  }
}
