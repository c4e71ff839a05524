package io.kubemu.apiserver.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubemu.apiserver.admission.Admission;
import io.kubemu.apiserver.allocation.ServiceAllocation;
import io.kubemu.apiserver.allocation.Transaction;
import io.kubemu.apiserver.metrics.RequestMetrics;
import io.kubemu.apiserver.patch.PatchException;
import io.kubemu.apiserver.patch.Patches;
import io.kubemu.apiserver.resource.CreateStrategy;
import io.kubemu.apiserver.resource.ObjectMeta;
import io.kubemu.apiserver.resource.ResourceType;
import io.kubemu.apiserver.resource.Resources;
import io.kubemu.apiserver.selection.FieldSelector;
import io.kubemu.apiserver.selection.LabelSelector;
import io.kubemu.apiserver.storage.ObjectStore;
import io.kubemu.apiserver.table.IncludeObject;
import io.kubemu.apiserver.table.TablePrinter;
import io.kubemu.apiserver.table.TableVersion;
import io.kubemu.apiserver.watch.Cacher;
import io.kubemu.apiserver.watch.UncachedWatch;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * The REST verbs on every resource under {@code /api} and {@code /apis}: get, list, watch,
 * create, update, delete, for objects and their status subresource, with Kubernetes'
 * semantics (optimistic concurrency, create-if-absent, graceful pod deletion, finalizers).
 */
public final class ResourceHandler implements Handler<RoutingContext> {
  private final Resources resources;
  private final ObjectStore store;
  private final Map<ResourceType, Cacher> cachers;
  private final Bodies bodies;
  private final Responses responses;
  private final WatchStreams watches;
  private final ObjectMapper json;
  private final FieldValidation fieldValidation;
  private final Admission admission;
  private final ObjectDeleter deleter;
  private final ServiceAllocation serviceAllocation;
  private final RequestMetrics metrics;

  public ResourceHandler(Resources resources, ObjectStore store, Map<ResourceType, Cacher> cachers, Bodies bodies,
      Responses responses, WatchStreams watches, ObjectMapper json, FieldValidation fieldValidation,
      Admission admission, ObjectDeleter deleter, ServiceAllocation serviceAllocation, RequestMetrics metrics) {
    this.resources = resources;
    this.store = store;
    this.cachers = cachers;
    this.bodies = bodies;
    this.responses = responses;
    this.watches = watches;
    this.json = json;
    this.fieldValidation = fieldValidation;
    this.admission = admission;
    this.deleter = deleter;
    this.serviceAllocation = serviceAllocation;
    this.metrics = metrics;
  }

  @Override
  public void handle(RoutingContext ctx) {
    try {
      ResourceRequest request = ResourceRequest.parse(resources, ctx.request().path());
      HttpMethod method = ctx.request().method();
      boolean watch = method == HttpMethod.GET && !request.isObject() && isWatch(ctx);
      metrics.monitor(ctx, request, watch);
      CompletableFuture<? extends JsonNode> reply;
      int[] code = {200};
      if (method == HttpMethod.GET && request.isObject() && request.subresource() == null) {
        reply = store.get(request.type(), request.namespace(), request.name());
      } else if (method == HttpMethod.GET && request.isObject() && request.subresource().equals("status")) {
        reply = store.get(request.type(), request.namespace(), request.name());
      } else if (method == HttpMethod.GET && !request.isObject()) {
        if (watch) {
          Cacher cacher = cachers.get(request.type());
          watches.serve(ctx, request,
              cacher != null ? cacher : new UncachedWatch(request.type(), request.namespace(), store));
          return;
        }
        reply = list(ctx, request);
      } else if (method == HttpMethod.POST && !request.isObject()) {
        code[0] = 201;
        reply = create(request, fieldValidation.check(ctx, request.type(), bodies.read(ctx, request.type())));
      } else if (method == HttpMethod.PUT && request.isObject()
          && (request.subresource() == null || request.subresource().equals("status")
              || request.subresource().equals("finalize"))) {
        reply = update(request, fieldValidation.check(ctx, request.type(), bodies.read(ctx, request.type())));
      } else if (method == HttpMethod.PATCH && request.isObject()
          && (request.subresource() == null || request.subresource().equals("status"))) {
        reply = patch(ctx, request);
      } else if (request.isObject() && "scale".equals(request.subresource())) {
        reply = scale(ctx, request, method);
      } else if (method == HttpMethod.DELETE && request.isObject() && request.subresource() == null) {
        reply = delete(ctx, request);
      } else {
        throw ApiException.methodNotAllowed(method + " is not supported on " + ctx.request().path());
      }
      if (method == HttpMethod.GET) {
        reply = asTableIfAsked(ctx, request, reply);
      }
      Future.fromCompletionStage(reply, ctx.vertx().getOrCreateContext()).onComplete(result -> {
        if (result.succeeded()) {
          responses.send(ctx, code[0], result.result());
        } else {
          responses.fail(ctx, result.cause());
        }
      });
    } catch (RuntimeException e) {
      responses.fail(ctx, e);
    }
  }

