package io.kubemu.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The addresses behind Services, as the endpoints controllers write them: core/v1 Endpoints
 * and discovery.k8s.io/v1 EndpointSlices. Addresses must be IPs, ports valid and, when there are
 * several, told apart by name.
 */
final class EndpointsValidation implements KindValidation {
  private static final List<String> ADDRESS_TYPES = List.of("FQDN", "IPv4", "IPv6");
  private static final int MAX_ADDRESSES = 100;

  private final boolean slices;

  private EndpointsValidation(boolean slices) {
    this.slices = slices;
  }

  static EndpointsValidation endpoints() {
    return new EndpointsValidation(false);
  }

  static EndpointsValidation endpointSlices() {
    return new EndpointsValidation(true);
  }

  @Override
  public List<FieldError> validateCreate(JsonNode object) {
    List<FieldError> errors = new ArrayList<>(ObjectMetaValidation.validate(object, true,
        NameFormat.DNS1123_SUBDOMAIN));
    errors.addAll(slices ? slice(object) : subsets(object));
    return errors;
  }

  private List<FieldError> subsets(JsonNode endpoints) {
    List<FieldError> errors = new ArrayList<>();
    List<JsonNode> subsets = Fields.items(endpoints, "subsets");
    for (int s = 0; s < subsets.size(); s++) {
      JsonNode subset = subsets.get(s);
      FieldPath at = FieldPath.of("subsets").index(s);
      for (String list : List.of("addresses", "notReadyAddresses")) {
        List<JsonNode> addresses = Fields.items(subset, list);
        for (int a = 0; a < addresses.size(); a++) {
          errors.addAll(address(addresses.get(a), at.child(list).index(a)));
        }
      }
      errors.addAll(ports(Fields.items(subset, "ports"), at.child("ports")));
    }
    return errors;
  }

  private static List<FieldError> address(JsonNode address, FieldPath path) {
    List<FieldError> errors = new ArrayList<>();
    String ip = Fields.text(address, "ip");
    if (!Formats.isIp(ip)) {
      errors.add(FieldError.invalid(path.child("ip"), GoValue.quote(ip), Formats.INVALID_IP));
    }
    String hostname = Fields.text(address, "hostname");
    if (!hostname.isEmpty()) {
      errors.addAll(FieldError.invalidValue(path.child("hostname"), hostname,
          Formats.dns1123Label(hostname)));
    }
    String nodeName = Fields.text(address, "nodeName");
    if (!nodeName.isEmpty()) {
      errors.addAll(FieldError.invalidValue(path.child("nodeName"), nodeName,
          Formats.dns1123Subdomain(nodeName)));
    }
    return errors;
  }

  private List<FieldError> slice(JsonNode slice) {
    List<FieldError> errors = new ArrayList<>();
    String addressType = Fields.text(slice, "addressType");
    errors.addAll(Rules.oneOf(slice.path("addressType"), ADDRESS_TYPES, FieldPath.of("addressType")));
    List<JsonNode> endpoints = Fields.items(slice, "endpoints");
    for (int e = 0; e < endpoints.size(); e++) {
      FieldPath addressesPath = FieldPath.of("endpoints").index(e).child("addresses");
      List<JsonNode> addresses = Fields.items(endpoints.get(e), "addresses");
      if (addresses.isEmpty()) {
        errors.add(FieldError.required(addressesPath, "must contain at least 1 address"));
      } else if (addresses.size() > MAX_ADDRESSES) {
        errors.add(FieldError.tooMany(addressesPath, addresses.size(), MAX_ADDRESSES));
      }
      for (int a = 0; a < addresses.size(); a++) {
        errors.addAll(sliceAddress(addressType, Fields.text(addresses.get(a)), addressesPath.index(a)));
      }
    }
    errors.addAll(ports(Fields.items(slice, "ports"), FieldPath.of("ports")));
    return errors;
  }

  private static List<FieldError> sliceAddress(String addressType, String address, FieldPath path) {
    String problem = switch (addressType) {
      case "IPv4" -> Formats.isIp(address) && !Formats.isIpv6(address) ? null : "must be a valid IPv4 address";
      case "IPv6" -> Formats.isIpv6(address) ? null : "must be a valid IPv6 address";
      case "FQDN" -> Formats.dns1123Subdomain(address).isEmpty() ? null : "must be a valid FQDN";
      default -> null;
    };
    return problem == null ? List.of() : List.of(FieldError.invalid(path, GoValue.quote(address), problem));
  }

  /**
   * An Endpoints subset names its ports when it has several, and each has a number; a slice's
   * port names are optional but unique.
   */
  private List<FieldError> ports(List<JsonNode> ports, FieldPath path) {
    List<FieldError> errors = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < ports.size(); i++) {
      JsonNode port = ports.get(i);
      FieldPath at = path.index(i);
      String name = Fields.text(port, "name");
      if (!slices && ports.size() > 1 && name.isEmpty()) {
        errors.add(FieldError.required(at.child("name"), ""));
      } else if (!name.isEmpty()) {
        errors.addAll(FieldError.invalidValue(at.child("name"), name, Formats.dns1123Label(name)));
      }
      if (slices && !names.add(name)) {
        errors.add(FieldError.duplicate(at.child("name"), GoValue.quote(name)));
      }
      if (!slices) {
        errors.addAll(FieldError.invalid(at.child("port"), Long.toString(port.path("port").asLong(0)),
            Formats.portNumber(port.path("port").asLong(0))));
      }
      errors.addAll(Rules.protocol(port.path("protocol"), at.child("protocol")));
    }
    return errors;
  }
}
