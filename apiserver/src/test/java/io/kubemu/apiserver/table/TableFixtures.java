package io.kubemu.apiserver.table;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubemu.apiserver.resource.ResourceType;
import io.kubemu.apiserver.resource.Resources;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Objects from JSON text, printed through {@link TablePrinter} at a fixed "now", read back cell by cell. */
final class TableFixtures {
  static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
  static final Resources RESOURCES = new Resources();
  private static final ObjectMapper JSON = new ObjectMapper();

  private TableFixtures() {}

  static ObjectNode object(String json) {
    try {
      return (ObjectNode) JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("bad test JSON: " + e.getMessage(), e);
    }
  }

  /** An RFC 3339 timestamp that long before {@link #NOW}. */
  static String ago(Duration duration) {
    return NOW.minus(duration).toString();
  }

  static ResourceType type(String resource) {
    return RESOURCES.all().stream().filter(t -> t.resource().equals(resource)).findFirst().orElseThrow();
  }

  /** The table for one object, wide columns included. */
  static ObjectNode tableOf(String resource, ObjectNode object) {
    return TablePrinter.table(type(resource), List.of(object), "1", null, IncludeObject.NONE, NOW);
  }

  /** The headers as kubectl prints them: upper-cased; {@code wide} adds the priority-1 columns. */
  static List<String> headers(String resource, boolean wide) {
    List<String> headers = new ArrayList<>();
    for (Column column : TablePrinter.columns(type(resource))) {
      if (wide || column.priority() == 0) {
        headers.add(column.name().toUpperCase(Locale.ROOT));
      }
    }
    return headers;
  }

  /** The row's cells as Java values: String, Long or Boolean. */
  static List<Object> cells(String resource, String objectJson) {
    List<Object> cells = new ArrayList<>();
    for (JsonNode cell : tableOf(resource, object(objectJson)).path("rows").path(0).path("cells")) {
      cells.add(cell.isNumber() ? (Object) cell.asLong()
          : cell.isBoolean() ? (Object) cell.asBoolean() : cell.asText());
    }
    return cells;
  }

  /** One cell, by the column's header as kubectl prints it ("STATUS", "NOMINATED NODE"). */
  static Object cell(String resource, String objectJson, String header) {
    List<String> headers = headers(resource, true);
    int index = headers.indexOf(header);
    if (index < 0) {
      throw new IllegalArgumentException(resource + " has no column " + header + ", only " + headers);
    }
    return cells(resource, objectJson).get(index);
  }
}
