package io.kubemu.bench;

import java.util.Collection;
import java.util.List;

/** Durations measured once each (a pod's startup, say), sorted, with nearest-rank percentiles in seconds. */
record Latencies(List<Long> sortedNanos) {
  static Latencies of(Collection<Long> nanos) {
    return new Latencies(nanos.stream().sorted().toList());
  }

  int count() {
    return sortedNanos.size();
  }

  /** The smallest duration that {@code percentile} % of them do not exceed; NaN when there is none. */
  double seconds(double percentile) {
    if (sortedNanos.isEmpty()) {
      return Double.NaN;
    }
    int index = (int) Math.ceil(percentile / 100 * sortedNanos.size()) - 1;
    return sortedNanos.get(Math.max(0, Math.min(index, sortedNanos.size() - 1))) / 1e9;
  }
}
