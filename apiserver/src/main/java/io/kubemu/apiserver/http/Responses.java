package io.kubemu.apiserver.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubemu.etcd.client.KvException;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes API replies: JSON bodies, and every failure as a Kubernetes {@code Status}. */
public final class Responses {
  private static final Logger LOG = LoggerFactory.getLogger(Responses.class);

  private final ObjectMapper json;

  public Responses(ObjectMapper json) {
    this.json = json;
  }

  public void send(RoutingContext ctx, int code, JsonNode body) {
    HttpServerResponse response = ctx.response();
    if (response.ended() || response.closed()) {
      return;
    }
    try {
      response.setStatusCode(code).putHeader("Content-Type", "application/json").end(json.writeValueAsString(body));
    } catch (JsonProcessingException e) {
      response.setStatusCode(500).end();
    }
  }

  public void fail(RoutingContext ctx, Throwable error) {
    ApiException api = toApiException(error, ctx.request().method() + " " + ctx.request().path());
    send(ctx, api.code(), api.toStatus());
  }

  /** What a failure means to the client: refusals keep their Status, a store outage is a 503, the rest a 500. */
  public static ApiException toApiException(Throwable error, String request) {
    Throwable cause = error;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof ApiException api) {
      return api;
    }
    if (cause instanceof KvException kv && kv.isCompacted()) {
      return ApiException.expired("too old resource version: required revision has been compacted (compacted at "
          + kv.error().getCompactRevision() + ")");
    }
    if (cause instanceof IOException io) {
      LOG.warn("{}: the store did not answer: {}", request, io.getMessage());
      return ApiException.unavailable("the storage is unavailable: " + io.getMessage());
    }
    LOG.error("{} failed", request, cause);
    return ApiException.internal("Internal error occurred: " + cause);
  }
}
