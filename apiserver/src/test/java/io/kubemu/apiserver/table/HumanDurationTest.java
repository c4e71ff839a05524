package io.kubemu.apiserver.table;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The AGE format, at each boundary where it changes precision. */
class HumanDurationTest {

  private static String human(Duration duration) {
    return HumanDuration.format(duration);
  }

  private static Duration seconds(long seconds) {
    return Duration.ofSeconds(seconds);
  }

  @Test
  void upToASecondAndAHalfInTheFutureCountsAsNowButMoreIsInvalid() {
    assertThat(human(Duration.ofMillis(-500))).isEqualTo("0s");
    assertThat(human(Duration.ofMillis(-1500))).isEqualTo("0s");
    assertThat(human(seconds(-1))).isEqualTo("0s");
    assertThat(human(seconds(-2))).isEqualTo("<invalid>");
  }

  @Test
  void underTwoMinutesShowsSeconds() {
    assertThat(human(Duration.ZERO)).isEqualTo("0s");
    assertThat(human(Duration.ofMillis(999))).isEqualTo("0s");
    assertThat(human(seconds(45))).isEqualTo("45s");
    assertThat(human(seconds(119))).isEqualTo("119s");
  }

  @Test
  void underTenMinutesShowsMinutesAndSecondsLeavingOutZeroSeconds() {
    assertThat(human(seconds(120))).isEqualTo("2m");
    assertThat(human(Duration.ofMillis(120_900))).isEqualTo("2m");
    assertThat(human(seconds(200))).isEqualTo("3m20s");
    assertThat(human(seconds(599))).isEqualTo("9m59s");
  }

  @Test
  void underThreeHoursShowsWholeMinutes() {
    assertThat(human(seconds(600))).isEqualTo("10m");
    assertThat(human(seconds(659))).isEqualTo("10m");
    assertThat(human(Duration.ofMinutes(179).plusSeconds(59))).isEqualTo("179m");
  }

  @Test
  void underEightHoursShowsHoursAndMinutesLeavingOutZeroMinutes() {
    assertThat(human(Duration.ofHours(3))).isEqualTo("3h");
    assertThat(human(Duration.ofMinutes(181))).isEqualTo("3h1m");
    assertThat(human(Duration.ofHours(5).plusMinutes(30).plusSeconds(59))).isEqualTo("5h30m");
    assertThat(human(Duration.ofMinutes(8 * 60 - 1))).isEqualTo("7h59m");
  }

  @Test
  void underTwoDaysShowsWholeHours() {
    assertThat(human(Duration.ofHours(8))).isEqualTo("8h");
    assertThat(human(Duration.ofHours(20).plusMinutes(59))).isEqualTo("20h");
    assertThat(human(Duration.ofHours(47).plusMinutes(59))).isEqualTo("47h");
  }

  @Test
  void underEightDaysShowsDaysAndHoursLeavingOutZeroHours() {
    assertThat(human(Duration.ofHours(48))).isEqualTo("2d");
    assertThat(human(Duration.ofHours(51))).isEqualTo("2d3h");
    assertThat(human(Duration.ofDays(7).plusHours(23).plusMinutes(59))).isEqualTo("7d23h");
  }

  @Test
  void underTwoYearsShowsWholeDays() {
    assertThat(human(Duration.ofDays(8))).isEqualTo("8d");
    assertThat(human(Duration.ofDays(90).plusHours(23))).isEqualTo("90d");
    assertThat(human(Duration.ofDays(729))).isEqualTo("729d");
  }

  @Test
  void underEightYearsShowsYearsAndDaysLeavingOutZeroDays() {
    assertThat(human(Duration.ofDays(730))).isEqualTo("2y");
    assertThat(human(Duration.ofDays(733))).isEqualTo("2y3d");
    assertThat(human(Duration.ofDays(8 * 365 - 1))).isEqualTo("7y364d");
  }

  @Test
  void fromEightYearsOnShowsWholeYears() {
    assertThat(human(Duration.ofDays(8 * 365))).isEqualTo("8y");
    assertThat(human(Duration.ofDays(10 * 365 + 200))).isEqualTo("10y");
  }
}
