package io.kubemu.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

/**
 * Closed-loop load on one store: {@code clients} loops, each with exactly one request
 * outstanding at any time, all sharing the store's one client object. A loop sends its next
 * request from the completion of the previous one, so {@code clients} is the number of
 * requests in flight, with no thread per client on our side.
 *
 * <p>A phase runs for warm-up + duration and stops by itself: requests that complete during
 * the warm-up are not counted; after the measured window no loop sends again.
 */
final class Load {
  enum Op { PUT, GET }

  /** What one store did in one phase's measured window. */
  record Result(String store, Op op, int clients, long ops, long errors, double seconds,
                Histogram latencyMicros, String firstError, boolean drained, long serverCpuNanos) {
    /** CPU the store's members spent per operation in the window, in microseconds; NaN if unknown. */
    double serverCpuMicrosPerOp() {
      return serverCpuNanos < 0 || ops == 0 ? Double.NaN : serverCpuNanos / 1000.0 / ops;
    }

    double opsPerSecond() {
      return ops / seconds;
    }

    double p50Millis() {
      return latencyMicros.getTotalCount() == 0 ? Double.NaN : latencyMicros.getValueAtPercentile(50) / 1000.0;
    }

    double p99Millis() {
      return latencyMicros.getTotalCount() == 0 ? Double.NaN : latencyMicros.getValueAtPercentile(99) / 1000.0;
    }
  }

  private static final long MAX_MICROS = TimeUnit.SECONDS.toMicros(120);
  private static final long ERROR_PAUSE_MILLIS = 10;

  private final ScheduledExecutorService trampoline = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "bench-trampoline");
    thread.setDaemon(true);
    return thread;
  });

  /** Runs one phase against one store. */
  Result run(Store store, Op op, int clients, int keyCount, Duration warmup, Duration duration, ProcessCpu serverCpu)
      throws InterruptedException {
    long start = System.nanoTime();
    long measureFrom = start + warmup.toNanos();
    long end = measureFrom + duration.toNanos();
    CountDownLatch stopped = new CountDownLatch(clients);
    AtomicReference<String> firstError = new AtomicReference<>();
    List<Loop> loops = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      loops.add(new Loop(store, op, i, clients, keyCount, measureFrom, end, stopped, firstError));
    }
    loops.forEach(Loop::next);
    sleepUntil(measureFrom);
    long cpuBefore = serverCpu.cpuNanos();
    sleepUntil(end);
    long cpuAfter = serverCpu.cpuNanos();
    // Whatever is still in flight completes (or times out in its client) on its own; a loop
    // that is stuck longer than this is reported, not waited for.
    boolean drained = stopped.await(60, TimeUnit.SECONDS);
    Histogram latency = new Histogram(MAX_MICROS, 3);
    long ops = 0;
    long errors = 0;
    for (Loop loop : loops) {
      synchronized (loop) {
        latency.add(loop.latency);
        ops += loop.ops;
        errors += loop.errors;
      }
    }
    long cpu = cpuBefore < 0 || cpuAfter < 0 ? -1 : cpuAfter - cpuBefore;
    return new Result(store.name(), op, clients, ops, errors, duration.toNanos() / 1e9, latency, firstError.get(), drained, cpu);
  }

  static void sleepUntil(long nanoTime) throws InterruptedException {
    long wait = nanoTime - System.nanoTime();
    if (wait > 0) {
      TimeUnit.NANOSECONDS.sleep(wait);
    }
  }

  /**
   * Writes every key once, {@code concurrency} at a time, so that the read phases find what they
   * read whatever the write phases managed to write. Not measured.
   */
  static void fill(Store store, int keyCount, int concurrency) throws Exception {
    Semaphore inFlight = new Semaphore(concurrency);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    for (int key = 0; key < keyCount && failure.get() == null; key++) {
      inFlight.acquire();
      store.put(key).whenComplete((response, error) -> {
        if (error != null) {
          failure.compareAndSet(null, error);
        }
        inFlight.release();
      });
    }
    if (!inFlight.tryAcquire(concurrency, 120, TimeUnit.SECONDS)) {
      throw new IllegalStateException(store.name() + ": filling the keys did not finish in 120 s");
    }
    if (failure.get() != null) {
      throw new IllegalStateException(store.name() + ": filling the keys failed: " + failure.get(), failure.get());
    }
  }

  void close() {
    trampoline.shutdownNow();
  }

  /** One client: one request in flight, the next one sent when it completes. */
  private final class Loop {
    private final Store store;
    private final Op op;
    private final int id;
    private final int clients;
    private final int keyCount;
    private final long measureFrom;
    private final long end;
    private final CountDownLatch stopped;
    private final AtomicReference<String> firstError;
    private final Histogram latency = new Histogram(MAX_MICROS, 3);
    private long sequence;
    private long ops;
    private long errors;

    Loop(Store store, Op op, int id, int clients, int keyCount, long measureFrom, long end,
         CountDownLatch stopped, AtomicReference<String> firstError) {
      this.store = store;
      this.op = op;
      this.id = id;
      this.clients = clients;
      this.keyCount = keyCount;
      this.measureFrom = measureFrom;
      this.end = end;
      this.stopped = stopped;
      this.firstError = firstError;
    }

    void next() {
      if (System.nanoTime() >= end) {
        stopped.countDown();
        return;
      }
      // Loops walk the key space interleaved: loop i sends keys i, i+clients, i+2*clients, ...
      int key = (int) ((id + sequence++ * clients) % keyCount);
      long sent = System.nanoTime();
      CompletableFuture<?> reply;
      try {
        reply = op == Op.PUT ? store.put(key) : store.get(key);
      } catch (RuntimeException e) {
        reply = CompletableFuture.failedFuture(e);
      }
      if (reply.isDone()) {
        // Completed in the caller: go on from another thread rather than recursing.
        reply.whenCompleteAsync((response, error) -> completed(sent, error), trampoline);
      } else {
        reply.whenComplete((response, error) -> completed(sent, error));
      }
    }

    private void completed(long sent, Throwable error) {
      long now = System.nanoTime();
      synchronized (this) {
        if (now >= measureFrom && now < end) {
          if (error == null) {
            ops++;
            latency.recordValue(Math.min(MAX_MICROS, Math.max(0, (now - sent) / 1000)));
          } else {
            errors++;
          }
        }
      }
      if (error != null) {
        firstError.compareAndSet(null, String.valueOf(error));
        // A store that fails fast must not turn the loop into a spin.
        trampoline.schedule(this::next, ERROR_PAUSE_MILLIS, TimeUnit.MILLISECONDS);
      } else {
        next();
      }
    }
  }
}
