package io.kubemu.apiserver.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@code kubectl get endpoints}: the first three ready ip:port pairs, then " + N more...". */
final class EndpointsPrinter extends KindPrinter {
  EndpointsPrinter() {
    super(
        Column.NAME,
        Column.string("Endpoints", "Ready addresses with each of their ports, as ip:port."),
        Column.AGE);
  }

  @Override
  List<Object> cells(ObjectNode endpoints, Instant now) {
    return List.of(Cells.name(endpoints), endpoints(endpoints.path("subsets")), Cells.age(endpoints, now));
  }

  private static String endpoints(JsonNode subsets) {
    if (subsets.isEmpty()) {
      return Cells.NONE;
    }
    List<String> shown = new ArrayList<>();
    int total = 0;
    for (JsonNode subset : subsets) {
      JsonNode addresses = subset.path("addresses");
      JsonNode ports = subset.path("ports");
      if (ports.isEmpty()) {
        // A headless service may have no ports: its addresses are listed bare.
        total += addresses.size();
        for (JsonNode address : addresses) {
          addIfRoom(shown, Cells.text(address.path("ip")));
        }
        continue;
      }
      for (JsonNode port : ports) {
        total += addresses.size();
        for (JsonNode address : addresses) {
          addIfRoom(shown, hostPort(Cells.text(address.path("ip")), port.path("port").asLong(0)));
        }
      }
    }
    return Cells.firstThree(shown, total);
  }

  private static void addIfRoom(List<String> shown, String entry) {
    if (shown.size() < Cells.SHOWN_ENTRIES) {
      shown.add(entry);
    }
  }

  /** "10.0.0.1:80", "[fd00::1]:80". */
  private static String hostPort(String ip, long port) {
    return ip.contains(":") ? "[" + ip + "]:" + port : ip + ":" + port;
  }
}
