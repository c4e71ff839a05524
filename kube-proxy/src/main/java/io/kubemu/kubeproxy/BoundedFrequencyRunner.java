package io.kubemu.kubeproxy;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs kube-proxy's sync on one thread of its own, as Kubernetes' BoundedFrequencyRunner: changes
 * are coalesced into the next run, and runs are rate-limited by a token bucket that refills one
 * run per {@code minInterval} and holds up to {@code burst} (Kubernetes' proxiers use 2), so a
 * change after a quiet spell is synced at once while a stream of changes gets one run per
 * {@code minInterval}. At least once per {@code maxInterval} it runs even when nothing changed, to
 * repair rules someone else removed. A failed run is retried once the bucket allows.
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
  private final int burst;
  private final Thread thread;
  private boolean pending;
  private boolean stopped;
  /** Runs the bucket allows now (at most {@code burst}), as of {@code refilled}. */
  private double tokens;
  private long refilled;

  public BoundedFrequencyRunner(String name, Sync sync, Duration minInterval, Duration maxInterval, int burst) {
    if (burst < 1) {
      throw new IllegalArgumentException("burst must be at least 1, got " + burst);
    }
    this.sync = sync;
    this.minNanos = minInterval.toNanos();
    this.maxNanos = maxInterval.toNanos();
    this.burst = burst;
    this.tokens = burst;
    this.refilled = System.nanoTime();
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

  /** Asks for a run: now if the bucket has a run left, else as soon as it refills one. */
  public synchronized void run() {
    pending = true;
    notifyAll();
  }

  private void loop() {
    long last = System.nanoTime();
    while (true) {
      boolean periodic;
      synchronized (this) {
        try {
          while (!stopped) {
            long now = System.nanoTime();
            refill(now);
            if ((pending && tokens >= 1) || now - last >= maxNanos) {
              break;
            }
            long until = last + maxNanos;
            if (pending) {
              until = Math.min(until, now + (long) Math.ceil((1 - tokens) * minNanos));
            }
            wait(Math.max(1, (until - now + 999_999) / 1_000_000));
          }
        } catch (InterruptedException e) {
          return;
        }
        if (stopped) {
          return;
        }
        periodic = !pending;
        pending = false;
        tokens = Math.max(0, tokens - 1);
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
          pending = true; // tried again once the bucket allows
        }
      }
    }
  }

  private void refill(long now) {
    tokens = minNanos <= 0 ? burst : Math.min(burst, tokens + (double) (now - refilled) / minNanos);
    refilled = now;
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
