package io.kubemu.kubelet.network;

import java.util.HashMap;
import java.util.Map;

/**
 * Pod IPs from the node's podCIDR, as the CNI host-local IPAM plugin hands them out under
 * kubenet or flannel: the first address after the network's is the gateway (the node's bridge),
 * pods get the others up to the one before broadcast, round-robin from the last one given, so that
 * an address just freed is not handed out again at once; an address in use is never given twice.
 * IPv4 only. Not persisted: a restarted kubelet {@link #reserve reserves} its pods' addresses again.
 */
public final class HostLocalIpam {
  /** No address left in the range: as host-local's "no IP addresses available in range set". */
  public static final class RangeFullException extends IllegalStateException {
    RangeFullException(String cidr) {
      super("failed to allocate for range 0: no IP addresses available in range set: " + cidr);
    }
  }

  private final String cidr;
  private final long first;
  private final long last;
  private final Map<Long, String> owners = new HashMap<>();
  private final Map<String, Long> byPod = new HashMap<>();
  private long lastAllocated;

  /** @param cidr the node's spec.podCIDR, e.g. {@code 10.42.1.0/24} */
  public HostLocalIpam(String cidr) {
    String[] parts = cidr.trim().split("/");
    if (parts.length != 2) {
      throw new IllegalArgumentException("podCIDR '" + cidr + "' is not an IPv4 CIDR like 10.42.1.0/24");
    }
    int prefix;
    try {
      prefix = Integer.parseInt(parts[1]);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("podCIDR '" + cidr + "' has no prefix length");
    }
    if (prefix < 8 || prefix > 29) {
      throw new IllegalArgumentException("podCIDR '" + cidr + "': the prefix must be between /8 and /29");
    }
    long size = 1L << (32 - prefix);
    long network = toLong(parts[0]) & ~(size - 1);
    this.cidr = fromLong(network) + "/" + prefix;
    this.first = network + 2; // network + 1 is the gateway
    this.last = network + size - 2; // network + size - 1 is the broadcast address
    this.lastAllocated = last;
  }

  public String cidr() {
    return cidr;
  }

  /** The gateway: the range's first address, which pods never get. */
  public String gateway() {
    return fromLong(first - 1);
  }

  /** The pod's address: the one it has, or the next free one after the last given. */
  public synchronized String allocate(String podUid) {
    Long held = byPod.get(podUid);
    if (held != null) {
      return fromLong(held);
    }
    long size = last - first + 1;
    for (long step = 1; step <= size; step++) {
      long candidate = first + (lastAllocated - first + step) % size;
      if (!owners.containsKey(candidate)) {
        owners.put(candidate, podUid);
        byPod.put(podUid, candidate);
        lastAllocated = candidate;
        return fromLong(candidate);
      }
    }
    throw new RangeFullException(cidr);
  }

  /** Marks an address as the pod's (a pod this node already ran); false if outside the range or someone else's. */
  public synchronized boolean reserve(String ip, String podUid) {
    long address;
    try {
      address = toLong(ip);
    } catch (IllegalArgumentException e) {
      return false;
    }
    if (address < first || address > last) {
      return false;
    }
    String owner = owners.get(address);
    if (owner != null) {
      return owner.equals(podUid);
    }
    Long held = byPod.remove(podUid);
    if (held != null) {
      owners.remove(held);
    }
    owners.put(address, podUid);
    byPod.put(podUid, address);
    return true;
  }

  /** Frees the pod's address, if it had one. */
  public synchronized void release(String podUid) {
    Long held = byPod.remove(podUid);
    if (held != null) {
      owners.remove(held);
    }
  }

  public synchronized int allocated() {
    return owners.size();
  }

  static long toLong(String ip) {
    String[] octets = ip.trim().split("\\.");
    if (octets.length != 4) {
      throw new IllegalArgumentException("'" + ip + "' is not an IPv4 address");
    }
    long value = 0;
    for (String octet : octets) {
      int part;
      try {
        part = Integer.parseInt(octet);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + ip + "' is not an IPv4 address");
      }
      if (part < 0 || part > 255) {
        throw new IllegalArgumentException("'" + ip + "' is not an IPv4 address");
      }
      value = value << 8 | part;
    }
    return value;
  }

  static String fromLong(long value) {
    return (value >> 24 & 255) + "." + (value >> 16 & 255) + "." + (value >> 8 & 255) + "." + (value & 255);
  }
}
