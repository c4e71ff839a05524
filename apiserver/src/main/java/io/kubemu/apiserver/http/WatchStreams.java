package io.kubemu.apiserver.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubemu.apiserver.selection.FieldSelector;
import io.kubemu.apiserver.table.IncludeObject;
import io.kubemu.apiserver.table.TablePrinter;
import io.kubemu.apiserver.table.TableVersion;
import io.kubemu.apiserver.watch.Cacher;
import io.kubemu.apiserver.watch.WatchEvent;
import io.kubemu.apiserver.watch.WatchSource;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The HTTP side of a watch: a chunked 200 response with one JSON event per line (or a
 * WebSocket with one event per message, when the client asks to upgrade), fed by the
 * resource's {@link Cacher} (or, for a type without one, a store watch of its own), ended cleanly
 * after timeoutSeconds, with BOOKMARK events when
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

  public void serve(RoutingContext ctx, ResourceRequest request, WatchSource cacher) {
    Predicate<JsonNode> filter = ResourceHandler.filter(ctx, request);
    String triggerField = Cacher.triggerField(request.type());
    String trigger = triggerField == null ? null
        : FieldSelector.parse(ctx.request().getParam("fieldSelector"), request.type()).required(triggerField);
    String resourceVersion = ctx.request().getParam("resourceVersion", "");
    boolean bookmarks = "true".equals(ctx.request().getParam("allowWatchBookmarks"));
    long timeoutSeconds = ctx.request().getParam("timeoutSeconds") != null
        ? ResourceHandler.parseLong(ctx.request().getParam("timeoutSeconds"), "timeoutSeconds")
        : 1800 + ThreadLocalRandom.current().nextLong(1800);
    boolean initialState = resourceVersion.isEmpty() || resourceVersion.equals("0");
    long from = initialState ? 0 : ResourceHandler.parseLong(resourceVersion, "resourceVersion");

    Context context = ctx.vertx().getOrCreateContext();
    AtomicBoolean open = new AtomicBoolean(true);
    AtomicLong lastSent = new AtomicLong(from);
    String kind = request.type().kind();
    String apiVersion = request.type().apiVersion();
    // kubectl get -w asks for each event's object as a one-row Table.
    Optional<TableVersion> table = TablePrinter.tableVersion(ctx.request().getHeader("Accept"));
    IncludeObject include = IncludeObject.fromQuery(ctx.request().getParam("includeObject"));
    AtomicBoolean firstRow = new AtomicBoolean(true);
    Sink[] sink = new Sink[1];

    Cacher.Watcher watcher = new Cacher.Watcher() {
      @Override
      public boolean wants(WatchEvent event) {
        return filter.test(event.object());
      }

      @Override
      public String trigger() {
        return trigger;
      }

      @Override
      public void onEvent(WatchEvent event) {
        lastSent.set(event.revision());
        if (table.isEmpty()) {
          send(sink[0].eventWrite(event, json));
          return;
        }
        byte[] row = WatchEvent.line(json, event.type().name(), TablePrinter.objectTable(table.get(), request.type(),
            event.object(), firstRow.getAndSet(false), include, Instant.now()));
        send(() -> sink[0].write(row));
      }

      @Override
      public void onExpired() {
        context.runOnContext(v -> end());
      }

      @Override
      public void onTooOld(ApiException expired) {
        byte[] error = WatchEvent.line(json, WatchEvent.Type.ERROR.name(), expired.toStatus());
        send(() -> sink[0].write(error));
        onExpired();
      }

      /** Runs {@code write} on the connection's event loop, unless the watch ended or its client fell behind. */
      private void send(Runnable write) {
        context.runOnContext(v -> {
          if (!open.get()) {
            return;
          }
          if (sink[0].full()) {
            cutOff(); // too slow to keep up: it will list and watch again
            return;
          }
          write.run();
        });
      }

      private void end() {
        if (open.compareAndSet(true, false)) {
          cacher.unsubscribe(this);
          sink[0].end();
        }
      }

      /** Ends the watch of a client that fell behind, without waiting for it to read what is queued. */
      private void cutOff() {
        if (open.compareAndSet(true, false)) {
          cacher.unsubscribe(this);
          sink[0].cutOff();
        }
      }
    };

    // The upgrade is taken at once, before Vert.x reads the request to its end.
    Future<Sink> opened = (isWebSocket(ctx) ? ctx.request().toWebSocket().map(socket -> (Sink) new WebSocketSink(socket))
        : Future.<Sink>succeededFuture(null))
        .compose(socket -> Future.fromCompletionStage(cacher.ready(), context)
            .map(ignored -> socket != null ? socket : new ChunkedSink(ctx.response())));
    opened.onFailure(ctx::fail).onSuccess(opening -> {
      sink[0] = opening;
      consolidateFlushes(ctx, opening instanceof WebSocketSink);
      try {
        cacher.subscribe(from, initialState, watcher);
      } catch (ApiException e) {
        // Too old a resourceVersion: one ERROR event carrying the 410 Status, as kube-apiserver sends.
        open.set(false);
        opening.write(WatchEvent.line(json, WatchEvent.Type.ERROR.name(), e.toStatus()));
        opening.end();
        return;
      }
      long timer = ctx.vertx().setTimer(timeoutSeconds * 1000, t -> watcher.onExpired());
      long bookmarkTimer = bookmarks ? ctx.vertx().setPeriodic(BOOKMARK_EVERY_MILLIS, t -> {
        if (!open.get()) {
          return;
        }
        ObjectNode bookmark = json.createObjectNode();
        bookmark.put("kind", kind).put("apiVersion", apiVersion);
        bookmark.putObject("metadata").put("resourceVersion", Long.toString(Math.max(cacher.revision(), lastSent.get())));
        opening.write(WatchEvent.line(json, WatchEvent.Type.BOOKMARK.name(), bookmark));
      }) : -1;
      // However the watch ends (timeout, a slow client cut off, the client gone), and alongside
      // the request's metrics, which listen for the same end.
      opening.onClose(ctx, () -> {
        open.set(false);
        cacher.unsubscribe(watcher);
        ctx.vertx().cancelTimer(timer);
        if (bookmarkTimer >= 0) {
          ctx.vertx().cancelTimer(bookmarkTimer);
        }
      });
    });
  }

  /**
   * A watch's events reach its connection as tasks of the connection's event loop, from the cache's
   * thread, and Vert.x flushes each write made outside a read: one syscall per event and watcher.
   * The store answers a batch of writes together; with Netty's flush consolidation the events
   * queued at once go out in one write, once the event loop has run the tasks queued before the
   * flush. Under a Deployment of 3,000 pods the apiserver made half as many write syscalls. Whatever
   * else is written on the connection meanwhile goes out a task later too (a read's own flush
   * included), so only a watch's HTTP/1.1 connection gets it, and a chunked watch's only until the
   * watch ends: its connection may carry other requests then. An HTTP/2 connection carries other
   * streams beside the watch's, and keeps its flushes as they are.
   */
  private static void consolidateFlushes(RoutingContext ctx, boolean webSocket) {
    if (ctx.request().version() == HttpVersion.HTTP_2
        || !(ctx.request().connection() instanceof ConnectionBase connection)) {
      return;
    }
    ChannelPipeline pipeline = connection.channel().pipeline();
    if (pipeline.get(FlushConsolidationHandler.class) != null) {
      return;
    }
    FlushConsolidationHandler handler = new FlushConsolidationHandler(
        FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true);
    pipeline.addFirst(handler);
    if (!webSocket) {
      ctx.addEndHandler(ended -> {
        try {
          pipeline.remove(handler); // flushes what it held
        } catch (NoSuchElementException closed) {
          // the connection is gone, and its handlers with it
        }
      });
    }
  }

  /** kube-apiserver serves a watch over a WebSocket when asked (the fabric8 client asks first). */
  private static boolean isWebSocket(RoutingContext ctx) {
    String upgrade = ctx.request().getHeader("Upgrade");
    return upgrade != null && upgrade.equalsIgnoreCase("websocket");
  }

  /** Where a watch's events go: a chunked HTTP response or a WebSocket. */
  private interface Sink {
    void write(byte[] line);

    /**
     * The write of a watch event, what it writes made now, on the cache's thread, and kept by the
     * event for its other watchers: the line of a chunked stream, or the text of a WebSocket message.
     */
    Runnable eventWrite(WatchEvent event, ObjectMapper json);

    boolean full();

    /** Ends the stream after the events already written. */
    void end();

    /**
     * Ends the stream of a client that fell behind: a chunked one is reset, and what is queued for
     * it is dropped with it; a WebSocket gets its close frame (see there).
     */
    void cutOff();

    void onClose(RoutingContext ctx, Runnable closed);
  }

  /** One event per line of a chunked 200 response; clients return from Watch() once they have the headers. */
  private static final class ChunkedSink implements Sink {
    private final HttpServerResponse response;

    ChunkedSink(HttpServerResponse response) {
      this.response = response;
      response.setChunked(true).setStatusCode(200).putHeader("Content-Type", "application/json");
      response.setWriteQueueMaxSize(MAX_QUEUED_BYTES);
      response.writeHead();
    }

    /** The line is shared by every watcher of its event: wrapped, where Buffer.buffer(byte[]) would copy it. */
    @Override
    public void write(byte[] line) {
      if (!response.ended() && !response.closed()) {
        response.write(BufferInternal.buffer(Unpooled.wrappedBuffer(line)));
      }
    }

    @Override
    public Runnable eventWrite(WatchEvent event, ObjectMapper json) {
      byte[] line = event.line(json);
      return () -> write(line);
    }

    @Override
    public boolean full() {
      return response.writeQueueFull();
    }

    @Override
    public void end() {
      if (!response.ended() && !response.closed()) {
        response.end();
      }
    }

    @Override
    public void cutOff() {
      response.reset(); // over HTTP/1.1 the connection is closed; over HTTP/2, only this stream
    }

    @Override
    public void onClose(RoutingContext ctx, Runnable closed) {
      ctx.addEndHandler(ended -> closed.run());
    }
  }

  /** One event per text message, as kube-apiserver's WebSocket watch sends them. */
  private static final class WebSocketSink implements Sink {
    private final ServerWebSocket socket;

    WebSocketSink(ServerWebSocket socket) {
      this.socket = socket;
      socket.setWriteQueueMaxSize(MAX_QUEUED_BYTES);
    }

    /**
     * The line (UTF-8 JSON, shared by every watcher of its event) as a text message. Vert.x's
     * writeTextMessage takes a String and encodes it for every socket; a line that fits in one frame
     * (the apiserver's HTTP server keeps Vert.x's default frame size) is framed as it is instead, as
     * writeTextMessage frames its bytes. A longer one is split into frames by Vert.x, as from a String.
     */
    @Override
    public void write(byte[] line) {
      if (socket.isClosed()) {
        return;
      }
      if (line.length <= HttpServerOptions.DEFAULT_MAX_WEBSOCKET_FRAME_SIZE) {
        socket.writeFrame(new WebSocketFrameImpl(WebSocketFrameType.TEXT, line, true));
      } else {
        socket.writeTextMessage(new String(line, StandardCharsets.UTF_8));
      }
    }

    @Override
    public Runnable eventWrite(WatchEvent event, ObjectMapper json) {
      byte[] line = event.line(json);
      return () -> write(line);
    }

    @Override
    public boolean full() {
      return socket.writeQueueFull();
    }

    @Override
    public void end() {
      if (!socket.isClosed()) {
        socket.close();
      }
    }

    /**
     * The close frame goes after what is queued; a client that does not answer it is disconnected
     * after Vert.x's closing timeout (10 s), and what is queued goes with the connection.
     */
    @Override
    public void cutOff() {
      end();
    }

    @Override
    public void onClose(RoutingContext ctx, Runnable closed) {
      socket.closeHandler(v -> closed.run());
      ctx.addEndHandler(ended -> closed.run());
    }
  }
}
