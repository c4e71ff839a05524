package io.kubemu.apiserver.table;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Any kind without a printer of its own, as Kubernetes prints those: the name and the
 * creation time as an RFC 3339 date, which kubectl turns into an age.
 */
final class DefaultPrinter extends KindPrinter {
  private static final Instant ZERO_TIME = Instant.parse("0001-01-01T00:00:00Z");

  DefaultPrinter() {
    super(
        Column.NAME,
        new Column("Created At", "date", "", "When the object was created (metadata.creationTimestamp).", 0));
  }

  @Override
  List<Object> cells(ObjectNode object, Instant now) {
    Instant created = Cells.time(object.path("metadata").path("creationTimestamp"));
    Instant shown = created == null ? ZERO_TIME : created.truncatedTo(ChronoUnit.SECONDS);
    return List.of(Cells.name(object), shown.toString());
  }
}
