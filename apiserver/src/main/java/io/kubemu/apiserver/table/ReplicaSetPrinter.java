package io.kubemu.apiserver.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/** {@code kubectl get replicasets}: desired, current and ready replicas. */
final class ReplicaSetPrinter extends KindPrinter {
  ReplicaSetPrinter() {
    super(
        Column.NAME,
        Column.integer("Desired", "Replicas wanted (spec.replicas)."),
        Column.integer("Current", "Replicas that exist (status.replicas)."),
        Column.integer("Ready", "Replicas that are ready (status.readyReplicas)."),
        Column.AGE,
        Column.CONTAINERS,
        Column.IMAGES,
        Column.string("Selector", "Label selector of the replica set's pods.").wide());
  }

  @Override
  List<Object> cells(ObjectNode replicaSet, Instant now) {
    JsonNode spec = replicaSet.path("spec");
    JsonNode status = replicaSet.path("status");
    return List.of(
        Cells.name(replicaSet),
        Cells.number(spec.path("replicas"), 1), // Kubernetes' default for an unset spec.replicas
        status.path("replicas").asLong(0),
        status.path("readyReplicas").asLong(0),
        Cells.age(replicaSet, now),
        Cells.containerNames(spec.path("template")),
        Cells.containerImages(spec.path("template")),
        Cells.selectorOrNone(spec.path("selector")));
  }
}
