package io.kubemu.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Nodes: a DNS subdomain for a name, valid taints, and a pod CIDR that, once assigned, stays. */
final class NodeValidation implements KindValidation {
  private static final FieldPath POD_CIDRS = FieldPath.of("spec", "podCIDRs");

  @Override
  public List<FieldError> validateCreate(JsonNode node) {
    List<FieldError> errors = new ArrayList<>(ObjectMetaValidation.validate(node, false, NameFormat.DNS1123_SUBDOMAIN));
    errors.addAll(taints(Fields.items(node.path("spec"), "taints")));
    List<JsonNode> cidrs = Fields.items(node.path("spec"), "podCIDRs");
    for (int i = 0; i < cidrs.size(); i++) {
      String cidr = Fields.text(cidrs.get(i));
      if (!Formats.isCidr(cidr)) {
        errors.add(FieldError.invalid(POD_CIDRS.index(i), GoValue.quote(cidr), Formats.INVALID_CIDR));
      }
    }
    return errors;
  }

  @Override
  public List<FieldError> validateUpdate(JsonNode node, JsonNode old) {
    List<FieldError> errors = validateCreate(node);
    JsonNode oldCidrs = old.path("spec").path("podCIDRs");
    if (!oldCidrs.isEmpty() && !GoEquality.same(oldCidrs, node.path("spec").path("podCIDRs"))) {
      errors.add(FieldError.forbidden(POD_CIDRS, "node updates may not change podCIDR except from \"\" to valid"));
    }
    String providerId = Fields.text(old.path("spec"), "providerID");
    if (!providerId.isEmpty() && !providerId.equals(Fields.text(node.path("spec"), "providerID"))) {
      errors.add(FieldError.forbidden(FieldPath.of("spec", "providerID"),
          "node updates may not change providerID except from \"\" to valid"));
    }
    return errors;
  }

  private static List<FieldError> taints(List<JsonNode> taints) {
    List<FieldError> errors = new ArrayList<>();
    FieldPath path = FieldPath.of("metadata", "taints");
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < taints.size(); i++) {
      JsonNode taint = taints.get(i);
      FieldPath at = path.index(i);
      String key = Fields.text(taint, "key");
      errors.addAll(ObjectMetaValidation.labelKey(key, at.child("key")));
      String value = Fields.text(taint, "value");
      List<String> problems = Formats.labelValue(value);
      if (!problems.isEmpty()) {
        errors.add(FieldError.invalid(at.child("value"), GoValue.quote(value), String.join(";", problems)));
      }
      errors.addAll(Rules.oneOf(taint.path("effect"), List.of("NoSchedule", "PreferNoSchedule", "NoExecute"),
          at.child("effect")));
      if (!seen.add(Fields.text(taint, "effect") + "/" + key)) {
        errors.add(new FieldError(FieldError.Type.DUPLICATE, at, "core.Taint{Key:" + GoValue.quote(key) + ", Value:"
            + GoValue.quote(value) + ", Effect:" + GoValue.quote(taint.path("effect")) + ", TimeAdded:(*v1.Time)(nil)}",
            "taints must be unique by key and effect pair"));
      }
    }
    return errors;
  }
}
