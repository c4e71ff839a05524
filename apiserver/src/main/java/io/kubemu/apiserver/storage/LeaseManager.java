package io.kubemu.apiserver.storage;

import io.kubemu.etcd.client.KvClient;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Store leases for objects that expire, such as Events (kube-apiserver's --event-ttl): as
 * kube-apiserver's lease manager does, one lease is shared by everything written within 5% of
 * the TTL (at most a minute), so a burst of events costs one lease, not one per event. The
 * lease is granted for the TTL plus that reuse time, so every object lives at least its TTL.
 */
public final class LeaseManager {
  static final Duration MAX_REUSE = Duration.ofSeconds(60);

  private final KvClient kv;
  private CompletableFuture<Long> current;
  private long grantedAtNanos;
  private Duration grantedFor;

  public LeaseManager(KvClient kv) {
    this.kv = kv;
  }

  /** A lease that lasts at least {@code ttl} from now. */
  public synchronized CompletableFuture<Long> leaseFor(Duration ttl) {
    long now = System.nanoTime();
    Duration reuse = ttl.dividedBy(20).compareTo(MAX_REUSE) < 0 ? ttl.dividedBy(20) : MAX_REUSE;
    boolean reusable = current != null && !current.isCompletedExceptionally() && ttl.equals(grantedFor)
        && now - grantedAtNanos < reuse.toNanos();
    if (!reusable) {
      grantedAtNanos = now;
      grantedFor = ttl;
      long seconds = Math.max(1, (ttl.plus(reuse).toMillis() + 999) / 1000);
      current = kv.leaseGrant(seconds).thenApply(granted -> granted.getId());
    }
    return current;
  }
}
