package io.kubemu.apiserver.pod;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubemu.apiserver.http.ApiException;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the kubelet of a node answers (Kubernetes' NodeConnectionInfoGetter): the node's
 * address, preferring InternalIP, then ExternalIP, then Hostname (k3s' order for
 * {@code --kubelet-preferred-address-types}), and the port it reports in
 * status.daemonEndpoints.kubeletEndpoint, 10250 when it reports none. Plain HTTP for now.
 */
record KubeletLocation(String host, int port, String path) {
  static final int DEFAULT_PORT = 10250;
  private static final List<String> PREFERRED_ADDRESS_TYPES = List.of("InternalIP", "ExternalIP", "Hostname");

  static KubeletLocation of(JsonNode node, String path) {
    JsonNode addresses = node.path("status").path("addresses");
    for (String type : PREFERRED_ADDRESS_TYPES) {
      for (JsonNode address : addresses) {
        if (address.path("type").asText().equals(type) && !address.path("address").asText("").isEmpty()) {
          int port = node.path("status").path("daemonEndpoints").path("kubeletEndpoint").path("Port").asInt(0);
          return new KubeletLocation(address.path("address").asText(), port > 0 ? port : DEFAULT_PORT, path);
        }
      }
    }
    List<String> known = new ArrayList<>();
    addresses.forEach(address -> known.add("{" + address.path("type").asText() + " " + address.path("address").asText() + "}"));
    throw new ApiException(500, "", "no preferred addresses found; known addresses: [" + String.join(" ", known) + "]",
        null, null, List.of());
  }

  String hostPort() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  String url() {
    return "http://" + hostPort() + path;
  }
}
