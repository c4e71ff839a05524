package io.kubemu.apiserver.openapi;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.AnyType;
import io.fabric8.kubernetes.api.model.Duration;
import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.Quantity;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The OpenAPI schemas of Kubernetes' types, derived from the fabric8 model classes by
 * reflection: each class becomes an object schema named as Kubernetes names it, each
 * {@code @JsonProperty} field a property typed from its Java type. What Java types do not say,
 * tables add: which strings are timestamps ({@code metav1.Time} is a {@code String} in fabric8),
 * which lists merge by key ({@link PatchMetadata}), which fields are required ({@link RequiredFields}),
 * the few descriptions we write ({@link Descriptions}).
 *
 * <p>Adding a class adds every type it reaches, so a document asks for its top-level kinds
 * and gets the closure.
 */
final class ModelSchemas {
  private static final String MODEL_PACKAGE = "io.fabric8.kubernetes.api.model";

  /** Timestamps whose JSON name does not end in Time or Timestamp, by definition and field. */
  private static final Set<String> OTHER_TIME_FIELDS = Set.of(
      "io.k8s.api.core.v1.ContainerStateRunning.startedAt",
      "io.k8s.api.core.v1.ContainerStateTerminated.startedAt",
      "io.k8s.api.core.v1.ContainerStateTerminated.finishedAt",
      "io.k8s.api.core.v1.Taint.timeAdded",
      "io.k8s.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry.time");
  /** Timestamps with microseconds that fabric8 types as plain strings. */
  private static final Set<String> MICRO_TIME_FIELDS = Set.of(
      "io.k8s.api.coordination.v1.LeaseSpec.acquireTime",
      "io.k8s.api.coordination.v1.LeaseSpec.renewTime",
      "io.k8s.api.core.v1.EventSeries.lastObservedTime");
  /** Maps whose values are base64 strings ({@code []byte} in Go). */
  private static final Set<String> BYTES_MAPS = Set.of(
      "io.k8s.api.core.v1.Secret.data",
      "io.k8s.api.core.v1.ConfigMap.binaryData");

  /** Java types fabric8 gives some timestamps (the leases' MicroTimes). */
  private static final Set<Type> DATE_TIME_CLASSES = Set.of(ZonedDateTime.class, OffsetDateTime.class, Instant.class);

  private final ObjectMapper json;
  private final SortedMap<String, ObjectNode> schemas = new TreeMap<>();

  ModelSchemas(ObjectMapper json) {
    this.json = json;
  }

  /** Adds the schema of a model class and of every type it reaches; returns its definition name. */
  String add(Class<?> modelClass) {
    String name = DefinitionNames.of(modelClass);
    if (schemas.containsKey(name)) {
      return name;
    }
    ObjectNode schema = json.createObjectNode();
    schemas.put(name, schema); // before the fields: a type may reach itself
    Descriptions.ofType(name).ifPresent(text -> schema.put("description", text));
    schema.put("type", "object");
    SortedMap<String, Field> fields = new TreeMap<>(); // sorted, as Kubernetes lists them
    jsonFields(modelClass).forEach(field -> fields.put(jsonName(field), field));
    boolean ofKind = fields.containsKey("apiVersion") && fields.containsKey("kind");
    if (!fields.isEmpty()) {
      ObjectNode properties = schema.putObject("properties");
      fields.forEach((field, javaField) ->
          properties.set(field, property(name, field, javaField.getGenericType(), ofKind)));
    }
    List<String> required = RequiredFields.of(name, fields.keySet());
    if (!required.isEmpty()) {
      required.forEach(schema.putArray("required")::add);
    }
    if (PatchMetadata.isAtomicStruct(name)) {
      schema.put("x-kubernetes-map-type", "atomic");
    }
    return name;
  }

  /** The schema named {@code definition}, to be extended in place (group-version-kind, required fields). */
  ObjectNode get(String definition) {
    ObjectNode schema = schemas.get(definition);
    if (schema == null) {
      throw new IllegalArgumentException("no schema " + definition);
    }
    return schema;
  }

  /** Every schema added so far, by name, in name order. */
  SortedMap<String, ObjectNode> all() {
    return Collections.unmodifiableSortedMap(schemas);
  }

  private ObjectNode property(String owner, String field, Type javaType, boolean ownerIsKind) {
    String key = owner + "." + field;
    ObjectNode property;
    if ((javaType == String.class && isTimestamp(key, field)) || DATE_TIME_CLASSES.contains(javaType)) {
      property = reference(MICRO_TIME_FIELDS.contains(key) ? DefinitionNames.MICRO_TIME : DefinitionNames.TIME);
    } else if (BYTES_MAPS.contains(key)) {
      property = json.createObjectNode().put("type", "object");
      property.putObject("additionalProperties").put("type", "string").put("format", "byte");
    } else {
      property = schemaOf(javaType);
    }
    Descriptions.ofField(owner, field, ownerIsKind).ifPresent(text -> property.put("description", text));
    PatchMetadata.of(owner, field).ifPresent(rule -> {
      if (rule.patchStrategy() != null) {
        property.put("x-kubernetes-patch-strategy", rule.patchStrategy());
      }
      if (rule.patchMergeKey() != null) {
        property.put("x-kubernetes-patch-merge-key", rule.patchMergeKey());
      }
      if (rule.listType() != null) {
        property.put("x-kubernetes-list-type", rule.listType());
      }
      if (rule.listMapKeys() != null) {
        ArrayNode keys = property.putArray("x-kubernetes-list-map-keys");
        rule.listMapKeys().forEach(keys::add);
      }
    });
    return property;
  }

