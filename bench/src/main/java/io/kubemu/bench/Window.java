package io.kubemu.bench;

/** The measured part of a run, in {@link System#nanoTime()}: what happens before or after it is not counted. */
record Window(long fromNanos, long toNanos) {
  boolean contains(long nanos) {
    return nanos >= fromNanos && nanos < toNanos;
  }

  double seconds() {
    return (toNanos - fromNanos) / 1e9;
  }
}
