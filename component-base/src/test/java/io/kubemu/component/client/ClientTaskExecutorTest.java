package io.kubemu.component.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ClientTaskExecutorTest {
  private final ClientTaskExecutor executor = new ClientTaskExecutor("test-tasks");
  /** For tests that name the lanes: never stuck, however slowly this machine runs them, so no helper lane. */
  private final ClientTaskExecutor withoutHelpers = new ClientTaskExecutor("test-tasks", Duration.ofMinutes(10));

  @AfterEach
  void shutDown() {
    executor.shutdownNow();
    withoutHelpers.shutdownNow();
  }

  @Test
  void tasksThatDoNotBlockRunOnTheStandingLanes() throws InterruptedException {
    List<String> threads = new CopyOnWriteArrayList<>();
    CountDownLatch done = new CountDownLatch(1100);
    for (int i = 0; i < 1000; i++) {
      int task = i;
      withoutHelpers.execute(() -> {
        threads.add(Thread.currentThread().getName());
        if (task % 10 == 0) {
          withoutHelpers.execute(done::countDown); // a task handing on the next, as fabric8's do
        }
        done.countDown();
      });
    }

    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(threads).hasSize(1000).allMatch(ClientTaskExecutorTest::standing);
    assertThat(withoutHelpers.lanes()).isEqualTo(ClientTaskExecutor.STANDING);
  }

  @Test
  void aTaskHandedOnByALaneRunsOnThatLaneAfterItsTaskWithoutWakingAnother() throws InterruptedException {
    startIdle(withoutHelpers);
    CountDownLatch handedOnRan = new CountDownLatch(1);
    AtomicBoolean firstEnded = new AtomicBoolean();
    List<String> threads = new CopyOnWriteArrayList<>();
    List<Boolean> afterFirst = new CopyOnWriteArrayList<>();
    withoutHelpers.execute(() -> {
      threads.add(Thread.currentThread().getName());
      withoutHelpers.execute(() -> { // as fabric8 hands on a watch's next event
        threads.add(Thread.currentThread().getName());
        afterFirst.add(firstEnded.get());
        handedOnRan.countDown();
      });
      // Time for another lane to take it, had it been woken.
      awaitQuietly(handedOnRan, Duration.ofMillis(300));
      firstEnded.set(true);
    });

    assertThat(handedOnRan.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(threads).hasSize(2).as("both on one lane").containsOnly(threads.get(0));
    assertThat(afterFirst).containsExactly(true);
  }

  @Test
  void aTaskHandedOnByALaneThatThenBlocksRunsOnAnIdleLane() throws InterruptedException {
    startIdle(executor);
    CountDownLatch answered = new CountDownLatch(1);
    CountDownLatch waited = new CountDownLatch(1);
    List<String> threads = new CopyOnWriteArrayList<>();
    executor.execute(() -> {
      executor.execute(() -> {
        threads.add(Thread.currentThread().getName());
        answered.countDown();
      });
      awaitQuietly(answered, Duration.ofSeconds(30)); // as a handler waiting for an answer that another task delivers
      waited.countDown();
    });

    assertThat(waited.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(threads).as("on the other standing lane, woken; no helper started").hasSize(1)
        .allMatch(ClientTaskExecutorTest::standing);
  }

  @Test
  void tasksHandedOnByALaneWhileAnotherWaitsWakeAnIdleLane() throws InterruptedException {
    startIdle(withoutHelpers);
    CountDownLatch second = new CountDownLatch(1);
    CountDownLatch waited = new CountDownLatch(1);
    withoutHelpers.execute(() -> {
      withoutHelpers.execute(() -> { });
      withoutHelpers.execute(second::countDown); // two waiting now: the idle lane is woken for them
      awaitQuietly(second, Duration.ofSeconds(30));
      waited.countDown();
    });

    assertThat(waited.await(5, TimeUnit.SECONDS)).as("without a watchdog to wake it").isTrue();
  }

  @Test
  void tasksBlockedOnEveryLaneDoNotHoldUpTheTasksBehindThem() throws InterruptedException {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch behind = new CountDownLatch(3);
    for (int i = 0; i < ClientTaskExecutor.STANDING; i++) {
      executor.execute(() -> awaitQuietly(release));
    }
    for (int i = 0; i < 3; i++) {
      executor.execute(behind::countDown);
    }

    assertThat(behind.await(5, TimeUnit.SECONDS)).as("the tasks behind the blocked ones ran").isTrue();
    assertThat(release.getCount()).as("while those were still blocked").isOne();
    release.countDown();
    await().atMost(Duration.ofSeconds(5)).until(() -> executor.lanes() == ClientTaskExecutor.STANDING);
  }

  @Test
  void tasksWaitingForOnesQueuedBehindThemAreNotDeadlocked() throws InterruptedException {
    CountDownLatch running = new CountDownLatch(ClientTaskExecutor.STANDING);
    CountDownLatch waited = new CountDownLatch(ClientTaskExecutor.STANDING);
    for (int i = 0; i < ClientTaskExecutor.STANDING; i++) {
      executor.execute(() -> {
        running.countDown();
        awaitQuietly(running); // every lane holds one of these tasks
        CountDownLatch answer = new CountDownLatch(1);
        executor.execute(answer::countDown);
        awaitQuietly(answer); // as a handler waiting for an answer that another task delivers
        waited.countDown();
      });
    }

    assertThat(waited.await(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aTaskThatFailsOrLeavesItsThreadInterruptedDoesNotEndItsLane() throws InterruptedException {
    for (int i = 0; i < 2 * ClientTaskExecutor.STANDING; i++) {
      withoutHelpers.execute(() -> {
        throw new IllegalStateException("a handler's bug");
      });
      withoutHelpers.execute(() -> Thread.currentThread().interrupt());
    }
    CountDownLatch after = new CountDownLatch(10);
    List<String> threads = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 10; i++) {
      withoutHelpers.execute(() -> {
        if (!Thread.currentThread().isInterrupted()) {
          threads.add(Thread.currentThread().getName());
        }
        after.countDown();
      });
    }

    assertThat(after.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(threads).as("uninterrupted, on the standing lanes").hasSize(10).allMatch(ClientTaskExecutorTest::standing);
    assertThat(withoutHelpers.lanes()).isEqualTo(ClientTaskExecutor.STANDING);
  }

  @Test
  void aShutDownExecutorRefusesTasksAndItsLanesEnd() {
    executor.execute(() -> { });
    executor.shutdownNow();

    assertThatThrownBy(() -> executor.execute(() -> { })).isInstanceOf(RejectedExecutionException.class);
    await().atMost(Duration.ofSeconds(5)).until(() -> executor.lanes() == 0);
  }

  /** Starts the executor's standing lanes and waits until both wait for a task. */
  private static void startIdle(ClientTaskExecutor lanes) {
    lanes.execute(() -> { });
    await().atMost(Duration.ofSeconds(5)).until(() -> lanes.idleLanes() == ClientTaskExecutor.STANDING);
  }

  /** A standing lane's thread: the lanes started first, numbered from 1. */
  private static boolean standing(String thread) {
    for (int lane = 1; lane <= ClientTaskExecutor.STANDING; lane++) {
      if (thread.equals("test-tasks-" + lane)) {
        return true;
      }
    }
    return false;
  }

  private static void awaitQuietly(CountDownLatch latch) {
    awaitQuietly(latch, Duration.ofSeconds(30));
  }

  private static void awaitQuietly(CountDownLatch latch, Duration timeout) {
    try {
      latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
