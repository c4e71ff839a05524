package io.kubemu.apiserver.selection;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A workload's {@code spec.selector} ({@code matchLabels} and {@code matchExpressions}) in
 * Kubernetes' selector text: requirements sorted by key, {@code app=web},
 * {@code tier in (a,b)}, {@code tier notin (a,b)}, {@code tier}, {@code !tier}. The text is what
 * {@code kubectl get -o wide} prints, and {@link LabelSelector#parse} reads it back to match objects.
 */
public final class SelectorText {
  private record Requirement(String key, String text) {}

  private SelectorText() {}

  /**
   * The selector as text.
   *
   * @throws IllegalArgumentException when an expression has an unknown operator or the wrong number of values
   */
  public static String format(JsonNode selector) {
    List<Requirement> requirements = new ArrayList<>();
    selector.path("matchLabels").fields().forEachRemaining(
        e -> requirements.add(new Requirement(e.getKey(), e.getKey() + "=" + text(e.getValue()))));
    for (JsonNode expression : selector.path("matchExpressions")) {
      requirements.add(expression(expression));
    }
    requirements.sort(Comparator.comparing(Requirement::key));
    return String.join(",", requirements.stream().map(Requirement::text).toList());
  }

  private static Requirement expression(JsonNode expression) {
    String key = text(expression.path("key"));
    String operator = text(expression.path("operator"));
    List<String> values = new ArrayList<>();
    expression.path("values").forEach(v -> values.add(text(v)));
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

  private static String text(JsonNode node) {
    return node.isValueNode() && !node.isNull() ? node.asText() : "";
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