  /** kubectl get asks for a Table: the server prints the columns, as kube-apiserver does. */
  private static CompletableFuture<? extends JsonNode> asTableIfAsked(RoutingContext ctx, ResourceRequest request,
      CompletableFuture<? extends JsonNode> reply) {
    Optional<TableVersion> version = TablePrinter.tableVersion(ctx.request().getHeader("Accept"));
    if (version.isEmpty()) {
      return reply;
    }
    IncludeObject include = IncludeObject.fromQuery(ctx.request().getParam("includeObject"));
    ResourceType type = request.type();
    return reply.thenApply(node -> {
      ObjectNode object = (ObjectNode) node;
      if (request.isObject()) {
        return TablePrinter.objectTable(version.get(), type, object, true, include, Instant.now());
      }
      List<ObjectNode> items = new ArrayList<>();
      object.path("items").forEach(item -> items.add((ObjectNode) item));
      JsonNode metadata = object.path("metadata");
      return TablePrinter.table(version.get(), type, items, metadata.path("resourceVersion").asText(),
          metadata.hasNonNull("continue") ? metadata.get("continue").asText() : null, include, Instant.now());
    });
  }

  private static boolean isWatch(RoutingContext ctx) {
    String watch = ctx.request().getParam("watch");
    return watch != null && (watch.equals("true") || watch.equals("1"));
  }

  // ---- list ----

  private CompletableFuture<ObjectNode> list(RoutingContext ctx, ResourceRequest request) {
    ResourceType type = request.type();
    Predicate<JsonNode> filter = filter(ctx, request);
    String resourceVersion = ctx.request().getParam("resourceVersion", "");
    String match = ctx.request().getParam("resourceVersionMatch", "");
    long limit = parseLong(ctx.request().getParam("limit", "0"), "limit");
    String continueToken = ctx.request().getParam("continue", "");
    Cacher cacher = cachers.get(type);
    if (cacher != null && resourceVersion.equals("0") && continueToken.isEmpty() && !match.equals("Exact")) {
      // "Any version will do": served from the watch cache, as kube-apiserver does (limit ignored).
      return cacher.ready().thenApply(ignored -> {
        Cacher.Snapshot snapshot = cacher.snapshot(filter::test);
        return listObject(type, snapshot.items(), snapshot.revision(), null);
      });
    }
    Continue from = continueToken.isEmpty() ? null : Continue.decode(continueToken);
    long at = from != null ? from.revision()
        : match.equals("Exact") ? parseLong(resourceVersion, "resourceVersion") : 0;
    return store.list(type, request.namespace(), at).thenApply(list -> {
      List<ObjectNode> items = new ArrayList<>();
      for (ObjectNode object : list.items()) {
        if (from != null && ObjectStore.key(type, namespaceOf(object), nameOf(object)).compareTo(from.lastKey()) <= 0) {
          continue;
        }
        if (filter.test(object)) {
          items.add(object);
        }
      }
      items.sort(Comparator.comparing(object -> ObjectStore.key(type, namespaceOf(object), nameOf(object))));
      String next = null;
      if (limit > 0 && items.size() > limit) {
        items = new ArrayList<>(items.subList(0, (int) limit));
        ObjectNode last = items.get(items.size() - 1);
        next = new Continue(list.revision(), ObjectStore.key(type, namespaceOf(last), nameOf(last))).encode();
      }
      return listObject(type, items, list.revision(), next);
    });
  }

