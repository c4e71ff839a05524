package io.kubemu.controllermanager.replicaset;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ControllerExpectationsTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void creationsAreSatisfiedOnceAllAreObserved() {
    ControllerExpectations expectations = new ControllerExpectations(Clock.fixed(NOW, ZoneOffset.UTC));
    assertThat(expectations.satisfied("ns/rs")).isTrue();

    expectations.expectCreations("ns/rs", 2);
    expectations.creationObserved("ns/rs");
    assertThat(expectations.satisfied("ns/rs")).isFalse();
    expectations.creationObserved("ns/rs");
    assertThat(expectations.satisfied("ns/rs")).isTrue();
  }

  @Test
  void deletionsAreTrackedByPodSoASecondSightingOfOneDoesNotCountTwice() {
    ControllerExpectations expectations = new ControllerExpectations(Clock.fixed(NOW, ZoneOffset.UTC));
    expectations.expectDeletions("ns/rs", Set.of("ns/a", "ns/b"));

    expectations.deletionObserved("ns/rs", "ns/a");
    expectations.deletionObserved("ns/rs", "ns/a");
    assertThat(expectations.satisfied("ns/rs")).isFalse();
    expectations.deletionObserved("ns/rs", "ns/b");
    assertThat(expectations.satisfied("ns/rs")).isTrue();
  }

  @Test
  void expectationsNotObservedWithinFiveMinutesAreGivenUp() {
    Instant[] now = {NOW};
    Clock clock = new Clock() {
      @Override
      public ZoneOffset getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return now[0];
      }
    };
    ControllerExpectations expectations = new ControllerExpectations(clock);
    expectations.expectCreations("ns/rs", 1);

    now[0] = NOW.plus(ControllerExpectations.TTL).minusSeconds(1);
    assertThat(expectations.satisfied("ns/rs")).isFalse();
    now[0] = NOW.plus(ControllerExpectations.TTL);
    assertThat(expectations.satisfied("ns/rs")).isTrue();
  }
}
