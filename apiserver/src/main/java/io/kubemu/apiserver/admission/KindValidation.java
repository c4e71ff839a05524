package io.kubemu.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The validation of one kind, as a Kubernetes registry strategy's Validate, ValidateUpdate and
 * the status strategy's ValidateUpdate. An empty list means the object may be stored.
 */
interface KindValidation {
  List<FieldError> validateCreate(JsonNode object);

  /** By default an update must simply leave a valid object. */
  default List<FieldError> validateUpdate(JsonNode object, JsonNode old) {
    return validateCreate(object);
  }

  /** A write through {@code /status}; only the status changed. By default anything goes. */
  default List<FieldError> validateStatusUpdate(JsonNode object, JsonNode old) {
    return List.of();
  }

  /** A kind with nothing but metadata to check (ServiceAccount, Event). */
  static KindValidation metadataOnly(boolean namespaced, NameFormat names) {
    return object -> ObjectMetaValidation.validate(object, namespaced, names);
  }
}
