package io.kubemu.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class LatenciesTest {
  @Test
  void percentilesAreNearestRankInSeconds() {
    Latencies thirty = Latencies.of(LongStream.rangeClosed(1, 30).map(i -> i * 100_000_000L).boxed().toList());
    assertThat(thirty.seconds(50)).isEqualTo(1.5);
    assertThat(thirty.seconds(99)).isEqualTo(3.0); // of 30, the 99th percentile is the slowest
    assertThat(thirty.seconds(100)).isEqualTo(3.0);
    assertThat(thirty.count()).isEqualTo(30);
  }

  @Test
  void unsortedInputIsSortedAndNoneGivesNaN() {
    assertThat(Latencies.of(List.of(3_000_000_000L, 1_000_000_000L, 2_000_000_000L)).seconds(50)).isEqualTo(2.0);
    assertThat(Latencies.of(List.of()).seconds(99)).isNaN();
  }
}
