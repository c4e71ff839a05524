package io.kubemu.apiserver.pod;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubemu.apiserver.http.ApiException;
import io.kubemu.apiserver.http.Preconditions;
import io.kubemu.apiserver.resource.ResourceType;
import io.kubemu.apiserver.storage.ObjectStore;
import io.kubemu.apiserver.watch.Cacher;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code pods/binding}, how the scheduler places a pod (kube-apiserver's BindingREST): a
 * Binding names the node; the pod gets spec.nodeName and the condition PodScheduled=True, once.
 * A pod that is bound already, or being deleted, is a 409 Conflict.
 *
 * <p>The pod to bind is taken from the watch cache rather than read from the store first, as
 * patches are: a binding follows the scheduler's sight of the pod through a watch, so the cache has
 * it almost always, and a copy that turns out stale costs a conflict and one fresh read. That spares
 * the store a linearizable read (a heartbeat round with the followers) for every pod scheduled.
 */
public final class BindingREST {
  /** Bindings are not stored; the type names them in 422 replies. */
  static final ResourceType BINDINGS = new ResourceType("", "v1", "bindings", "binding", "Binding", true,
      List.of(), List.of(), List.of());

  private final ObjectStore store;
  private final ResourceType pods;
  private final Cacher podCache;

  public BindingREST(ObjectStore store, Cacher podCache) {
    this.store = store;
    this.pods = podCache.type();
    this.podCache = podCache;
  }

  /**
   * Binds the pod the Binding names; {@code urlName} is the pod of {@code pods/NAME/binding},
   * null for {@code POST namespaces/NS/bindings}. Completes with the Status to send with 201.
   */
  public CompletableFuture<ObjectNode> create(String namespace, String urlName, ObjectNode binding) {
    String name = SubresourceBodies.checkedName(binding, "Binding", List.of("v1"), urlName);
    validate(name, binding);
    String node = binding.path("target").path("name").asText();
    JsonNode metadata = binding.path("metadata");
    // The Binding's uid and resourceVersion, when set, guard the pod (the scheduler's way to bind what it saw).
    Preconditions preconditions = Preconditions.of(metadata);
    return store.guaranteedUpdate(pods, namespace, name, podCache.cached(namespace, name), pod -> {
      preconditions.check(pods, name, pod);
      if (pod.path("metadata").hasNonNull("deletionTimestamp")) {
        throw conflict(name, "pod " + name + " is being deleted, cannot be assigned to a host");
      }
      String assigned = pod.path("spec").path("nodeName").asText("");
      if (!assigned.isEmpty()) {
        throw conflict(name, "pod " + name + " is already assigned to node \"" + assigned + "\"");
      }
      if (!pod.path("spec").path("schedulingGates").isEmpty()) {
        throw conflict(name, "pod " + name + " has non-empty .spec.schedulingGates");
      }
      pod.withObject("spec").put("nodeName", node);
      if (metadata.path("annotations").isObject() && !metadata.path("annotations").isEmpty()) {
        pod.withObject("metadata").withObject("annotations").setAll((ObjectNode) metadata.get("annotations").deepCopy());
      }
      PodConditions.setTrue(pod, "PodScheduled", null, null);
      return pod;
    }).thenApply(bound -> SubresourceBodies.success());
  }

  /** Kubernetes' ValidatePodBinding, answered as a 422 rather than upstream's 500. */
  private static void validate(String name, ObjectNode binding) {
    if (name.isEmpty()) {
      throw ApiException.invalid(BINDINGS, "", List.of(new ApiException.Cause("FieldValueRequired",
          "Required value: name or generateName is required", "metadata.name")));
    }
    String kind = binding.path("target").path("kind").asText("");
    if (!kind.isEmpty() && !kind.equals("Node")) {
      throw ApiException.invalid(BINDINGS, name, List.of(new ApiException.Cause("FieldValueNotSupported",
          "Unsupported value: \"" + kind + "\": supported values: \"Node\", \"<empty>\"", "target.kind")));
    }
    if (binding.path("target").path("name").asText("").isEmpty()) {
      throw ApiException.invalid(BINDINGS, name, List.of(new ApiException.Cause("FieldValueRequired",
          "Required value", "target.name")));
    }
  }

  private ApiException conflict(String name, String why) {
    return new ApiException(409, "Conflict", "Operation cannot be fulfilled on pods/binding \"" + name + "\": " + why,
        pods, name, List.of());
  }
}
