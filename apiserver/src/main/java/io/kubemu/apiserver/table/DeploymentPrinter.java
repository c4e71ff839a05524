package io.kubemu.apiserver.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/** {@code kubectl get deployments}: READY as ready/desired, then updated and available replicas. */
final class DeploymentPrinter extends KindPrinter {
  DeploymentPrinter() {
    super(
        Column.NAME,
        Column.string("Ready", "Ready pods out of the desired replicas."),
        Column.string("Up-to-date", "Pods that run the current pod template (status.updatedReplicas)."),
        Column.string("Available", "Pods ready for at least minReadySeconds (status.availableReplicas)."),
        Column.AGE,
        Column.CONTAINERS,
        Column.IMAGES,
        Column.string("Selector", "Label selector of the deployment's pods.").wide());
  }

  @Override
  List<Object> cells(ObjectNode deployment, Instant now) {
    JsonNode spec = deployment.path("spec");
    JsonNode status = deployment.path("status");
    // Kubernetes defaults an unset spec.replicas to 1.
    long desired = Cells.number(spec.path("replicas"), 1);
    return List.of(
        Cells.name(deployment),
        status.path("readyReplicas").asLong(0) + "/" + desired,
        status.path("updatedReplicas").asLong(0),
        status.path("availableReplicas").asLong(0),
        Cells.age(deployment, now),
        Cells.containerNames(spec.path("template")),
        Cells.containerImages(spec.path("template")),
        Cells.selectorOrEmpty(spec.path("selector")));
  }
}
