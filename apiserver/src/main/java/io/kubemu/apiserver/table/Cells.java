package io.kubemu.apiserver.table;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubemu.apiserver.selection.SelectorText;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** Reading fields of stored objects, and the cell formats that many kinds share. */
final class Cells {
  static final String NONE = "<none>";
  static final String UNKNOWN = "<unknown>";
  /** How many entries ENDPOINTS and PORTS show before " + N more...". */
  static final int SHOWN_ENTRIES = 3;

  private Cells() {}

  /** A string field's value, "" when absent, null or not a scalar. */
  static String text(JsonNode node) {
    return node.isValueNode() && !node.isNull() ? node.asText() : "";
  }

  static String orNone(String value) {
    return value.isEmpty() ? NONE : value;
  }

  /** The SELECTOR cell of ReplicaSets: "<none>" for a missing or empty selector, "<error>" for a broken one. */
  static String selectorOrNone(JsonNode selector) {
    try {
      return orNone(SelectorText.format(selector));
    } catch (IllegalArgumentException e) {
      return "<error>";
    }
  }

  /** The SELECTOR cell of Deployments: "" for a missing or empty selector, "<invalid>" for a broken one. */
  static String selectorOrEmpty(JsonNode selector) {
    try {
      return SelectorText.format(selector);
    } catch (IllegalArgumentException e) {
      return "<invalid>";
    }
  }

  static String orUnknown(String value) {
    return value.isEmpty() ? UNKNOWN : value;
  }

  /** An integer field, {@code fallback} when absent or null (Kubernetes' default for it). */
  static long number(JsonNode node, long fallback) {
    return node.isNumber() || node.isTextual() ? node.asLong(fallback) : fallback;
  }

  /** A metav1.Time or MicroTime, null when absent, zero-valued or unreadable. */
  static Instant time(JsonNode node) {
    String text = text(node);
    if (text.isEmpty()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  static boolean isSet(JsonNode node) {
    return !text(node).isEmpty();
  }

  /** "3m20s" since the moment; "<unknown>" without one. */
  static String since(Instant moment, Instant now) {
    return moment == null ? UNKNOWN : HumanDuration.format(Duration.between(moment, now));
  }

  /** The AGE cell: time since metadata.creationTimestamp. */
  static String age(JsonNode object, Instant now) {
    return since(time(object.path("metadata").path("creationTimestamp")), now);
  }

  static String name(JsonNode object) {
    return text(object.path("metadata").path("name"));
  }

  /** The keys of a JSON object, counted: how DATA counts a ConfigMap's entries. */
  static long size(JsonNode node) {
    return node.isObject() || node.isArray() ? node.size() : 0;
  }

  /** "a=1,b=2" sorted by key, "<none>" when empty: a plain label map such as a Service selector. */
  static String labels(JsonNode map) {
    TreeMap<String, String> sorted = new TreeMap<>();
    map.fields().forEachRemaining(e -> sorted.put(e.getKey(), text(e.getValue())));
    List<String> pairs = new ArrayList<>();
    sorted.forEach((key, value) -> pairs.add(key + "=" + value));
    return orNone(String.join(",", pairs));
  }

  /** The CONTAINERS cell of a pod template: names joined by commas. */
  static String containerNames(JsonNode podTemplate) {
    return joinField(podTemplate.path("spec").path("containers"), "name");
  }

  /** The IMAGES cell of a pod template: images joined by commas. */
  static String containerImages(JsonNode podTemplate) {
    return joinField(podTemplate.path("spec").path("containers"), "image");
  }

  private static String joinField(JsonNode items, String field) {
    List<String> values = new ArrayList<>();
    items.forEach(item -> values.add(text(item.path(field))));
    return String.join(",", values);
  }

  /**
   * At most three entries, then " + N more...", as ENDPOINTS and PORTS show long lists;
   * {@code total} counts all entries, shown or not.
   */
  static String firstThree(List<String> shown, int total) {
    String joined = String.join(",", shown);
    return total > shown.size() ? joined + " + " + (total - shown.size()) + " more..." : joined;
  }

}
