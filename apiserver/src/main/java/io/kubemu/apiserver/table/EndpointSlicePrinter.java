package io.kubemu.apiserver.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@code kubectl get endpointslices}: address type, up to three ports and three addresses. */
final class EndpointSlicePrinter extends KindPrinter {
  EndpointSlicePrinter() {
    super(
        Column.NAME,
        Column.string("AddressType", "The kind of addresses in the slice: IPv4, IPv6 or FQDN."),
        Column.string("Ports", "Port numbers of the slice, the name for a port without a number, * for all ports."),
        Column.string("Endpoints", "Addresses of the slice's endpoints."),
        Column.AGE);
  }

  @Override
  List<Object> cells(ObjectNode slice, Instant now) {
    List<String> ports = new ArrayList<>();
    for (JsonNode port : slice.path("ports")) {
      ports.add(port.path("port").isNumber() ? port.path("port").asText()
          : port.path("name").isTextual() ? port.path("name").asText() : "*");
    }
    List<String> addresses = new ArrayList<>();
    for (JsonNode endpoint : slice.path("endpoints")) {
      endpoint.path("addresses").forEach(address -> addresses.add(Cells.text(address)));
    }
    return List.of(
        Cells.name(slice),
        Cells.text(slice.path("addressType")),
        firstThreeOrUnset(ports),
        firstThreeOrUnset(addresses),
        Cells.age(slice, now));
  }

  private static String firstThreeOrUnset(List<String> all) {
    String cell = Cells.firstThree(all.subList(0, Math.min(all.size(), Cells.SHOWN_ENTRIES)), all.size());
    return cell.isEmpty() ? "<unset>" : cell;
  }
}
