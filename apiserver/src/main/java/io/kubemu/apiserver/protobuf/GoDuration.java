package io.kubemu.apiserver.protobuf;

/**
 * Go's {@code time.Duration.String()}, the JSON form of a Kubernetes {@code metav1.Duration}:
 * {@code 1h0m0s}, {@code 1m30s}, {@code 1.5s}, {@code 250ms}, {@code 0s}.
 */
final class GoDuration {

  private static final long MICROSECOND = 1_000L;
  private static final long MILLISECOND = 1_000_000L;
  private static final long SECOND = 1_000_000_000L;

  private GoDuration() {
  }

  static String format(long nanos) {
    if (nanos == 0) {
      return "0s";
    }
    String sign = nanos < 0 ? "-" : "";
    // Long.MIN_VALUE has no positive counterpart; unsigned arithmetic covers it.
    long magnitude = nanos < 0 ? -nanos : nanos;
    if (Long.compareUnsigned(magnitude, SECOND) < 0) {
      if (magnitude < MICROSECOND) {
        return sign + magnitude + "ns";
      }
      if (magnitude < MILLISECOND) {
        return sign + decimal(magnitude, 3) + "\u00b5s";
      }
      return sign + decimal(magnitude, 6) + "ms";
    }
    long seconds = Long.divideUnsigned(magnitude, SECOND);
    long fraction = Long.remainderUnsigned(magnitude, SECOND);
    long hours = seconds / 3600;
    long minutes = seconds / 60 % 60;
    StringBuilder text = new StringBuilder(sign);
    if (hours > 0) {
      text.append(hours).append('h');
    }
    if (hours > 0 || minutes > 0) {
      text.append(minutes).append('m');
    }
    text.append(decimal(seconds % 60 * SECOND + fraction, 9)).append('s');
    return text.toString();
  }

  /** {@code value / 10^digits} written with only the fraction digits that are not trailing zeros. */
  private static String decimal(long value, int digits) {
    long unit = (long) Math.pow(10, digits);
    String fraction = String.format("%0" + digits + "d", value % unit).replaceFirst("0+$", "");
    return fraction.isEmpty() ? Long.toString(value / unit) : value / unit + "." + fraction;
  }
}
