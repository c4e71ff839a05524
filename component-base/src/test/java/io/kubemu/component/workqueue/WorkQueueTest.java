package io.kubemu.component.workqueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WorkQueueTest {
  private final WorkQueue<String> queue = new WorkQueue<>("test");

  @Test
  void aKeyAddedManyTimesBeforeItIsTakenIsProcessedOnce() throws Exception {
    queue.add("default/a");
    queue.add("default/b");
    queue.add("default/a");
    queue.add("default/a");

    assertThat(queue.len()).isEqualTo(2);
    assertThat(queue.get()).isEqualTo("default/a");
    assertThat(queue.get()).isEqualTo("default/b");
    assertThat(queue.len()).isZero();
  }

  @Test
  void aKeyAddedWhileItIsProcessedComesBackAfterDoneAndNotBefore() throws Exception {
    queue.add("default/a");
    String taken = queue.get();
    queue.add("default/a");
    assertThat(queue.len()).as("not handed to a second worker while the first has it").isZero();

    queue.done(taken);
    assertThat(queue.len()).isEqualTo(1);
    assertThat(queue.get()).isEqualTo("default/a");
  }

  @Test
  void aKeyNotAddedAgainIsGoneAfterDone() throws Exception {
    queue.add("default/a");
    queue.done(queue.get());
    assertThat(queue.len()).isZero();
  }

  @Test
  void addAfterDeliversTheKeyOnceTheDelayHasPassed() throws Exception {
    long start = System.nanoTime();
    queue.addAfter("default/late", Duration.ofMillis(200));
    assertThat(queue.len()).isZero();

    assertThat(queue.get()).isEqualTo("default/late");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
  }

  @Test
  void failuresBackOffExponentiallyPerKeyUntilForgotten() {
    ItemExponentialFailureRateLimiter<String> limiter =
        new ItemExponentialFailureRateLimiter<>(Duration.ofMillis(5), Duration.ofSeconds(1));

    assertThat(limiter.when("a")).isEqualTo(Duration.ofMillis(5));
    assertThat(limiter.when("a")).isEqualTo(Duration.ofMillis(10));
    assertThat(limiter.when("a")).isEqualTo(Duration.ofMillis(20));
    assertThat(limiter.when("b")).as("each key has its own backoff").isEqualTo(Duration.ofMillis(5));
    assertThat(limiter.numRequeues("a")).isEqualTo(3);
    for (int i = 0; i < 100; i++) {
      limiter.when("a");
    }
    assertThat(limiter.when("a")).as("capped").isEqualTo(Duration.ofSeconds(1));

    limiter.forget("a");
    assertThat(limiter.numRequeues("a")).isZero();
    assertThat(limiter.when("a")).isEqualTo(Duration.ofMillis(5));
  }

  @Test
  void shutDownWakesWaitingWorkersWithNothingAndIgnoresLaterAdds() throws Exception {
    CompletableFuture<String> waiting = CompletableFuture.supplyAsync(() -> {
      try {
        return queue.get();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    queue.shutDown();
    assertThat(waiting.get(5, TimeUnit.SECONDS)).isNull();
    queue.add("default/a");
    assertThat(queue.len()).isZero();
  }

  @Test
  void workersSyncEveryKeyAndRetryAFailingOneWithBackoffUntilItSucceeds() throws Exception {
    List<String> synced = new CopyOnWriteArrayList<>();
    AtomicInteger failuresLeft = new AtomicInteger(3);
    WorkQueue<String> work = new WorkQueue<>("workers",
        new ItemExponentialFailureRateLimiter<>(Duration.ofMillis(1), Duration.ofMillis(50)));
    try (Workers<String> workers = new Workers<>(work, 2, key -> {
      if (key.equals("default/flaky") && failuresLeft.getAndDecrement() > 0) {
        throw new IllegalStateException("not yet");
      }
      synced.add(key);
    })) {
      workers.start();
      work.add("default/a");
      work.add("default/flaky");
      work.add("default/b");
      await().atMost(Duration.ofSeconds(5)).until(() -> synced.size() == 3);
      assertThat(synced).containsExactlyInAnyOrder("default/a", "default/b", "default/flaky");
      assertThat(work.numRequeues("default/flaky")).as("forgotten once it synced").isZero();
    }
  }
}
