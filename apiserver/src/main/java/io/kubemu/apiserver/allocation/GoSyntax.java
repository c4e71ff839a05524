package io.kubemu.apiserver.allocation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;

/** Values as Go's {@code %#v} prints them in Kubernetes' field errors, e.g. {@code []string{"10.43.0.5"}}. */
final class GoSyntax {
  private GoSyntax() {}

  static String string(String value) {
    return new TextNode(value).toString();
  }

  static String stringSlice(JsonNode values) {
    List<String> quoted = new ArrayList<>();
    values.forEach(value -> quoted.add(string(value.asText())));
    return "[]string{" + String.join(", ", quoted) + "}";
  }
}