  /** The namespace, label and field selection of a list or watch request. */
  static Predicate<JsonNode> filter(RoutingContext ctx, ResourceRequest request) {
    LabelSelector labels = LabelSelector.parse(ctx.request().getParam("labelSelector"));
    FieldSelector fields = FieldSelector.parse(ctx.request().getParam("fieldSelector"), request.type());
    String namespace = request.namespace();
    return object -> (namespace == null || namespace.equals(namespaceOf(object))) && labels.test(object)
        && fields.test(object);
  }

  private ObjectNode listObject(ResourceType type, List<ObjectNode> items, long revision, String continueToken) {
    ObjectNode list = json.createObjectNode();
    list.put("kind", type.kind() + "List").put("apiVersion", type.apiVersion());
    ObjectNode metadata = list.putObject("metadata");
    metadata.put("resourceVersion", Long.toString(revision));
    if (continueToken != null) {
      metadata.put("continue", continueToken);
    }
    ArrayNode array = list.putArray("items");
    items.forEach(array::add);
    return list;
  }

  /** Where the next page of a paged list starts: the list's revision and the last key served. */
  record Continue(long revision, String lastKey) {
    String encode() {
      return Base64.getUrlEncoder().withoutPadding().encodeToString((revision + "\n" + lastKey).getBytes());
    }

    static Continue decode(String token) {
      try {
        String[] parts = new String(Base64.getUrlDecoder().decode(token)).split("\n", 2);
        return new Continue(Long.parseLong(parts[0]), parts[1]);
      } catch (RuntimeException e) {
        throw ApiException.badRequest("invalid continue token: " + token);
      }
    }
  }

  // ---- create, update ----

  private CompletableFuture<ObjectNode> create(ResourceRequest request, ObjectNode object) {
    ResourceType type = request.type();
    String name = ObjectMeta.prepareForCreate(type, request.namespace(), object);
    admission.admit(type, object, null);
    CreateStrategy.prepare(type, object);
    admission.validateCreate(type, object);
    CompletableFuture<ObjectNode> namespace = type.namespaced() ? namespace(request.namespace())
        : CompletableFuture.completedFuture(null);
    return namespace.thenCompose(ns -> {
      if (ns != null && ns.path("metadata").hasNonNull("deletionTimestamp")) {
        throw new ApiException(403, "Forbidden", type.qualifiedResource() + " \"" + name + "\" is forbidden: unable to create new "
            + "content in namespace " + request.namespace() + " because it is being terminated", type, name,
            List.of(new ApiException.Cause("NamespaceTerminating", "namespace " + request.namespace()
                + " is being terminated", "metadata.namespace")));
      }
      Transaction allocated = serviceAllocation.allocateCreate(type, object); // ClusterIP, NodePorts
      return store.create(type, request.namespace(), name, object).whenComplete(allocated::finish);
    });
  }

