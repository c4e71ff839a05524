package io.kubemu.component.workqueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WorkersTest {
  private final WorkQueue<String> queue = new WorkQueue<>("test");

  @Test
  void anIdleControllerKeepsOneWorker() {
    try (Workers<String> workers = new Workers<>(queue, 5, item -> { })) {
      workers.start();
      assertThat(workers.size()).isEqualTo(1);
    }
  }

  @Test
  void itemsQueuedWhileEveryWorkerIsBusyStartMoreWorkersUpToTheConcurrency() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger inSync = new AtomicInteger();
    AtomicInteger mostAtOnce = new AtomicInteger();
    Set<String> synced = ConcurrentHashMap.newKeySet();
    try (Workers<String> workers = new Workers<>(queue, 3, item -> {
      mostAtOnce.accumulateAndGet(inSync.incrementAndGet(), Math::max);
      release.await(10, TimeUnit.SECONDS);
      synced.add(item);
      inSync.decrementAndGet();
    })) {
      workers.start();
      for (int i = 0; i < 8; i++) {
        queue.add("default/pod-" + i);
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> inSync.get() == 3);
      assertThat(workers.size()).isEqualTo(3);

      release.countDown();
      await().atMost(Duration.ofSeconds(10)).until(() -> synced.size() == 8);
      assertThat(mostAtOnce.get()).isEqualTo(3);
    }
  }

  @Test
  void workersBeyondTheFirstEndWhenThereIsNothingToDo() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Set<String> synced = ConcurrentHashMap.newKeySet();
    try (Workers<String> workers = new Workers<>(queue, 4, item -> {
      release.await(10, TimeUnit.SECONDS);
      synced.add(item);
    }, Duration.ofMillis(200))) {
      workers.start();
      for (int i = 0; i < 4; i++) {
        queue.add("default/pod-" + i);
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> workers.size() == 4);
      release.countDown();

      await().atMost(Duration.ofSeconds(10)).until(() -> synced.size() == 4 && workers.size() == 1);
      queue.add("default/pod-later");
      await().atMost(Duration.ofSeconds(10)).until(() -> synced.contains("default/pod-later"));
    }
  }

  @Test
  void itemsQueuedBeforeStartAreSyncedInParallel() throws Exception {
    CountDownLatch bothIn = new CountDownLatch(2);
    Set<String> synced = ConcurrentHashMap.newKeySet();
    queue.add("default/a");
    queue.add("default/b");
    try (Workers<String> workers = new Workers<>(queue, 2, item -> {
      bothIn.countDown();
      bothIn.await(10, TimeUnit.SECONDS);
      synced.add(item);
    })) {
      workers.start();
      await().atMost(Duration.ofSeconds(10)).until(() -> synced.size() == 2);
      assertThat(bothIn.getCount()).as("the two items were in sync at the same time").isZero();
    }
  }
}
