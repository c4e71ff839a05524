package io.kubemu.apiserver.allocation;

import java.util.BitSet;
import java.util.OptionalInt;
import java.util.Random;

/**
 * Numbered slots {@code 0..size-1}, each free or taken: the bookkeeping under both the
 * ClusterIP and the NodePort allocator, as Kubernetes' allocation bitmap. Automatic picks are
 * random and prefer the slots above a small static band at the bottom of the range, so that
 * values users choose by hand (the low ones, by habit) are rarely taken already
 * (Kubernetes' ServiceIPStaticSubrange and ServiceNodePortStaticSubrange).
 */
final class AllocationBitmap {
  private final int size;
  private final int staticBand;
  private final BitSet taken;
  private final Random random;

  AllocationBitmap(int size, int staticBand, Random random) {
    if (size <= 0 || staticBand < 0 || staticBand >= size) {
      throw new IllegalArgumentException("a bitmap of " + size + " slots cannot keep " + staticBand + " static ones");
    }
    this.size = size;
    this.staticBand = staticBand;
    this.taken = new BitSet(size);
    this.random = random;
  }

  /** The static band's size: {@code min(max(min, size / step), max)}, 0 for ranges no larger than {@code min}. */
  static int staticBand(long rangeSize, int min, int step, int max) {
    if (rangeSize <= min) {
      return 0;
    }
    return (int) Math.min(Math.max(min, rangeSize / step), max);
  }

  int size() {
    return size;
  }

  /** Takes {@code slot}; false if it was taken already. */
  synchronized boolean allocate(int slot) {
    if (taken.get(slot)) {
      return false;
    }
    taken.set(slot);
    return true;
  }

  /** Takes a free slot picked at random, above the static band while any is free there. */
  synchronized OptionalInt allocateNext() {
    OptionalInt slot = freeSlot(staticBand, size);
    if (slot.isEmpty()) {
      slot = freeSlot(0, staticBand);
    }
    slot.ifPresent(taken::set);
    return slot;
  }

  /** A free slot in {@code [from, to)}: the first one at or after a random start, wrapping around. */
  private OptionalInt freeSlot(int from, int to) {
    if (from >= to) {
      return OptionalInt.empty();
    }
    int start = from + random.nextInt(to - from);
    int slot = taken.nextClearBit(start);
    if (slot >= to) {
      slot = taken.nextClearBit(from);
    }
    return slot < to ? OptionalInt.of(slot) : OptionalInt.empty();
  }

  synchronized void release(int slot) {
    taken.clear(slot);
  }

  synchronized boolean has(int slot) {
    return taken.get(slot);
  }

  synchronized int used() {
    return taken.cardinality();
  }
}
