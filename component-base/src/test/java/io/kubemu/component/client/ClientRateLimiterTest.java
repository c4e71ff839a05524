package io.kubemu.component.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ClientRateLimiterTest {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  @Test
  void aBurstGoesAtOnceThenRequestsAreSpacedAtTheRate() {
    ClientRateLimiter limiter = new ClientRateLimiter(20, 30, 0);
    long now = 0;
    for (int i = 0; i < 30; i++) {
      assertThat(limiter.reserve(now)).as("request %d of the burst", i).isZero();
    }
    assertThat(limiter.reserve(now)).isEqualTo(SECOND / 20);
    assertThat(limiter.reserve(now)).isEqualTo(2 * SECOND / 20);
  }

  @Test
  void tokensComeBackAtTheRateUpToTheBurst() {
    ClientRateLimiter limiter = new ClientRateLimiter(10, 2, 0);
    assertThat(limiter.reserve(0)).isZero();
    assertThat(limiter.reserve(0)).isZero();
    assertThat(limiter.reserve(SECOND / 10)).as("one token back after 100 ms").isZero();
    assertThat(limiter.reserve(10 * SECOND)).isZero();
    assertThat(limiter.reserve(10 * SECOND)).isZero();
    assertThat(limiter.reserve(10 * SECOND)).as("no more than the burst saved up").isEqualTo(SECOND / 10);
  }
}
