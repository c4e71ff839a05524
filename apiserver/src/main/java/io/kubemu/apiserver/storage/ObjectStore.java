package io.kubemu.apiserver.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.kubemu.apiserver.http.ApiException;
import io.kubemu.apiserver.resource.ResourceType;
import io.kubemu.etcd.api.Compare;
import io.kubemu.etcd.api.DeleteRangeRequest;
import io.kubemu.etcd.api.KeyValue;
import io.kubemu.etcd.api.PutRequest;
import io.kubemu.etcd.api.RangeRequest;
import io.kubemu.etcd.api.RequestOp;
import io.kubemu.etcd.api.TxnRequest;
import io.kubemu.etcd.api.TxnResponse;
import io.kubemu.etcd.api.WatchRequest;
import io.kubemu.etcd.client.KeyRange;
import io.kubemu.etcd.client.KvClient;
import io.kubemu.etcd.client.KvException;
import io.kubemu.etcd.client.Watch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.UnaryOperator;

/**
 * Kubernetes objects in the store, as kube-apiserver keeps them in etcd: JSON under
 * {@code /registry/<resource>/<namespace>/<name>}, with the key's mod_revision as the object's
 * resourceVersion. Creates and updates are etcd transactions, so a create never overwrites and
 * an update never overwrites a change it did not see.
 */
public final class ObjectStore {
  private final KvClient kv;
  private final ObjectMapper json;
  private final LeaseManager leases;
  private final Map<String, Duration> ttlByKind;

  public ObjectStore(KvClient kv, ObjectMapper json) {
    this(kv, json, Map.of());
  }

  /** {@code ttlByKind}: kinds whose objects expire, e.g. Event after --event-ttl. */
  public ObjectStore(KvClient kv, ObjectMapper json, Map<String, Duration> ttlByKind) {
    this.kv = kv;
    this.json = json;
    this.leases = new LeaseManager(kv);
    this.ttlByKind = Map.copyOf(ttlByKind);
  }

  /** The store lease an object of this type is written with: 0 for objects that live until deleted. */
  private CompletableFuture<Long> leaseFor(ResourceType type) {
    Duration ttl = ttlByKind.get(type.kind());
    return ttl == null ? CompletableFuture.completedFuture(0L) : leases.leaseFor(ttl);
  }

  /** An object list and the store revision it was read at. */
  public record ObjectList(List<ObjectNode> items, long revision) {}

  public static String key(ResourceType type, String namespace, String name) {
    return type.namespaced() ? type.storagePrefix() + namespace + "/" + name : type.storagePrefix() + name;
  }

  /** Where the objects of a type (in one namespace, or all when {@code namespace} is null) live. */
  public static String prefix(ResourceType type, String namespace) {
    return type.namespaced() && namespace != null ? type.storagePrefix() + namespace + "/" : type.storagePrefix();
  }

  /**
   * Follows the changes of a type's objects (in one namespace, or all when {@code namespace} is
   * null) from {@code fromRevision} on, each with the object as it was before (for deletes).
   */
  public Watch watch(ResourceType type, String namespace, long fromRevision, Watch.Listener listener) {
    String prefix = prefix(type, namespace);
    return kv.watch(WatchRequest.newBuilder().setKey(bytes(prefix)).setRangeEnd(prefixEnd(prefix))
        .setStartRevision(fromRevision).setPrevKv(true).build(), listener);
  }

  public CompletableFuture<ObjectNode> get(ResourceType type, String namespace, String name) {
    return kv.get(bytes(key(type, namespace, name))).thenApply(response -> {
      if (response.getKvsCount() == 0) {
        throw ApiException.notFound(type, name);
      }
      return decode(response.getKvs(0));
    });
  }

  /** Every object under the prefix at {@code revision} (0: the latest), as one consistent read. */
  public CompletableFuture<ObjectList> list(ResourceType type, String namespace, long revision) {
    String prefix = prefix(type, namespace);
    RangeRequest request = RangeRequest.newBuilder()
        .setKey(bytes(prefix))
        .setRangeEnd(prefixEnd(prefix))
        .setRevision(revision)
        .build();
    return kv.range(request).handle((response, error) -> {
      if (error != null) {
        throw translate(error);
      }
      List<ObjectNode> items = new ArrayList<>(response.getKvsCount());
      response.getKvsList().forEach(kv -> items.add(decode(kv)));
      return new ObjectList(items, revision != 0 ? revision : response.getHeader().getRevision());
    });
  }

