package io.kubemu.apiserver.patch;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/** The JSON chores the three patch types share: reading a body, comparing values, quoting them in messages. */
final class Json {
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final int QUOTE_LIMIT = 200;

  private Json() {
  }

  /** The body as a JSON tree, or a 400 that says where it stops being JSON. */
  static JsonNode read(byte[] body, String what) {
    if (body == null || body.length == 0) {
      throw PatchException.badRequest("the " + what + " is empty");
    }
    try {
      return MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      // Jackson names the (redacted) source in nested locations; the line and column are what help.
      String problem = e.getOriginalMessage().replaceAll("\\[Source: [^;]*; ", "[");
      throw PatchException.badRequest("the " + what + " is not valid JSON" + where + ": " + problem);
    } catch (IOException e) {
      throw PatchException.badRequest("the " + what + " could not be read: " + e.getMessage());
    }
  }

  /** Equality as JSON means it: 80 and 80.0 are the same number. */
  static boolean same(JsonNode a, JsonNode b) {
    if (a == null || b == null) {
      return a == b;
    }
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    return a.equals(b);
  }

  /** The value as compact JSON, shortened so a message stays readable. */
  static String quote(JsonNode value) {
    String text = value.toString();
    return text.length() <= QUOTE_LIMIT ? text : text.substring(0, QUOTE_LIMIT) + "...";
  }

  /** "an object", "a string", ... for messages about the wrong shape. */
  static String describe(JsonNode value) {
    return switch (value.getNodeType()) {
      case OBJECT -> "an object";
      case ARRAY -> "a list";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      default -> value.getNodeType().name().toLowerCase();
    };
  }
}
