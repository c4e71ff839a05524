package io.kubemu.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Kubernetes' SetDefaults_Service: type, session affinity, port protocols and target ports, traffic policies. */
final class ServiceDefaults {
  /** Three hours, Kubernetes' DefaultClientIPServiceAffinitySeconds. */
  static final int CLIENT_IP_AFFINITY_SECONDS = 10800;

  private ServiceDefaults() {}

  static void apply(ObjectNode service) {
    ObjectNode spec = Fields.object(service, "spec");
    if (spec == null) {
      return;
    }
    Fields.defaultText(spec, "sessionAffinity", "None");
    String affinity = Fields.text(spec, "sessionAffinity");
    if (affinity.equals("None")) {
      spec.remove("sessionAffinityConfig");
    } else if (affinity.equals("ClientIP")
        && Fields.isNull(spec.path("sessionAffinityConfig").path("clientIP").get("timeoutSeconds"))) {
      spec.putObject("sessionAffinityConfig").putObject("clientIP").put("timeoutSeconds", CLIENT_IP_AFFINITY_SECONDS);
    }
    Fields.defaultText(spec, "type", "ClusterIP");
    for (ObjectNode port : Fields.objects(spec, "ports")) {
      Fields.defaultText(port, "protocol", "TCP");
      if (Fields.isZero(port.get("targetPort"))) {
        port.set("targetPort", port.path("port").deepCopy());
      }
    }
    String type = Fields.text(spec, "type");
    if (isExternallyAccessible(spec)) {
      Fields.defaultText(spec, "externalTrafficPolicy", "Cluster");
    }
    if (type.equals("ClusterIP") || type.equals("NodePort") || type.equals("LoadBalancer")) {
      Fields.defaultText(spec, "internalTrafficPolicy", "Cluster");
    }
    if (type.equals("LoadBalancer")) {
      if (Fields.isNull(spec.get("allocateLoadBalancerNodePorts"))) {
        spec.put("allocateLoadBalancerNodePorts", true);
      }
      for (ObjectNode ingress : Fields.objects(service.path("status").path("loadBalancer"), "ingress")) {
        if (!Fields.text(ingress, "ip").isEmpty()) {
          Fields.defaultText(ingress, "ipMode", "VIP");
        }
      }
    }
  }

  /** Reachable from outside the cluster: a NodePort or LoadBalancer, or a ClusterIP with external IPs. */
  static boolean isExternallyAccessible(JsonNode spec) {
    String type = Fields.text(spec, "type");
    return type.equals("LoadBalancer") || type.equals("NodePort")
        || (type.equals("ClusterIP") && !spec.path("externalIPs").isEmpty());
  }
}
