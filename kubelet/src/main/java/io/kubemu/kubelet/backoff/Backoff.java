package io.kubemu.kubelet.backoff;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * client-go's flowcontrol.Backoff, as the kubelet uses it for crashing containers and failing
 * image pulls: per key (pod UID and container name, or pod UID and image) a delay that starts at
 * {@code initial} and doubles on every failure up to {@code max}. A key quiet for twice {@code max}
 * (a container that ran ten minutes, with the default five) starts afresh at {@code initial}.
 */
public final class Backoff {
  private final Clock clock;
  private final Duration initial;
  private final Duration max;
  private final Map<String, Entry> entries = new HashMap<>();

  private record Entry(Duration delay, Instant lastUpdate) {}

  public Backoff(Clock clock, Duration initial, Duration max) {
    this.clock = clock;
    this.initial = initial;
    this.max = max;
  }

  /** The key's current delay, or zero when it has none. */
  public synchronized Duration get(String key) {
    Entry entry = entries.get(key);
    return entry == null ? Duration.ZERO : entry.delay();
  }

  /** True when the failure at {@code eventTime} is less than the key's delay ago: do not try again yet. */
  public synchronized boolean isInBackOffSince(String key, Instant eventTime) {
    Entry entry = entries.get(key);
    if (entry == null || hasExpired(eventTime, entry.lastUpdate())) {
      return false;
    }
    return Duration.between(eventTime, clock.instant()).compareTo(entry.delay()) < 0;
  }

  /** True when the key's last failure was less than its delay ago (image pulls: counted from the failed pull). */
  public synchronized boolean isInBackOffSinceUpdate(String key, Instant eventTime) {
    Entry entry = entries.get(key);
    if (entry == null || hasExpired(eventTime, entry.lastUpdate())) {
      return false;
    }
    return Duration.between(entry.lastUpdate(), eventTime).compareTo(entry.delay()) < 0;
  }

  /** How long after now the key's backoff since {@code eventTime} ends (zero when it has). */
  public synchronized Duration remaining(String key, Instant eventTime) {
    Entry entry = entries.get(key);
    if (entry == null) {
      return Duration.ZERO;
    }
    Duration left = Duration.between(clock.instant(), eventTime.plus(entry.delay()));
    return left.isNegative() ? Duration.ZERO : left;
  }

  /** How long after {@code now} the key's backoff since its last failure ends (zero when it has). */
  public synchronized Duration remainingSinceUpdate(String key, Instant now) {
    Entry entry = entries.get(key);
    if (entry == null) {
      return Duration.ZERO;
    }
    Duration left = Duration.between(now, entry.lastUpdate().plus(entry.delay()));
    return left.isNegative() ? Duration.ZERO : left;
  }

  /** One more failure, at {@code eventTime}: the next delay doubles (or starts at the initial one). */
  public synchronized void next(String key, Instant eventTime) {
    Entry entry = entries.get(key);
    Duration delay;
    if (entry == null || hasExpired(eventTime, entry.lastUpdate())) {
      delay = initial;
    } else {
      Duration doubled = entry.delay().multipliedBy(2);
      delay = doubled.compareTo(max) > 0 ? max : doubled;
    }
    entries.put(key, new Entry(delay, clock.instant()));
  }

  /** Forgets the key (its pod is gone). */
  public synchronized void reset(String key) {
    entries.remove(key);
  }

  /** Forgets every key that starts with the prefix (a pod's UID). */
  public synchronized void resetPrefix(String prefix) {
    entries.keySet().removeIf(key -> key.startsWith(prefix));
  }

  /** A duration as Go prints one ({@code 10s}, {@code 2m40s}, {@code 5m0s}, {@code 250ms}), as Kubernetes' messages show it. */
  public static String format(Duration duration) {
    long millis = duration.toMillis();
    if (millis < 1000) {
      return millis + "ms";
    }
    long hours = millis / 3_600_000;
    long minutes = millis / 60_000 % 60;
    long secondMillis = millis % 60_000;
    String seconds = secondMillis % 1000 == 0 ? String.valueOf(secondMillis / 1000)
        : String.format(java.util.Locale.ROOT, "%d.%03d", secondMillis / 1000, secondMillis % 1000).replaceAll("0+$", "");
    if (hours > 0) {
      return hours + "h" + minutes + "m" + seconds + "s";
    }
    return minutes > 0 ? minutes + "m" + seconds + "s" : seconds + "s";
  }

  private boolean hasExpired(Instant eventTime, Instant lastUpdate) {
    return Duration.between(lastUpdate, eventTime).compareTo(max.multipliedBy(2)) > 0;
  }
}
