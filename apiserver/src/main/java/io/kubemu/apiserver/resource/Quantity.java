package io.kubemu.apiserver.resource;

import java.math.BigDecimal;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A resource quantity as Kubernetes writes it ({@code 500m}, {@code 1.5Gi}, {@code 2e3}), read
 * as an exact number so that requests and limits can be compared.
 */
public final class Quantity {
  public static final String FORMAT = "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$";
  private static final Pattern QUANTITY = Pattern.compile("([+-]?[0-9]+(?:\\.[0-9]*)?|[+-]?\\.[0-9]+)([a-zA-Z]*)([-+]?[0-9]*)");
  private static final Map<String, BigDecimal> SUFFIXES = Map.ofEntries(
      Map.entry("", BigDecimal.ONE),
      Map.entry("n", new BigDecimal("1e-9")), Map.entry("u", new BigDecimal("1e-6")),
      Map.entry("m", new BigDecimal("1e-3")), Map.entry("k", new BigDecimal("1e3")),
      Map.entry("M", new BigDecimal("1e6")), Map.entry("G", new BigDecimal("1e9")),
      Map.entry("T", new BigDecimal("1e12")), Map.entry("P", new BigDecimal("1e15")),
      Map.entry("E", new BigDecimal("1e18")),
      Map.entry("Ki", BigDecimal.valueOf(1L << 10)), Map.entry("Mi", BigDecimal.valueOf(1L << 20)),
      Map.entry("Gi", BigDecimal.valueOf(1L << 30)), Map.entry("Ti", BigDecimal.valueOf(1L << 40)),
      Map.entry("Pi", BigDecimal.valueOf(1L << 50)), Map.entry("Ei", BigDecimal.valueOf(1L << 60)));

  private Quantity() {}

  /** The quantity's value, or null when the text is not a quantity. */
  public static BigDecimal parse(String text) {
    Matcher quantity = QUANTITY.matcher(text.trim());
    if (text.isBlank() || !quantity.matches()) {
      return null;
    }
    BigDecimal number = new BigDecimal(quantity.group(1));
    String suffix = quantity.group(2);
    String exponent = quantity.group(3);
    if ((suffix.equals("e") || suffix.equals("E")) && !exponent.isEmpty()) {
      return number.scaleByPowerOfTen(Integer.parseInt(exponent));
    }
    BigDecimal multiplier = SUFFIXES.get(suffix);
    return multiplier == null || !exponent.isEmpty() ? null : number.multiply(multiplier);
  }
}
