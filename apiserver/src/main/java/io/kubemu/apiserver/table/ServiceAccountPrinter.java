package io.kubemu.apiserver.table;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/** {@code kubectl get serviceaccounts}: how many secrets the account lists. */
final class ServiceAccountPrinter extends KindPrinter {
  ServiceAccountPrinter() {
    super(
        Column.NAME,
        Column.string("Secrets", "Number of secrets listed in the service account's secrets."),
        Column.AGE);
  }

  @Override
  List<Object> cells(ObjectNode account, Instant now) {
    return List.of(Cells.name(account), Cells.size(account.path("secrets")), Cells.age(account, now));
  }
}
