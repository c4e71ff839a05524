package io.kubemu.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Services: ports (named when there are several), a supported type and the fields that go
 * with it, cluster IPs that agree with each other and, once set, never change.
 */
final class ServiceValidation implements KindValidation {
  private static final FieldPath SPEC = FieldPath.of("spec");
  private static final List<String> TYPES = List.of("ClusterIP", "ExternalName", "LoadBalancer", "NodePort");

  @Override
  public List<FieldError> validateCreate(JsonNode service) {
    List<FieldError> errors = new ArrayList<>(ObjectMetaValidation.validate(service, true, NameFormat.DNS1035_LABEL));
    JsonNode spec = service.path("spec");
    String type = Fields.text(spec, "type");
    List<JsonNode> ports = Fields.items(spec, "ports");
    boolean headless = isHeadless(spec);
    if (ports.isEmpty() && !headless && !type.equals("ExternalName")) {
      errors.add(FieldError.required(SPEC.child("ports"), ""));
    }
    switch (type) {
      case "LoadBalancer", "NodePort" -> {
        if (headless) {
          errors.add(FieldError.invalid(SPEC.child("clusterIPs").index(0), GoValue.quote("None"),
              "may not be set to 'None' for " + type + " services"));
        }
      }
      case "ExternalName" -> errors.addAll(externalName(spec));
      default -> { }
    }
    Set<String> portNames = new HashSet<>();
    for (int i = 0; i < ports.size(); i++) {
      errors.addAll(port(ports.get(i), ports.size() > 1, portNames, SPEC.child("ports").index(i)));
    }
    errors.addAll(ObjectMetaValidation.labels(spec.path("selector"), SPEC.child("selector")));
    errors.addAll(Rules.oneOf(spec.path("sessionAffinity"), List.of("ClientIP", "None"),
        SPEC.child("sessionAffinity")));
    if (Fields.text(spec, "sessionAffinity").equals("None") && !Fields.isNull(spec.get("sessionAffinityConfig"))) {
      errors.add(FieldError.forbidden(SPEC.child("sessionAffinityConfig"),
          "must not be set when session affinity is None"));
    }
    errors.addAll(clusterIps(spec));
    List<JsonNode> externalIps = Fields.items(spec, "externalIPs");
    for (int i = 0; i < externalIps.size(); i++) {
      String ip = Fields.text(externalIps.get(i));
      if (!Formats.isIp(ip)) {
        errors.add(FieldError.invalid(SPEC.child("externalIPs").index(i), GoValue.quote(ip), Formats.INVALID_IP));
      }
    }
    errors.addAll(Rules.oneOf(spec.path("type"), TYPES, SPEC.child("type")));
    errors.addAll(nodePorts(ports, type));
    if (!type.equals("LoadBalancer") && !Fields.isNull(spec.get("allocateLoadBalancerNodePorts"))) {
      errors.add(FieldError.forbidden(SPEC.child("allocateLoadBalancerNodePorts"),
          "may only be used when `type` is 'LoadBalancer'"));
    }
    errors.addAll(trafficPolicies(spec, type));
    return errors;
  }

  @Override
  public List<FieldError> validateUpdate(JsonNode service, JsonNode old) {
    List<FieldError> errors = new ArrayList<>();
    JsonNode spec = service.path("spec");
    JsonNode oldSpec = old.path("spec");
    boolean externalName = Fields.text(spec, "type").equals("ExternalName")
        || Fields.text(oldSpec, "type").equals("ExternalName");
    if (!externalName && !(isHeadless(spec) && isHeadless(oldSpec))) {
      errors.addAll(unchangedClusterIps(spec.path("clusterIPs"), oldSpec.path("clusterIPs")));
    }
    errors.addAll(validateCreate(service));
    return errors;
  }

  static boolean isHeadless(JsonNode spec) {
    JsonNode clusterIps = spec.path("clusterIPs");
    return clusterIps.size() == 1 && Fields.text(clusterIps.get(0)).equals("None");
  }

  /** The primary cluster IP never changes; a second one may be added or released. */
  private static List<FieldError> unchangedClusterIps(JsonNode clusterIps, JsonNode oldClusterIps) {
    FieldPath first = SPEC.child("clusterIPs").index(0);
    String value = GoValue.stringSlice(clusterIps);
    if (oldClusterIps.size() > 0 && clusterIps.size() == 0) {
      return List.of(FieldError.invalid(first, value, "primary clusterIP can not be unset"));
    }
    List<FieldError> errors = new ArrayList<>();
    int compared = oldClusterIps.size() == clusterIps.size() ? clusterIps.size() : Math.min(1, oldClusterIps.size());
    for (int i = 0; i < compared; i++) {
      if (!Fields.text(oldClusterIps.get(i)).equals(Fields.text(clusterIps.get(i)))) {
        errors.add(FieldError.invalid(SPEC.child("clusterIPs").index(i), value, "may not change once set"));
      }
    }
    return errors;
  }

