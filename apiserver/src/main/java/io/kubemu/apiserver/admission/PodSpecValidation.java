package io.kubemu.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubemu.apiserver.resource.Quantity;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The rules for a PodSpec wherever one appears, in a Pod or a workload's pod template, as
 * Kubernetes' ValidatePodSpec: containers and init containers (names, images, ports, probes,
 * mounts, resources), volumes, and the pod-level policies.
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
  private static final List<String> HANDLERS = List.of("exec", "httpGet", "tcpSocket", "grpc", "sleep");
  private static final List<String> PROTOCOLS = List.of("SCTP", "TCP", "UDP");
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
      errors.addAll(containers(containers, volumes, path.child("containers")));
    }
    errors.addAll(initContainers(Fields.items(spec, "initContainers"), containers, volumes,
        path.child("initContainers")));
    errors.addAll(oneOf(spec.path("restartPolicy"), List.of("Always", "OnFailure", "Never"),
        path.child("restartPolicy")));
    errors.addAll(oneOf(spec.path("dnsPolicy"), List.of("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"),
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
      errors.addAll(oneOf(spec.path("preemptionPolicy"), List.of("PreemptLowerPriority", "Never"),
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
        errors.addAll(oneOf(toleration.path("effect"), List.of("NoSchedule", "PreferNoSchedule", "NoExecute"),
            at.child("effect")));
      }
    }
    return errors;
  }

  /** A required field with a fixed set of values (restartPolicy, dnsPolicy, imagePullPolicy...). */
  static List<FieldError> oneOf(JsonNode value, List<String> supported, FieldPath path) {
    String text = Fields.text(value);
    if (text.isEmpty()) {
      return List.of(FieldError.required(path, ""));
    }
    return supported.contains(text) ? List.of() : List.of(FieldError.notSupported(path, GoValue.quote(text), supported));
  }

  /** A port given by number or by name, as probes and Services' target ports do. */
  static List<FieldError> portNumberOrName(JsonNode port, FieldPath path) {
    List<FieldError> errors = new ArrayList<>();
    if (port.isTextual()) {
      for (String problem : Formats.portName(port.asText())) {
        errors.add(FieldError.invalid(path, GoValue.quote(port.asText()), problem));
      }
    } else {
      for (String problem : Formats.portNumber(port.asLong())) {
        errors.add(FieldError.invalid(path, Long.toString(port.asLong()), problem));
      }
    }
    return errors;
  }

  static List<FieldError> protocol(JsonNode protocol, FieldPath path) {
    return oneOf(protocol, PROTOCOLS, path);
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

  private static List<FieldError> containers(List<JsonNode> containers, Set<String> volumes, FieldPath path) {
    List<FieldError> errors = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < containers.size(); i++) {
      JsonNode container = containers.get(i);
      FieldPath at = path.index(i);
      errors.addAll(containerCommon(container, volumes, at));
      String name = Fields.text(container, "name");
      if (!names.add(name)) {
        errors.add(FieldError.duplicate(at.child("name"), GoValue.quote(name)));
      }
      errors.addAll(hooksAndProbes(container, at));
      if (!Fields.isNull(container.get("restartPolicy"))) {
        errors.add(FieldError.forbidden(at.child("restartPolicy"), "may not be set for non-init containers"));
      }
    }
    errors.addAll(hostPortConflicts(containers, path));
    return errors;
  }

  private static List<FieldError> initContainers(List<JsonNode> initContainers, List<JsonNode> containers,
      Set<String> volumes, FieldPath path) {
    List<FieldError> errors = new ArrayList<>();
    Set<String> names = new HashSet<>();
    containers.forEach(container -> names.add(Fields.text(container, "name")));
    for (int i = 0; i < initContainers.size(); i++) {
      JsonNode container = initContainers.get(i);
      FieldPath at = path.index(i);
      errors.addAll(containerCommon(container, volumes, at));
      boolean sidecar = false;
      if (!Fields.isNull(container.get("restartPolicy"))) {
        errors.addAll(oneOf(container.path("restartPolicy"), List.of("Always"), at.child("restartPolicy")));
        sidecar = Fields.text(container, "restartPolicy").equals("Always");
      }
      String name = Fields.text(container, "name");
      if (names.contains(name)) {
        errors.add(FieldError.duplicate(at.child("name"), GoValue.quote(name)));
      } else if (!name.isEmpty()) {
        names.add(name);
      }
      errors.addAll(hostPortConflicts(List.of(container), path));
      if (sidecar) {
        errors.addAll(hooksAndProbes(container, at));
      } else {
        for (String field : List.of("lifecycle", "livenessProbe", "readinessProbe", "startupProbe")) {
          if (!Fields.isNull(container.get(field))) {
            errors.add(FieldError.forbidden(at.child(field),
                "may not be set for init containers without restartPolicy=Always"));
          }
        }
      }
    }
    return errors;
  }

  /** What every kind of container must satisfy (validateContainerCommon). */
  private static List<FieldError> containerCommon(JsonNode container, Set<String> volumes, FieldPath path) {
    List<FieldError> errors = new ArrayList<>();
    String name = Fields.text(container, "name");
    if (name.isEmpty()) {
      errors.add(FieldError.required(path.child("name"), ""));
    } else {
      Formats.dns1123Label(name).forEach(problem ->
          errors.add(FieldError.invalid(path.child("name"), GoValue.quote(name), problem)));
    }
    if (Fields.text(container, "image").isEmpty()) {
      errors.add(FieldError.required(path.child("image"), ""));
    }
    errors.addAll(oneOf(container.path("terminationMessagePolicy"), List.of("File", "FallbackToLogsOnError"),
        path.child("terminationMessagePolicy")));
    errors.addAll(ports(Fields.items(container, "ports"), path.child("ports")));
    errors.addAll(env(Fields.items(container, "env"), path.child("env")));
    errors.addAll(volumeMounts(Fields.items(container, "volumeMounts"), volumes, path.child("volumeMounts")));
    errors.addAll(oneOf(container.path("imagePullPolicy"), List.of("Always", "IfNotPresent", "Never"),
        path.child("imagePullPolicy")));
    errors.addAll(resources(container.path("resources"), path.child("resources")));
    return errors;
  }

  private static List<FieldError> ports(List<JsonNode> ports, FieldPath path) {
    List<FieldError> errors = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < ports.size(); i++) {
      JsonNode port = ports.get(i);
      FieldPath at = path.index(i);
      String name = Fields.text(port, "name");
      if (!name.isEmpty()) {
        List<String> problems = Formats.portName(name);
        if (!problems.isEmpty()) {
          problems.forEach(problem -> errors.add(FieldError.invalid(at.child("name"), GoValue.quote(name), problem)));
        } else if (!names.add(name)) {
          errors.add(FieldError.duplicate(at.child("name"), GoValue.quote(name)));
        }
      }
      JsonNode containerPort = port.path("containerPort");
      if (Fields.isZero(containerPort)) {
        errors.add(FieldError.required(at.child("containerPort"), ""));
      } else {
        Formats.portNumber(containerPort.asLong()).forEach(problem ->
            errors.add(FieldError.invalid(at.child("containerPort"), GoValue.number(containerPort), problem)));
      }
      JsonNode hostPort = port.path("hostPort");
      if (!Fields.isZero(hostPort)) {
        Formats.portNumber(hostPort.asLong()).forEach(problem ->
            errors.add(FieldError.invalid(at.child("hostPort"), GoValue.number(hostPort), problem)));
      }
      errors.addAll(protocol(port.path("protocol"), at.child("protocol")));
    }
    return errors;
  }

  /** Environment variable names, under the relaxed rule Kubernetes 1.33 enables by default. */
  private static List<FieldError> env(List<JsonNode> env, FieldPath path) {
    List<FieldError> errors = new ArrayList<>();
    for (int i = 0; i < env.size(); i++) {
      String name = Fields.text(env.get(i), "name");
      FieldPath at = path.index(i).child("name");
      if (name.isEmpty()) {
        errors.add(FieldError.required(at, ""));
      } else if (!name.chars().allMatch(c -> c >= 0x20 && c < 0x7f && c != '=')) {
        errors.add(FieldError.invalid(at, GoValue.quote(name),
            "a valid environment variable name must consist only of printable ASCII characters other than '='"));
      }
    }
    return errors;
  }

  private static List<FieldError> volumeMounts(List<JsonNode> mounts, Set<String> volumes, FieldPath path) {
    List<FieldError> errors = new ArrayList<>();
    Set<String> mountPaths = new HashSet<>();
    for (int i = 0; i < mounts.size(); i++) {
      JsonNode mount = mounts.get(i);
      FieldPath at = path.index(i);
      String name = Fields.text(mount, "name");
      if (name.isEmpty()) {
        errors.add(FieldError.required(at.child("name"), ""));
      }
      if (!volumes.contains(name)) {
        errors.add(FieldError.notFound(at.child("name"), GoValue.quote(name)));
      }
      String mountPath = Fields.text(mount, "mountPath");
      if (mountPath.isEmpty()) {
        errors.add(FieldError.required(at.child("mountPath"), ""));
      }
      if (!mountPaths.add(mountPath)) {
        errors.add(FieldError.invalid(at.child("mountPath"), GoValue.quote(mountPath), "must be unique"));
      }
    }
    return errors;
  }

  /** Quantities are not negative, and a request is no more than its limit. */
  private static List<FieldError> resources(JsonNode resources, FieldPath path) {
    List<FieldError> errors = new ArrayList<>();
    JsonNode limits = resources.path("limits");
    limits.fields().forEachRemaining(limit -> errors.addAll(
        nonNegativeQuantity(limit.getValue(), path.child("limits").key(limit.getKey()))));
    resources.path("requests").fields().forEachRemaining(request -> {
      String resource = request.getKey();
      errors.addAll(nonNegativeQuantity(request.getValue(), path.child("requests").key(resource)));
      BigDecimal requested = Quantity.parse(Fields.text(request.getValue()));
      BigDecimal limit = Quantity.parse(Fields.text(limits.path(resource)));
      if (requested != null && limit != null && requested.compareTo(limit) > 0) {
        errors.add(FieldError.invalid(path.child("requests"), GoValue.quote(request.getValue()),
            "must be less than or equal to " + resource + " limit of " + Fields.text(limits.path(resource))));
      }
    });
    return errors;
  }

  private static List<FieldError> nonNegativeQuantity(JsonNode quantity, FieldPath path) {
    BigDecimal value = Quantity.parse(Fields.text(quantity));
    return value != null && value.signum() < 0
        ? List.of(FieldError.invalid(path, GoValue.quote(quantity), "must be greater than or equal to 0")) : List.of();
  }

  /** What a long-running container (a regular one, or a sidecar init container) may have. */
  private static List<FieldError> hooksAndProbes(JsonNode container, FieldPath path) {
    List<FieldError> errors = new ArrayList<>(lifecycle(container.path("lifecycle"), path.child("lifecycle")));
    errors.addAll(probe(container.path("livenessProbe"), path.child("livenessProbe"), false));
    errors.addAll(probe(container.path("readinessProbe"), path.child("readinessProbe"), true));
    errors.addAll(probe(container.path("startupProbe"), path.child("startupProbe"), false));
    return errors;
  }

  private static List<FieldError> lifecycle(JsonNode lifecycle, FieldPath path) {
    List<FieldError> errors = new ArrayList<>();
    for (String hook : List.of("postStart", "preStop")) {
      if (!Fields.isNull(lifecycle.get(hook))) {
        errors.addAll(handler(lifecycle.get(hook), path.child(hook)));
      }
    }
    return errors;
  }

  /** A probe's action and numbers; a readiness probe may not shorten the grace period, the others need one success. */
  private static List<FieldError> probe(JsonNode probe, FieldPath path, boolean readiness) {
    if (Fields.isNull(probe)) {
      return List.of();
    }
    List<FieldError> errors = new ArrayList<>(handler(probe, path));
    for (String field : List.of("initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold",
        "failureThreshold")) {
      errors.addAll(ObjectMetaValidation.nonNegative(probe.path(field), path.child(field)));
    }
    JsonNode grace = probe.path("terminationGracePeriodSeconds");
    if (!Fields.isNull(grace) && grace.asLong() <= 0) {
      errors.add(FieldError.invalid(path.child("terminationGracePeriodSeconds"), GoValue.number(grace),
          "must be greater than 0"));
    }
    if (readiness && !Fields.isNull(grace)) {
      errors.add(FieldError.invalid(path.child("terminationGracePeriodSeconds"), GoValue.number(grace),
          "must not be set for readinessProbes"));
    }
    if (!readiness && probe.path("successThreshold").asLong(1) != 1) {
      errors.add(FieldError.invalid(path.child("successThreshold"), GoValue.number(probe.path("successThreshold")),
          "must be 1"));
    }
    return errors;
  }

  /** A probe or lifecycle hook does exactly one thing: exec, httpGet, tcpSocket, grpc or sleep. */
  private static List<FieldError> handler(JsonNode handler, FieldPath path) {
    List<FieldError> errors = new ArrayList<>();
    String chosen = null;
    for (String kind : HANDLERS) {
      JsonNode action = handler.get(kind);
      if (Fields.isNull(action)) {
        continue;
      }
      if (chosen != null) {
        errors.add(FieldError.forbidden(path.child(kind), "may not specify more than 1 handler type"));
        continue;
      }
      chosen = kind;
      FieldPath at = path.child(kind);
      switch (kind) {
        case "exec" -> {
          if (action.path("command").isEmpty()) {
            errors.add(FieldError.required(at.child("command"), ""));
          }
        }
        case "httpGet" -> {
          if (Fields.text(action, "path").isEmpty()) {
            errors.add(FieldError.required(at.child("path"), ""));
          }
          errors.addAll(portNumberOrName(action.path("port"), at.child("port")));
          String scheme = Fields.text(action, "scheme");
          if (!scheme.equals("HTTP") && !scheme.equals("HTTPS")) {
            errors.add(FieldError.notSupported(at.child("scheme"), GoValue.quote(scheme), List.of("HTTP", "HTTPS")));
          }
        }
        case "tcpSocket", "grpc" -> errors.addAll(portNumberOrName(action.path("port"), at.child("port")));
        default -> { }
      }
    }
    if (chosen == null) {
      errors.add(FieldError.required(path, "must specify a handler type"));
    }
    return errors;
  }

  /** Two containers of a pod cannot take the same host port. */
  private static List<FieldError> hostPortConflicts(List<JsonNode> containers, FieldPath path) {
    List<FieldError> errors = new ArrayList<>();
    Set<String> taken = new HashSet<>();
    for (int c = 0; c < containers.size(); c++) {
      List<JsonNode> ports = Fields.items(containers.get(c), "ports");
      for (int p = 0; p < ports.size(); p++) {
        JsonNode port = ports.get(p);
        long hostPort = port.path("hostPort").asLong(0);
        if (hostPort == 0) {
          continue;
        }
        String key = Fields.text(port, "protocol") + "/" + Fields.text(port, "hostIP") + "/" + hostPort;
        if (!taken.add(key)) {
          errors.add(FieldError.duplicate(path.index(c).child("ports").index(p).child("hostPort"), GoValue.quote(key)));
        }
      }
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
