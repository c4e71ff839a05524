package io.kubemu.component.workqueue;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kubemu.component.client.ApiErrors;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker loop of a Kubernetes controller ({@code processNextWorkItem}): N threads take items
 * from a queue and sync them; an item that synced is forgotten by the backoff, one that failed
 * (threw) is logged and comes back rate-limited. Closing shuts the queue down and lets the
 * workers finish the item in hand.
 */
public final class Workers<T> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Workers.class);

  /** What a worker does with one item: the controller's sync. */
  @FunctionalInterface
  public interface Sync<T> {
    void sync(T item) throws Exception;
  }

  /**
   * Thrown by a sync that cannot finish yet and is not failing either (e.g. it waits for an
   * informer to catch up): the item comes back after its backoff, and nothing is logged.
   */
  public static final class RetryLater extends RuntimeException {
    public RetryLater(String reason) {
      super(reason, null, false, false);
    }
  }

  private final WorkQueue<T> queue;
  private final int count;
  private final Sync<T> sync;
  private final List<Thread> threads = new ArrayList<>();

  /** {@code count} workers that will sync the items of {@code queue}, once started. */
  public Workers(WorkQueue<T> queue, int count, Sync<T> sync) {
    this.queue = queue;
    this.count = count;
    this.sync = sync;
  }

  public synchronized void start() {
    for (int i = 0; i < count; i++) {
      Thread thread = new Thread(() -> work(sync), queue.name() + "-worker-" + i);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
  }

  private void work(Sync<T> sync) {
    while (true) {
      T item;
      try {
        item = queue.get();
      } catch (InterruptedException e) {
        return;
      }
      if (item == null) {
        return;
      }
      try {
        sync.sync(item);
        queue.forget(item);
      } catch (RetryLater e) {
        LOG.debug("{}: {} is retried later: {}", queue.name(), item, e.getMessage());
        queue.addRateLimited(item);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        queue.addRateLimited(item);
      } catch (Exception e) {
        LOG.warn("{}: syncing {} failed, retrying after backoff: {}", queue.name(), item, ApiErrors.message(e));
        if (!(e instanceof KubernetesClientException)) {
          LOG.debug("{}: the failure of {}", queue.name(), item, e);
        }
        queue.addRateLimited(item);
      } finally {
        queue.done(item);
      }
    }
  }

  /** Shuts the queue down and waits (a little) for the workers to finish the items in hand. */
  @Override
  public synchronized void close() {
    queue.shutDown();
    try {
      for (Thread thread : threads) {
        thread.join(5_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
