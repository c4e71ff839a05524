package io.kubemu.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The rules for a PodSpec wherever one appears, in a Pod or a workload's pod template, as
 * Kubernetes' ValidatePodSpec: volumes, the pod-level policies and tolerations; the containers'
 * rules are {@link ContainerValidation}'s.
 */
final class PodSpecValidation {
  /** Every volume source, in the order Kubernetes checks them: a volume has exactly one. */
  private static final List<String> VOLUME_SOURCES = List.of("emptyDir", "hostPath", "gitRepo", "gcePersistentDisk",
      "awsElasticBlockStore", "secret", "nfs", "iscsi", "glusterfs", "flocker", "persistentVolumeClaim", "rbd",
      "cinder", "cephfs", "quobyte", "downwardAPI", "fc", "flexVolume", "configMap", "azureFile", "vsphereVolume",
      "photonPersistentDisk", "portworxVolume", "azureDisk", "storageos", "projected", "scaleIO", "csi", "ephemeral",
      "image");
  /** The field each volume source names its object by, where Kubernetes requires it. */
  private static final Map<String, String> VOLUME_SOURCE_NAMES = Map.of("secret", "secretName", "configMap", "name",
      "persistentVolumeClaim", "claimName", "hostPath", "path");
  private static final long MAX_INT32 = Integer.MAX_VALUE;
  private static final long MAX_FILE_MODE = 0777;

  private PodSpecValidation() {}

  /** A pod template (metadata and spec), as in a Deployment's {@code spec.template}. */
  static List<FieldError> template(JsonNode template, FieldPath path) {
    List<FieldError> errors = new ArrayList<>();
    errors.addAll(ObjectMetaValidation.labels(template.path("metadata").path("labels"), path.child("labels")));
    errors.addAll(ObjectMetaValidation.annotations(template.path("metadata").path("annotations"),
        path.child("annotations")));
    JsonNode spec = template.path("spec");
    errors.addAll(spec(spec, path.child("spec")));
    if (!Fields.items(spec, "ephemeralContainers").isEmpty()) {
      errors.add(FieldError.forbidden(path.child("spec").child("ephemeralContainers"),
          "ephemeral containers not allowed in pod template"));
    }
    return errors;
  }

  static List<FieldError> spec(JsonNode spec, FieldPath path) {
    List<FieldError> errors = new ArrayList<>();
    if (Fields.isNull(spec.get("terminationGracePeriodSeconds"))) {
      errors.add(FieldError.required(path.child("terminationGracePeriodSeconds"), ""));
    }
    Set<String> volumes = new HashSet<>();
    errors.addAll(volumes(Fields.items(spec, "volumes"), path.child("volumes"), volumes));
    List<JsonNode> containers = Fields.items(spec, "containers");
    if (containers.isEmpty()) {
      errors.add(FieldError.required(path.child("containers"), ""));
    } else {
      errors.addAll(ContainerValidation.containers(containers, volumes, path.child("containers")));
    }
    errors.addAll(ContainerValidation.initContainers(Fields.items(spec, "initContainers"), containers, volumes,
        path.child("initContainers")));
    errors.addAll(Rules.oneOf(spec.path("restartPolicy"), List.of("Always", "OnFailure", "Never"),
        path.child("restartPolicy")));
    errors.addAll(Rules.oneOf(spec.path("dnsPolicy"), List.of("ClusterFirstWithHostNet", "ClusterFirst", "Default",
        "None"),
        path.child("dnsPolicy")));
    errors.addAll(ObjectMetaValidation.labels(spec.path("nodeSelector"), path.child("nodeSelector")));
    if (Fields.text(spec, "dnsPolicy").equals("None") && Fields.isNull(spec.get("dnsConfig"))) {
      errors.add(FieldError.required(path.child("dnsConfig"), "must provide `dnsConfig` when `dnsPolicy` is None"));
    }
    errors.addAll(name(spec, "serviceAccountName", Formats::dns1123Subdomain, path));
    errors.addAll(name(spec, "nodeName", Formats::dns1123Subdomain, path));
    JsonNode deadline = spec.path("activeDeadlineSeconds");
    if (!Fields.isNull(deadline) && (deadline.asLong() < 1 || deadline.asLong() > MAX_INT32)) {
      errors.add(FieldError.invalid(path.child("activeDeadlineSeconds"), GoValue.number(deadline),
          Formats.inclusiveRange(1, MAX_INT32)));
    }
    errors.addAll(name(spec, "hostname", Formats::dns1123Label, path));
    errors.addAll(name(spec, "subdomain", Formats::dns1123Label, path));
    errors.addAll(tolerations(Fields.items(spec, "tolerations"), path.child("tolerations")));
    errors.addAll(name(spec, "priorityClassName", Formats::dns1123Subdomain, path));
    if (!Fields.isNull(spec.get("preemptionPolicy"))) {
      errors.addAll(Rules.oneOf(spec.path("preemptionPolicy"), List.of("PreemptLowerPriority", "Never"),
          path.child("preemptionPolicy")));
    }
    return errors;
  }

  /** What only a Pod's own containers must satisfy (not a template's): no spaces around the image. */
  static List<FieldError> containersOnlyForPod(JsonNode spec, FieldPath specPath) {
    List<FieldError> errors = new ArrayList<>();
    for (String list : List.of("containers", "initContainers")) {
      List<JsonNode> containers = Fields.items(spec, list);
      for (int i = 0; i < containers.size(); i++) {
        String image = Fields.text(containers.get(i), "image");
        if (!image.equals(image.strip())) {
          errors.add(FieldError.invalid(specPath.child(list).index(i).child("image"), GoValue.quote(image),
              "must not have leading or trailing whitespace"));
        }
      }
    }
    return errors;
  }