  private static List<FieldError> externalName(JsonNode spec) {
    List<FieldError> errors = new ArrayList<>();
    for (String field : List.of("clusterIPs", "ipFamilies")) {
      if (!spec.path(field).isEmpty()) {
        errors.add(FieldError.forbidden(SPEC.child(field), "may not be set for ExternalName services"));
      }
    }
    if (!Fields.isNull(spec.get("ipFamilyPolicy"))) {
      errors.add(FieldError.forbidden(SPEC.child("ipFamilyPolicy"), "may not be set for ExternalName services"));
    }
    String cname = Fields.text(spec, "externalName");
    cname = cname.endsWith(".") ? cname.substring(0, cname.length() - 1) : cname;
    if (cname.isEmpty()) {
      errors.add(FieldError.required(SPEC.child("externalName"), ""));
    } else {
      String name = cname;
      errors.addAll(FieldError.invalidValue(SPEC.child("externalName"), name,
          Formats.dns1123Subdomain(name)));
    }
    return errors;
  }

  private static List<FieldError> port(JsonNode port, boolean nameRequired, Set<String> names, FieldPath path) {
    List<FieldError> errors = new ArrayList<>();
    String name = Fields.text(port, "name");
    if (nameRequired && name.isEmpty()) {
      errors.add(FieldError.required(path.child("name"), ""));
    } else if (!name.isEmpty()) {
      errors.addAll(FieldError.invalidValue(path.child("name"), name, Formats.dns1123Label(name)));
      if (!names.add(name)) {
        errors.add(FieldError.duplicate(path.child("name"), GoValue.quote(name)));
      }
    }
    errors.addAll(FieldError.invalid(path.child("port"), Long.toString(port.path("port").asLong(0)),
        Formats.portNumber(port.path("port").asLong(0))));
    errors.addAll(Rules.protocol(port.path("protocol"), path.child("protocol")));
    errors.addAll(Rules.portNumberOrName(port.path("targetPort"), path.child("targetPort")));
    String appProtocol = Fields.text(port, "appProtocol");
    if (!Fields.isNull(port.get("appProtocol"))) {
      errors.addAll(ObjectMetaValidation.labelKey(appProtocol, path.child("appProtocol")));
    }
    return errors;
  }

