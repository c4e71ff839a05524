package io.kubemu.apiserver.table;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** {@code kubectl get secrets}: the secret's type and how many keys it holds. */
final class SecretPrinter extends KindPrinter {
  SecretPrinter() {
    super(
        Column.NAME,
        Column.string("Type", "What the secret is for, such as Opaque or kubernetes.io/tls."),
        Column.string("Data", "Number of keys in the secret."),
        Column.AGE);
  }

  @Override
  List<Object> cells(ObjectNode secret, Instant now) {
    // Kubernetes merges write-only stringData into data; count a key present in both once.
    Set<String> keys = new HashSet<>();
    secret.path("data").fieldNames().forEachRemaining(keys::add);
    secret.path("stringData").fieldNames().forEachRemaining(keys::add);
    String type = Cells.text(secret.path("type"));
    return List.of(
        Cells.name(secret),
        type.isEmpty() ? "Opaque" : type, // Kubernetes' default type
        (long) keys.size(),
        Cells.age(secret, now));
  }
}
