package io.kubemu.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubemu.apiserver.http.ApiException;
import io.kubemu.apiserver.selection.LabelSelector;
import io.kubemu.apiserver.selection.SelectorText;
import java.util.ArrayList;
import java.util.List;

/**
 * Deployments and ReplicaSets (apps/v1): a non-empty selector that matches the pod template's
 * labels and never changes, a valid template whose pods restart Always, non-negative counts;
 * for Deployments also the rollout strategy and its deadlines.
 */
final class WorkloadValidation implements KindValidation {
  private static final FieldPath SPEC = FieldPath.of("spec");
  private static final FieldPath STATUS = FieldPath.of("status");
  private static final String GREATER_THAN_REPLICAS = "cannot be greater than status.replicas";

  private final boolean deployment;

  private WorkloadValidation(boolean deployment) {
    this.deployment = deployment;
  }

  static WorkloadValidation deployments() {
    return new WorkloadValidation(true);
  }

  static WorkloadValidation replicaSets() {
    return new WorkloadValidation(false);
  }

  @Override
  public List<FieldError> validateCreate(JsonNode object) {
    List<FieldError> errors = new ArrayList<>(ObjectMetaValidation.validate(object, true,
        NameFormat.DNS1123_SUBDOMAIN));
    JsonNode spec = object.path("spec");
    errors.addAll(Rules.nonNegative(spec.path("replicas"), SPEC.child("replicas")));
    if (!deployment) {
      errors.addAll(Rules.nonNegative(spec.path("minReadySeconds"), SPEC.child("minReadySeconds")));
    }
    errors.addAll(selectorAndTemplate(spec));
    if (deployment) {
      errors.addAll(strategy(spec.path("strategy"), SPEC.child("strategy")));
      errors.addAll(Rules.nonNegative(spec.path("minReadySeconds"), SPEC.child("minReadySeconds")));
      errors.addAll(Rules.nonNegative(spec.path("revisionHistoryLimit"),
          SPEC.child("revisionHistoryLimit")));
      JsonNode deadline = spec.path("progressDeadlineSeconds");
      if (!Fields.isNull(deadline)) {
        errors.addAll(Rules.nonNegative(deadline, SPEC.child("progressDeadlineSeconds")));
        if (deadline.asLong() <= spec.path("minReadySeconds").asLong(0)) {
          errors.add(FieldError.invalid(SPEC.child("progressDeadlineSeconds"), GoValue.number(deadline),
              "must be greater than minReadySeconds"));
        }
      }
    }
    return errors;
  }

  /** In apps/v1 the selector is immutable: a controller that changed it would lose its pods. */
  @Override
  public List<FieldError> validateUpdate(JsonNode object, JsonNode old) {
    List<FieldError> errors = new ArrayList<>(validateCreate(object));
    JsonNode selector = object.path("spec").path("selector");
    if (!GoEquality.same(selector, old.path("spec").path("selector"))) {
      errors.add(FieldError.invalid(SPEC.child("selector"), GoValue.labelSelector(selector), "field is immutable"));
    }
    return errors;
  }

  @Override
  public List<FieldError> validateStatusUpdate(JsonNode object, JsonNode old) {
    JsonNode status = object.path("status");
    List<FieldError> errors = new ArrayList<>();
    List<String> counts = deployment
        ? List.of("observedGeneration", "replicas", "updatedReplicas", "readyReplicas", "availableReplicas",
            "unavailableReplicas", "collisionCount")
        : List.of("replicas", "fullyLabeledReplicas", "readyReplicas", "availableReplicas", "observedGeneration");
    for (String count : counts) {
      errors.addAll(Rules.nonNegative(status.path(count), STATUS.child(count)));
    }
    long replicas = status.path("replicas").asLong(0);
    for (String count : List.of(deployment ? "updatedReplicas" : "fullyLabeledReplicas", "readyReplicas",
        "availableReplicas")) {
      if (status.path(count).asLong(0) > replicas) {
        errors.add(FieldError.invalid(STATUS.child(count), GoValue.number(status.path(count)), GREATER_THAN_REPLICAS));
      }
    }
    if (status.path("availableReplicas").asLong(0) > status.path("readyReplicas").asLong(0)) {
      errors.add(FieldError.invalid(STATUS.child("availableReplicas"), GoValue.number(status.path("availableReplicas")),
          "cannot be greater than readyReplicas"));
    }
    return errors;
  }

