package io.kubemu.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Leases (node heartbeats, leader election): a positive duration and a non-negative transition count. */
final class LeaseValidation implements KindValidation {
  @Override
  public List<FieldError> validateCreate(JsonNode lease) {
    List<FieldError> errors = new ArrayList<>(ObjectMetaValidation.validate(lease, true, NameFormat.DNS1123_SUBDOMAIN));
    FieldPath spec = FieldPath.of("spec");
    JsonNode duration = lease.path("spec").path("leaseDurationSeconds");
    if (!Fields.isNull(duration) && duration.asLong() <= 0) {
      errors.add(FieldError.invalid(spec.child("leaseDurationSeconds"), GoValue.number(duration),
          "must be greater than 0"));
    }
    errors.addAll(Rules.nonNegative(lease.path("spec").path("leaseTransitions"),
        spec.child("leaseTransitions")));
    return errors;
  }
}
