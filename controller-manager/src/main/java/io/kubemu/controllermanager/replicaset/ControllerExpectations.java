package io.kubemu.controllermanager.replicaset;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Kubernetes' ControllerExpectations (with UID-tracking deletions): what a controller issued for
 * a key and has not yet seen through its informers. While creates or deletes are outstanding,
 * the cache is behind the controller's own writes and acting on it again would create or delete
 * too many; after {@link #TTL} the expectations are given up as lost.
 */
final class ControllerExpectations {
  /** Kubernetes' ExpectationsTimeout. */
  static final Duration TTL = Duration.ofMinutes(5);

  private static final class Expected {
    int creations;
    final Set<String> deletions = new HashSet<>();
    final Instant since;

    Expected(Instant since) {
      this.since = since;
    }
  }

  private final Clock clock;
  private final Map<String, Expected> byKey = new ConcurrentHashMap<>();

  ControllerExpectations(Clock clock) {
    this.clock = clock;
  }

  /** No expectations, all observed, or given up: the controller may act on the key. */
  boolean satisfied(String key) {
    Expected expected = byKey.get(key);
    if (expected == null) {
      return true;
    }
    synchronized (expected) {
      return expected.creations <= 0 && expected.deletions.isEmpty()
          || !expected.since.plus(TTL).isAfter(clock.instant());
    }
  }

  void expectCreations(String key, int count) {
    Expected expected = new Expected(clock.instant());
    expected.creations = count;
    byKey.put(key, expected);
  }

  /** @param podKeys "namespace/name" of each pod being deleted */
  void expectDeletions(String key, Set<String> podKeys) {
    Expected expected = new Expected(clock.instant());
    expected.deletions.addAll(podKeys);
    byKey.put(key, expected);
  }

  /** A pod the key created was seen, or a create was not issued after all. */
  void creationObserved(String key) {
    Expected expected = byKey.get(key);
    if (expected != null) {
      synchronized (expected) {
        expected.creations--;
      }
    }
  }

  /** The pod was seen terminating or gone, or its delete failed. */
  void deletionObserved(String key, String podKey) {
    Expected expected = byKey.get(key);
    if (expected != null) {
      synchronized (expected) {
        expected.deletions.remove(podKey);
      }
    }
  }

  /** The key's object is gone. */
  void delete(String key) {
    byKey.remove(key);
  }
}