  private static boolean isTimestamp(String key, String field) {
    return field.endsWith("Time") || field.endsWith("Timestamp") || OTHER_TIME_FIELDS.contains(key);
  }

  /** The schema of a Java type: scalars inline, lists and maps around their element, classes by reference. */
  private ObjectNode schemaOf(Type javaType) {
    if (javaType instanceof ParameterizedType parameterized) {
      Class<?> raw = (Class<?>) parameterized.getRawType();
      Type[] arguments = parameterized.getActualTypeArguments();
      if (Collection.class.isAssignableFrom(raw)) {
        ObjectNode array = json.createObjectNode().put("type", "array");
        array.set("items", schemaOf(arguments[0]));
        return array;
      }
      if (Map.class.isAssignableFrom(raw)) {
        ObjectNode map = json.createObjectNode().put("type", "object");
        map.set("additionalProperties", schemaOf(arguments[1]));
        return map;
      }
    }
    if (!(javaType instanceof Class<?> type)) {
      throw new IllegalStateException("no OpenAPI schema for the Java type " + javaType);
    }
    if (type == String.class) {
      return scalar("string", null);
    }
    if (type == Integer.class || type == int.class || type == Short.class) {
      return scalar("integer", "int32");
    }
    if (type == Long.class || type == long.class) {
      return scalar("integer", "int64");
    }
    if (type == Boolean.class || type == boolean.class) {
      return scalar("boolean", null);
    }
    if (type == Double.class || type == Float.class || type == BigDecimal.class) {
      return scalar("number", "double");
    }
    if (type.isEnum()) {
      return scalar("string", null);
    }
    if (type == Duration.class) {
      return scalar("string", null); // metav1.Duration: "1h2m3s"
    }
    if (type == IntOrString.class) {
      return reference(DefinitionNames.INT_OR_STRING);
    }
    if (type == Quantity.class) {
      return reference(DefinitionNames.QUANTITY);
    }
    if (type == MicroTime.class) {
      return reference(DefinitionNames.MICRO_TIME);
    }
    if (type == FieldsV1.class) {
      return reference(DefinitionNames.FIELDS_V1);
    }
    if (type == Object.class || AnyType.class.isAssignableFrom(type)
        || (type.isInterface() && KubernetesResource.class.isAssignableFrom(type))) {
      return reference(DefinitionNames.RAW_EXTENSION); // an embedded object of any kind
    }
    if (type.getPackageName().startsWith(MODEL_PACKAGE)) {
      ObjectNode reference = json.createObjectNode();
      reference.put("$ref", DefinitionNames.ref(add(type)));
      return reference;
    }
    throw new IllegalStateException("no OpenAPI schema for the Java type " + type.getName());
  }

  private ObjectNode scalar(String type, String format) {
    ObjectNode scalar = json.createObjectNode().put("type", type);
    if (format != null) {
      scalar.put("format", format);
    }
    return scalar;
  }

  /** A reference to one of the types Kubernetes serializes specially; adds its schema on first use. */
  private ObjectNode reference(String definition) {
    schemas.computeIfAbsent(definition, this::specialType);
    ObjectNode reference = json.createObjectNode();
    reference.put("$ref", DefinitionNames.ref(definition));
    return reference;
  }

  private ObjectNode specialType(String definition) {
    ObjectNode schema = json.createObjectNode();
    Descriptions.ofType(definition).ifPresent(text -> schema.put("description", text));
    switch (definition) {
      case DefinitionNames.TIME, DefinitionNames.MICRO_TIME -> schema.put("type", "string").put("format", "date-time");
      case DefinitionNames.INT_OR_STRING -> {
        // No "type": kubectl explain then prints the field as <IntOrString>, as it does against Kubernetes.
        schema.put("format", "int-or-string");
        schema.putArray("oneOf").add(scalar("integer", null)).add(scalar("string", null));
        schema.put("x-kubernetes-int-or-string", true);
      }
      case DefinitionNames.QUANTITY -> schema.putArray("oneOf").add(scalar("string", null)).add(scalar("number", null));
      case DefinitionNames.RAW_EXTENSION -> schema.put("type", "object").put("x-kubernetes-preserve-unknown-fields", true);
      case DefinitionNames.FIELDS_V1 -> schema.put("type", "object");
      default -> throw new IllegalArgumentException("not a special type: " + definition);
    }
    return schema;
  }

  /** The fields Jackson reads and writes: the {@code @JsonProperty} fields of the class and its model superclasses. */
  private static List<Field> jsonFields(Class<?> modelClass) {
    List<Field> fields = new ArrayList<>();
    for (Class<?> type = modelClass; type != null && type.getPackageName().startsWith(MODEL_PACKAGE);
        type = type.getSuperclass()) {
      for (Field field : type.getDeclaredFields()) {
        if (!Modifier.isStatic(field.getModifiers()) && field.isAnnotationPresent(JsonProperty.class)
            && !field.isAnnotationPresent(JsonIgnore.class)) {
          fields.add(field);
        }
      }
    }
    return fields;
  }

  private static String jsonName(Field field) {
    String name = field.getAnnotation(JsonProperty.class).value();
    return name.isEmpty() ? field.getName() : name;
  }
}
