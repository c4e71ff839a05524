package io.kubemu.apiserver.watch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The watch cache's window sized as kube-apiserver's: at least 75 s of events, between 100 and 10,000. */
class EventWindowTest {
  private static final long SECOND = 1_000_000_000L;

  private long revision;

  private WatchEvent next() {
    revision++;
    return new WatchEvent(WatchEvent.Type.MODIFIED, JsonNodeFactory.instance.objectNode(), revision);
  }

  @Test
  void startsAtTheLowerBoundAndDoublesWhileItsEventsAreFresh() {
    EventWindow window = new EventWindow(0);
    assertThat(window.capacity()).isEqualTo(EventWindow.LOWER_BOUND_CAPACITY);
    for (int i = 0; i < 1_000; i++) {
      window.add(next(), i * SECOND / 100); // 100 a second: all of them within 75 s
    }
    assertThat(window.capacity()).isEqualTo(1_600);
    assertThat(window.size()).isEqualTo(1_000);
    assertThat(window.oldestRevision()).isZero();
    assertThat(window.after(0)).hasSize(1_000);
    assertThat(window.after(990)).extracting(WatchEvent::revision).containsExactly(991L, 992L, 993L, 994L, 995L,
        996L, 997L, 998L, 999L, 1000L);
  }

  @Test
  void aQuietTypeKeepsAHundredEventsAndDropsTheOldest() {
    EventWindow window = new EventWindow(0);
    for (int i = 0; i < 1_000; i++) {
      window.add(next(), i * SECOND); // one a second: the 101st comes after the first is 75 s old
    }
    assertThat(window.capacity()).isEqualTo(EventWindow.LOWER_BOUND_CAPACITY);
    assertThat(window.size()).isEqualTo(100);
    assertThat(window.oldestRevision()).isEqualTo(900);
    assertThat(window.after(900)).extracting(WatchEvent::revision).first().isEqualTo(901L);
  }

  @Test
  void neverGrowsBeyondTheUpperBound() {
    EventWindow window = new EventWindow(0, Duration.ofSeconds(75), 4, 16);
    for (int i = 0; i < 100; i++) {
      window.add(next(), i);
    }
    assertThat(window.capacity()).isEqualTo(16);
    assertThat(window.size()).isEqualTo(16);
    assertThat(window.oldestRevision()).isEqualTo(84);
  }

  @Test
  void afterABurstHalvesOnceItsNewestQuarterIsStaleKeepingTheNewestEvents() {
    EventWindow window = new EventWindow(0, Duration.ofSeconds(75), 4, 1024);
    for (int i = 0; i < 64; i++) {
      window.add(next(), 0); // a burst: 64 events at once
    }
    assertThat(window.capacity()).isEqualTo(64);
    window.add(next(), 100 * SECOND); // the burst is 100 s old: 64 -> 32 (the oldest 32 dropped), then full: 33
    assertThat(window.capacity()).isEqualTo(32);
    assertThat(window.size()).isEqualTo(32);
    assertThat(window.oldestRevision()).isEqualTo(33);
    List<WatchEvent> kept = window.after(window.oldestRevision());
    assertThat(kept).extracting(WatchEvent::revision).startsWith(34L).endsWith(65L);
    for (int i = 0; i < 100; i++) {
      window.add(next(), (200 + i * 100L) * SECOND); // quiet from then on: down to the lower bound
    }
    assertThat(window.capacity()).isEqualTo(4);
    assertThat(window.after(window.oldestRevision())).extracting(WatchEvent::revision)
        .containsExactly(162L, 163L, 164L, 165L);
  }

  @Test
  void growsInOrderFromAWrappedRing() {
    EventWindow window = new EventWindow(0, Duration.ofSeconds(75), 4, 64);
    for (int i = 0; i < 10; i++) {
      window.add(next(), i * 100 * SECOND); // quiet: the ring of 4 wraps around
    }
    for (int i = 0; i < 20; i++) {
      window.add(next(), 2_000 * SECOND); // then a burst: it grows once the stale events are gone
    }
    assertThat(window.capacity()).isEqualTo(32);
    assertThat(window.oldestRevision()).isEqualTo(10);
    assertThat(window.after(window.oldestRevision())).extracting(WatchEvent::revision)
        .containsExactlyElementsOf(LongStream.rangeClosed(11, 30).boxed().toList());
  }

  @Test
  void clearingStartsOverAtTheLowerBoundFromTheGivenRevision() {
    EventWindow window = new EventWindow(0);
    for (int i = 0; i < 500; i++) {
      window.add(next(), 0);
    }
    window.clear(7_000);
    assertThat(window.capacity()).isEqualTo(EventWindow.LOWER_BOUND_CAPACITY);
    assertThat(window.size()).isZero();
    assertThat(window.oldestRevision()).isEqualTo(7_000);
    assertThat(window.after(0)).isEmpty();
  }
}
