package io.kubemu.component.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventCorrelatorTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  final EventCorrelator correlator = new EventCorrelator();

  @Test
  void aNewEventIsCreatedAndTheSameEventAgainCountsUp() {
    assertThat(correlator.decide("rs", "rs/Normal/SuccessfulCreate/pod a", "rs.1", T0))
        .isEqualTo(new EventCorrelator.Create("rs.1"));
    assertThat(correlator.decide("rs", "rs/Normal/SuccessfulCreate/pod b", "rs.2", T0))
        .isEqualTo(new EventCorrelator.Create("rs.2"));
    assertThat(correlator.decide("rs", "rs/Normal/SuccessfulCreate/pod a", "rs.3", T0))
        .isEqualTo(new EventCorrelator.Update("rs.1", 2));
  }

  @Test
  void twentyFiveEventsAboutOneObjectPassThenOneEveryFiveMinutes() {
    for (int i = 0; i < EventCorrelator.SPAM_BURST; i++) {
      assertThat(correlator.decide("rs", "rs/" + i, "rs." + i, T0)).isInstanceOf(EventCorrelator.Create.class);
    }
    assertThat(correlator.decide("rs", "rs/25", "rs.25", T0.plusSeconds(1))).isInstanceOf(EventCorrelator.Drop.class);
    assertThat(correlator.decide("other", "other/0", "other.0", T0.plusSeconds(1)))
        .as("another object has its own bucket").isInstanceOf(EventCorrelator.Create.class);

    Instant later = T0.plus(EventCorrelator.SPAM_REFILL).plusSeconds(2);
    assertThat(correlator.decide("rs", "rs/26", "rs.26", later)).isInstanceOf(EventCorrelator.Create.class);
    assertThat(correlator.decide("rs", "rs/27", "rs.27", later.plus(Duration.ofSeconds(1))))
        .isInstanceOf(EventCorrelator.Drop.class);
  }
}