  static List<FieldError> tolerations(List<JsonNode> tolerations, FieldPath path) {
    List<FieldError> errors = new ArrayList<>();
    for (int i = 0; i < tolerations.size(); i++) {
      JsonNode toleration = tolerations.get(i);
      FieldPath at = path.index(i);
      String key = Fields.text(toleration, "key");
      String operator = Fields.text(toleration, "operator");
      String value = Fields.text(toleration, "value");
      String effect = Fields.text(toleration, "effect");
      if (!key.isEmpty()) {
        errors.addAll(ObjectMetaValidation.labelKey(key, at.child("key")));
      }
      if (key.isEmpty() && !operator.equals("Exists")) {
        errors.add(FieldError.invalid(at.child("operator"), GoValue.quote(operator),
            "operator must be Exists when `key` is empty, which means \"match all values and all keys\""));
      }
      if (!Fields.isNull(toleration.get("tolerationSeconds")) && !effect.equals("NoExecute")) {
        errors.add(FieldError.invalid(at.child("effect"), GoValue.quote(effect),
            "effect must be 'NoExecute' when `tolerationSeconds` is set"));
      }
      switch (operator) {
        case "Equal", "" -> {
          List<String> problems = Formats.labelValue(value);
          if (!problems.isEmpty()) {
            errors.add(FieldError.invalid(at.child("operator"), GoValue.quote(value), String.join(";", problems)));
          }
        }
        case "Exists" -> {
          if (!value.isEmpty()) {
            errors.add(FieldError.invalid(at.child("operator"), toleration(toleration),
                "value must be empty when `operator` is 'Exists'"));
          }
        }
        default -> errors.add(FieldError.notSupported(at.child("operator"), GoValue.quote(operator),
            List.of("Equal", "Exists")));
      }
      if (!effect.isEmpty()) {
        errors.addAll(Rules.oneOf(toleration.path("effect"), List.of("NoSchedule", "PreferNoSchedule", "NoExecute"),
            at.child("effect")));
      }
    }
    return errors;
  }

  private static List<FieldError> name(JsonNode spec, String field, Function<String, List<String>> format,
      FieldPath path) {
    String value = Fields.text(spec, field);
    if (value.isEmpty()) {
      return List.of();
    }
    return format.apply(value).stream()
        .map(problem -> FieldError.invalid(path.child(field), GoValue.quote(value), problem)).toList();
  }

  private static List<FieldError> volumes(List<JsonNode> volumes, FieldPath path, Set<String> valid) {
    List<FieldError> errors = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < volumes.size(); i++) {
      JsonNode volume = volumes.get(i);
      FieldPath at = path.index(i);
      List<FieldError> volumeErrors = new ArrayList<>(volumeSource(volume, at));
      String name = Fields.text(volume, "name");
      if (name.isEmpty()) {
        volumeErrors.add(FieldError.required(at.child("name"), ""));
      } else {
        Formats.dns1123Label(name).forEach(problem ->
            volumeErrors.add(FieldError.invalid(at.child("name"), GoValue.quote(name), problem)));
      }
      if (names.contains(name)) {
        volumeErrors.add(FieldError.duplicate(at.child("name"), GoValue.quote(name)));
      }
      if (volumeErrors.isEmpty()) {
        names.add(name);
        valid.add(name);
      }
      errors.addAll(volumeErrors);
    }
    return errors;
  }

  private static List<FieldError> volumeSource(JsonNode volume, FieldPath path) {
    List<FieldError> errors = new ArrayList<>();
    String source = null;
    for (String candidate : VOLUME_SOURCES) {
      if (Fields.isNull(volume.get(candidate))) {
        continue;
      }
      if (source != null) {
        errors.add(FieldError.forbidden(path.child(candidate), "may not specify more than 1 volume type"));
        continue;
      }
      source = candidate;
      JsonNode settings = volume.get(candidate);
      String nameField = VOLUME_SOURCE_NAMES.get(candidate);
      if (nameField != null && Fields.text(settings, nameField).isEmpty()) {
        errors.add(FieldError.required(path.child(candidate).child(nameField), ""));
      }
      JsonNode mode = settings.path("defaultMode");
      if (!Fields.isNull(mode) && (mode.asLong() < 0 || mode.asLong() > MAX_FILE_MODE)) {
        errors.add(FieldError.invalid(path.child(candidate).child("defaultMode"), GoValue.number(mode),
            "must be a number between 0 and 0777 (octal), both inclusive"));
      }
    }
    if (source == null) {
      errors.add(FieldError.required(path, "must specify a volume type"));
    }
    return errors;
  }

  private static String toleration(JsonNode toleration) {
    JsonNode seconds = toleration.path("tolerationSeconds");
    return "core.Toleration{Key:" + GoValue.quote(toleration.path("key")) + ", Operator:"
        + GoValue.quote(toleration.path("operator")) + ", Value:" + GoValue.quote(toleration.path("value"))
        + ", Effect:" + GoValue.quote(toleration.path("effect")) + ", TolerationSeconds:"
        + (Fields.isNull(seconds) ? "(*int64)(nil)" : "&" + seconds.asLong()) + "}";
  }
}
