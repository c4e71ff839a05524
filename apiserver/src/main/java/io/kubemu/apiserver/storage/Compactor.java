package io.kubemu.apiserver.storage;

import com.google.protobuf.ByteString;
import io.kubemu.etcd.client.KvClient;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the store's history bounded, as kube-apiserver does with --etcd-compaction-interval:
 * every interval it compacts the store to the revision it saw one interval earlier, so
 * about one interval of history stays for watches and paged lists to resume from.
 */
public final class Compactor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Compactor.class);

  private final KvClient kv;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "compactor");
    thread.setDaemon(true);
    return thread;
  });
  private long seenRevision;
  private long compactedRevision;

  public Compactor(KvClient kv) {
    this.kv = kv;
  }

  public Compactor start(Duration interval) {
    if (!interval.isZero()) {
      timer.scheduleWithFixedDelay(this::compact, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }
    return this;
  }

  private void compact() {
    try {
      long current = KvClient.await(kv.get(ByteString.copyFromUtf8("compact_rev_key"))).getHeader().getRevision();
      long target = seenRevision;
      seenRevision = current;
      if (target > compactedRevision) {
        KvClient.await(kv.compact(target));
        compactedRevision = target;
        LOG.info("Compacted the store to revision {}", target);
      }
    } catch (Exception e) {
      // Already compacted that far (another apiserver), or the store is away: try next time.
      LOG.debug("Compaction skipped: {}", e.getMessage());
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
