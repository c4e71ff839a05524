package io.kubemu.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Namespaces: a DNS label for a name (it becomes part of DNS names), and well-formed finalizers. */
final class NamespaceValidation implements KindValidation {
  @Override
  public List<FieldError> validateCreate(JsonNode namespace) {
    List<FieldError> errors = new ArrayList<>(ObjectMetaValidation.validate(namespace, false,
        NameFormat.DNS1123_LABEL));
    FieldPath finalizers = FieldPath.of("spec", "finalizers");
    List<JsonNode> names = Fields.items(namespace.path("spec"), "finalizers");
    for (int i = 0; i < names.size(); i++) {
      errors.addAll(ObjectMetaValidation.finalizerName(Fields.text(names.get(i)), finalizers.index(i)));
    }
    return errors;
  }
}
