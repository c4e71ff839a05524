package io.kubemu.apiserver;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.io.Closeable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for a node's kubelet until the real one exists: {@code /containerLogs/NS/POD/CONTAINER}
 * answers three lines, and with follow=true one more every 100 ms until the reader goes away.
 * The container "waiting" is not started yet, and the kubelet says so as a 400.
 */
final class FakeKubelet implements Closeable {
  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  /** Every request's path and query, in order. */
  final List<String> requests = new CopyOnWriteArrayList<>();
  /** Followed logs still being written to a reader. */
  final AtomicInteger following = new AtomicInteger();

  FakeKubelet() {
    server = vertx.createHttpServer().requestHandler(this::serve).listen(0, "127.0.0.1").await();
  }

  int port() {
    return server.actualPort();
  }

  private void serve(HttpServerRequest request) {
    requests.add(request.uri());
    String[] path = request.path().split("/");
    if (path.length != 5 || !path[1].equals("containerLogs")) {
      request.response().setStatusCode(404).end("404 page not found");
      return;
    }
    if (path[4].equals("waiting")) {
      request.response().setStatusCode(400)
          .end("container \"waiting\" in pod \"" + path[3] + "\" is waiting to start: ContainerCreating");
      return;
    }
    var response = request.response().setChunked(true).putHeader("Content-Type", "text/plain");
    response.write("line 1 from " + path[4] + "\nline 2\nline 3\n");
    if (!"true".equals(request.getParam("follow"))) {
      response.end();
      return;
    }
    following.incrementAndGet();
    AtomicInteger line = new AtomicInteger(3);
    long timer = vertx.setPeriodic(100, id -> response.write("line " + line.incrementAndGet() + "\n"));
    response.closeHandler(closed -> {
      vertx.cancelTimer(timer);
      following.decrementAndGet();
    });
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
