package io.kubemu.kubeproxy;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs kube-proxy's sync on one thread of its own, as Kubernetes' BoundedFrequencyRunner: at
 * most once per {@code minInterval} however many changes arrive (they are coalesced into the next
 * run), and at least once per {@code maxInterval} even when nothing changed, to repair rules
 * someone else removed. A failed run is retried after {@code minInterval}.
 */
public final class BoundedFrequencyRunner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BoundedFrequencyRunner.class);

  /** One run; {@code periodic} says no change asked for it. Returns whether it succeeded. */
  public interface Sync {
    boolean run(boolean periodic);
  }

  private final Sync sync;
  private final long minNanos;
  private final long maxNanos;
  private final Thread thread;
  private boolean pending;
  private boolean stopped;

  public BoundedFrequencyRunner(String name, Sync sync, Duration minInterval, Duration maxInterval) {
    this.sync = sync;
    this.minNanos = minInterval.toNanos();
    this.maxNanos = maxInterval.toNanos();
    this.thread = new Thread(this::loop, name);
    thread.setDaemon(true);
  }

  /** Starts with a first run at once. */
  public BoundedFrequencyRunner start() {
    synchronized (this) {
      pending = true;
    }
    thread.start();
    return this;
  }

  /** Asks for a run: now if the last one was at least {@code minInterval} ago, else when it will be. */
  public synchronized void run() {
    pending = true;
    notifyAll();
  }

  private void loop() {
    long last = System.nanoTime() - minNanos;
    while (true) {
      boolean periodic;
      synchronized (this) {
        try {
          while (!stopped && !due(last)) {
            long now = System.nanoTime();
            long until = pending ? last + minNanos : last + maxNanos;
            long waitMillis = Math.max(1, (until - now) / 1_000_000);
            wait(waitMillis);
          }
        } catch (InterruptedException e) {
          return;
        }
        if (stopped) {
          return;
        }
        periodic = !pending;
        pending = false;
      }
      last = System.nanoTime();
      boolean ok;
      try {
        ok = sync.run(periodic);
      } catch (RuntimeException e) {
        LOG.error("sync failed", e);
        ok = false;
      }
      if (!ok) {
        synchronized (this) {
          pending = true; // tried again after minInterval
        }
      }
    }
  }

  private boolean due(long last) {
    long since = System.nanoTime() - last;
    return since >= maxNanos || (pending && since >= minNanos);
  }

  @Override
  public void close() throws InterruptedException {
    synchronized (this) {
      stopped = true;
      notifyAll();
    }
    thread.join(Duration.ofSeconds(30).toMillis());
  }
}
