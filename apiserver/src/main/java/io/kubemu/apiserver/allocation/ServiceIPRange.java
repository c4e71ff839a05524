package io.kubemu.apiserver.allocation;

import java.util.OptionalLong;

/**
 * The range ClusterIPs come from ({@code --service-cluster-ip-range}, k3s' 10.43.0.0/16 by
 * default): an IPv4 CIDR without its network and broadcast addresses. Its first address,
 * e.g. 10.43.0.1, belongs to the {@code kubernetes} service.
 */
public record ServiceIPRange(long network, int prefixLength) {
  /** As kube-apiserver: a service range may not be wider than /12. */
  private static final int WIDEST_PREFIX = 12;
  /** A /30 still leaves two usable addresses. */
  private static final int NARROWEST_PREFIX = 30;

  public ServiceIPRange {
    if (prefixLength < WIDEST_PREFIX || prefixLength > NARROWEST_PREFIX) {
      throw new IllegalArgumentException("the service cluster IP range must be between /" + WIDEST_PREFIX + " and /"
          + NARROWEST_PREFIX + ", not /" + prefixLength);
    }
    network = network & mask(prefixLength);
  }

  /** Reads a CIDR such as {@code 10.43.0.0/16}; host bits are ignored as Kubernetes does. */
  public static ServiceIPRange parse(String cidr) {
    String[] parts = cidr.trim().split("/", -1);
    OptionalLong address = parts.length == 2 ? parseAddress(parts[0]) : OptionalLong.empty();
    if (address.isEmpty() || !parts[1].matches("\\d{1,2}")) {
      throw new IllegalArgumentException("\"" + cidr + "\" is not an IPv4 CIDR such as 10.43.0.0/16");
    }
    return new ServiceIPRange(address.getAsLong(), Integer.parseInt(parts[1]));
  }

  /** An IPv4 address in dotted decimal as a number, or empty when it is not one (Go's rules: no leading zeros). */
  public static OptionalLong parseAddress(String text) {
    String[] octets = text.split("\\.", -1);
    if (octets.length != 4) {
      return OptionalLong.empty();
    }
    long address = 0;
    for (String octet : octets) {
      if (!octet.matches("0|[1-9]\\d{0,2}") || Integer.parseInt(octet) > 255) {
        return OptionalLong.empty();
      }
      address = address << 8 | Integer.parseInt(octet);
    }
    return OptionalLong.of(address);
  }

  public static String format(long address) {
    return (address >> 24 & 255) + "." + (address >> 16 & 255) + "." + (address >> 8 & 255) + "." + (address & 255);
  }

  private static long mask(int prefixLength) {
    return 0xFFFF_FFFFL << (32 - prefixLength) & 0xFFFF_FFFFL;
  }

  /** How many addresses can be handed out: all but the network and broadcast addresses. */
  public int size() {
    return (1 << (32 - prefixLength)) - 2;
  }

  /** The number of the first usable address, e.g. 10.43.0.1. */
  public long first() {
    return network + 1;
  }

  public boolean contains(long address) {
    return address >= first() && address < first() + size();
  }

  /** Kubernetes' own way of writing the range in messages, e.g. {@code 10.43.0.0/16}. */
  @Override
  public String toString() {
    return format(network) + "/" + prefixLength;
  }
}
