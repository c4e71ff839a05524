package io.kubemu.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * Validation every object gets, as Kubernetes' ValidateObjectMeta: its name, namespace,
 * labels, annotations, owner references and finalizers; and the label selectors that workloads
 * and services carry.
 */
final class ObjectMetaValidation {
  /** kube-apiserver's limit on the total size of an object's annotations (keys and values). */
  static final long TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;
  private static final Set<String> STANDARD_FINALIZERS = Set.of("kubernetes", "orphan", "foregroundDeletion");
  private static final FieldPath METADATA = FieldPath.of("metadata");

  private ObjectMetaValidation() {}

  static List<FieldError> validate(JsonNode object, boolean namespaced, NameFormat nameFormat) {
    JsonNode meta = object.path("metadata");
    List<FieldError> errors = new ArrayList<>();
    String generateName = Fields.text(meta, "generateName");
    if (!generateName.isEmpty()) {
      errors.addAll(FieldError.invalidValue(METADATA.child("generateName"), generateName,
          nameFormat.problems(generateName, true)));
    }
    String name = Fields.text(meta, "name");
    if (name.isEmpty()) {
      errors.add(FieldError.required(METADATA.child("name"), "name or generateName is required"));
    } else {
      errors.addAll(FieldError.invalidValue(METADATA.child("name"), name, nameFormat.problems(name, false)));
    }
    String namespace = Fields.text(meta, "namespace");
    if (namespaced && namespace.isEmpty()) {
      errors.add(FieldError.required(METADATA.child("namespace"), ""));
    } else if (namespaced) {
      errors.addAll(FieldError.invalidValue(METADATA.child("namespace"), namespace,
          Formats.dns1123Label(namespace)));
    } else if (!namespace.isEmpty()) {
      errors.add(FieldError.forbidden(METADATA.child("namespace"), "not allowed on this type"));
    }
    errors.addAll(Rules.nonNegative(meta.path("generation"), METADATA.child("generation")));
    errors.addAll(labels(meta.path("labels"), METADATA.child("labels")));
    errors.addAll(annotations(meta.path("annotations"), METADATA.child("annotations")));
    errors.addAll(ownerReferences(meta.path("ownerReferences"), METADATA.child("ownerReferences")));
    errors.addAll(finalizers(meta.path("finalizers"), METADATA.child("finalizers")));
    return errors;
  }

  static List<FieldError> labels(JsonNode labels, FieldPath path) {
    List<FieldError> errors = new ArrayList<>();
    labels.fields().forEachRemaining(label -> {
      errors.addAll(labelKey(label.getKey(), path));
      String value = Fields.text(label.getValue());
      errors.addAll(FieldError.invalidValue(path, value, Formats.labelValue(value)));
    });
    return errors;
  }

  static List<FieldError> labelKey(String key, FieldPath path) {
    return Formats.qualifiedName(key).stream()
        .map(problem -> FieldError.invalid(path, GoValue.quote(key), problem)).toList();
  }

  static List<FieldError> annotations(JsonNode annotations, FieldPath path) {
    List<FieldError> errors = new ArrayList<>();
    long[] size = {0};
    annotations.fields().forEachRemaining(annotation -> {
      String key = annotation.getKey();
      // Like a label key, except that case does not matter.
      errors.addAll(FieldError.invalidValue(path, key, Formats.qualifiedName(key.toLowerCase(Locale.ROOT))));
      size[0] += utf8Length(key) + utf8Length(Fields.text(annotation.getValue()));
    });
    if (size[0] > TOTAL_ANNOTATION_SIZE_LIMIT) {
      errors.add(FieldError.tooLong(path, TOTAL_ANNOTATION_SIZE_LIMIT));
    }
    return errors;
  }

  /** A {@code metav1.LabelSelector}'s own rules (ValidateLabelSelector). */
  static List<FieldError> labelSelector(JsonNode selector, FieldPath path) {
    List<FieldError> errors = new ArrayList<>();
    List<JsonNode> expressions = Fields.items(selector, "matchExpressions");
    for (int i = 0; i < expressions.size(); i++) {
      JsonNode expression = expressions.get(i);
      FieldPath at = path.child("matchExpressions").index(i);
      String operator = Fields.text(expression, "operator");
      int values = expression.path("values").size();
      switch (operator) {
        case "In", "NotIn" -> {
          if (values == 0) {
            errors.add(FieldError.required(at.child("values"), "must be specified when `operator` is 'In' or 'NotIn'"));
          }
        }
        case "Exists", "DoesNotExist" -> {
          if (values > 0) {
            errors.add(FieldError.forbidden(at.child("values"),
                "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
          }
        }
        default -> errors.add(FieldError.invalid(at.child("operator"), GoValue.quote(operator),
            "not a valid selector operator"));
      }
      errors.addAll(labelKey(Fields.text(expression, "key"), at.child("key")));
    }
    errors.addAll(labels(selector.path("matchLabels"), path.child("matchLabels")));
    return errors;
  }

  private static List<FieldError> ownerReferences(JsonNode references, FieldPath path) {
    List<FieldError> errors = new ArrayList<>();
    for (JsonNode reference : references) {
      for (String field : List.of("apiVersion", "kind", "name", "uid")) {
        if (Fields.text(reference, field).isEmpty()) {
          String what = field.equals("apiVersion") ? "version" : field;
          errors.add(FieldError.invalid(path.child(field), GoValue.quote(""), what + " must not be empty"));
        }
      }
    }
    return errors;
  }

  private static List<FieldError> finalizers(JsonNode finalizers, FieldPath path) {
    List<FieldError> errors = new ArrayList<>();
    int index = 0;
    for (JsonNode value : finalizers) {
      errors.addAll(finalizerName(Fields.text(value), path.index(index++)));
    }
    return errors;
  }

  /** A finalizer is a qualified name, and one without a domain must be one Kubernetes knows. */
  static List<FieldError> finalizerName(String finalizer, FieldPath path) {
    List<FieldError> errors = new ArrayList<>(labelKey(finalizer, path));
    if (!finalizer.contains("/") && !STANDARD_FINALIZERS.contains(finalizer)) {
      errors.add(FieldError.invalid(path, GoValue.quote(finalizer),
          "name is neither a standard finalizer name nor is it fully qualified"));
    }
    return errors;
  }

  private static long utf8Length(String text) {
    return text.getBytes(StandardCharsets.UTF_8).length;
  }
}
