package io.kubemu.apiserver.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubemu.apiserver.allocation.ServiceAllocation;
import io.kubemu.apiserver.resource.ObjectMeta;
import io.kubemu.apiserver.resource.ResourceType;
import io.kubemu.apiserver.storage.ObjectStore;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Deletes objects with Kubernetes' semantics, as the generic registry's Delete: a pod on a node
 * gets a grace period to stop its containers, finalizers and the Foreground and Orphan
 * policies hold an object back with a deletionTimestamp, preconditions guard against deleting
 * the wrong object, and everything else goes at once. What a deleted Service held goes back
 * to the allocators.
 */
public final class ObjectDeleter {
  private final ObjectStore store;
  private final ObjectMapper json;
  private final ServiceAllocation serviceAllocation;

  public ObjectDeleter(ObjectStore store, ObjectMapper json, ServiceAllocation serviceAllocation) {
    this.store = store;
    this.json = json;
    this.serviceAllocation = serviceAllocation;
  }

  /**
   * Deletes or starts deleting the object; replies with the object (pods, and objects held
   * back) or a Status (everything else deleted at once), as kube-apiserver does.
   */
  public CompletableFuture<JsonNode> delete(ResourceType type, String namespace, String name, DeleteOptions options) {
    return delete(type, namespace, name, options, null);
  }

  /**
   * As {@link #delete(ResourceType, String, String, DeleteOptions)}, deciding first on
   * {@code cached} (the watch cache's copy, or null) rather than a fresh read, as kube-apiserver
   * does. When the object changed in the store between the read and the write (a stale cached
   * copy, or a controller writing it at the same moment), the object is read again and the delete
   * decided again, for up to {@code RETRY_FOR}, as kube-apiserver's retry loop does: a client
   * gets a 409 only when its own preconditions fail, or the object keeps changing that long.
   */
  public CompletableFuture<JsonNode> delete(ResourceType type, String namespace, String name, DeleteOptions options,
      ObjectNode cached) {
    CompletableFuture<ObjectNode> read = cached == null ? store.get(type, namespace, name)
        : CompletableFuture.completedFuture(cached);
    return attempt(type, namespace, name, options, read, cached != null, System.nanoTime() + RETRY_FOR.toNanos());
  }

  static final java.time.Duration RETRY_FOR = java.time.Duration.ofSeconds(10);

  private CompletableFuture<JsonNode> attempt(ResourceType type, String namespace, String name, DeleteOptions options,
      CompletableFuture<ObjectNode> read, boolean guessed, long deadline) {
    return decide(type, namespace, name, options, read).exceptionallyCompose(error -> {
      Throwable cause = unwrap(error);
      boolean stale = cause instanceof StaleRead
          || (guessed && cause instanceof ApiException api && (api.code() == 409 || api.code() == 404));
      if (stale && System.nanoTime() < deadline) {
        return attempt(type, namespace, name, options, store.get(type, namespace, name), false, deadline);
      }
      return CompletableFuture.failedFuture(cause instanceof StaleRead staleRead ? staleRead.conflict : cause);
    });
  }

  /** The store refused a write because the object changed since it was read. */
  private static final class StaleRead extends RuntimeException {
    final ApiException conflict;

    StaleRead(ApiException conflict) {
      super(conflict.getMessage(), null, false, false);
      this.conflict = conflict;
    }
  }

  /** A store write's outcome, with its conflict told apart from a precondition's. */
  private static <T> CompletableFuture<T> staleOnConflict(CompletableFuture<T> write) {
    return write.exceptionallyCompose(error -> {
      Throwable cause = unwrap(error);
      return CompletableFuture.failedFuture(cause instanceof ApiException api && api.code() == 409
          ? new StaleRead(api) : cause);
    });
  }

  private static Throwable unwrap(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
  }

