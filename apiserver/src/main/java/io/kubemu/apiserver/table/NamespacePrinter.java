package io.kubemu.apiserver.table;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/** {@code kubectl get namespaces}: Active, or Terminating while its contents are deleted. */
final class NamespacePrinter extends KindPrinter {
  NamespacePrinter() {
    super(
        Column.NAME,
        Column.string("Status", "Active, or Terminating once the namespace is being deleted."),
        Column.AGE);
  }

  @Override
  List<Object> cells(ObjectNode namespace, Instant now) {
    String phase = Cells.text(namespace.path("status").path("phase"));
    if (phase.isEmpty()) {
      // Kubernetes sets the phase on create and on delete; this is what it would have set.
      phase = Cells.isSet(namespace.path("metadata").path("deletionTimestamp")) ? "Terminating" : "Active";
    }
    return List.of(Cells.name(namespace), phase, Cells.age(namespace, now));
  }
}
