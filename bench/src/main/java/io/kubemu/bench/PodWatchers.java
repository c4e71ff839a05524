package io.kubemu.bench;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.parsetools.RecordParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.AtomicHistogram;
import org.HdrHistogram.Histogram;

/**
 * Many clients watching the pods of one namespace, as informers do: each holds its own watch
 * connection and reads every event. For an ADDED or MODIFIED event the delivery latency is the
 * time it arrives here minus the send time that {@link PodTraffic} wrote into the pod; a
 * DELETED event carries the pod as it was before the delete, so it is counted, not timed.
 */
final class PodWatchers {
  private static final String SENT_KEY = "\"" + PodTraffic.SENT_ANNOTATION + "\":\"";
  private static final String TYPE_KEY = "\"type\":\"";

  private final HttpClient http;
  private final String namespace;
  private final Histogram deliveryMicros = new AtomicHistogram(PodTraffic.MAX_MICROS, 3);
  private final AtomicLong events = new AtomicLong();
  private final AtomicLong endedEarly = new AtomicLong();
  private final AtomicReference<String> firstProblem = new AtomicReference<>();
  private volatile Window window = new Window(Long.MAX_VALUE, Long.MAX_VALUE);

  PodWatchers(HttpClient http, String namespace) {
    this.http = http;
    this.namespace = namespace;
  }

  /** Opens {@code count} watches; the future completes when every one has its response headers. */
  Future<Void> open(int count) {
    List<Future<Void>> opened = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      opened.add(openOne());
    }
    return Future.all(opened).mapEmpty();
  }

  private Future<Void> openOne() {
    RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET)
        .setURI("/api/v1/namespaces/" + namespace + "/pods?watch=true&timeoutSeconds=3600");
    return http.request(request).compose(req -> req.send()).map(response -> {
      if (response.statusCode() != 200) {
        throw new IllegalStateException("a watch answered " + response.statusCode());
      }
      RecordParser lines = RecordParser.newDelimited("\n", response);
      lines.handler(this::onEvent);
      lines.exceptionHandler(error -> ended("a watch failed: " + error));
      lines.endHandler(end -> ended("a watch was ended by the server"));
      return null;
    });
  }

  /** From now on, only events that arrive inside {@code window} are timed. */
  void measure(Window window) {
    this.window = window;
  }

  private void onEvent(Buffer line) {
    long received = System.nanoTime();
    events.incrementAndGet();
    if (!window.contains(received)) {
      return;
    }
    // The events are small JSON lines in a known shape: find the two fields without parsing it all.
    String event = line.toString(StandardCharsets.ISO_8859_1);
    int type = event.indexOf(TYPE_KEY);
    if (type < 0 || event.startsWith("DELETED", type + TYPE_KEY.length())) {
      return;
    }
    int sent = event.indexOf(SENT_KEY);
    if (sent < 0) {
      return;
    }
    int from = sent + SENT_KEY.length();
    long sentNanos = Long.parseLong(event, from, event.indexOf('"', from), 10);
    deliveryMicros.recordValue(Math.max(0, Math.min(PodTraffic.MAX_MICROS, (received - sentNanos) / 1000)));
  }

  private void ended(String why) {
    endedEarly.incrementAndGet();
    firstProblem.compareAndSet(null, why);
  }

  Histogram deliveryMicros() {
    return deliveryMicros;
  }

  /** Events received by all watchers over the whole run. */
  long events() {
    return events.get();
  }

  long endedEarly() {
    return endedEarly.get();
  }

  String firstProblem() {
    return firstProblem.get();
  }
}
