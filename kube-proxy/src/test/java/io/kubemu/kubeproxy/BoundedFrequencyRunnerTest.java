package io.kubemu.kubeproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BoundedFrequencyRunnerTest {
  @Test
  void aQuietRunnerSyncsTwoChangesAtOnceThenOnePerMinIntervalCoalescingTheRest() throws Exception {
    Semaphore runs = new Semaphore(0);
    AtomicInteger periodic = new AtomicInteger();
    try (BoundedFrequencyRunner runner = new BoundedFrequencyRunner("test", p -> {
      if (p) {
        periodic.incrementAndGet();
      }
      runs.release();
      return true;
    }, Duration.ofSeconds(2), Duration.ofHours(1), 2).start()) {
      assertThat(runs.tryAcquire(1, TimeUnit.SECONDS)).as("the first run, at start").isTrue();
      runner.run();
      assertThat(runs.tryAcquire(1, TimeUnit.SECONDS)).as("the burst's second run, at once").isTrue();

      long asked = System.nanoTime();
      runner.run();
      runner.run();
      runner.run();
      assertThat(runs.tryAcquire(5, TimeUnit.SECONDS)).as("the next run, once the bucket refills").isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - asked)).isGreaterThan(Duration.ofMillis(500));
      assertThat(runs.tryAcquire(2500, TimeUnit.MILLISECONDS)).as("three asks, one run").isFalse();
      assertThat(periodic).hasValue(0);
    }
  }

  @Test
  void withNothingAskedItStillRunsEveryMaxInterval() throws Exception {
    AtomicInteger periodic = new AtomicInteger();
    try (BoundedFrequencyRunner runner = new BoundedFrequencyRunner("test", p -> {
      if (p) {
        periodic.incrementAndGet();
      }
      return true;
    }, Duration.ofMillis(10), Duration.ofMillis(100), 2).start()) {
      await().atMost(Duration.ofSeconds(5)).until(() -> periodic.get() >= 3);
    }
  }

  @Test
  void aFailedRunIsTriedAgain() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    try (BoundedFrequencyRunner runner = new BoundedFrequencyRunner("test", p -> calls.incrementAndGet() >= 3,
        Duration.ofMillis(50), Duration.ofHours(1), 1).start()) {
      await().atMost(Duration.ofSeconds(5)).until(() -> calls.get() >= 3);
    }
  }
}
