package io.kubemu.apiserver.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the fields of an object that its schema does not declare, the way the apiserver's
 * strict decoding reports them for {@code fieldValidation=Strict}: {@code spec.replicaz},
 * {@code spec.template.spec.containers[0].imagePullPolicyy}. kubectl sends Strict and leaves this
 * check to the server once the server's OpenAPI declares {@code fieldValidation}.
 */
final class UnknownFields {
  private static final String REF_PREFIX = "#/components/schemas/";

  private final JsonNode schemas;
  /** Each definition's schema, read once, when an object first needs it. */
  private final Map<String, Shape> definitions = new ConcurrentHashMap<>();

  /** {@code schemas}: the {@code components.schemas} of a document. */
  UnknownFields(JsonNode schemas) {
    this.schemas = schemas;
  }

  /** The paths of the fields of {@code object} that the schema named {@code definition} does not declare. */
  List<String> find(String definition, JsonNode object) {
    List<String> unknown = new ArrayList<>();
    walk(new Named(definition), object, new ArrayDeque<>(), unknown);
    return unknown;
  }

  /**
   * {@code path} holds the field names and item indexes down to {@code value}; it is rendered only
   * for an unknown field.
   */
  private void walk(Node node, JsonNode value, Deque<Object> path, List<String> unknown) {
    Shape shape = node.shape();
    if (shape.anyFields || value == null || value.isNull()) {
      return;
    }
    if (value.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> fields = value.fields(); fields.hasNext(); ) {
        Map.Entry<String, JsonNode> field = fields.next();
        Node declared = shape.properties.get(field.getKey());
        Node next = declared != null ? declared : shape.additional;
        if (next != null) {
          path.addLast(field.getKey());
          walk(next, field.getValue(), path, unknown);
          path.removeLast();
        } else if (shape.declaresFields) {
          unknown.add(render(path, field.getKey()));
        }
        // neither: an object of any shape (FieldsV1, an empty Patch)
      }
    } else if (value.isArray() && shape.items != null) {
      for (int i = 0; i < value.size(); i++) {
        path.addLast(i);
        walk(shape.items, value.get(i), path, unknown);
        path.removeLast();
      }
    }
  }

  /** {@code spec.template.spec.containers[0].imagee}. */
  private static String render(Deque<Object> path, String field) {
    StringBuilder rendered = new StringBuilder();
    for (Object segment : path) {
      if (segment instanceof Integer index) {
        rendered.append('[').append(index).append(']');
      } else {
        rendered.append(rendered.isEmpty() ? "" : ".").append(segment);
      }
    }
    return rendered.append(rendered.isEmpty() ? "" : ".").append(field).toString();
  }

  /** A schema where a walk meets it: written out in place, or named and read when first walked into. */
  private interface Node {
    Shape shape();
  }

  /** A {@code $ref} to a definition. */
  private final class Named implements Node {
    private final String name;

    Named(String name) {
      this.name = name;
    }

    @Override
    public Shape shape() {
      return definitions.computeIfAbsent(name, key -> new Shape(resolve(schemas.get(key))));
    }
  }

  /**
   * What a walk needs of one schema; its named parts are read when first walked into, so that
   * recursive definitions end.
   */
  private final class Shape implements Node {
    /** {@code x-kubernetes-preserve-unknown-fields}, or no schema here: any field goes. */
    final boolean anyFields;
    /** Whether the schema lists its fields (properties or additionalProperties), so that others are unknown. */
    final boolean declaresFields;
    final Map<String, Node> properties = new HashMap<>();
    /** The schema of fields not in {@link #properties}, or null. */
    final Node additional;
    final Node items;

    Shape(JsonNode schema) {
      anyFields = schema == null || schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
      JsonNode declared = schema != null ? schema.get("properties") : null;
      JsonNode others = schema != null ? schema.get("additionalProperties") : null;
      declaresFields = declared != null || others != null;
      if (declared != null) {
        declared.fields().forEachRemaining(field -> properties.put(field.getKey(), node(field.getValue())));
      }
      additional = others != null && others.isObject() ? node(others) : null;
      items = schema != null && schema.has("items") ? node(schema.get("items")) : null;
    }

    @Override
    public Shape shape() {
      return this;
    }
  }

  /** A schema written in place, or the definition it names (through a lone {@code allOf} too). */
  private Node node(JsonNode schema) {
    while (isLoneAllOf(schema)) {
      schema = schema.get("allOf").get(0);
    }
    return schema.has("$ref") ? new Named(schema.get("$ref").asText().substring(REF_PREFIX.length()))
        : new Shape(schema);
  }

  private static boolean isLoneAllOf(JsonNode schema) {
    return schema.has("allOf") && schema.get("allOf").size() == 1 && !schema.has("properties");
  }

  /** Follows {@code $ref} (and a lone {@code allOf}) to the schema it names. */
  private JsonNode resolve(JsonNode schema) {
    while (schema != null) {
      if (isLoneAllOf(schema)) {
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
