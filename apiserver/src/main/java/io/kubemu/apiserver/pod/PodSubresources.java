package io.kubemu.apiserver.pod;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubemu.apiserver.http.Bodies;
import io.kubemu.apiserver.http.ResourceRequest;
import io.kubemu.apiserver.http.Responses;
import io.kubemu.apiserver.metrics.RequestMetrics;
import io.kubemu.apiserver.resource.ResourceType;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The routes of the pod subresources that are not plain reads and writes of the pod:
 * {@code pods/binding} (and the {@code bindings} collection), {@code pods/eviction} and
 * {@code pods/log}. Mounted before the generic resource routes, which answer every other verb
 * on them with 405.
 */
public final class PodSubresources {
  private static final String POD = "/api/v1/namespaces/:namespace/pods/:name";

  private final BindingREST bindings;
  private final EvictionREST evictions;
  private final LogREST logs;
  private final Bodies bodies;
  private final Responses responses;
  private final RequestMetrics metrics;
  private final ResourceType pods;

  /** @param metrics counts and times every request, as for the other resources */
  public PodSubresources(BindingREST bindings, EvictionREST evictions, LogREST logs, Bodies bodies, Responses responses,
      RequestMetrics metrics, ResourceType pods) {
    this.metrics = metrics;
    this.pods = pods;
    this.bindings = bindings;
    this.evictions = evictions;
    this.logs = logs;
    this.bodies = bodies;
    this.responses = responses;
  }

  public void mount(Router router) {
    router.post(POD + "/binding").handler(ctx -> {
      monitor(ctx, pods, "binding");
      created(ctx, () -> bindings.create(ctx.pathParam("namespace"), ctx.pathParam("name"), bodies.read(ctx, "Binding")));
    });
    router.post("/api/v1/namespaces/:namespace/bindings").handler(ctx -> {
      metrics.monitor(ctx, new ResourceRequest(BindingREST.BINDINGS, ctx.pathParam("namespace"), null, null), false);
      created(ctx, () -> bindings.create(ctx.pathParam("namespace"), null, bodies.read(ctx, "Binding")));
    });
    router.post(POD + "/eviction").handler(ctx -> {
      monitor(ctx, pods, "eviction");
      created(ctx, () ->
          evictions.create(ctx.pathParam("namespace"), ctx.pathParam("name"), bodies.read(ctx, "Eviction")));
    });
    router.get(POD + "/log").handler(ctx -> {
      monitor(ctx, pods, "log");
      try {
        logs.serve(ctx, ctx.pathParam("namespace"), ctx.pathParam("name"));
      } catch (RuntimeException e) {
        responses.fail(ctx, e);
      }
    });
  }

  private void monitor(RoutingContext ctx, ResourceType type, String subresource) {
    metrics.monitor(ctx, new ResourceRequest(type, ctx.pathParam("namespace"), ctx.pathParam("name"), subresource), false);
  }

  /** Kubernetes answers a subresource create with 201 and the Status it returns. */
  private void created(RoutingContext ctx, Supplier<CompletableFuture<ObjectNode>> create) {
    try {
      Future.fromCompletionStage(create.get(), ctx.vertx().getOrCreateContext()).onComplete(result -> {
        if (result.succeeded()) {
          responses.send(ctx, 201, result.result());
        } else {
          responses.fail(ctx, result.cause());
        }
      });
    } catch (RuntimeException e) {
      responses.fail(ctx, e);
    }
  }
}
