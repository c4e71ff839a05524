package io.kubemu.apiserver.table;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/** {@code kubectl get leases}: who holds the lease (a node for node heartbeats, a leader for elections). */
final class LeasePrinter extends KindPrinter {
  LeasePrinter() {
    super(
        Column.NAME,
        Column.string("Holder", "Identity of the current holder (spec.holderIdentity)."),
        Column.AGE);
  }

  @Override
  List<Object> cells(ObjectNode lease, Instant now) {
    return List.of(Cells.name(lease), Cells.text(lease.path("spec").path("holderIdentity")), Cells.age(lease, now));
  }
}
