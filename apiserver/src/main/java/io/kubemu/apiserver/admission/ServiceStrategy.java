package io.kubemu.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What kube-apiserver's Service registry does to a Service before it validates it: keeps
 * {@code clusterIP} and {@code clusterIPs} in step, keeps what it allocated when a client
 * resends its manifest without it, drops fields the new type no longer uses, and fills in the IP
 * families of this single-stack (IPv4) cluster. Allocating cluster IPs and node ports is not
 * done here.
 */
final class ServiceStrategy {
  private ServiceStrategy() {}

  static void prepareForCreate(ObjectNode service) {
    if (service.get("spec") instanceof ObjectNode spec) {
      normalizeClusterIps(spec, null);
      initIpFamilies(spec, null);
    }
  }

  static void prepareForUpdate(ObjectNode service, JsonNode old) {
    if (service.get("spec") instanceof ObjectNode spec) {
      JsonNode oldSpec = old.path("spec");
      patchAllocatedValues(spec, oldSpec);
      normalizeClusterIps(spec, oldSpec);
      dropTypeDependentFields(spec, oldSpec);
      initIpFamilies(spec, oldSpec);
    }
  }

  /** A client that resends a manifest without the cluster IP or node ports it was given keeps them. */
  private static void patchAllocatedValues(ObjectNode spec, JsonNode oldSpec) {
    if (needsClusterIp(oldSpec) && needsClusterIp(spec)) {
      if (Fields.text(spec, "clusterIP").isEmpty() && !Fields.text(oldSpec, "clusterIP").isEmpty()) {
        spec.set("clusterIP", oldSpec.get("clusterIP").deepCopy());
      }
      if (spec.path("clusterIPs").isEmpty() && !oldSpec.path("clusterIPs").isEmpty()) {
        spec.set("clusterIPs", oldSpec.get("clusterIPs").deepCopy());
      }
    }
    if (needsNodePort(oldSpec) && needsNodePort(spec)) {
      Set<Long> used = nodePorts(spec);
      used.retainAll(nodePorts(oldSpec));
      for (ObjectNode port : Fields.objects(spec, "ports")) {
        if (port.path("nodePort").asLong(0) != 0) {
          continue;
        }
        for (JsonNode oldPort : oldSpec.path("ports")) {
          long oldNodePort = oldPort.path("nodePort").asLong(0);
          if (Fields.text(oldPort, "name").equals(Fields.text(port, "name")) && oldNodePort != 0
              && !used.contains(oldNodePort)) {
            port.put("nodePort", oldNodePort);
          }
        }
      }
    }
    if (needsHealthCheckNodePort(oldSpec) && needsHealthCheckNodePort(spec)
        && spec.path("healthCheckNodePort").asLong(0) == 0 && !Fields.isNull(oldSpec.get("healthCheckNodePort"))) {
      spec.set("healthCheckNodePort", oldSpec.get("healthCheckNodePort").deepCopy());
    }
  }

  /** Old clients set only clusterIP, new ones both: make them agree. */
  private static void normalizeClusterIps(ObjectNode spec, JsonNode oldSpec) {
    String clusterIp = Fields.text(spec, "clusterIP");
    if (oldSpec == null) {
      if (!clusterIp.isEmpty() && spec.path("clusterIPs").isEmpty()) {
        spec.putArray("clusterIPs").add(clusterIp);
      }
      return;
    }
    String oldClusterIp = Fields.text(oldSpec, "clusterIP");
    if (!oldSpec.path("clusterIPs").isEmpty() && spec.path("clusterIPs").isEmpty() && oldClusterIp.equals(clusterIp)) {
      spec.set("clusterIPs", oldSpec.get("clusterIPs").deepCopy());
    }
    if (!oldClusterIp.equals(clusterIp) && GoEquality.same(oldSpec.path("clusterIPs"), spec.path("clusterIPs"))) {
      if (clusterIp.isEmpty()) {
        spec.remove("clusterIPs");
      } else {
        spec.putArray("clusterIPs").add(clusterIp);
      }
    }
  }

