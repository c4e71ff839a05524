package io.kubemu.controllermanager.replicaset;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SlowStartBatchTest {
  @Test
  void callsTheActionCountTimesInDoublingBatches() {
    AtomicInteger calls = new AtomicInteger();

    SlowStartBatch.Result result = SlowStartBatch.run(10, 1,
        () -> CompletableFuture.completedFuture(calls.incrementAndGet()));

    assertThat(result.successes()).isEqualTo(10);
    assertThat(result.firstFailure()).isNull();
    assertThat(calls).hasValue(10); // batches of 1, 2, 4, then the 3 left
  }

  @Test
  void theBatchWithAFailureIsTheLast() {
    AtomicInteger calls = new AtomicInteger();

    SlowStartBatch.Result result = SlowStartBatch.run(20, 1, () -> calls.incrementAndGet() > 4
        ? CompletableFuture.failedFuture(new IllegalStateException("quota exceeded"))
        : CompletableFuture.completedFuture(null));

    // batches 1 and 2 succeed (3 calls); in the batch of 4, one succeeds and three fail; no batch of 8
    assertThat(calls).hasValue(7);
    assertThat(result.successes()).isEqualTo(4);
    assertThat(result.firstFailure()).isInstanceOf(IllegalStateException.class).hasMessage("quota exceeded");
  }

  @Test
  void aCallThatCannotEvenStartFailsItsBatch() {
    AtomicInteger calls = new AtomicInteger();

    SlowStartBatch.Result result = SlowStartBatch.run(20, 1, () -> {
      if (calls.incrementAndGet() == 2) {
        throw new InterruptedException("stopping");
      }
      return CompletableFuture.completedFuture(null);
    });

    assertThat(calls).hasValue(3); // the batch of 2 is started in full, then no more
    assertThat(result.successes()).isEqualTo(2);
    assertThat(result.firstFailure()).isInstanceOf(InterruptedException.class);
  }

  @Test
  void theCallsOfABatchAreAllOnTheirWayBeforeOneIsWaitedFor() throws Exception {
    List<CompletableFuture<Void>> started = new ArrayList<>();
    ExecutorService runner = Executors.newSingleThreadExecutor();
    try {
      Future<SlowStartBatch.Result> result = runner.submit(() -> SlowStartBatch.run(3, 1, () -> {
        CompletableFuture<Void> call = new CompletableFuture<>();
        synchronized (started) {
          started.add(call);
          started.notifyAll();
        }
        return call;
      }));

      awaitStarted(started, 1);
      started.get(0).complete(null);
      awaitStarted(started, 3); // the batch of 2: both started while neither has an answer
      started.get(2).complete(null);
      started.get(1).complete(null);

      assertThat(result.get(10, TimeUnit.SECONDS).successes()).isEqualTo(3);
    } finally {
      runner.shutdownNow();
    }
  }

  @Test
  void nothingToDoCallsNothing() {
    AtomicInteger calls = new AtomicInteger();
    assertThat(SlowStartBatch.run(0, 1, () -> CompletableFuture.completedFuture(calls.incrementAndGet())).successes())
        .isZero();
    assertThat(calls).hasValue(0);
  }

  private static void awaitStarted(List<CompletableFuture<Void>> started, int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    synchronized (started) {
      while (started.size() < count) {
        long left = deadline - System.nanoTime();
        assertThat(left).as("calls started within 10 s").isPositive();
        TimeUnit.NANOSECONDS.timedWait(started, left);
      }
    }
  }
}
