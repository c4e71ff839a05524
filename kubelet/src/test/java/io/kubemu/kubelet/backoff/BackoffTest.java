package io.kubemu.kubelet.backoff;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubemu.kubelet.runtime.fake.FakeClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private final FakeClock clock = new FakeClock(Instant.parse("2026-11-26T10:00:00Z"));
  private final Backoff backoff = new Backoff(clock, Duration.ofSeconds(10), Duration.ofMinutes(5));

  @Test
  void theDelayDoublesFromTenSecondsUpToFiveMinutes() {
    for (String expected : new String[] {"10s", "20s", "40s", "1m20s", "2m40s", "5m0s", "5m0s"}) {
      backoff.next("u1_app", clock.instant());
      assertThat(Backoff.format(backoff.get("u1_app"))).isEqualTo(expected);
      clock.advance(Duration.ofSeconds(1));
    }
  }

  @Test
  void aFailureIsInBackoffUntilTheDelayHasPassedSinceIt() {
    Instant failed = clock.instant();
    assertThat(backoff.isInBackOffSince("u1_app", failed)).isFalse();
    backoff.next("u1_app", failed);
    clock.advance(Duration.ofSeconds(9));
    assertThat(backoff.isInBackOffSince("u1_app", failed)).isTrue();
    assertThat(backoff.remaining("u1_app", failed)).isEqualTo(Duration.ofSeconds(1));
    clock.advance(Duration.ofSeconds(1));
    assertThat(backoff.isInBackOffSince("u1_app", failed)).isFalse();
    assertThat(backoff.isInBackOffSince("u2_app", failed)).isFalse();
  }

  @Test
  void aKeyQuietForTwiceTheMaximumStartsAfresh() {
    backoff.next("u1_app", clock.instant());
    backoff.next("u1_app", clock.instant());
    clock.advance(Duration.ofMinutes(11));
    assertThat(backoff.isInBackOffSince("u1_app", clock.instant())).isFalse();
    backoff.next("u1_app", clock.instant());
    assertThat(backoff.get("u1_app")).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void durationsReadAsGoPrintsThem() {
    assertThat(Backoff.format(Duration.ofMillis(250))).isEqualTo("250ms");
    assertThat(Backoff.format(Duration.ofMillis(1500))).isEqualTo("1.5s");
    assertThat(Backoff.format(Duration.ofMinutes(61))).isEqualTo("1h1m0s");
  }
}