  /** A field the new type does not use goes, if the client left it as it was. */
  private static void dropTypeDependentFields(ObjectNode spec, JsonNode oldSpec) {
    if (needsClusterIp(oldSpec) && !needsClusterIp(spec)) {
      if (GoEquality.same(oldSpec.path("clusterIPs"), spec.path("clusterIPs"))) {
        spec.remove(List.of("clusterIP", "clusterIPs"));
      }
      removeIfUnchanged(spec, oldSpec, "ipFamilies");
      removeIfUnchanged(spec, oldSpec, "ipFamilyPolicy");
    }
    if (needsNodePort(oldSpec) && !needsNodePort(spec)) {
      if (nodePorts(oldSpec).equals(nodePorts(spec))) {
        Fields.objects(spec, "ports").forEach(port -> port.remove("nodePort"));
      }
      removeIfUnchanged(spec, oldSpec, "healthCheckNodePort");
    }
    if (Fields.text(oldSpec, "type").equals("LoadBalancer") && !Fields.text(spec, "type").equals("LoadBalancer")) {
      removeIfUnchanged(spec, oldSpec, "allocateLoadBalancerNodePorts");
      removeIfUnchanged(spec, oldSpec, "loadBalancerClass");
    }
    if (ServiceDefaults.isExternallyAccessible(oldSpec) && !ServiceDefaults.isExternallyAccessible(spec)) {
      removeIfUnchanged(spec, oldSpec, "externalTrafficPolicy");
    }
  }

  /**
   * The IP family policy (SingleStack, unless kept from before, or RequireDualStack for a
   * headless Service without a selector) and the families: those of the given IPs, else IPv4.
   */
  private static void initIpFamilies(ObjectNode spec, JsonNode oldSpec) {
    if (Fields.text(spec, "type").equals("ExternalName")) {
      return;
    }
    boolean headlessSelectorless = Fields.text(spec, "clusterIP").equals("None") && spec.path("selector").isEmpty();
    if (Fields.isNull(spec.get("ipFamilyPolicy"))) {
      if (oldSpec != null && !Fields.isNull(oldSpec.get("ipFamilyPolicy"))) {
        spec.set("ipFamilyPolicy", oldSpec.get("ipFamilyPolicy").deepCopy());
      } else {
        spec.put("ipFamilyPolicy", headlessSelectorless ? "RequireDualStack" : "SingleStack");
      }
    }
    ArrayNode families = spec.get("ipFamilies") instanceof ArrayNode list ? list : spec.putArray("ipFamilies");
    List<JsonNode> clusterIps = Fields.items(spec, "clusterIPs");
    for (int i = families.size(); i < clusterIps.size(); i++) {
      String ip = Fields.text(clusterIps.get(i));
      if (ip.equals("None") || !Formats.isIp(ip)) {
        break;
      }
      families.add(Formats.isIpv6(ip) ? "IPv6" : "IPv4");
    }
    if (families.isEmpty()) {
      families.add("IPv4");
    }
    if (headlessSelectorless && families.size() == 1 && !Fields.text(spec, "ipFamilyPolicy").equals("SingleStack")) {
      families.add(Fields.text(families.get(0)).equals("IPv4") ? "IPv6" : "IPv4");
    }
  }

  static boolean needsClusterIp(JsonNode spec) {
    return !Fields.text(spec, "type").equals("ExternalName");
  }

  static boolean needsNodePort(JsonNode spec) {
    String type = Fields.text(spec, "type");
    return type.equals("NodePort") || type.equals("LoadBalancer");
  }

  private static boolean needsHealthCheckNodePort(JsonNode spec) {
    return Fields.text(spec, "type").equals("LoadBalancer") && Fields.text(spec,
        "externalTrafficPolicy").equals("Local");
  }

  private static Set<Long> nodePorts(JsonNode spec) {
    Set<Long> nodePorts = new HashSet<>();
    spec.path("ports").forEach(port -> {
      if (port.path("nodePort").asLong(0) != 0) {
        nodePorts.add(port.path("nodePort").asLong());
      }
    });
    return nodePorts;
  }

  private static void removeIfUnchanged(ObjectNode spec, JsonNode oldSpec, String field) {
    if (GoEquality.same(oldSpec.path(field), spec.path(field))) {
      spec.remove(field);
    }
  }
}
