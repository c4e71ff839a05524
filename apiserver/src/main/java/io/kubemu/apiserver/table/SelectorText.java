package io.kubemu.apiserver.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A workload's {@code spec.selector} ({@code matchLabels} and {@code matchExpressions}) in
 * Kubernetes' selector text: requirements sorted by key, {@code app=web},
 * {@code tier in (a,b)}, {@code tier notin (a,b)}, {@code tier}, {@code !tier}.
 */
final class SelectorText {
  private record Requirement(String key, String text) {}

  private SelectorText() {}

  /** The SELECTOR cell of ReplicaSets: "<none>" for a missing or empty selector, "<error>" for a broken one. */
  static String orNone(JsonNode selector) {
    try {
      return Cells.orNone(format(selector));
    } catch (IllegalArgumentException e) {
      return "<error>";
    }
  }

  /** The SELECTOR cell of Deployments: "" for a missing or empty selector, "<invalid>" for a broken one. */
  static String orEmpty(JsonNode selector) {
    try {
      return format(selector);
    } catch (IllegalArgumentException e) {
      return "<invalid>";
    }
  }

  private static String format(JsonNode selector) {
    List<Requirement> requirements = new ArrayList<>();
    selector.path("matchLabels").fields().forEachRemaining(
        e -> requirements.add(new Requirement(e.getKey(), e.getKey() + "=" + Cells.text(e.getValue()))));
    for (JsonNode expression : selector.path("matchExpressions")) {
      requirements.add(expression(expression));
    }
    requirements.sort(Comparator.comparing(Requirement::key));
    return String.join(",", requirements.stream().map(Requirement::text).toList());
  }

  private static Requirement expression(JsonNode expression) {
    String key = Cells.text(expression.path("key"));
    String operator = Cells.text(expression.path("operator"));
    List<String> values = new ArrayList<>();
    expression.path("values").forEach(v -> values.add(Cells.text(v)));
    values.sort(Comparator.naturalOrder());
    String text = switch (operator) {
      case "In" -> key + " in (" + String.join(",", nonEmpty(values, operator)) + ")";
      case "NotIn" -> key + " notin (" + String.join(",", nonEmpty(values, operator)) + ")";
      case "Exists" -> empty(values, operator, key);
      case "DoesNotExist" -> empty(values, operator, "!" + key);
      default -> throw new IllegalArgumentException("\"" + operator + "\" is not a valid label selector operator");
    };
    return new Requirement(key, text);
  }

  private static List<String> nonEmpty(List<String> values, String operator) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException(operator + " needs at least one value");
    }
    return values;
  }

  private static String empty(List<String> values, String operator, String text) {
    if (!values.isEmpty()) {
      throw new IllegalArgumentException(operator + " takes no values");
    }
    return text;
  }
}
