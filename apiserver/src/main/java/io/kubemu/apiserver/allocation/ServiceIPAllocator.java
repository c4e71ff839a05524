package io.kubemu.apiserver.allocation;

import java.security.SecureRandom;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Random;

/**
 * Hands out ClusterIPs from the service range, each to one Service at a time, as
 * kube-apiserver's ipallocator: at random for a Service that asks for none, or exactly the
 * address a Service names, if it is in the range and free.
 */
public final class ServiceIPAllocator {
  private final ServiceIPRange range;
  private final AllocationBitmap bitmap;

  public ServiceIPAllocator(ServiceIPRange range) {
    this(range, new SecureRandom());
  }

  ServiceIPAllocator(ServiceIPRange range, Random random) {
    this.range = range;
    // Kubernetes' static band for IPs: min(max(16, cidr size / 16), 256) addresses.
    long cidrSize = range.size() + 2L;
    this.bitmap = new AllocationBitmap(range.size(), AllocationBitmap.staticBand(cidrSize, 16, 16, 256), random);
  }

  public ServiceIPRange range() {
    return range;
  }

  /** Takes the address {@code ip}. */
  public void allocate(String ip) {
    long address = addressInRange(ip);
    if (!bitmap.allocate(slot(address))) {
      throw new AllocationException(AllocationException.Reason.ALREADY_ALLOCATED, "provided IP is already allocated");
    }
  }

  /** Takes a free address picked at random. */
  public String allocateNext() {
    OptionalInt slot = bitmap.allocateNext();
    if (slot.isEmpty()) {
      throw AllocationException.full();
    }
    return ServiceIPRange.format(range.first() + slot.getAsInt());
  }

  /** Gives {@code ip} back; addresses outside the range (or not addresses) are ignored. */
  public void release(String ip) {
    OptionalLong address = ServiceIPRange.parseAddress(ip);
    if (address.isPresent() && range.contains(address.getAsLong())) {
      bitmap.release(slot(address.getAsLong()));
    }
  }

  public boolean has(String ip) {
    OptionalLong address = ServiceIPRange.parseAddress(ip);
    return address.isPresent() && range.contains(address.getAsLong()) && bitmap.has(slot(address.getAsLong()));
  }

  public int used() {
    return bitmap.used();
  }

  private long addressInRange(String ip) {
    OptionalLong address = ServiceIPRange.parseAddress(ip);
    if (address.isEmpty() || !range.contains(address.getAsLong())) {
      throw new AllocationException(AllocationException.Reason.NOT_IN_RANGE,
          "provided IP is not in the valid range. The range of valid IPs is " + range);
    }
    return address.getAsLong();
  }

  private int slot(long address) {
    return (int) (address - range.first());
  }
}
