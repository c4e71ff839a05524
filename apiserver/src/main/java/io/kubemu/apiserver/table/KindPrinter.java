package io.kubemu.apiserver.table;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/**
 * How one kind prints as a Table row, as Kubernetes' per-kind printers do: the columns, and
 * for an object the cells in column order. Cells are {@code String}, {@code Long} or
 * {@code Boolean}. The apiserver always computes the wide columns too; kubectl hides them
 * unless asked for {@code -o wide}.
 */
abstract class KindPrinter {
  private final List<Column> columns;

  KindPrinter(Column... columns) {
    this.columns = List.of(columns);
  }

  final List<Column> columns() {
    return columns;
  }

  abstract List<Object> cells(ObjectNode object, Instant now);

  /** Row conditions; Kubernetes marks finished pods "Completed" this way. */
  List<RowCondition> conditions(ObjectNode object) {
    return List.of();
  }

  record RowCondition(String type, String status, String reason, String message) {}
}
