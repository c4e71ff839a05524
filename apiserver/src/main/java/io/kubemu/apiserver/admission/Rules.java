package io.kubemu.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Field rules many kinds share: enumerations, counts, ports and protocols. */
final class Rules {
  private static final List<String> PROTOCOLS = List.of("SCTP", "TCP", "UDP");

  private Rules() {}

  /** A required field with a fixed set of values (restartPolicy, dnsPolicy, imagePullPolicy...). */
  static List<FieldError> oneOf(JsonNode value, List<String> supported, FieldPath path) {
    String text = Fields.text(value);
    if (text.isEmpty()) {
      return List.of(FieldError.required(path, ""));
    }
    return supported.contains(text) ? List.of() : List.of(FieldError.notSupported(path, GoValue.quote(text),
        supported));
  }

  /** A port given by number or by name, as probes and Services' target ports do. */
  static List<FieldError> portNumberOrName(JsonNode port, FieldPath path) {
    List<FieldError> errors = new ArrayList<>();
    if (port.isTextual()) {
      errors.addAll(FieldError.invalidValue(path, port.asText(), Formats.portName(port.asText())));
    } else {
      errors.addAll(FieldError.invalid(path, Long.toString(port.asLong()), Formats.portNumber(port.asLong())));
    }
    return errors;
  }

  static List<FieldError> protocol(JsonNode protocol, FieldPath path) {
    return oneOf(protocol, PROTOCOLS, path);
  }

  /** A count or a duration that may be absent, but not below zero. */
  static List<FieldError> nonNegative(JsonNode value, FieldPath path) {
    return !Fields.isNull(value) && value.asLong() < 0
        ? List.of(FieldError.invalid(path, GoValue.number(value), "must be greater than or equal to 0")) : List.of();
  }
}