  private CompletableFuture<ObjectNode> update(ResourceRequest request, ObjectNode body) {
    ResourceType type = request.type();
    boolean status = "status".equals(request.subresource());
    boolean finalize = "finalize".equals(request.subresource());
    return store.get(type, request.namespace(), request.name()).thenCompose(existing -> {
      String wanted = body.path("metadata").path("resourceVersion").asText("");
      long revision = wanted.isEmpty()
          ? parseLong(existing.path("metadata").path("resourceVersion").asText("0"), "resourceVersion")
          : parseLong(wanted, "metadata.resourceVersion");
      ObjectNode updated;
      Transaction allocated = Transaction.NONE;
      if (finalize) {
        // The namespace controller empties spec.finalizers here once the namespace is empty.
        updated = existing.deepCopy();
        updated.withObject("spec").set("finalizers", body.path("spec").path("finalizers").deepCopy());
      } else if (status) {
        // Through /status only the status changes.
        admission.applyDefaults(type, body);
        updated = existing.deepCopy();
        copyStatus(body, updated);
        admission.validateStatusUpdate(type, updated, existing);
      } else {
        updated = body;
        admission.admit(type, updated, existing);
        ObjectMeta.prepareForUpdate(type, request.namespace(), request.name(), updated, existing);
        if (type.hasSubresource("status")) {
          copyStatus(existing, updated); // ...and through the object itself everything but the status
        }
        admission.validateUpdate(type, updated, existing);
        allocated = serviceAllocation.allocateUpdate(type, updated, existing); // ClusterIP, NodePorts
      }
      return store.update(type, request.namespace(), request.name(), updated, revision)
          .whenComplete(allocated::finish)
          .thenCompose(saved -> deleter.finishIfDeletable(type, request.namespace(), saved));
    });
  }

  /**
   * Applies a JSON merge, JSON or strategic merge patch to the latest version of the object,
   * again if someone else wrote in between; through /status only the status changes.
   */
  private CompletableFuture<ObjectNode> patch(RoutingContext ctx, ResourceRequest request) {
    ResourceType type = request.type();
    String contentType = ctx.request().getHeader("Content-Type");
    byte[] patch = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
    boolean status = "status".equals(request.subresource());
    // The allocations of the latest attempt: an attempt that lost a race gives its own back.
    AtomicReference<Transaction> allocated = new AtomicReference<>(Transaction.NONE);
    return store.guaranteedUpdate(type, request.namespace(), request.name(), cached(request), current -> {
      ObjectNode patched;
      try {
        patched = Patches.apply(contentType == null ? "" : contentType, current, patch, type.kind());
      } catch (PatchException e) {
        throw new ApiException(e.code(), e.reason().statusReason(), e.getMessage(), type, request.name(), List.of());
      }
      fieldValidation.check(ctx, type, patched);
      // A resourceVersion in the patch is a precondition, as in kube-apiserver (the GC's finalizer patches rely on it).
      String wanted = patched.path("metadata").path("resourceVersion").asText("");
      if (!wanted.isEmpty() && !wanted.equals(current.path("metadata").path("resourceVersion").asText(""))) {
        throw ApiException.conflict(type, request.name());
      }
      if (status) {
        admission.applyDefaults(type, patched);
        ObjectNode updated = current.deepCopy();
        copyStatus(patched, updated);
        admission.validateStatusUpdate(type, updated, current);
        return updated;
      }
      admission.admit(type, patched, current);
      // A patch may not move the object or change what the server owns.
      patched.withObject("metadata").put("resourceVersion", current.path("metadata").path("resourceVersion").asText());
      ObjectMeta.prepareForUpdate(type, request.namespace(), request.name(), patched, current);
      if (type.hasSubresource("status")) {
        copyStatus(current, patched);
      }
      admission.validateUpdate(type, patched, current);
      allocated.getAndSet(serviceAllocation.allocateUpdate(type, patched, current)).revert(); // ClusterIP, NodePorts
      return patched;
    }).whenComplete((saved, error) -> allocated.get().finish(saved, error))
        .thenCompose(saved -> deleter.finishIfDeletable(type, request.namespace(), saved));
  }

