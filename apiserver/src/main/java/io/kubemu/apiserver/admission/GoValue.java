package io.kubemu.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A bad value written the way kube-apiserver's messages print it, which is Go's {@code fmt}:
 * strings quoted ({@code %q}), numbers plain, and structs, maps and lists in Go syntax
 * ({@code %#v}), e.g. {@code map[string]string{"app":"web"}} or
 * {@code v1.LabelSelector{MatchLabels:..., MatchExpressions:[]v1.LabelSelectorRequirement(nil)}}.
 * Users search the web for these messages, so they are worth getting exactly right.
 */
public final class GoValue {
  private GoValue() {}

  /** Go's {@code strconv.Quote}. */
  public static String quote(String text) {
    StringBuilder quoted = new StringBuilder(text.length() + 2).append('"');
    text.codePoints().forEach(c -> {
      switch (c) {
        case '"' -> quoted.append("\\\"");
        case '\\' -> quoted.append("\\\\");
        case '\n' -> quoted.append("\\n");
        case '\t' -> quoted.append("\\t");
        case '\r' -> quoted.append("\\r");
        case 0x07 -> quoted.append("\\a");
        case '\b' -> quoted.append("\\b");
        case '\f' -> quoted.append("\\f");
        case 0x0b -> quoted.append("\\v");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            quoted.append(String.format("\\x%02x", c));
          } else {
            quoted.appendCodePoint(c);
          }
        }
      }
    });
    return quoted.append('"').toString();
  }

  /** A JSON string value quoted; a missing value is Go's empty string. */
  public static String quote(JsonNode text) {
    return quote(Fields.text(text));
  }

  /** A number, or a Go {@code nil} pointer when absent. */
  public static String number(JsonNode number) {
    return Fields.isNull(number) ? "null" : Long.toString(number.asLong());
  }

  /** A {@code map[string]string} (labels, selectors), keys in order as Go prints maps. */
  public static String stringMap(JsonNode map) {
    if (!map.isObject()) {
      return "map[string]string(nil)";
    }
    Map<String, String> sorted = new TreeMap<>();
    map.fields().forEachRemaining(entry -> sorted.put(entry.getKey(), Fields.text(entry.getValue())));
    List<String> entries = new ArrayList<>();
    sorted.forEach((key, value) -> entries.add(quote(key) + ":" + quote(value)));
    return "map[string]string{" + String.join(", ", entries) + "}";
  }

  /** A {@code []string}. */
  public static String stringSlice(JsonNode list) {
    if (!list.isArray()) {
      return "[]string(nil)";
    }
    List<String> items = new ArrayList<>();
    list.forEach(item -> items.add(quote(item)));
    return "[]string{" + String.join(", ", items) + "}";
  }

  /** A {@code metav1.LabelSelector}, as in the famous "field is immutable" message of a Deployment's selector. */
  public static String labelSelector(JsonNode selector) {
    JsonNode expressions = selector.path("matchExpressions");
    String requirements;
    if (!expressions.isArray()) {
      requirements = "[]v1.LabelSelectorRequirement(nil)";
    } else {
      List<String> items = new ArrayList<>();
      for (JsonNode expression : expressions) {
        items.add("v1.LabelSelectorRequirement{Key:" + quote(expression.path("key")) + ", Operator:"
            + quote(expression.path("operator")) + ", Values:" + stringSlice(expression.path("values")) + "}");
      }
      requirements = "[]v1.LabelSelectorRequirement{" + String.join(", ", items) + "}";
    }
    return "v1.LabelSelector{MatchLabels:" + stringMap(selector.path("matchLabels")) + ", MatchExpressions:"
        + requirements + "}";
  }

  /** An {@code intstr.IntOrString} (a port or a percentage). */
  public static String intOrString(JsonNode value) {
    if (value.isTextual()) {
      return "intstr.IntOrString{Type:1, IntVal:0, StrVal:" + quote(value.asText()) + "}";
    }
    return "intstr.IntOrString{Type:0, IntVal:" + value.asInt(0) + ", StrVal:\"\"}";
  }
}
