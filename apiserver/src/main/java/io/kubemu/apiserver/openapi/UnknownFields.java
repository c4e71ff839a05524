package io.kubemu.apiserver.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Finds the fields of an object that its schema does not declare, the way the apiserver's
 * strict decoding reports them for {@code fieldValidation=Strict}: {@code spec.replicaz},
 * {@code spec.template.spec.containers[0].imagePullPolicyy}. kubectl sends Strict and leaves this
 * check to the server once the server's OpenAPI declares {@code fieldValidation}.
 */
final class UnknownFields {
  private static final String REF_PREFIX = "#/components/schemas/";

  private final JsonNode schemas;

  /** {@code schemas}: the {@code components.schemas} of a document. */
  UnknownFields(JsonNode schemas) {
    this.schemas = schemas;
  }

  /** The paths of the fields of {@code object} that the schema named {@code definition} does not declare. */
  List<String> find(String definition, JsonNode object) {
    List<String> unknown = new ArrayList<>();
    walk(schemas.get(definition), object, "", unknown);
    return unknown;
  }

  private void walk(JsonNode schema, JsonNode value, String path, List<String> unknown) {
    schema = resolve(schema);
    if (schema == null || value == null || value.isNull()
        || schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
      return;
    }
    if (value.isObject()) {
      JsonNode properties = schema.get("properties");
      JsonNode additional = schema.get("additionalProperties");
      for (Iterator<Map.Entry<String, JsonNode>> fields = value.fields(); fields.hasNext(); ) {
        Map.Entry<String, JsonNode> field = fields.next();
        String fieldPath = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
        if (properties != null && properties.has(field.getKey())) {
          walk(properties.get(field.getKey()), field.getValue(), fieldPath, unknown);
        } else if (additional != null && additional.isObject()) {
          walk(additional, field.getValue(), fieldPath, unknown);
        } else if (properties != null || additional != null) {
          unknown.add(fieldPath);
        }
        // neither: an object of any shape (FieldsV1, an empty Patch)
      }
    } else if (value.isArray() && schema.has("items")) {
      for (int i = 0; i < value.size(); i++) {
        walk(schema.get("items"), value.get(i), path + "[" + i + "]", unknown);
      }
    }
  }

  /** Follows {@code $ref} (and a lone {@code allOf}) to the schema it names. */
  private JsonNode resolve(JsonNode schema) {
    while (schema != null) {
      if (schema.has("allOf") && schema.get("allOf").size() == 1 && !schema.has("properties")) {
        schema = schema.get("allOf").get(0);
      } else if (schema.has("$ref")) {
        schema = schemas.get(schema.get("$ref").asText().substring(REF_PREFIX.length()));
      } else {
        return schema;
      }
    }
    return null;
  }

  /**
   * The message of the apiserver's 400 Bad Request for unknown fields under Strict validation,
   * e.g. {@code Deployment in version "v1" cannot be handled as a Deployment: strict decoding
   * error: unknown field "spec.replicaz"}.
   */
  static String strictDecodingError(String kind, String version, List<String> unknown) {
    StringBuilder message = new StringBuilder()
        .append(kind).append(" in version \"").append(version).append("\" cannot be handled as a ").append(kind)
        .append(": strict decoding error: ");
    for (int i = 0; i < unknown.size(); i++) {
      message.append(i == 0 ? "" : ", ").append("unknown field \"").append(unknown.get(i)).append('"');
    }
    return message.toString();
  }
}
