package io.kubemu.apiserver.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubemu.apiserver.table.IncludeObject;
import io.kubemu.apiserver.table.TablePrinter;
import io.kubemu.apiserver.table.TableVersion;
import io.kubemu.apiserver.watch.Cacher;
import io.kubemu.apiserver.watch.WatchEvent;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The HTTP side of a watch: a chunked 200 response with one JSON event per line, fed by the
 * resource's {@link Cacher}, ended cleanly after timeoutSeconds, with BOOKMARK events when
 * the client allows them. A client too slow to read its events is cut off and will watch
 * again, as kube-apiserver does.
 */
public final class WatchStreams {
  private static final long BOOKMARK_EVERY_MILLIS = 10_000;
  private static final int MAX_QUEUED_BYTES = 8 * 1024 * 1024;

  private final ObjectMapper json;
  private final Responses responses;

  public WatchStreams(ObjectMapper json, Responses responses) {
    this.json = json;
    this.responses = responses;
  }

  public void serve(RoutingContext ctx, ResourceRequest request, Cacher cacher) {
    Predicate<JsonNode> filter = ResourceHandler.filter(ctx, request);
    String resourceVersion = ctx.request().getParam("resourceVersion", "");
    boolean bookmarks = "true".equals(ctx.request().getParam("allowWatchBookmarks"));
    long timeoutSeconds = ctx.request().getParam("timeoutSeconds") != null
        ? ResourceHandler.parseLong(ctx.request().getParam("timeoutSeconds"), "timeoutSeconds")
        : 1800 + ThreadLocalRandom.current().nextLong(1800);
    boolean initialState = resourceVersion.isEmpty() || resourceVersion.equals("0");
    long from = initialState ? 0 : ResourceHandler.parseLong(resourceVersion, "resourceVersion");

    HttpServerResponse response = ctx.response();
    Context context = ctx.vertx().getOrCreateContext();
    AtomicBoolean open = new AtomicBoolean(true);
    AtomicLong lastSent = new AtomicLong(from);
    String kind = request.type().kind();
    String apiVersion = request.type().apiVersion();
    // kubectl get -w asks for each event's object as a one-row Table.
    Optional<TableVersion> table = TablePrinter.tableVersion(ctx.request().getHeader("Accept"));
    IncludeObject include = IncludeObject.fromQuery(ctx.request().getParam("includeObject"));
    AtomicBoolean firstRow = new AtomicBoolean(true);

    Cacher.Watcher watcher = new Cacher.Watcher() {
      @Override
      public boolean wants(WatchEvent event) {
        return filter.test(event.object());
      }

      @Override
      public void onEvent(WatchEvent event) {
        lastSent.set(event.revision());
        send(table.isEmpty() ? event.line(json) : WatchEvent.line(json, event.type().name(),
            TablePrinter.objectTable(table.get(), request.type(), event.object(), firstRow.getAndSet(false), include,
                Instant.now())));
      }

      @Override
      public void onExpired() {
        context.runOnContext(v -> end());
      }

      private void send(byte[] line) {
        context.runOnContext(v -> {
          if (!open.get()) {
            return;
          }
          if (response.writeQueueFull()) {
            end(); // too slow to keep up: it will list and watch again
            return;
          }
          response.write(Buffer.buffer(line));
        });
      }

      private void end() {
        if (open.compareAndSet(true, false)) {
          cacher.unsubscribe(this);
          if (!response.ended()) {
            response.end();
          }
        }
      }
    };

    cacher.ready().whenComplete((ignored, error) -> context.runOnContext(v -> {
      if (error != null) {
        ctx.fail(error);
        return;
      }
      try {
        response.setChunked(true).setStatusCode(200).putHeader("Content-Type", "application/json");
        response.setWriteQueueMaxSize(MAX_QUEUED_BYTES);
        cacher.subscribe(from, initialState, watcher);
        response.writeHead(); // clients return from Watch() once they have the headers
      } catch (ApiException e) {
        response.setChunked(false);
        responses.fail(ctx, e);
        return;
      }
      long timer = ctx.vertx().setTimer(timeoutSeconds * 1000, t -> watcher.onExpired());
      long bookmarkTimer = bookmarks ? ctx.vertx().setPeriodic(BOOKMARK_EVERY_MILLIS, t -> {
        if (!open.get() || response.ended()) {
          return;
        }
        ObjectNode bookmark = json.createObjectNode();
        bookmark.put("kind", kind).put("apiVersion", apiVersion);
        bookmark.putObject("metadata").put("resourceVersion", Long.toString(Math.max(cacher.revision(), lastSent.get())));
        response.write(Buffer.buffer(WatchEvent.line(json, WatchEvent.Type.BOOKMARK.name(), bookmark)));
      }) : -1;
      // However the watch ends (timeout, a slow client cut off, the client gone), and alongside
      // the request's metrics, which listen for the same end.
      ctx.addEndHandler(ended -> {
        open.set(false);
        cacher.unsubscribe(watcher);
        ctx.vertx().cancelTimer(timer);
        if (bookmarkTimer >= 0) {
          ctx.vertx().cancelTimer(bookmarkTimer);
        }
      });
    }));
  }
}
