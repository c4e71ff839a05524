package io.kubemu.apiserver.watch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The recent events of one resource type that a watch from a resourceVersion replays, sized as
 * kube-apiserver's watch cache: it keeps at least {@link #EVENT_FRESH_DURATION} of history.
 * Before each event, a full window whose oldest event is younger than that doubles (up to
 * {@link #UPPER_BOUND_CAPACITY}), and a full one in which even the first event of its newest
 * quarter is older than that halves (down to {@link #LOWER_BOUND_CAPACITY}), dropping its oldest
 * events. So a quiet type (three Leases renewed every 2 s) keeps a hundred or two events instead
 * of filling a fixed window over hours, and a burst keeps its last 75 s, up to the bound.
 */
final class EventWindow {
  /** kube-apiserver's eventFreshDuration: a bookmark's period (a minute) and a margin. */
  static final Duration EVENT_FRESH_DURATION = Duration.ofSeconds(75);
  /** kube-apiserver's defaultLowerBoundCapacity. */
  static final int LOWER_BOUND_CAPACITY = 100;
  /**
   * kube-apiserver's defaultUpperBoundCapacity is 100 * 1024; here the fixed size this window had
   * before: with it, the apiserver held about 230 MB live after a first 3,000-pod Deployment, in a
   * heap of at most 1 GB.
   */
  static final int UPPER_BOUND_CAPACITY = 10_000;

  private final long freshNanos;
  private final int lowerBound;
  private final int upperBound;
  private WatchEvent[] events;
  private long[] recordedAt;
  /** Index of the oldest event in the ring, and how many there are. */
  private int start;
  private int size;
  /** A watch from before this revision missed events the window no longer has. */
  private long oldestRevision;

  EventWindow(long revision) {
    this(revision, EVENT_FRESH_DURATION, LOWER_BOUND_CAPACITY, UPPER_BOUND_CAPACITY);
  }

  EventWindow(long revision, Duration fresh, int lowerBound, int upperBound) {
    this.freshNanos = fresh.toNanos();
    this.lowerBound = lowerBound;
    this.upperBound = upperBound;
    this.events = new WatchEvent[lowerBound];
    this.recordedAt = new long[lowerBound];
    this.oldestRevision = revision;
  }

  int capacity() {
    return events.length;
  }

  int size() {
    return size;
  }

  /** The oldest revision a watch may start from: every event after it is here. */
  long oldestRevision() {
    return oldestRevision;
  }

  /** Adds the newest event, recorded at {@code nanoTime} (System.nanoTime's scale); may resize first. */
  void add(WatchEvent event, long nanoTime) {
    resize(nanoTime);
    if (size == events.length) {
      dropOldest();
    }
    int at = (start + size) % events.length;
    events[at] = event;
    recordedAt[at] = nanoTime;
    size++;
  }

  /** The events after {@code revision}, oldest first. */
  List<WatchEvent> after(long revision) {
    List<WatchEvent> newer = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      WatchEvent event = events[(start + i) % events.length];
      if (event.revision() > revision) {
        newer.add(event);
      }
    }
    return newer;
  }

  /** Empties the window: watches may start from {@code revision} on. */
  void clear(long revision) {
    events = new WatchEvent[lowerBound];
    recordedAt = new long[lowerBound];
    start = 0;
    size = 0;
    oldestRevision = revision;
  }

  /** kube-apiserver's resizeCacheLocked, before each event. */
  private void resize(long nanoTime) {
    int capacity = events.length;
    if (size < capacity) {
      return;
    }
    if (nanoTime - recordedAt[start] < freshNanos) {
      if (capacity < upperBound) {
        resizeTo(Math.min(capacity * 2, upperBound));
      }
    } else if (nanoTime - recordedAt[(start + capacity - capacity / 4) % capacity] > freshNanos
        && capacity > lowerBound) {
      resizeTo(Math.max(capacity / 2, lowerBound));
    }
  }

  private void resizeTo(int capacity) {
    while (size > capacity) {
      dropOldest();
    }
    WatchEvent[] resized = new WatchEvent[capacity];
    long[] times = new long[capacity];
    for (int i = 0; i < size; i++) {
      resized[i] = events[(start + i) % events.length];
      times[i] = recordedAt[(start + i) % events.length];
    }
    events = resized;
    recordedAt = times;
    start = 0;
  }

  private void dropOldest() {
    oldestRevision = events[start].revision();
    events[start] = null;
    start = (start + 1) % events.length;
    size--;
  }
}
