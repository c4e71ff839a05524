package io.kubemu.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Whether two parts of objects are the same as Kubernetes compares them once decoded into Go
 * structs (apiequality.Semantic): an absent field equals its zero value ({@code ""}, {@code 0},
 * {@code false}, an empty list or map), and 1 equals 1.0. Also lists the fields that differ,
 * for messages that say what changed.
 */
final class GoEquality {
  private GoEquality() {}

  static boolean same(JsonNode a, JsonNode b) {
    return differences(a, b, "").isEmpty();
  }

  /** Where (under {@code path}) the two differ: a "- path: old" and a "+ path: new" line for each field. */
  static List<String> differences(JsonNode before, JsonNode after, String path) {
    List<String> differences = new ArrayList<>();
    collect(before, after, path, differences);
    return differences;
  }

  private static void collect(JsonNode before, JsonNode after, String path, List<String> differences) {
    if (Fields.isZero(before) && Fields.isZero(after)) {
      return;
    }
    if (isObjectOrUnset(before) && isObjectOrUnset(after)) {
      JsonNode old = orEmpty(before);
      JsonNode current = orEmpty(after);
      TreeSet<String> names = new TreeSet<>();
      old.fieldNames().forEachRemaining(names::add);
      current.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        collect(old.get(name), current.get(name), path.isEmpty() ? name : path + "." + name, differences);
      }
      return;
    }
    if (before != null && after != null && before.isArray() && after.isArray() && before.size() == after.size()) {
      for (int i = 0; i < before.size(); i++) {
        collect(before.get(i), after.get(i), path + "[" + i + "]", differences);
      }
      return;
    }
    if (!scalarEqual(before, after)) {
      differences.add("- " + path + ": " + show(before));
      differences.add("+ " + path + ": " + show(after));
    }
  }

  private static boolean isObjectOrUnset(JsonNode node) {
    return Fields.isNull(node) || node.isObject();
  }

  private static JsonNode orEmpty(JsonNode node) {
    return Fields.isNull(node) ? JsonNodeFactory.instance.objectNode() : node;
  }

  private static boolean scalarEqual(JsonNode a, JsonNode b) {
    if (Fields.isZero(a) || Fields.isZero(b)) {
      return Fields.isZero(a) && Fields.isZero(b);
    }
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    return a.equals(b);
  }

  private static String show(JsonNode value) {
    return Fields.isNull(value) ? "null" : value.toString();
  }
}
