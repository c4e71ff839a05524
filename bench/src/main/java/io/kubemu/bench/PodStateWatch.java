package io.kubemu.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.function.Consumer;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.json.JsonFactory;

/**
 * The harness's watch on the pods of a namespace: one HTTP watch whose events it reads only as far
 * as it needs (uid, the round label, the node, whether Running and Ready), on one thread of its own.
 * The harness shares the machine's cores with the cluster it measures; decoding every event into a
 * full Pod, as its fabric8 watch did, cost it about a CPU second for each thousand pods.
 *
 * <p>The watch is not resumed when it ends (the apiserver's timeout of an hour, or its cutting off a
 * client too slow to keep up): the harness says so, and the round waits no longer for events.
 */
final class PodStateWatch implements AutoCloseable {
  private static final JsonFactory JSON = new JsonFactory();

  /** What the harness reads of one watch event's pod. */
  record PodState(String type, String uid, String round, String nodeName, boolean runningAndReady) {}

  private final Thread reader;
  private final Stream<String> lines;
  private volatile boolean closed;

  private PodStateWatch(Stream<String> lines, Consumer<PodState> handler, Consumer<String> ended) {
    this.lines = lines;
    this.reader = new Thread(() -> {
      try {
        lines.forEach(line -> {
          PodState state = parse(line);
          if (state != null) {
            handler.accept(state);
          }
        });
        if (!closed) {
          ended.accept("the apiserver ended the pod watch");
        }
      } catch (RuntimeException e) {
        if (!closed) {
          ended.accept("the pod watch failed: " + e);
        }
      }
    }, "pod-watch");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Watches the pods of {@code namespace} with {@code labelSelector} (first an ADDED event for each
   * that exists); returns once the watch is open.
   */
  static PodStateWatch open(HttpClient http, String server, String namespace, String labelSelector,
      Consumer<PodState> handler, Consumer<String> ended) throws IOException, InterruptedException {
    URI uri = URI.create((server.endsWith("/") ? server : server + "/") + "api/v1/namespaces/" + namespace
        + "/pods?watch=true&timeoutSeconds=3600&labelSelector="
        + URLEncoder.encode(labelSelector, StandardCharsets.UTF_8));
    HttpResponse<Stream<String>> response = http.send(HttpRequest.newBuilder(uri).GET().build(),
        HttpResponse.BodyHandlers.ofLines());
    if (response.statusCode() != 200) {
      String body = String.join("\n", response.body().toList());
      throw new IOException("the pod watch answered " + response.statusCode() + ": " + body);
    }
    return new PodStateWatch(response.body(), handler, ended);
  }

  @Override
  public void close() {
    closed = true;
    lines.close();
    reader.interrupt();
  }

  /** The event's pod as far as the harness reads it; null for an event that carries no pod (an error, a bookmark). */
  static PodState parse(String line) {
    String type = null;
    String uid = null;
    String round = null;
    String nodeName = null;
    String phase = null;
    boolean ready = false;
    String conditionType = null;
    String conditionStatus = null;
    String kind = null;
    Deque<String> path = new ArrayDeque<>();
    try (JsonParser parser = JSON.createParser(line)) {
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        switch (token) {
          case START_OBJECT, START_ARRAY -> path.push(fieldOrElement(parser));
          case END_OBJECT, END_ARRAY -> {
            path.pop();
            if (token == JsonToken.END_OBJECT && at(path, "conditions", "status", "object")) {
              ready |= "Ready".equals(conditionType) && "True".equals(conditionStatus);
              conditionType = null;
              conditionStatus = null;
            }
          }
          case VALUE_STRING -> {
            String name = parser.currentName();
            String value = parser.getString();
            if (path.size() == 1 && "type".equals(name)) {
              type = value;
            } else if (at(path, "object") && "kind".equals(name)) {
              kind = value;
            } else if (at(path, "metadata", "object") && "uid".equals(name)) {
              uid = value;
            } else if (at(path, "labels", "metadata", "object") && "round".equals(name)) {
              round = value;
            } else if (at(path, "spec", "object") && "nodeName".equals(name)) {
              nodeName = value;
            } else if (at(path, "status", "object") && "phase".equals(name)) {
              phase = value;
            } else if (at(path, "", "conditions", "status", "object") && "type".equals(name)) {
              conditionType = value;
            } else if (at(path, "", "conditions", "status", "object") && "status".equals(name)) {
              conditionStatus = value;
            }
          }
          default -> {
            // numbers, booleans and nulls: nothing the harness reads
          }
        }
      }
    } catch (JacksonException e) {
      return null;
    }
    if (!"Pod".equals(kind) || uid == null) {
      return null;
    }
    return new PodState(type, uid, round, nodeName, "Running".equals(phase) && ready);
  }

  /** The name of the field whose value starts here, "" for an element of an array or the event itself. */
  private static String fieldOrElement(JsonParser parser) {
    String name = parser.currentName();
    return name == null || parser.streamReadContext().getParent().inArray() ? "" : name;
  }

  /** Whether the path, innermost first, is {@code names} then the event itself. */
  private static boolean at(Deque<String> path, String... names) {
    if (path.size() != names.length + 1) {
      return false;
    }
    Iterator<String> inner = path.iterator();
    for (String name : names) {
      if (!name.equals(inner.next())) {
        return false;
      }
    }
    return true;
  }
}
