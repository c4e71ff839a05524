package io.kubemu.apiserver.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** {@code kubectl get nodes}: Ready/NotReady/Unknown from the Ready condition, roles from labels. */
final class NodePrinter extends KindPrinter {
  private static final String ROLE_LABEL_PREFIX = "node-role.kubernetes.io/";
  private static final String ROLE_LABEL = "kubernetes.io/role";

  NodePrinter() {
    super(
        Column.NAME,
        Column.string("Status", "Ready, NotReady or Unknown from the node's Ready condition; "
            + "SchedulingDisabled when cordoned."),
        Column.string("Roles", "Roles from the node's node-role.kubernetes.io/<role> and kubernetes.io/role labels."),
        Column.AGE,
        Column.string("Version", "Version of the node's kubelet (status.nodeInfo.kubeletVersion)."),
        Column.string("Internal-IP", "The node's first InternalIP address.").wide(),
        Column.string("External-IP", "The node's first ExternalIP address.").wide(),
        Column.string("OS-Image", "Operating system the node reports (status.nodeInfo.osImage).").wide(),
        Column.string("Kernel-Version", "Kernel the node reports (status.nodeInfo.kernelVersion).").wide(),
        Column.string("Container-Runtime", "Container runtime and version the node reports "
            + "(status.nodeInfo.containerRuntimeVersion).").wide());
  }

  @Override
  List<Object> cells(ObjectNode node, Instant now) {
    JsonNode nodeInfo = node.path("status").path("nodeInfo");
    return List.of(
        Cells.name(node),
        status(node),
        Cells.orNone(String.join(",", roles(node))),
        Cells.age(node, now),
        Cells.text(nodeInfo.path("kubeletVersion")),
        Cells.orNone(firstAddress(node, "InternalIP")),
        Cells.orNone(firstAddress(node, "ExternalIP")),
        Cells.orUnknown(Cells.text(nodeInfo.path("osImage"))),
        Cells.orUnknown(Cells.text(nodeInfo.path("kernelVersion"))),
        Cells.orUnknown(Cells.text(nodeInfo.path("containerRuntimeVersion"))));
  }

  private static String status(JsonNode node) {
    List<String> status = new ArrayList<>();
    JsonNode ready = null;
    for (JsonNode condition : node.path("status").path("conditions")) {
      if (Cells.text(condition.path("type")).equals("Ready")) {
        ready = condition; // the last one listed counts
      }
    }
    if (ready == null) {
      status.add("Unknown");
    } else {
      status.add(Cells.text(ready.path("status")).equals("True") ? "Ready" : "NotReady");
    }
    if (node.path("spec").path("unschedulable").asBoolean(false)) {
      status.add("SchedulingDisabled");
    }
    return String.join(",", status);
  }

  private static TreeSet<String> roles(JsonNode node) {
    TreeSet<String> roles = new TreeSet<>();
    node.path("metadata").path("labels").fields().forEachRemaining(label -> {
      String key = label.getKey();
      if (key.startsWith(ROLE_LABEL_PREFIX) && key.length() > ROLE_LABEL_PREFIX.length()) {
        roles.add(key.substring(ROLE_LABEL_PREFIX.length()));
      } else if (key.equals(ROLE_LABEL) && Cells.isSet(label.getValue())) {
        roles.add(Cells.text(label.getValue()));
      }
    });
    return roles;
  }

  private static String firstAddress(JsonNode node, String type) {
    for (JsonNode address : node.path("status").path("addresses")) {
      if (Cells.text(address.path("type")).equals(type)) {
        return Cells.text(address.path("address"));
      }
    }
    return "";
  }
}