  /** clusterIP and clusterIPs agree, the IPs are IPs, and the families and policy are ones Kubernetes has. */
  private static List<FieldError> clusterIps(JsonNode spec) {
    List<FieldError> errors = new ArrayList<>();
    if (Fields.text(spec, "type").equals("ExternalName")) {
      return errors;
    }
    FieldPath clusterIpsPath = SPEC.child("clusterIPs");
    String clusterIp = Fields.text(spec, "clusterIP");
    JsonNode clusterIps = spec.path("clusterIPs");
    if (!clusterIp.isEmpty() && clusterIps.isEmpty()) {
      errors.add(FieldError.required(clusterIpsPath, ""));
    } else if (!clusterIp.isEmpty() && !Fields.text(clusterIps.get(0)).equals(clusterIp)) {
      errors.add(FieldError.invalid(clusterIpsPath, GoValue.stringSlice(clusterIps),
          "first value must match `clusterIP`"));
    } else if (clusterIp.isEmpty() && !clusterIps.isEmpty()) {
      errors.add(FieldError.invalid(clusterIpsPath, GoValue.stringSlice(clusterIps),
          "must be empty when `clusterIP` is not specified"));
    }
    List<JsonNode> families = Fields.items(spec, "ipFamilies");
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < families.size(); i++) {
      String family = Fields.text(families.get(i));
      if (!family.equals("IPv4") && !family.equals("IPv6")) {
        errors.add(FieldError.notSupported(SPEC.child("ipFamilies").index(i), GoValue.quote(family),
            List.of("IPv4", "IPv6")));
      }
      if (!seen.add(family)) {
        errors.add(FieldError.duplicate(SPEC.child("ipFamilies").index(i), GoValue.quote(family)));
      }
    }
    if (!Fields.isNull(spec.get("ipFamilyPolicy"))) {
      String policy = Fields.text(spec, "ipFamilyPolicy");
      List<String> policies = List.of("PreferDualStack", "RequireDualStack", "SingleStack");
      if (!policies.contains(policy)) {
        errors.add(FieldError.notSupported(SPEC.child("ipFamilyPolicy"), GoValue.quote(policy), policies));
      }
    }
    for (int i = 0; i < clusterIps.size(); i++) {
      String ip = Fields.text(clusterIps.get(i));
      if (i == 0 && ip.equals("None")) {
        if (clusterIps.size() > 1) {
          errors.add(FieldError.invalid(clusterIpsPath, GoValue.stringSlice(clusterIps),
              "'None' must be the first and only value"));
        }
      } else if (!Formats.isIp(ip)) {
        errors.add(FieldError.invalid(clusterIpsPath.index(i), GoValue.quote(ip), Formats.INVALID_IP));
      }
    }
    if (clusterIps.size() > 2) {
      errors.add(FieldError.invalid(clusterIpsPath, GoValue.stringSlice(clusterIps), "may only hold up to 2 values"));
    }
    errors.addAll(singleStack(spec, families));
    return errors;
  }

  /**
   * This cluster has IPv4 Service addresses only: a Service cannot demand both families or
   * IPv6, except a headless one without a selector, which allocates no address at all.
   */
  private static List<FieldError> singleStack(JsonNode spec, List<JsonNode> families) {
    if (Fields.text(spec, "clusterIP").equals("None") && spec.path("selector").isEmpty()) {
      return List.of();
    }
    List<FieldError> errors = new ArrayList<>();
    if (Fields.text(spec, "ipFamilyPolicy").equals("RequireDualStack")) {
      errors.add(FieldError.invalid(SPEC.child("ipFamilyPolicy"), GoValue.quote("RequireDualStack"),
          "this cluster is not configured for dual-stack services"));
    }
    for (int i = 0; i < families.size(); i++) {
      if (Fields.text(families.get(i)).equals("IPv6")) {
        errors.add(FieldError.invalid(SPEC.child("ipFamilies").index(i), GoValue.quote("IPv6"),
            "not configured on this cluster"));
      }
    }
    return errors;
  }

  private static List<FieldError> nodePorts(List<JsonNode> ports, String type) {
    List<FieldError> errors = new ArrayList<>();
    Set<String> nodePorts = new HashSet<>();
    Set<String> servicePorts = new HashSet<>();
    for (int i = 0; i < ports.size(); i++) {
      JsonNode port = ports.get(i);
      FieldPath path = SPEC.child("ports").index(i);
      long nodePort = port.path("nodePort").asLong(0);
      if (type.equals("ClusterIP") && nodePort != 0) {
        errors.add(FieldError.forbidden(path.child("nodePort"), "may not be used when `type` is 'ClusterIP'"));
      }
      if (nodePort != 0 && !nodePorts.add(Fields.text(port, "protocol") + "/" + nodePort)) {
        errors.add(FieldError.duplicate(path.child("nodePort"), Long.toString(nodePort)));
      }
    }
    for (int i = 0; i < ports.size(); i++) {
      JsonNode port = ports.get(i);
      String protocol = Fields.text(port, "protocol");
      long number = port.path("port").asLong(0);
      if (!servicePorts.add(protocol + "/" + number)) {
        errors.add(FieldError.duplicate(SPEC.child("ports").index(i), "core.ServicePort{Name:\"\", Protocol:"
            + GoValue.quote(protocol) + ", AppProtocol:(*string)(nil), Port:" + number
            + ", TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}, NodePort:0}"));
      }
    }
    return errors;
  }

  private static List<FieldError> trafficPolicies(JsonNode spec, String type) {
    List<FieldError> errors = new ArrayList<>();
    String external = Fields.text(spec, "externalTrafficPolicy");
    if (!ServiceDefaults.isExternallyAccessible(spec)) {
      if (!external.isEmpty()) {
        errors.add(FieldError.invalid(SPEC.child("externalTrafficPolicy"), GoValue.quote(external),
            "may only be set for externally-accessible services"));
      }
    } else {
      errors.addAll(Rules.oneOf(spec.path("externalTrafficPolicy"), List.of("Cluster", "Local"),
          SPEC.child("externalTrafficPolicy")));
    }
    JsonNode internal = spec.get("internalTrafficPolicy");
    if (Fields.isNull(internal) && List.of("ClusterIP", "NodePort", "LoadBalancer").contains(type)) {
      errors.add(FieldError.required(SPEC.child("internalTrafficPolicy"), ""));
    } else if (!Fields.isNull(internal) && !List.of("Cluster", "Local").contains(Fields.text(internal))) {
      errors.add(FieldError.notSupported(SPEC.child("internalTrafficPolicy"), GoValue.quote(internal),
          List.of("Cluster", "Local")));
    }
    return errors;
  }
}
