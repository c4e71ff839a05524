package io.kubemu.component.events;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What client-go's EventCorrelator decides before an event is written, so that a controller
 * creating 3,000 pods does not write 3,000 events:
 * <ul>
 *   <li>the spam filter: each source and object has a token bucket of 25 events, refilled at one
 *       per 5 minutes; an event with no token left is dropped;</li>
 *   <li>deduplication: an event identical to one already written (same source, object, type,
 *       reason and message) updates that event's count and last timestamp instead of adding one.</li>
 * </ul>
 * Both remember at most {@value #CACHE_SIZE} keys, least recently used first out, as client-go's LRU caches.
 */
final class EventCorrelator {
  static final int CACHE_SIZE = 4096;
  static final int SPAM_BURST = 25;
  static final Duration SPAM_REFILL = Duration.ofMinutes(5);

  /** What to do with one event. */
  sealed interface Decision permits Drop, Create, Update {}

  /** Too many events about this object from this source: not written. */
  record Drop() implements Decision {}

  /** A new event: created under {@code name}. */
  record Create(String name) implements Decision {}

  /** The same event again: the event {@code name} gets {@code count} and a new last timestamp. */
  record Update(String name, int count) implements Decision {}

  private final Map<String, Bucket> buckets = lru();
  private final Map<String, Seen> seen = lru();

  private static final class Bucket {
    double tokens = SPAM_BURST;
    Instant refilled;
  }

  private record Seen(String name, int count) {}

  /**
   * @param objectKey the source and the involved object (kind, namespace, name, uid)
   * @param eventKey  that and the event's type, reason and message
   * @param newName   the name a new event gets
   */
  synchronized Decision decide(String objectKey, String eventKey, String newName, Instant now) {
    Bucket bucket = buckets.computeIfAbsent(objectKey, key -> new Bucket());
    if (bucket.refilled != null) {
      double refill = (double) Duration.between(bucket.refilled, now).toMillis() / SPAM_REFILL.toMillis();
      bucket.tokens = Math.min(SPAM_BURST, bucket.tokens + Math.max(0, refill));
    }
    bucket.refilled = now;
    if (bucket.tokens < 1) {
      return new Drop();
    }
    bucket.tokens -= 1;
    Seen before = seen.get(eventKey);
    if (before != null) {
      Seen again = new Seen(before.name(), before.count() + 1);
      seen.put(eventKey, again);
      return new Update(again.name(), again.count());
    }
    seen.put(eventKey, new Seen(newName, 1));
    return new Create(newName);
  }

  private static <V> Map<String, V> lru() {
    return new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        return size() > CACHE_SIZE;
      }
    };
  }
}