  private List<FieldError> selectorAndTemplate(JsonNode spec) {
    List<FieldError> errors = new ArrayList<>();
    JsonNode selector = spec.path("selector");
    if (Fields.isNull(selector)) {
      errors.add(FieldError.required(SPEC.child("selector"), ""));
      return errors;
    }
    errors.addAll(ObjectMetaValidation.labelSelector(selector, SPEC.child("selector")));
    if (selector.path("matchLabels").isEmpty() && selector.path("matchExpressions").isEmpty()) {
      errors.add(FieldError.invalid(SPEC.child("selector"), GoValue.labelSelector(selector),
          "empty selector is invalid for deployment"));
    }
    LabelSelector matcher;
    try {
      matcher = LabelSelector.parse(SelectorText.format(selector));
    } catch (IllegalArgumentException | ApiException e) {
      errors.add(FieldError.invalid(SPEC.child("selector"), GoValue.labelSelector(selector), "invalid label selector"));
      return errors;
    }
    FieldPath templatePath = SPEC.child("template");
    JsonNode template = spec.path("template");
    JsonNode labels = template.path("metadata").path("labels");
    if (!matcher.test(template)) {
      errors.add(FieldError.invalid(templatePath.child("metadata").child("labels"), GoValue.stringMap(labels),
          "`selector` does not match template `labels`"));
    }
    errors.addAll(PodSpecValidation.template(template, templatePath));
    FieldPath podSpec = templatePath.child("spec");
    String restartPolicy = Fields.text(template.path("spec"), "restartPolicy");
    if (!restartPolicy.equals("Always")) {
      errors.add(FieldError.notSupported(podSpec.child("restartPolicy"), GoValue.quote(restartPolicy),
          List.of("Always")));
    }
    if (!Fields.isNull(template.path("spec").get("activeDeadlineSeconds"))) {
      errors.add(FieldError.forbidden(podSpec.child("activeDeadlineSeconds"),
          "activeDeadlineSeconds in ReplicaSet is not Supported"));
    }
    return errors;
  }

  private static List<FieldError> strategy(JsonNode strategy, FieldPath path) {
    String type = Fields.text(strategy, "type");
    JsonNode rollingUpdate = strategy.path("rollingUpdate");
    switch (type) {
      case "Recreate" -> {
        return Fields.isNull(rollingUpdate) ? List.of() : List.of(FieldError.forbidden(path.child("rollingUpdate"),
            "may not be specified when strategy `type` is 'Recreate'"));
      }
      case "RollingUpdate" -> {
        if (Fields.isNull(rollingUpdate)) {
          return List.of(FieldError.required(path.child("rollingUpdate"), "this should be defaulted and never be nil"));
        }
        return rollingUpdate(rollingUpdate, path.child("rollingUpdate"));
      }
      default -> {
        return List.of(FieldError.notSupported(path, deploymentStrategy(strategy), List.of("Recreate",
            "RollingUpdate")));
      }
    }
  }

  private static List<FieldError> rollingUpdate(JsonNode rollingUpdate, FieldPath path) {
    List<FieldError> errors = new ArrayList<>();
    JsonNode maxUnavailable = rollingUpdate.path("maxUnavailable");
    JsonNode maxSurge = rollingUpdate.path("maxSurge");
    errors.addAll(intOrPercent(maxUnavailable, path.child("maxUnavailable")));
    errors.addAll(intOrPercent(maxSurge, path.child("maxSurge")));
    if (intOrPercentValue(maxUnavailable) == 0 && intOrPercentValue(maxSurge) == 0) {
      errors.add(FieldError.invalid(path.child("maxUnavailable"), GoValue.intOrString(maxUnavailable),
          "may not be 0 when `maxSurge` is 0"));
    }
    if (maxUnavailable.isTextual() && Formats.percent(maxUnavailable.asText()).isEmpty()
        && intOrPercentValue(maxUnavailable) > 100) {
      errors.add(FieldError.invalid(path.child("maxUnavailable"), GoValue.intOrString(maxUnavailable),
          "must not be greater than 100%"));
    }
    return errors;
  }

  private static List<FieldError> intOrPercent(JsonNode value, FieldPath path) {
    if (value.isTextual()) {
      return Formats.percent(value.asText()).stream()
          .map(problem -> FieldError.invalid(path, GoValue.intOrString(value), problem)).toList();
    }
    return Rules.nonNegative(value, path);
  }

  /** The number in "25%" or 25; -1 when it is neither. */
  private static long intOrPercentValue(JsonNode value) {
    if (value.isTextual()) {
      String text = value.asText();
      if (!Formats.percent(text).isEmpty()) {
        return -1;
      }
      try {
        return Long.parseLong(text.substring(0, text.length() - 1));
      } catch (NumberFormatException tooBig) {
        return Long.MAX_VALUE;
      }
    }
    return value.asLong(-1);
  }

  /** The strategy as Go prints it; a set rollingUpdate is shown by value (Go would print its address). */
  private static String deploymentStrategy(JsonNode strategy) {
    JsonNode rollingUpdate = strategy.path("rollingUpdate");
    String rolling = Fields.isNull(rollingUpdate) ? "(*apps.RollingUpdateDeployment)(nil)"
        : "&apps.RollingUpdateDeployment{MaxUnavailable:" + GoValue.intOrString(rollingUpdate.path("maxUnavailable"))
            + ", MaxSurge:" + GoValue.intOrString(rollingUpdate.path("maxSurge")) + "}";
    return "apps.DeploymentStrategy{Type:" + GoValue.quote(strategy.path("type")) + ", RollingUpdate:" + rolling + "}";
  }
}