  /** Stores a new object; 409 AlreadyExists when the name is taken. */
  public CompletableFuture<ObjectNode> create(ResourceType type, String namespace, String name, ObjectNode object) {
    ByteString key = bytes(key(type, namespace, name));
    return leaseFor(type).thenCompose(lease -> kv.txn(TxnRequest.newBuilder()
        .addCompare(Compare.newBuilder().setKey(key).setTarget(Compare.CompareTarget.MOD).setModRevision(0))
        .addSuccess(RequestOp.newBuilder().setRequestPut(put(key, object, lease)))
        .build())).thenApply(response -> {
      if (!response.getSucceeded()) {
        throw ApiException.alreadyExists(type, name);
      }
      return withResourceVersion(object, response.getHeader().getRevision());
    });
  }

  /**
   * Replaces an object if it is still at {@code expectedRevision}; 409 Conflict when it changed
   * since, 404 when it is gone.
   */
  public CompletableFuture<ObjectNode> update(ResourceType type, String namespace, String name,
      ObjectNode object, long expectedRevision) {
    ByteString key = bytes(key(type, namespace, name));
    return leaseFor(type).thenCompose(lease -> kv.txn(TxnRequest.newBuilder()
        .addCompare(Compare.newBuilder().setKey(key).setTarget(Compare.CompareTarget.MOD).setModRevision(expectedRevision))
        .addSuccess(RequestOp.newBuilder().setRequestPut(put(key, object, lease)))
        .addFailure(RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(key).setKeysOnly(true)))
        .build())).thenApply(response -> {
      if (!response.getSucceeded()) {
        throw missing(response) ? ApiException.notFound(type, name) : ApiException.conflict(type, name);
      }
      return withResourceVersion(object, response.getHeader().getRevision());
    });
  }

  /**
   * Reads the object, applies {@code change} and writes it back, again and again while
   * others change it in between: how patches, status and scale writes apply to the latest
   * version (kube-apiserver's GuaranteedUpdate). {@code change} may throw an ApiException.
   */
  public CompletableFuture<ObjectNode> guaranteedUpdate(ResourceType type, String namespace, String name,
      UnaryOperator<ObjectNode> change) {
    return guaranteedUpdate(type, namespace, name, null, change);
  }

  /**
   * As {@link #guaranteedUpdate(ResourceType, String, String, UnaryOperator)}, starting from
   * {@code cached} (the watch cache's copy, or null) instead of reading the store first, as
   * kube-apiserver's GuaranteedUpdate does with its cachedExistingObject. A guess that turns
   * out stale (a conflict, a refused or empty change) costs one fresh read and another try.
   */
  public CompletableFuture<ObjectNode> guaranteedUpdate(ResourceType type, String namespace, String name,
      ObjectNode cached, UnaryOperator<ObjectNode> change) {
    CompletableFuture<ObjectNode> start = cached != null ? CompletableFuture.completedFuture(cached)
        : get(type, namespace, name);
    return start.thenCompose(current -> {
      long revision = Long.parseLong(current.path("metadata").path("resourceVersion").asText("0"));
      ObjectNode changed;
      try {
        changed = change.apply(current.deepCopy());
      } catch (ApiException e) {
        return cached != null ? guaranteedUpdate(type, namespace, name, null, change)
            : CompletableFuture.<ObjectNode>failedFuture(e);
      }
      if (changed.equals(current)) {
        // Nothing to write: no new revision, once the object is known to be current.
        return cached != null ? guaranteedUpdate(type, namespace, name, null, change)
            : CompletableFuture.completedFuture(current);
      }
      return update(type, namespace, name, changed, revision).handle((updated, error) -> {
        if (error == null) {
          return CompletableFuture.completedFuture(updated);
        }
        Throwable cause = unwrap(error);
        if (cause instanceof ApiException api && (api.reason().equals("Conflict")
            || (cached != null && api.reason().equals("NotFound")))) {
          return guaranteedUpdate(type, namespace, name, null, change);
        }
        return CompletableFuture.<ObjectNode>failedFuture(cause);
      }).thenCompose(f -> f);
    });
  }

  /** Deletes the object if it is still at {@code expectedRevision} (0: whatever its revision); returns it as it was. */
  public CompletableFuture<ObjectNode> delete(ResourceType type, String namespace, String name, long expectedRevision) {
    ByteString key = bytes(key(type, namespace, name));
    TxnRequest.Builder txn = TxnRequest.newBuilder()
        .addSuccess(RequestOp.newBuilder().setRequestDeleteRange(DeleteRangeRequest.newBuilder().setKey(key).setPrevKv(true)))
        .addFailure(RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(key).setKeysOnly(true)));
    if (expectedRevision != 0) {
      txn.addCompare(Compare.newBuilder().setKey(key).setTarget(Compare.CompareTarget.MOD).setModRevision(expectedRevision));
    } else {
      txn.addCompare(Compare.newBuilder().setKey(key).setTarget(Compare.CompareTarget.MOD)
          .setResult(Compare.CompareResult.GREATER).setModRevision(0));
    }
    return kv.txn(txn.build()).thenApply(response -> {
      if (!response.getSucceeded()) {
        throw missing(response) ? ApiException.notFound(type, name) : ApiException.conflict(type, name);
      }
      var deleted = response.getResponses(0).getResponseDeleteRange();
      if (deleted.getPrevKvsCount() == 0) {
        throw ApiException.notFound(type, name);
      }
      return withResourceVersion(decode(deleted.getPrevKvs(0)), response.getHeader().getRevision());
    });
  }

  public ObjectNode decode(KeyValue kv) {
    try {
      ObjectNode object = (ObjectNode) json.readTree(kv.getValue().newInput()); // streamed, not copied out whole first
      return withResourceVersion(object, kv.getModRevision());
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable object at " + kv.getKey().toStringUtf8(), e);
    }
  }

  private PutRequest put(ByteString key, ObjectNode object, long lease) {
    return PutRequest.newBuilder().setKey(key).setValue(encode(object)).setLease(lease).build();
  }

  private ByteString encode(ObjectNode object) {
    // The revision is the key's, not the document's: never store it. Only the two levels that
    // differ are copied; the rest of the tree is shared with the caller's and only read.
    ObjectNode stored = object;
    if (object.get("metadata") instanceof ObjectNode metadata && metadata.has("resourceVersion")) {
      ObjectNode withoutRevision = metadata.objectNode().setAll(metadata);
      withoutRevision.remove("resourceVersion");
      stored = object.objectNode().setAll(object);
      stored.set("metadata", withoutRevision);
    }
    try {
      return UnsafeByteOperations.unsafeWrap(json.writeValueAsBytes(stored)); // the array is ours alone
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ObjectNode withResourceVersion(ObjectNode object, long revision) {
    object.withObject("metadata").put("resourceVersion", Long.toString(revision));
    return object;
  }

  private static boolean missing(TxnResponse failed) {
    return failed.getResponses(0).getResponseRange().getCount() == 0;
  }

  static ByteString bytes(String text) {
    return ByteString.copyFromUtf8(text);
  }

  /** The end of the key range holding every key that starts with {@code prefix}. */
  public static ByteString prefixEnd(String prefix) {
    return KeyRange.prefixEnd(bytes(prefix));
  }

  /** A compacted revision becomes 410 Expired, as kube-apiserver answers. */
  static RuntimeException translate(Throwable error) {
    Throwable cause = unwrap(error);
    if (cause instanceof KvException kv && kv.isCompacted()) {
      return ApiException.expired("too old resource version: required revision has been compacted (compacted at "
          + kv.error().getCompactRevision() + ")");
    }
    return cause instanceof RuntimeException runtime ? runtime : new CompletionException(cause);
  }

  static Throwable unwrap(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
  }
}
