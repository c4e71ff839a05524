package io.kubemu.component.workqueue;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kubemu.component.client.ApiErrors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker loop of a Kubernetes controller ({@code processNextWorkItem}): up to N threads take
 * items from a queue and sync them; an item that synced is forgotten by the backoff, one that
 * failed (threw) is logged and comes back rate-limited. Closing shuts the queue down and lets the
 * workers finish the item in hand.
 *
 * <p>Kubernetes' workers are goroutines, which cost next to nothing while they wait; threads do
 * not. So one worker waits, another starts when an item is queued while none waits (up to N),
 * and a worker beyond the first that finds nothing to do for 30 s ends.
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

  /** How long a worker beyond the first waits for an item before it ends. */
  static final Duration IDLE = Duration.ofSeconds(30);

  private final Duration idle;

  private final WorkQueue<T> queue;
  private final int count;
  private final Sync<T> sync;
  private final List<Thread> threads = new ArrayList<>();
  private boolean started;
  private int numbered;

  /** {@code count} workers that will sync the items of {@code queue}, once started. */
  public Workers(WorkQueue<T> queue, int count, Sync<T> sync) {
    this(queue, count, sync, IDLE);
  }

  Workers(WorkQueue<T> queue, int count, Sync<T> sync, Duration idle) {
    this.queue = queue;
    this.count = count;
    this.sync = sync;
    this.idle = idle;
  }

  public synchronized void start() {
    if (started) {
      return;
    }
    started = true;
    queue.onUnclaimed(this::another);
    int backlog = Math.min(count, Math.max(1, queue.len()));
    for (int i = 0; i < backlog; i++) {
      spawn();
    }
  }

  /** The threads working now (tests). */
  synchronized int size() {
    return threads.size();
  }

  private synchronized void another() {
    if (started && threads.size() < count && !queue.isShuttingDown()) {
      spawn();
    }
  }

  private void spawn() {
    Thread thread = new Thread(this::work, queue.name() + "-worker-" + numbered++);
    thread.setDaemon(true);
    threads.add(thread);
    thread.start();
  }

  /** Ends the calling worker, unless it is the last one; true if it ended. */
  private synchronized boolean retire() {
    if (threads.size() <= 1) {
      return false;
    }
    threads.remove(Thread.currentThread());
    return true;
  }

  private void work() {
    while (true) {
      T item;
      try {
        item = queue.get(idle);
      } catch (InterruptedException e) {
        return;
      }
      if (item == null) {
        if (queue.isShuttingDown() || retire()) {
          return;
        }
        continue;
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
  public void close() {
    queue.shutDown();
    List<Thread> working;
    synchronized (this) {
      working = List.copyOf(threads);
    }
    try {
      for (Thread thread : working) {
        thread.join(5_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
