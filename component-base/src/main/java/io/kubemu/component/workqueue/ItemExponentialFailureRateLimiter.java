package io.kubemu.component.workqueue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * client-go's per-item exponential backoff: an item that failed n times in a row waits
 * {@code base * 2^n} before its next try, up to {@code max}; a success forgets its failures.
 * Controllers use 5 ms to 1000 s, so a failing object is retried soon, then rarely.
 */
public final class ItemExponentialFailureRateLimiter<T> {
  private final Duration base;
  private final Duration max;
  private final Map<T, Integer> failures = new HashMap<>();

  public ItemExponentialFailureRateLimiter(Duration base, Duration max) {
    this.base = base;
    this.max = max;
  }

  /** client-go's DefaultControllerRateLimiter backoff: 5 ms doubling up to 1000 s. */
  public static <T> ItemExponentialFailureRateLimiter<T> controllerDefault() {
    return new ItemExponentialFailureRateLimiter<>(Duration.ofMillis(5), Duration.ofSeconds(1000));
  }

  /** Counts one more failure of the item and says how long it waits before its next try. */
  public synchronized Duration when(T item) {
    int exponent = failures.merge(item, 1, Integer::sum) - 1;
    if (exponent >= 62) {
      return max;
    }
    double nanos = base.toNanos() * Math.pow(2, exponent);
    return nanos >= max.toNanos() ? max : Duration.ofNanos((long) nanos);
  }

  public synchronized void forget(T item) {
    failures.remove(item);
  }

  public synchronized int numRequeues(T item) {
    return failures.getOrDefault(item, 0);
  }
}
