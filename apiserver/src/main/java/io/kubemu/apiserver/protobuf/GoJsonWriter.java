package io.kubemu.apiserver.protobuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.UnknownFieldSet;
import io.kubemu.apiserver.protobuf.ProtobufBodyException.Problem;
import io.kubemu.apiserver.protobuf.k8s.GoJsonProto;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a Kubernetes object decoded from protobuf as the JSON that Go's {@code encoding/json}
 * writes for the same object, walking the message by its descriptor.
 *
 * <p>Kubernetes' proto field names are the JSON names. What the descriptor alone does not tell:
 * <ul>
 *   <li>Go puts every non-pointer field on the wire, even unset; JSON leaves out ("omitempty") zero
 *       scalars, except those whose Go field is a pointer (marked {@code (kubemu.go_pointer)}), and
 *       empty lists and maps. Struct fields are always written, so a message that is present is
 *       written, even empty ({@code "status":{}}).</li>
 *   <li>A struct embedded {@code json:",inline"} (marked {@code (kubemu.go_inline)}, such as a
 *       Volume's VolumeSource) is a nested message on the wire and spread out in JSON.</li>
 *   <li>A handful of apimachinery types have their own JSON form: {@code Time} and {@code MicroTime}
 *       (RFC 3339, {@code null} when zero), {@code Duration} (Go's {@code 1m30s}),
 *       {@code IntOrString} (a number or a string), {@code Quantity} (its string),
 *       {@code FieldsV1} and {@code RawExtension} (the JSON they carry). {@code bytes} are base64.</li>
 *   <li>Fields this version does not know: see {@link #checkUnknownFields}.</li>
 * </ul>
 */
final class GoJsonWriter {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final DateTimeFormatter RFC3339 =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter RFC3339_MICRO =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  private static final String META = "k8s.io.apimachinery.pkg.apis.meta.v1.";

  private GoJsonWriter() {
  }

  /** The JSON object for a message that has no JSON form of its own; {@code path} names it in errors. */
  static ObjectNode object(Message message, String path) {
    checkUnknownFields(message, path);
    ObjectNode json = NODES.objectNode();
    for (FieldDescriptor field : message.getDescriptorForType().getFields()) {
      String name = field.getName();
      String fieldPath = path.isEmpty() ? name : path + "." + name;
      if (field.isMapField()) {
        List<?> entries = (List<?>) message.getField(field);
        if (!entries.isEmpty()) {
          json.set(name, map(entries, fieldPath));
        }
      } else if (field.isRepeated()) {
        List<?> items = (List<?>) message.getField(field);
        if (!items.isEmpty()) {
          ArrayNode array = json.putArray(name);
          for (int i = 0; i < items.size(); i++) {
            array.add(value(field, items.get(i), fieldPath + "[" + i + "]"));
          }
        }
      } else if (field.getOptions().getExtension(GoJsonProto.goInline)) {
        if (message.hasField(field)) {
          json.setAll(object((Message) message.getField(field), path));
        }
      } else if (message.hasField(field)) {
        Object value = message.getField(field);
        if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE || !isZero(value)
            || field.getOptions().getExtension(GoJsonProto.goPointer)) {
          json.set(name, value(field, value, fieldPath));
        }
      }
    }
    return json;
  }

  /** Go writes a map with its keys in order. */
  private static ObjectNode map(List<?> entries, String path) {
    Map<String, JsonNode> sorted = new TreeMap<>();
    for (Object item : entries) {
      Message entry = (Message) item;
      FieldDescriptor key = entry.getDescriptorForType().findFieldByNumber(1);
      FieldDescriptor value = entry.getDescriptorForType().findFieldByNumber(2);
      String k = String.valueOf(entry.getField(key));
      sorted.put(k, value(value, entry.getField(value), path + "[" + k + "]"));
    }
    ObjectNode json = NODES.objectNode();
    json.setAll(sorted);
    return json;
  }

  private static JsonNode value(FieldDescriptor field, Object value, String path) {
    switch (field.getJavaType()) {
      case MESSAGE:
        return json((Message) value, path);
      case STRING:
        return NODES.textNode((String) value);
      case INT:
        return NODES.numberNode((Integer) value);
      case LONG: {
        // As Jackson reads a JSON number: an int when it fits, so the tree equals a parsed one.
        long number = (Long) value;
        return number == (int) number ? NODES.numberNode((int) number) : NODES.numberNode(number);
      }
      case BOOLEAN:
        return NODES.booleanNode((Boolean) value);
      case DOUBLE:
        return NODES.numberNode((Double) value);
      case FLOAT:
        return NODES.numberNode((Float) value);
      case BYTE_STRING:
        return NODES.textNode(Base64.getEncoder().encodeToString(((ByteString) value).toByteArray()));
      default:
        throw new ProtobufBodyException(Problem.MALFORMED, path + ": field type " + field.getType() + " has no JSON form");
    }
  }

  /** Any message as JSON: the apimachinery types in their own form, the rest as objects. */
  static JsonNode json(Message message, String path) {
    switch (message.getDescriptorForType().getFullName()) {
      case META + "Time":
        return time(message, RFC3339, path);
      case META + "MicroTime":
        return time(message, RFC3339_MICRO, path);
      case META + "Duration":
        checkUnknownFields(message, path);
        return NODES.textNode(GoDuration.format((Long) field(message, "duration")));
      case "k8s.io.apimachinery.pkg.util.intstr.IntOrString":
        checkUnknownFields(message, path);
        // type 0 is Int, 1 is String.
        return (Long) field(message, "type") == 1
            ? NODES.textNode((String) field(message, "strVal"))
            : NODES.numberNode((Integer) field(message, "intVal"));
      case "k8s.io.apimachinery.pkg.api.resource.Quantity": {
        checkUnknownFields(message, path);
        String quantity = (String) field(message, "string");
        return NODES.textNode(quantity.isEmpty() ? "0" : quantity);
      }
      case META + "FieldsV1":
        return embedded(message, "Raw", path);
      case "k8s.io.apimachinery.pkg.runtime.RawExtension":
        return embedded(message, "raw", path);
      default:
        return object(message, path);
    }
  }

  /** A zero Go time travels as an empty message and is {@code null} in JSON; Time keeps whole seconds. */
  private static JsonNode time(Message message, DateTimeFormatter format, String path) {
    checkUnknownFields(message, path);
    if (message.getAllFields().isEmpty()) {
      return NODES.nullNode();
    }
    Instant instant = Instant.ofEpochSecond((Long) field(message, "seconds"), (Integer) field(message, "nanos"));
    return NODES.textNode(format.format(instant));
  }

  /** Bytes that hold a JSON document (or, in a RawExtension, possibly a nested protobuf object). */
  private static JsonNode embedded(Message message, String fieldName, String path) {
    checkUnknownFields(message, path);
    ByteString raw = (ByteString) field(message, fieldName);
    if (raw.isEmpty()) {
      return NODES.nullNode();
    }
    byte[] bytes = raw.toByteArray();
    if (KubeProtobuf.hasMagic(bytes)) {
      return KubeProtobuf.toJson(bytes);
    }
    try {
      return MAPPER.readTree(bytes);
    } catch (IOException e) {
      throw new ProtobufBodyException(Problem.MALFORMED, path + ": the embedded object is neither JSON nor Kubernetes protobuf", e);
    }
  }

  private static Object field(Message message, String name) {
    return message.getField(message.getDescriptorForType().findFieldByName(name));
  }

  private static boolean isZero(Object value) {
    if (value instanceof String s) {
      return s.isEmpty();
    }
    if (value instanceof Boolean b) {
      return !b;
    }
    if (value instanceof Number n) {
      return n.doubleValue() == 0;
    }
    if (value instanceof ByteString bytes) {
      return bytes.isEmpty();
    }
    return false;
  }

  /**
   * Fields a newer Kubernetes added are kept by the parser as unknown fields. One holding a zero
   * value is dropped: Go writes every non-pointer field, set or not, so a newer client sends its
   * new fields as zeros all the time, and a zero means "unset". One holding anything else would
   * be lost silently, so the body is refused.
   */
  static void checkUnknownFields(Message message, String path) {
    for (Map.Entry<Integer, UnknownFieldSet.Field> unknown : message.getUnknownFields().asMap().entrySet()) {
      if (!isZero(unknown.getValue())) {
        throw new ProtobufBodyException(Problem.UNKNOWN_FIELD, String.format(
            "%s has field number %d, which the Kubernetes 1.33 type %s does not have; "
                + "kubemu refuses it rather than drop it",
            path.isEmpty() ? "the object" : path, unknown.getKey(), message.getDescriptorForType().getFullName()));
      }
    }
  }

  private static boolean isZero(UnknownFieldSet.Field field) {
    return field.getVarintList().stream().allMatch(v -> v == 0)
        && field.getFixed32List().stream().allMatch(v -> v == 0)
        && field.getFixed64List().stream().allMatch(v -> v == 0)
        && field.getLengthDelimitedList().stream().allMatch(GoJsonWriter::isZeroMessageOrEmpty)
        && field.getGroupList().isEmpty();
  }

  /** Empty bytes, or a message whose fields are all zero (a Go struct left unset). */
  private static boolean isZeroMessageOrEmpty(ByteString bytes) {
    if (bytes.isEmpty()) {
      return true;
    }
    try {
      return UnknownFieldSet.parseFrom(bytes).asMap().values().stream().allMatch(GoJsonWriter::isZero);
    } catch (InvalidProtocolBufferException e) {
      return false;
    }
  }
}
