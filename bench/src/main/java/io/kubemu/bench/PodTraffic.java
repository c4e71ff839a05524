package io.kubemu.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.AtomicHistogram;
import org.HdrHistogram.Histogram;

/**
 * What a busy controller does to the apiserver: {@code clients} closed loops, each creating a
 * pod, reading it, relabelling it with a strategic merge patch (as {@code kubectl label}
 * would) and deleting it, one request in flight at a time, over asynchronous HTTP. Every
 * write puts its send time ({@link System#nanoTime()}) in the pod's
 * {@value #SENT_ANNOTATION} annotation, so that watchers in this JVM can tell how long the
 * event took to reach them.
 */
final class PodTraffic {
  static final String SENT_ANNOTATION = "bench.kubemu.io/sent-nanos";
  static final long MAX_MICROS = TimeUnit.SECONDS.toMicros(120);
  private static final long ERROR_PAUSE_MILLIS = 10;

  /** The four requests of one loop, in order; create, patch and delete each make one watch event. */
  enum Verb {
    CREATE(201, true), GET(200, false), PATCH(200, true), DELETE(200, true);

    final int expectedCode;
    final boolean writes;

    Verb(int expectedCode, boolean writes) {
      this.expectedCode = expectedCode;
      this.writes = writes;
    }
  }

  private final Vertx vertx;
  private final HttpClient http;
  private final String namespace;
  private final Map<Verb, Histogram> latencyMicros = new EnumMap<>(Verb.class);
  private final AtomicLong errors = new AtomicLong();
  private final AtomicLong writesDone = new AtomicLong();
  private final AtomicReference<String> firstError = new AtomicReference<>();

  PodTraffic(Vertx vertx, HttpClient http, String namespace) {
    this.vertx = vertx;
    this.http = http;
    this.namespace = namespace;
    for (Verb verb : Verb.values()) {
      latencyMicros.put(verb, new AtomicHistogram(MAX_MICROS, 3));
    }
  }

  /**
   * Runs {@code clients} loops until {@code window} ends, counting what completes inside it, and
   * waits (at most a minute) for the requests still in flight then.
   *
   * @return whether every loop stopped within that minute
   */
  boolean run(int clients, Window window) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(clients);
    for (int i = 0; i < clients; i++) {
      new Loop(i, window, stopped).next();
    }
    long wait = window.toNanos() - System.nanoTime();
    return stopped.await(Math.max(0, wait) + TimeUnit.MINUTES.toNanos(1), TimeUnit.NANOSECONDS);
  }

  Histogram latencyMicros(Verb verb) {
    return latencyMicros.get(verb);
  }

  long errors() {
    return errors.get();
  }

  /** Writes acknowledged over the whole run, measured or not: each makes one event at every watcher. */
  long writesDone() {
    return writesDone.get();
  }

  String firstError() {
    return firstError.get();
  }

  /** One client: create, get, patch, delete one pod after the other, then the next pod. */
  private final class Loop {
    private final int id;
    private final Window window;
    private final CountDownLatch stopped;
    private long sequence;

    Loop(int id, Window window, CountDownLatch stopped) {
      this.id = id;
      this.window = window;
      this.stopped = stopped;
    }

    void next() {
      String name = "load-" + id + "-" + sequence++;
      send(Verb.CREATE, name)
          .compose(created -> send(Verb.GET, name))
          .compose(read -> send(Verb.PATCH, name))
          .compose(patched -> send(Verb.DELETE, name))
          .onComplete(cycle -> {
            if (System.nanoTime() >= window.toNanos()) {
              stopped.countDown();
            } else if (cycle.failed()) {
              // A server that fails fast must not turn the loop into a spin.
              vertx.setTimer(ERROR_PAUSE_MILLIS, t -> next());
            } else {
              next();
            }
          });
    }

    private Future<Void> send(Verb verb, String name) {
      long sent = System.nanoTime();
      if (sent >= window.toNanos()) {
        return Future.failedFuture("the run is over");
      }
      String pods = "/api/v1/namespaces/" + namespace + "/pods";
      RequestOptions request = new RequestOptions().setIdleTimeout(30_000);
      Buffer body = null;
      switch (verb) {
        case CREATE -> {
          request.setMethod(HttpMethod.POST).setURI(pods).putHeader("Content-Type", "application/json");
          body = Buffer.buffer("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name
              + "\",\"labels\":{\"app\":\"load\"},\"annotations\":{\"" + SENT_ANNOTATION + "\":\"" + sent + "\"}},"
              + "\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"kubemu/load:1\"}]}}");
        }
        case GET -> request.setMethod(HttpMethod.GET).setURI(pods + "/" + name);
        case PATCH -> {
          request.setMethod(HttpMethod.PATCH).setURI(pods + "/" + name)
              .putHeader("Content-Type", "application/strategic-merge-patch+json");
          body = Buffer.buffer("{\"metadata\":{\"labels\":{\"step\":\"patched\"},\"annotations\":{\""
              + SENT_ANNOTATION + "\":\"" + sent + "\"}}}");
        }
        case DELETE -> request.setMethod(HttpMethod.DELETE).setURI(pods + "/" + name);
      }
      Buffer payload = body;
      return http.request(request)
          .compose(req -> payload == null ? req.send() : req.send(payload))
          .compose(response -> response.body().map(reply -> {
            if (response.statusCode() != verb.expectedCode) {
              throw new IllegalStateException(verb + " " + name + " answered " + response.statusCode() + ": " + reply);
            }
            return (Void) null;
          }))
          .andThen(done -> {
            long now = System.nanoTime();
            if (done.succeeded() && verb.writes) {
              writesDone.incrementAndGet();
            }
            if (!window.contains(now)) {
              return;
            }
            if (done.succeeded()) {
              latencyMicros.get(verb).recordValue(Math.min(MAX_MICROS, (now - sent) / 1000));
            } else {
              errors.incrementAndGet();
              firstError.compareAndSet(null, String.valueOf(done.cause()));
            }
          });
    }
  }
}
