package io.kubemu.apiserver.table;

import java.time.Duration;

/**
 * Kubernetes' human duration, as AGE and "(5m ago)" show it: two or three significant figures
 * that get coarser as the duration grows ("45s", "3m20s", "15m", "5h30m", "20h", "2d3h",
 * "90d", "2y3d", "9y").
 */
public final class HumanDuration {
  private static final long MINUTE = 60;
  private static final long HOUR = 60 * MINUTE;
  private static final long DAY = 24 * HOUR;
  private static final long YEAR = 365 * DAY;

  private HumanDuration() {}

  public static String format(Duration duration) {
    // Whole seconds, truncated toward zero. Up to a second or so in the future counts as now:
    // clocks of different machines disagree by that much.
    long seconds = duration.toMillis() / 1000;
    if (seconds < -1) {
      return "<invalid>";
    }
    if (seconds < 0) {
      return "0s";
    }
    if (seconds < 2 * MINUTE) {
      return seconds + "s";
    }
    long minutes = seconds / MINUTE;
    if (minutes < 10) {
      return withRemainder(minutes, "m", seconds % MINUTE, "s");
    }
    if (minutes < 3 * 60) {
      return minutes + "m";
    }
    long hours = seconds / HOUR;
    if (hours < 8) {
      return withRemainder(hours, "h", minutes % 60, "m");
    }
    if (hours < 48) {
      return hours + "h";
    }
    long days = seconds / DAY;
    if (hours < 8 * 24) {
      return withRemainder(days, "d", hours % 24, "h");
    }
    if (seconds < 2 * YEAR) {
      return days + "d";
    }
    long years = seconds / YEAR;
    if (seconds < 8 * YEAR) {
      return withRemainder(years, "y", days % 365, "d");
    }
    return years + "y";
  }

  /** "3m20s", or "3m" when the smaller unit is zero. */
  private static String withRemainder(long whole, String unit, long rest, String restUnit) {
    return rest == 0 ? whole + unit : whole + unit + rest + restUnit;
  }
}
