package io.kubemu.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Reading and defaulting fields of an object held as JSON the way Go holds it: a field that is
 * absent, {@code null} or its type's zero value ({@code ""}, {@code 0}) is unset. Objects of
 * the wrong shape are skipped rather than trusted, so a strange body never turns into a 500.
 */
final class Fields {
  private Fields() {}

  static boolean isNull(JsonNode node) {
    return node == null || node.isMissingNode() || node.isNull();
  }

  /** Go's zero value: absent, null, "", 0, false, or an empty list or map. */
  static boolean isZero(JsonNode node) {
    if (isNull(node)) {
      return true;
    }
    if (node.isTextual()) {
      return node.asText().isEmpty();
    }
    if (node.isNumber()) {
      return node.asDouble() == 0;
    }
    if (node.isBoolean()) {
      return !node.asBoolean();
    }
    return node.isContainerNode() && node.isEmpty();
  }

  /** A string field's value, "" when unset or not a string. */
  static String text(JsonNode node) {
    return node != null && node.isValueNode() && !node.isNull() ? node.asText() : "";
  }

  static String text(JsonNode object, String field) {
    return text(object.path(field));
  }

  /** Sets a string field that is unset. */
  static void defaultText(ObjectNode object, String field, String value) {
    if (isZero(object.get(field))) {
      object.put(field, value);
    }
  }

  /** Sets a pointer number field (Go {@code *int32}) that is absent or null: 0 is a value. */
  static void defaultNumber(ObjectNode object, String field, long value) {
    if (isNull(object.get(field))) {
      object.put(field, value);
    }
  }

  /** Sets a plain number field (Go {@code int32}) that is unset: 0 counts as unset. */
  static void defaultNonZero(ObjectNode object, String field, long value) {
    if (isZero(object.get(field))) {
      object.put(field, value);
    }
  }

  /** The object in a field, created empty when absent or null; null when the field holds something else. */
  static ObjectNode object(ObjectNode parent, String field) {
    JsonNode value = parent.get(field);
    if (isNull(value)) {
      return parent.putObject(field);
    }
    return value instanceof ObjectNode object ? object : null;
  }

  /** The object in a field if there is one. */
  static ObjectNode existingObject(JsonNode parent, String field) {
    return parent != null && parent.get(field) instanceof ObjectNode object ? object : null;
  }

  /** The objects of a list field, skipping anything that is not an object. */
  static List<ObjectNode> objects(JsonNode parent, String field) {
    List<ObjectNode> objects = new ArrayList<>();
    if (parent != null && parent.get(field) instanceof ArrayNode array) {
      array.forEach(item -> {
        if (item instanceof ObjectNode object) {
          objects.add(object);
        }
      });
    }
    return objects;
  }

  /** The items of a list field, whatever they are. */
  static List<JsonNode> items(JsonNode parent, String field) {
    List<JsonNode> items = new ArrayList<>();
    JsonNode list = parent.path(field);
    if (list.isArray()) {
      list.forEach(items::add);
    }
    return items;
  }
}
