package io.kubemu.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubemu.apiserver.resource.Quantity;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The rules for a pod's containers and init containers (validateContainers,
 * validateInitContainers): unique DNS-label names, an image, valid ports, mounts of volumes the
 * pod has, requests within limits, and probes and hooks that do exactly one thing.
 */
final class ContainerValidation {
  private static final List<String> HANDLERS = List.of("exec", "httpGet", "tcpSocket", "grpc", "sleep");

  private ContainerValidation() {}

  static List<FieldError> containers(List<JsonNode> containers, Set<String> volumes, FieldPath path) {
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

  static List<FieldError> initContainers(List<JsonNode> initContainers, List<JsonNode> containers,
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
        errors.addAll(Rules.oneOf(container.path("restartPolicy"), List.of("Always"), at.child("restartPolicy")));
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
      errors.addAll(FieldError.invalidValue(path.child("name"), name, Formats.dns1123Label(name)));
    }
    if (Fields.text(container, "image").isEmpty()) {
      errors.add(FieldError.required(path.child("image"), ""));
    }
    errors.addAll(Rules.oneOf(container.path("terminationMessagePolicy"), List.of("File", "FallbackToLogsOnError"),
        path.child("terminationMessagePolicy")));
    errors.addAll(ports(Fields.items(container, "ports"), path.child("ports")));
    errors.addAll(env(Fields.items(container, "env"), path.child("env")));
    errors.addAll(volumeMounts(Fields.items(container, "volumeMounts"), volumes, path.child("volumeMounts")));
    errors.addAll(Rules.oneOf(container.path("imagePullPolicy"), List.of("Always", "IfNotPresent", "Never"),
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
        errors.addAll(FieldError.invalidValue(at.child("name"), name, problems));
        if (problems.isEmpty() && !names.add(name)) {
          errors.add(FieldError.duplicate(at.child("name"), GoValue.quote(name)));
        }
      }
      JsonNode containerPort = port.path("containerPort");
      if (Fields.isZero(containerPort)) {
        errors.add(FieldError.required(at.child("containerPort"), ""));
      } else {
        errors.addAll(FieldError.invalid(at.child("containerPort"), GoValue.number(containerPort),
            Formats.portNumber(containerPort.asLong())));
      }
      JsonNode hostPort = port.path("hostPort");
      if (!Fields.isZero(hostPort)) {
        errors.addAll(FieldError.invalid(at.child("hostPort"), GoValue.number(hostPort),
            Formats.portNumber(hostPort.asLong())));
      }
      errors.addAll(Rules.protocol(port.path("protocol"), at.child("protocol")));
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
      errors.addAll(Rules.nonNegative(probe.path(field), path.child(field)));
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
          errors.addAll(Rules.portNumberOrName(action.path("port"), at.child("port")));
          String scheme = Fields.text(action, "scheme");
          if (!scheme.equals("HTTP") && !scheme.equals("HTTPS")) {
            errors.add(FieldError.notSupported(at.child("scheme"), GoValue.quote(scheme), List.of("HTTP", "HTTPS")));
          }
        }
        case "tcpSocket", "grpc" -> errors.addAll(Rules.portNumberOrName(action.path("port"), at.child("port")));
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
}
