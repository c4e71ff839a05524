package io.kubemu.component.workqueue;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The rate-limited work queue of client-go that every controller is built around: event handlers
 * add keys ("namespace/name"), workers take them one at a time and sync them. Its promises:
 * an item waiting in the queue is there once however often it is added; an item is never
 * processed by two workers at once, and one added while it is processed comes back after
 * {@link #done}; a failed item comes back after a per-item exponential backoff
 * ({@link #addRateLimited}) until {@link #forget} clears it.
 *
 * <p>Delayed adds of every queue of the process wait on one shared timer thread.
 */
public final class WorkQueue<T> {
  private static final Gauge DEPTH = Gauge.builder().name("workqueue_depth")
      .help("Current depth of workqueue").labelNames("name").register();
  private static final Counter ADDS = Counter.builder().name("workqueue_adds_total")
      .help("Total number of adds handled by workqueue").labelNames("name").register();
  private static final Counter RETRIES = Counter.builder().name("workqueue_retries_total")
      .help("Total number of retries handled by workqueue").labelNames("name").register();

  private final String name;
  private final ItemExponentialFailureRateLimiter<T> rateLimiter;
  private final ArrayDeque<T> queue = new ArrayDeque<>();
  /** Items that need processing: queued, or added again while being processed. */
  private final Set<T> dirty = new HashSet<>();
  private final Set<T> processing = new HashSet<>();
  /** Delayed adds, of every queue: they only wait, so one thread serves them all. */
  private static final ScheduledExecutorService DELAYED = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "workqueue-delayed");
    thread.setDaemon(true);
    return thread;
  });

  private boolean shuttingDown;
  /** Callers waiting in {@link #get}. */
  private int waiting;
  /** Told when more items are queued than callers wait in {@link #get} (outside the queue's lock). */
  private volatile Runnable onUnclaimed = () -> { };

  /** @param name names the queue in metrics and thread names, as client-go's named queues */
  public WorkQueue(String name, ItemExponentialFailureRateLimiter<T> rateLimiter) {
    this.name = name;
    this.rateLimiter = rateLimiter;
    DEPTH.labelValues(name).set(0);
  }

  public WorkQueue(String name) {
    this(name, ItemExponentialFailureRateLimiter.controllerDefault());
  }

  public String name() {
    return name;
  }

  /** Marks the item as needing processing. */
  public void add(T item) {
    boolean unclaimed;
    synchronized (this) {
      if (shuttingDown || !dirty.add(item)) {
        return;
      }
      ADDS.labelValues(name).inc();
      if (processing.contains(item)) {
        return; // done() queues it again
      }
      unclaimed = enqueue(item);
    }
    if (unclaimed) {
      onUnclaimed.run();
    }
  }

  /**
   * Queues an item (the caller holds the lock) and wakes a waiting worker; true if more items
   * wait than workers do, so that {@link #onUnclaimed} is to be told once the lock is released.
   */
  private boolean enqueue(T item) {
    queue.addLast(item);
    DEPTH.labelValues(name).set(queue.size());
    notify();
    return queue.size() > waiting;
  }

  /** What to do when an item is queued and no caller of {@link #get} is free for it: e.g. start a worker. */
  public void onUnclaimed(Runnable action) {
    this.onUnclaimed = action;
  }

  /** Adds the item once {@code delay} has passed. */
  public void addAfter(T item, Duration delay) {
    if (delay.isZero() || delay.isNegative()) {
      add(item);
      return;
    }
    synchronized (this) {
      if (shuttingDown) {
        return;
      }
      DELAYED.schedule(() -> add(item), delay.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  /** Adds the item after its backoff: it failed (once more). */
  public void addRateLimited(T item) {
    RETRIES.labelValues(name).inc();
    addAfter(item, rateLimiter.when(item));
  }

  /** The item succeeded: its next failure starts the backoff afresh. */
  public void forget(T item) {
    rateLimiter.forget(item);
  }

  public int numRequeues(T item) {
    return rateLimiter.numRequeues(item);
  }

  /**
   * Waits for an item and hands it to the caller, who must call {@link #done} with it; returns
   * null once the queue shuts down.
   */
  public synchronized T get() throws InterruptedException {
    return get(0L);
  }

  /**
   * As {@link #get()}, but returns null also when no item came within {@code timeout} (zero:
   * no limit); {@link #isShuttingDown} tells the two apart.
   */
  public synchronized T get(Duration timeout) throws InterruptedException {
    return get(timeout.toNanos());
  }

  private T get(long timeoutNanos) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutNanos;
    waiting++;
    try {
      while (queue.isEmpty() && !shuttingDown) {
        if (timeoutNanos == 0) {
          wait();
        } else {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            return null;
          }
          TimeUnit.NANOSECONDS.timedWait(this, left);
        }
      }
    } finally {
      waiting--;
    }
    if (queue.isEmpty()) {
      return null;
    }
    T item = queue.removeFirst();
    DEPTH.labelValues(name).set(queue.size());
    processing.add(item);
    dirty.remove(item);
    return item;
  }

  /** The caller finished with the item; if it was added meanwhile, it is queued again. */
  public void done(T item) {
    boolean unclaimed;
    synchronized (this) {
      processing.remove(item);
      if (!dirty.contains(item)) {
        return;
      }
      unclaimed = enqueue(item);
    }
    if (unclaimed) {
      onUnclaimed.run();
    }
  }

  public synchronized int len() {
    return queue.size();
  }

  /** Wakes every waiting worker with null; adds are ignored from now on. */
  public synchronized void shutDown() {
    shuttingDown = true;
    notifyAll();
  }

  public synchronized boolean isShuttingDown() {
    return shuttingDown;
  }
}