  /**
   * The scale subresource ({@code kubectl scale}): an autoscaling/v1 Scale view of a
   * Deployment's or ReplicaSet's replicas, read, replaced or patched.
   */
  private CompletableFuture<ObjectNode> scale(RoutingContext ctx, ResourceRequest request, HttpMethod method) {
    ResourceType type = request.type();
    if (method == HttpMethod.GET) {
      return store.get(type, request.namespace(), request.name()).thenApply(this::toScale);
    }
    if (method != HttpMethod.PUT && method != HttpMethod.PATCH) {
      throw ApiException.methodNotAllowed(method + " is not supported on the scale subresource");
    }
    byte[] body = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
    String contentType = ctx.request().getHeader("Content-Type");
    ObjectNode replacement = method == HttpMethod.PUT ? bodies.read(ctx, type) : null;
    return store.guaranteedUpdate(type, request.namespace(), request.name(), cached(request), current -> {
      ObjectNode scale = toScale(current);
      ObjectNode wanted;
      if (replacement != null) {
        wanted = replacement;
      } else {
        try {
          wanted = Patches.apply(contentType == null ? "" : contentType, scale, body, "Scale");
        } catch (PatchException e) {
          throw new ApiException(e.code(), e.reason().statusReason(), e.getMessage(), type, request.name(), List.of());
        }
      }
      JsonNode replicas = wanted.path("spec").path("replicas");
      if (!replicas.canConvertToInt() || replicas.asInt() < 0) {
        throw ApiException.invalid(type, request.name(), List.of(new ApiException.Cause("FieldValueInvalid",
            "Invalid value: " + replicas + ": must be greater than or equal to 0", "spec.replicas")));
      }
      ObjectNode updated = current.deepCopy();
      if (updated.path("spec").path("replicas").asInt(1) != replicas.asInt()) {
        updated.withObject("spec").put("replicas", replicas.asInt());
        updated.withObject("metadata").put("generation", current.path("metadata").path("generation").asLong(1) + 1);
      }
      return updated;
    }).thenApply(this::toScale);
  }

  private ObjectNode toScale(ObjectNode object) {
    ObjectNode scale = json.createObjectNode().put("kind", "Scale").put("apiVersion", "autoscaling/v1");
    ObjectNode metadata = scale.putObject("metadata");
    JsonNode source = object.path("metadata");
    for (String field : List.of("name", "namespace", "uid", "resourceVersion", "creationTimestamp")) {
      if (source.has(field)) {
        metadata.set(field, source.get(field));
      }
    }
    scale.putObject("spec").put("replicas", object.path("spec").path("replicas").asInt(1));
    ObjectNode status = scale.putObject("status").put("replicas", object.path("status").path("replicas").asInt(0));
    StringBuilder selector = new StringBuilder();
    object.path("spec").path("selector").path("matchLabels").fields().forEachRemaining(label ->
        selector.append(selector.length() == 0 ? "" : ",").append(label.getKey()).append('=').append(label.getValue().asText()));
    status.put("selector", selector.toString());
    return scale;
  }

  // ---- delete ----

  private CompletableFuture<JsonNode> delete(RoutingContext ctx, ResourceRequest request) {
    DeleteOptions options = DeleteOptions.from(bodies.readOptional(ctx), ctx.request()::getParam);
    return deleter.delete(request.type(), request.namespace(), request.name(), options, cached(request));
  }

  /**
   * The namespace a new object goes into, as kube-apiserver's NamespaceLifecycle admission
   * finds it: in the watch cache, or in the store when the cache does not have it (yet).
   */
  private CompletableFuture<ObjectNode> namespace(String name) {
    ResourceType namespaces = resources.find("", "v1", "namespaces").orElseThrow();
    ObjectNode cached = cachers.get(namespaces).cached(null, name);
    return cached != null ? CompletableFuture.completedFuture(cached) : store.get(namespaces, null, name);
  }

  /**
   * The watch cache's copy of the object a write is about: where kube-apiserver starts a write from;
   * null for a type without a cache (the write starts from the store).
   */
  private ObjectNode cached(ResourceRequest request) {
    Cacher cacher = cachers.get(request.type());
    return cacher == null ? null : cacher.cached(request.namespace(), request.name());
  }

  /** Makes {@code to}'s status {@code from}'s (or none). */
  private static void copyStatus(JsonNode from, ObjectNode to) {
    if (from.has("status")) {
      to.set("status", from.get("status").deepCopy());
    } else {
      to.remove("status");
    }
  }

  static String nameOf(JsonNode object) {
    return object.path("metadata").path("name").asText("");
  }

  static String namespaceOf(JsonNode object) {
    return object.path("metadata").path("namespace").asText("");
  }

  static long parseLong(String value, String what) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("invalid " + what + ": \"" + value + "\" is not a number");
    }
  }
}
