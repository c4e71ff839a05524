package io.kubemu.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.json.JsonFactory;

/**
 * The harness's watch on the pods of a namespace: one HTTP watch whose events it reads only as far
 * as it needs (uid, the round label, the node, whether Running and Ready), on one thread of its own.
 * The harness shares the machine's cores with the cluster it measures; decoding every event into a
 * full Pod, as its fabric8 watch did, cost it about a CPU second for each thousand pods. The events
 * are read as bytes straight off the response, the parts of a pod the harness does not read
 * (managed fields, containers, container statuses...) skipped without decoding their strings.
 *
 * <p>The watch is not resumed when it ends (the apiserver's timeout of an hour, or its cutting off a
 * client too slow to keep up): the harness says so, and the round waits no longer for events.
 */
final class PodStateWatch implements AutoCloseable {
  private static final JsonFactory JSON = new JsonFactory();

  /** What the harness reads of one watch event's pod. */
  record PodState(String type, String uid, String round, String nodeName, boolean runningAndReady) {}

  private final Thread reader;
  private final InputStream events;
  private volatile boolean closed;

  private PodStateWatch(InputStream events, Consumer<PodState> handler, Consumer<String> ended) {
    this.events = events;
    this.reader = new Thread(() -> {
      try {
        read(events, handler);
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
    HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(uri).GET().build(),
        HttpResponse.BodyHandlers.ofInputStream());
    if (response.statusCode() != 200) {
      try (InputStream body = response.body()) {
        throw new IOException("the pod watch answered " + response.statusCode() + ": "
            + new String(body.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    return new PodStateWatch(response.body(), handler, ended);
  }

  @Override
  public void close() {
    closed = true;
    try {
      events.close();
    } catch (IOException e) {
      // the reader ends either way
    }
    reader.interrupt();
  }

  /**
   * Hands {@code handler} each pod event of the stream, until it ends; throws a {@link JacksonException}
   * at the first that is not JSON (the watch cannot be trusted past it).
   */
  static void read(InputStream events, Consumer<PodState> handler) {
    try (JsonParser parser = JSON.createParser(events)) {
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        if (token != JsonToken.START_OBJECT) {
          parser.skipChildren(); // not an event
          continue;
        }
        PodState state = readEvent(parser);
        if (state != null) {
          handler.accept(state);
        }
      }
    }
  }

  /** What an event says, as far as the harness reads it. */
  private static final class Event {
    String type;
    boolean hasObject;
    String kind;
    String uid;
    String round;
    String nodeName;
    String phase;
    boolean ready;
  }

  /** Reads the event whose START_OBJECT the parser is on, through its END_OBJECT. */
  private static PodState readEvent(JsonParser parser) {
    Event event = new Event();
    fields(parser, (name, value) -> switch (name) {
      case "type" -> (event.type = text(parser, value)) != null;
      case "object" -> event.hasObject = readObject(parser, value, event);
      default -> false;
    });
    if (!event.hasObject || !"Pod".equals(event.kind) || event.uid == null) {
      return null;
    }
    return new PodState(event.type, event.uid, event.round, event.nodeName,
        "Running".equals(event.phase) && event.ready);
  }

  private static boolean readObject(JsonParser parser, JsonToken start, Event pod) {
    return objectFields(parser, start, (name, value) -> switch (name) {
      case "kind" -> (pod.kind = text(parser, value)) != null;
      case "metadata" -> objectFields(parser, value, (field, inner) -> switch (field) {
        case "uid" -> (pod.uid = text(parser, inner)) != null;
        case "labels" -> objectFields(parser, inner, (label, labelValue) ->
            label.equals("round") && (pod.round = text(parser, labelValue)) != null);
        default -> false;
      });
      case "spec" -> objectFields(parser, value, (field, inner) ->
          field.equals("nodeName") && (pod.nodeName = text(parser, inner)) != null);
      case "status" -> objectFields(parser, value, (field, inner) -> switch (field) {
        case "phase" -> (pod.phase = text(parser, inner)) != null;
        case "conditions" -> {
          if (inner != JsonToken.START_ARRAY) {
            yield false;
          }
          for (JsonToken element = parser.nextToken(); element != null && element != JsonToken.END_ARRAY;
              element = parser.nextToken()) {
            String[] condition = new String[2];
            objectFields(parser, element, (conditionField, conditionValue) -> switch (conditionField) {
              case "type" -> (condition[0] = text(parser, conditionValue)) != null;
              case "status" -> (condition[1] = text(parser, conditionValue)) != null;
              default -> false;
            });
            pod.ready |= "Ready".equals(condition[0]) && "True".equals(condition[1]);
          }
          yield true;
        }
        default -> false;
      });
      default -> false;
    });
  }

  /** Reads one field's value, the parser on its first token; false when it left the value unread. */
  private interface FieldReader {
    boolean read(String name, JsonToken value);
  }

  /**
   * Reads the fields of the object whose START_OBJECT the parser is on, through its END_OBJECT: each
   * field's value is handed to {@code reader}, and a value it leaves unread is skipped. A value that
   * is not an object is skipped whole; returns whether it was an object.
   */
  private static boolean objectFields(JsonParser parser, JsonToken start, FieldReader reader) {
    if (start != JsonToken.START_OBJECT) {
      parser.skipChildren();
      return false;
    }
    fields(parser, reader);
    return true;
  }

  private static void fields(JsonParser parser, FieldReader reader) {
    for (String name = parser.nextName(); name != null; name = parser.nextName()) {
      JsonToken value = parser.nextToken();
      if (!reader.read(name, value)) {
        parser.skipChildren(); // nothing for a scalar; the whole object or array otherwise
      }
    }
  }

  /** A string value's text; null (the value read) for any other scalar. */
  private static String text(JsonParser parser, JsonToken value) {
    if (value == JsonToken.VALUE_STRING) {
      return parser.getString();
    }
    parser.skipChildren();
    return null;
  }
}
