package io.kubemu.apiserver.table;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/** {@code kubectl get configmaps}: how many keys, text and binary. */
final class ConfigMapPrinter extends KindPrinter {
  ConfigMapPrinter() {
    super(
        Column.NAME,
        Column.string("Data", "Number of keys in data and binaryData."),
        Column.AGE);
  }

  @Override
  List<Object> cells(ObjectNode configMap, Instant now) {
    long keys = Cells.size(configMap.path("data")) + Cells.size(configMap.path("binaryData"));
    return List.of(Cells.name(configMap), keys, Cells.age(configMap, now));
  }
}
