package io.kubemu.apiserver.protobuf;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A metav1.Duration reads as Go prints a time.Duration. */
class GoDurationTest {

  @ParameterizedTest
  @CsvSource({
      "0, 0s",
      "1, 1ns",
      "999, 999ns",
      "1500, 1.5\u00b5s",
      "250000000, 250ms",
      "1000000000, 1s",
      "1500000000, 1.5s",
      "90000000000, 1m30s",
      "3600000000000, 1h0m0s",
      "5400000000001, 1h30m0.000000001s",
      "-2000000000, -2s",
      "-9223372036854775808, -2562047h47m16.854775808s"})
  void formatsLikeGo(long nanos, String text) {
    assertThat(GoDuration.format(nanos)).isEqualTo(text);
  }
}
