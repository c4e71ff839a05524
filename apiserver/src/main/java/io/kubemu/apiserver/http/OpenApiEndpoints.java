package io.kubemu.apiserver.http;

import io.kubemu.apiserver.openapi.OpenApi;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;

/**
 * Serves OpenAPI v3: the index at {@code /openapi/v3} and the document of each group version at
 * {@code /openapi/v3/apis/apps/v1}. kubectl fetches the document by the URL the index gives,
 * with {@code ?hash=}, and may keep it as long as the hash stays the same. {@code /openapi/v2}
 * is not served: kubectl 1.33 only falls back to it when v3 fails.
 */
public final class OpenApiEndpoints {
  private static final String PREFIX = "/openapi/v3/";

  private final OpenApi openApi;
  private final Responses responses;

  public OpenApiEndpoints(OpenApi openApi, Responses responses) {
    this.openApi = openApi;
    this.responses = responses;
  }

  public void mount(Router router) {
    router.get("/openapi/v3").handler(this::index);
    router.get(PREFIX + "*").handler(this::document);
  }

  private void index(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-cache, private")
        .end(Buffer.buffer(openApi.indexJson()));
  }

  private void document(RoutingContext ctx) {
    String groupVersion = ctx.request().path().substring(PREFIX.length());
    Optional<byte[]> document = openApi.documentJson(groupVersion);
    if (document.isEmpty()) {
      responses.fail(ctx, new ApiException(404, "NotFound", "the server could not find the requested resource",
          null, null, List.of()));
      return;
    }
    String etag = "\"" + openApi.hash(groupVersion).orElseThrow() + "\"";
    boolean current = ("\"" + ctx.request().getParam("hash") + "\"").equals(etag);
    ctx.response()
        .putHeader("ETag", etag)
        // A URL with the current hash names this exact document: it may be cached for good.
        .putHeader("Cache-Control", current ? "public, immutable" : "no-cache, private");
    if (etag.equals(ctx.request().getHeader("If-None-Match"))) {
      ctx.response().setStatusCode(304).end();
      return;
    }
    ctx.response().putHeader("Content-Type", "application/json").end(Buffer.buffer(document.get()));
  }
}
