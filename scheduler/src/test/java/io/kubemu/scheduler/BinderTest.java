package io.kubemu.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The scheduler's binds run side by side up to a limit, on threads that do not outlive a burst. */
class BinderTest {
  @Test
  void bindsRunSideBySideUpToTheLimitAndIdleThreadsEnd() throws Exception {
    ThreadPoolExecutor binder = Scheduler.binder(3, Duration.ofMillis(200));
    try {
      CountDownLatch running = new CountDownLatch(3);
      CountDownLatch release = new CountDownLatch(1);
      for (int i = 0; i < 5; i++) {
        binder.execute(() -> {
          running.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
      }
      assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(binder.getPoolSize()).isEqualTo(3);
      assertThat(binder.getQueue()).hasSize(2);
      release.countDown();
      await().atMost(Duration.ofSeconds(10)).until(() -> binder.getCompletedTaskCount() == 5);
      await().atMost(Duration.ofSeconds(10)).until(() -> binder.getPoolSize() == 0);
    } finally {
      binder.shutdownNow();
    }
  }
}
