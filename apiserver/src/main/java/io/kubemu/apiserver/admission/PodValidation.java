package io.kubemu.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Pods: a valid spec on create, and afterwards almost nothing of the spec may change. What may
 * is what the kubelet can apply to running containers: the images (which is how
 * {@code kubectl set image pod/x} works), an earlier deadline, more tolerations, and a negative
 * grace period raised to 1.
 */
final class PodValidation implements KindValidation {
  /** Kubernetes' list, in its words, joined with "," as kube-apiserver joins it. */
  static final String UPDATABLE_FIELDS = String.join(",",
      "`spec.containers[*].image`",
      "`spec.initContainers[*].image`",
      "`spec.activeDeadlineSeconds`",
      "`spec.tolerations` (only additions to existing tolerations)",
      "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)");
  private static final FieldPath SPEC = FieldPath.of("spec");

  @Override
  public List<FieldError> validateCreate(JsonNode pod) {
    List<FieldError> errors = new ArrayList<>(ObjectMetaValidation.validate(pod, true, NameFormat.DNS1123_SUBDOMAIN));
    errors.addAll(PodSpecValidation.spec(pod.path("spec"), SPEC));
    errors.addAll(PodSpecValidation.containersOnlyForPod(pod.path("spec"), SPEC));
    return errors;
  }

  @Override
  public List<FieldError> validateUpdate(JsonNode pod, JsonNode old) {
    List<FieldError> errors = new ArrayList<>(validateCreate(pod));
    JsonNode spec = pod.path("spec");
    JsonNode oldSpec = old.path("spec");
    for (String list : List.of("containers", "initContainers")) {
      if (spec.path(list).size() != oldSpec.path(list).size()) {
        errors.add(FieldError.forbidden(SPEC.child(list), "pod updates may not add or remove containers"));
        return errors;
      }
    }
    JsonNode deadline = spec.path("activeDeadlineSeconds");
    JsonNode oldDeadline = oldSpec.path("activeDeadlineSeconds");
    if (!Fields.isNull(deadline)) {
      if (deadline.asLong() < 0 || deadline.asLong() > Integer.MAX_VALUE) {
        errors.add(FieldError.invalid(SPEC.child("activeDeadlineSeconds"), GoValue.number(deadline),
            Formats.inclusiveRange(0, Integer.MAX_VALUE)));
        return errors;
      }
      if (!Fields.isNull(oldDeadline) && oldDeadline.asLong() < deadline.asLong()) {
        errors.add(FieldError.invalid(SPEC.child("activeDeadlineSeconds"), GoValue.number(deadline),
            "must be less than or equal to previous value"));
        return errors;
      }
    } else if (!Fields.isNull(oldDeadline)) {
      errors.add(FieldError.invalid(SPEC.child("activeDeadlineSeconds"), "null",
          "must not update from a positive integer to nil value"));
    }
    errors.addAll(onlyAddedTolerations(spec, oldSpec));

    ObjectNode munged = withUpdatableFieldsOf(oldSpec, spec);
    List<String> differences = GoEquality.differences(oldSpec, munged, "spec");
    if (!differences.isEmpty()) {
      errors.add(FieldError.forbidden(SPEC, "pod updates may not change fields other than " + UPDATABLE_FIELDS
          + "\n" + String.join("\n", differences)));
    }
    return errors;
  }

  @Override
  public List<FieldError> validateStatusUpdate(JsonNode pod, JsonNode old) {
    List<FieldError> errors = new ArrayList<>();
    FieldPath status = FieldPath.of("status");
    String nominated = Fields.text(pod.path("status"), "nominatedNodeName");
    if (!nominated.isEmpty() && !nominated.equals(Fields.text(old.path("status"), "nominatedNodeName"))) {
      errors.addAll(FieldError.invalidValue(status.child("nominatedNodeName"), nominated,
          Formats.dns1123Subdomain(nominated)));
    }
    JsonNode qos = pod.path("status").path("qosClass");
    JsonNode oldQos = old.path("status").path("qosClass");
    if (!GoEquality.same(qos, oldQos)) {
      errors.add(FieldError.invalid(status.child("qosClass"), GoValue.quote(qos), "field is immutable"));
    }
    return errors;
  }

  /** The new spec with everything a pod update may change put back as it was, to compare with the old spec. */
  private static ObjectNode withUpdatableFieldsOf(JsonNode oldSpec, JsonNode spec) {
    ObjectNode munged = spec instanceof ObjectNode object ? object.deepCopy() : JsonNodeFactory.instance.objectNode();
    for (String list : List.of("containers", "initContainers")) {
      List<ObjectNode> containers = Fields.objects(munged, list);
      List<JsonNode> oldContainers = Fields.items(oldSpec, list);
      for (int i = 0; i < containers.size() && i < oldContainers.size(); i++) {
        containers.get(i).set("image", oldContainers.get(i).get("image"));
      }
    }
    restore(munged, oldSpec, "activeDeadlineSeconds");
    restore(munged, oldSpec, "tolerations");
    if (isSubset(munged.path("schedulingGates"), oldSpec.path("schedulingGates"))) {
      restore(munged, oldSpec, "schedulingGates"); // gates may be removed (that is how a pod is released), not added
    }
    JsonNode oldGrace = oldSpec.path("terminationGracePeriodSeconds");
    if (!Fields.isNull(oldGrace) && oldGrace.asLong() < 0 && munged.path("terminationGracePeriodSeconds").asLong() == 1) {
      munged.set("terminationGracePeriodSeconds", oldGrace);
    }
    return munged;
  }

  private static boolean isSubset(JsonNode items, JsonNode of) {
    for (JsonNode item : items) {
      boolean found = false;
      for (JsonNode candidate : of) {
        found |= GoEquality.same(item, candidate);
      }
      if (!found) {
        return false;
      }
    }
    return true;
  }

  private static void restore(ObjectNode munged, JsonNode oldSpec, String field) {
    if (oldSpec.has(field)) {
      munged.set(field, oldSpec.get(field).deepCopy());
    } else {
      munged.remove(field);
    }
  }

  /** Tolerations may be added, and an existing one may only change its tolerationSeconds. */
  private static List<FieldError> onlyAddedTolerations(JsonNode spec, JsonNode oldSpec) {
    for (ObjectNode old : Fields.objects(oldSpec, "tolerations")) {
      boolean kept = false;
      for (JsonNode toleration : Fields.items(spec, "tolerations")) {
        ObjectNode withSeconds = old.deepCopy();
        withSeconds.set("tolerationSeconds", toleration.get("tolerationSeconds"));
        if (GoEquality.same(withSeconds, toleration)) {
          kept = true;
          break;
        }
      }
      if (!kept) {
        return List.of(FieldError.forbidden(SPEC.child("tolerations"),
            "existing toleration can not be modified except its tolerationSeconds"));
      }
    }
    return List.of();
  }
}
