package io.kubemu.apiserver.pod;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubemu.apiserver.http.DeleteOptions;
import io.kubemu.apiserver.http.ObjectDeleter;
import io.kubemu.apiserver.http.Preconditions;
import io.kubemu.apiserver.resource.ResourceType;
import io.kubemu.apiserver.storage.ObjectStore;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code pods/eviction}, how {@code kubectl drain} removes pods (kube-apiserver's EvictionREST):
 * a policy/v1 Eviction asks for a pod's graceful delete with the Eviction's deleteOptions. No
 * PodDisruptionBudgets are served, so no budget ever refuses an eviction; the pod is marked
 * with the condition DisruptionTarget=True (reason EvictionByEvictionAPI) and deleted.
 */
public final class EvictionREST {
  private final ObjectStore store;
  private final ObjectDeleter deleter;
  private final ResourceType pods;

  public EvictionREST(ObjectStore store, ObjectDeleter deleter, ResourceType pods) {
    this.store = store;
    this.deleter = deleter;
    this.pods = pods;
  }

  /** Evicts pod {@code name}; completes with the Status to send with 201, or fails with 404 for a missing pod. */
  public CompletableFuture<ObjectNode> create(String namespace, String name, ObjectNode eviction) {
    SubresourceBodies.checkedName(eviction, "Eviction", List.of("policy/v1", "policy/v1beta1"), name);
    DeleteOptions options = DeleteOptions.from(eviction.path("deleteOptions"), parameter -> null);
    Preconditions preconditions = options.preconditions();
    return store.guaranteedUpdate(pods, namespace, name, pod -> {
      preconditions.check(pods, name, pod);
      PodConditions.setTrue(pod, "DisruptionTarget", "EvictionByEvictionAPI", "Eviction API: evicting");
      return pod;
    }).thenCompose(marked -> {
      // The condition write moved the pod on: a resourceVersion precondition now means that version.
      DeleteOptions delete = preconditions.resourceVersion().isEmpty() ? options : options.withPreconditions(
          new Preconditions(preconditions.uid(), marked.path("metadata").path("resourceVersion").asText()));
      return deleter.delete(pods, namespace, name, delete);
    }).thenApply(deleted -> SubresourceBodies.success());
  }
}