  private CompletableFuture<JsonNode> decide(ResourceType type, String namespace, String name, DeleteOptions options,
      CompletableFuture<ObjectNode> read) {
    return read.thenCompose(existing -> {
      options.preconditions().check(type, name, existing);
      ObjectNode terminating = existing.deepCopy();
      ObjectNode metadata = terminating.withObject("metadata");
      Long grace = options.gracePeriodSeconds();
      String propagation = options.propagationPolicy();
      boolean changed = false;
      if (propagation.equals("Foreground") || propagation.equals("Orphan")) {
        String finalizer = propagation.equals("Foreground") ? "foregroundDeletion" : "orphan";
        if (!hasFinalizer(existing, finalizer)) {
          metadata.withArray("finalizers").add(finalizer);
          changed = true;
        }
      }
      if (isGracefulPod(type, existing, grace)) {
        long seconds = grace != null ? grace : existing.path("spec").path("terminationGracePeriodSeconds").asLong(30);
        long current = metadata.path("deletionGracePeriodSeconds").asLong(Long.MAX_VALUE);
        if (!metadata.hasNonNull("deletionTimestamp") || seconds < current) {
          metadata.put("deletionTimestamp", Instant.now().plusSeconds(seconds).toString().replaceAll("\\.\\d+Z$", "Z"));
          metadata.put("deletionGracePeriodSeconds", seconds);
          changed = true;
        }
      } else if (type.kind().equals("Namespace") && existing.path("spec").path("finalizers").size() > 0) {
        // A namespace terminates: the namespace controller deletes its content, then finalizes it.
        if (!metadata.hasNonNull("deletionTimestamp")) {
          metadata.put("deletionTimestamp", ObjectMeta.now());
          terminating.withObject("status").put("phase", "Terminating");
          changed = true;
        }
      } else if (metadata.path("finalizers").size() > 0) {
        if (!metadata.hasNonNull("deletionTimestamp")) {
          metadata.put("deletionTimestamp", ObjectMeta.now());
          metadata.put("deletionGracePeriodSeconds", 0);
          changed = true;
        }
      } else {
        return staleOnConflict(deleteNow(type, namespace, existing)).thenApply(deleted -> deletedReply(type, deleted));
      }
      if (!changed) {
        return CompletableFuture.completedFuture((JsonNode) existing);
      }
      return staleOnConflict(store.update(type, namespace, name, terminating, revision(existing)))
          .thenApply(object -> (JsonNode) object);
    });
  }

  /** A terminating object whose last finalizer went (and whose grace period is over) is deleted for real. */
  public CompletableFuture<ObjectNode> finishIfDeletable(ResourceType type, String namespace, ObjectNode object) {
    JsonNode metadata = object.path("metadata");
    boolean terminating = metadata.hasNonNull("deletionTimestamp");
    boolean finalizersLeft = metadata.path("finalizers").size() > 0
        || object.path("spec").path("finalizers").size() > 0; // a namespace's own finalizers
    boolean graceLeft = metadata.path("deletionGracePeriodSeconds").asLong(0) > 0;
    if (!terminating || finalizersLeft || graceLeft) {
      return CompletableFuture.completedFuture(object);
    }
    return deleteNow(type, namespace, object);
  }

  /** Removes the object from the store if it is still the version given; the one place objects leave the store. */
  private CompletableFuture<ObjectNode> deleteNow(ResourceType type, String namespace, ObjectNode object) {
    String name = object.path("metadata").path("name").asText();
    return store.delete(type, namespace, name, revision(object)).thenApply(deleted -> {
      serviceAllocation.release(type, deleted);
      return deleted;
    });
  }

  /** A pod on a node gets time to stop its containers; an unscheduled one goes at once. */
  private static boolean isGracefulPod(ResourceType type, JsonNode pod, Long grace) {
    return type.kind().equals("Pod") && !pod.path("spec").path("nodeName").asText("").isEmpty()
        && (grace == null || grace > 0);
  }

  /** Kubernetes answers a finished delete with the object for pods and with a Status for everything else. */
  private JsonNode deletedReply(ResourceType type, ObjectNode deleted) {
    if (type.kind().equals("Pod")) {
      return deleted;
    }
    ObjectNode status = json.createObjectNode();
    status.put("kind", "Status").put("apiVersion", "v1");
    status.putObject("metadata");
    status.put("status", "Success");
    ObjectNode details = status.putObject("details");
    details.put("name", deleted.path("metadata").path("name").asText(""));
    if (!type.group().isEmpty()) {
      details.put("group", type.group());
    }
    details.put("kind", type.resource());
    details.put("uid", deleted.path("metadata").path("uid").asText());
    return status;
  }

  private static boolean hasFinalizer(JsonNode object, String finalizer) {
    for (JsonNode value : object.path("metadata").path("finalizers")) {
      if (value.asText().equals(finalizer)) {
        return true;
      }
    }
    return false;
  }

  private static long revision(JsonNode object) {
    return Long.parseLong(object.path("metadata").path("resourceVersion").asText("0"));
  }
}
