package io.kubemu.scheduler.queue;

import static io.kubemu.scheduler.TestObjects.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SchedulingQueueTest {
  private final MutableClock clock = new MutableClock();
  private final SchedulingQueue queue = new SchedulingQueue(clock);

  @Test
  void higherPriorityFirstThenTheLongestWaiting() throws InterruptedException {
    queue.add(pod("first"));
    clock.advance(Duration.ofMillis(1));
    queue.add(pod("second"));
    clock.advance(Duration.ofMillis(1));
    queue.add(new PodBuilder(pod("urgent")).editSpec().withPriority(1000).endSpec().build());
    assertThat(names(3)).containsExactly("urgent", "first", "second");
  }

  @Test
  void backoffDoublesFromOneSecondUpToTen() {
    assertThat(SchedulingQueue.backoff(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(SchedulingQueue.backoff(2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(SchedulingQueue.backoff(4)).isEqualTo(Duration.ofSeconds(8));
    assertThat(SchedulingQueue.backoff(5)).isEqualTo(Duration.ofSeconds(10));
    assertThat(SchedulingQueue.backoff(50)).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void anUnschedulablePodWaitsForAClusterChangeThenItsBackoff() throws InterruptedException {
    QueuedPodInfo info = popOne(pod("p"));
    queue.addUnschedulable(info);
    assertThat(queue.sizes()).containsExactly(0, 0, 1);

    queue.moveAllToActiveOrBackoff();
    assertThat(queue.sizes()).containsExactly(0, 1, 0);
    clock.advance(Duration.ofMillis(999));
    queue.flush();
    assertThat(queue.sizes()).containsExactly(0, 1, 0);
    clock.advance(Duration.ofMillis(1));
    queue.flush();
    assertThat(queue.sizes()).containsExactly(1, 0, 0);
    assertThat(queue.pop(Duration.ZERO).attempts()).isEqualTo(2);
  }

  @Test
  void anUnschedulablePodIsRetriedAfterSixtySecondsAnyway() {
    queue.addUnschedulable(popOne(pod("p")));
    clock.advance(Duration.ofSeconds(59));
    queue.flush();
    assertThat(queue.sizes()).containsExactly(0, 0, 1);
    clock.advance(Duration.ofSeconds(1));
    queue.flush();
    assertThat(queue.sizes()).containsExactly(1, 0, 0);
  }

  @Test
  void aClusterChangeDuringTheCycleSendsThePodToBackoffNotToWait() {
    QueuedPodInfo info = popOne(pod("p"));
    queue.moveAllToActiveOrBackoff();
    queue.addUnschedulable(info);
    assertThat(queue.sizes()).containsExactly(0, 1, 0);
  }

  @Test
  void aPodChangedDuringItsCycleGoesToBackoffNotToWait() {
    QueuedPodInfo info = popOne(pod("p"));
    queue.update(new PodBuilder(pod("p")).editMetadata().addToLabels("fixed", "yes").endMetadata().build());
    queue.addUnschedulable(info);
    assertThat(queue.sizes()).containsExactly(0, 1, 0);
  }

  @Test
  void aPodDeletedOrBoundWhileInFlightIsNotRequeued() {
    QueuedPodInfo info = popOne(pod("p"));
    queue.delete(info.pod());
    queue.done(info.pod());
    queue.addUnschedulable(info);
    assertThat(queue.sizes()).containsExactly(0, 0, 0);
  }

  @Test
  void anUpdatedUnschedulablePodIsTriedAgain() {
    queue.addUnschedulable(popOne(pod("p")));
    clock.advance(Duration.ofSeconds(2));
    Pod updated = new PodBuilder(pod("p")).editMetadata().addToLabels("fixed", "yes").endMetadata().build();
    queue.update(updated);
    assertThat(queue.sizes()).containsExactly(1, 0, 0);
  }

  @Test
  void aPodIsQueuedOnce() {
    queue.add(pod("p"));
    queue.add(pod("p"));
    assertThat(queue.sizes()).containsExactly(1, 0, 0);
  }

  private QueuedPodInfo popOne(Pod pod) {
    queue.add(pod);
    try {
      return queue.pop(Duration.ZERO);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  private String[] names(int count) throws InterruptedException {
    String[] names = new String[count];
    for (int i = 0; i < count; i++) {
      names[i] = queue.pop(Duration.ZERO).pod().getMetadata().getName();
    }
    return names;
  }

  /** A clock the test moves. */
  private static final class MutableClock extends Clock {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
