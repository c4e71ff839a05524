package io.kubemu.apiserver.allocation;

import java.security.SecureRandom;
import java.util.OptionalInt;
import java.util.Random;

/**
 * Hands out NodePorts from the node port range, each to one Service port at a time, as
 * kube-apiserver's portallocator: at random, or exactly the port a Service names if it is in
 * the range and free.
 */
public final class PortAllocator {
  private final PortRange range;
  private final AllocationBitmap bitmap;

  public PortAllocator(PortRange range) {
    this(range, new SecureRandom());
  }

  PortAllocator(PortRange range, Random random) {
    this.range = range;
    // Kubernetes' static band for ports: min(max(16, range size / 32), 128) ports.
    this.bitmap = new AllocationBitmap(range.size(), AllocationBitmap.staticBand(range.size(), 16, 32, 128), random);
  }

  public PortRange range() {
    return range;
  }

  /** Takes {@code port}. */
  public void allocate(int port) {
    if (!range.contains(port)) {
      throw new AllocationException(AllocationException.Reason.NOT_IN_RANGE,
          "provided port is not in the valid range. The range of valid ports is " + range);
    }
    if (!bitmap.allocate(port - range.base())) {
      throw new AllocationException(AllocationException.Reason.ALREADY_ALLOCATED, "provided port is already allocated");
    }
  }

  /** Takes a free port picked at random. */
  public int allocateNext() {
    OptionalInt slot = bitmap.allocateNext();
    if (slot.isEmpty()) {
      throw AllocationException.full();
    }
    return range.base() + slot.getAsInt();
  }

  /** Gives {@code port} back; ports outside the range are ignored. */
  public void release(int port) {
    if (range.contains(port)) {
      bitmap.release(port - range.base());
    }
  }

  public boolean has(int port) {
    return range.contains(port) && bitmap.has(port - range.base());
  }

  public int used() {
    return bitmap.used();
  }
}
