package io.kubemu.apiserver.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** {@code kubectl get services}: TYPE, CLUSTER-IP, EXTERNAL-IP per type, PORT(S) as "80:30080/TCP". */
final class ServicePrinter extends KindPrinter {
  ServicePrinter() {
    super(
        Column.NAME,
        Column.string("Type", "How the service is exposed: ClusterIP, NodePort, LoadBalancer or ExternalName."),
        Column.string("Cluster-IP", "The virtual IP inside the cluster, None for a headless service."),
        Column.string("External-IP", "Addresses outside the cluster: spec.externalIPs, the load balancer's "
            + "ingress, or the ExternalName."),
        Column.string("Port(s)", "Each port as port/protocol, or port:nodePort/protocol."),
        Column.AGE,
        Column.string("Selector", "Labels of the pods that back the service.").wide());
  }

  @Override
  List<Object> cells(ObjectNode service, Instant now) {
    JsonNode spec = service.path("spec");
    // Kubernetes defaults an unset type to ClusterIP when the service is written.
    String type = Cells.isSet(spec.path("type")) ? Cells.text(spec.path("type")) : "ClusterIP";
    return List.of(
        Cells.name(service),
        type,
        Cells.orNone(clusterIP(spec)),
        externalIP(type, service),
        Cells.orNone(ports(spec)),
        Cells.age(service, now),
        Cells.labels(spec.path("selector")));
  }

  private static String clusterIP(JsonNode spec) {
    String first = Cells.text(spec.path("clusterIPs").path(0));
    return first.isEmpty() ? Cells.text(spec.path("clusterIP")) : first;
  }

  private static String externalIP(String type, JsonNode service) {
    List<String> externalIPs = new ArrayList<>();
    service.path("spec").path("externalIPs").forEach(ip -> externalIPs.add(Cells.text(ip)));
    return switch (type) {
      case "ClusterIP", "NodePort" -> Cells.orNone(String.join(",", externalIPs));
      case "LoadBalancer" -> {
        List<String> addresses = new ArrayList<>(loadBalancerIngress(service));
        addresses.addAll(externalIPs);
        yield addresses.isEmpty() ? "<pending>" : String.join(",", addresses);
      }
      case "ExternalName" -> Cells.text(service.path("spec").path("externalName"));
      default -> Cells.UNKNOWN;
    };
  }

  /** The load balancer's addresses, IP before hostname, sorted and without repeats. */
  private static TreeSet<String> loadBalancerIngress(JsonNode service) {
    TreeSet<String> addresses = new TreeSet<>();
    for (JsonNode ingress : service.path("status").path("loadBalancer").path("ingress")) {
      if (Cells.isSet(ingress.path("ip"))) {
        addresses.add(Cells.text(ingress.path("ip")));
      } else if (Cells.isSet(ingress.path("hostname"))) {
        addresses.add(Cells.text(ingress.path("hostname")));
      }
    }
    return addresses;
  }

  private static String ports(JsonNode spec) {
    List<String> ports = new ArrayList<>();
    for (JsonNode port : spec.path("ports")) {
      // TCP is Kubernetes' default protocol.
      String protocol = Cells.isSet(port.path("protocol")) ? Cells.text(port.path("protocol")) : "TCP";
      long nodePort = port.path("nodePort").asLong(0);
      String number = String.valueOf(port.path("port").asLong(0));
      ports.add(nodePort > 0 ? number + ":" + nodePort + "/" + protocol : number + "/" + protocol);
    }
    return String.join(",", ports);
  }
}
