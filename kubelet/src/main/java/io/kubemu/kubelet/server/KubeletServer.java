package io.kubemu.kubelet.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodListBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.kubemu.kubelet.kuberuntime.RuntimeManager;
import io.kubemu.kubelet.pod.PodWorkers;
import io.kubemu.kubelet.runtime.LogOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet's own HTTP endpoint (--port, 10250): {@code /healthz}; {@code /pods}, the pods it
 * runs as a PodList; and {@code /containerLogs/NS/POD/CONTAINER}, a container's log with the
 * kubelet's query (follow, tailLines, timestamps, sinceSeconds, sinceTime, limitBytes), which the
 * apiserver streams to {@code kubectl logs}. Plain HTTP, served by two threads.
 */
public final class KubeletServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KubeletServer.class);
  private final HttpServer server;
  private final ExecutorService executor;
  private volatile PodWorkers pods;
  private volatile RuntimeManager runtime;
  private final Clock clock;

  private KubeletServer(HttpServer server, Clock clock) {
    this.server = server;
    this.clock = clock;
    AtomicInteger threads = new AtomicInteger();
    // A thread per request being answered: `kubectl logs -f` holds one for as long as it follows.
    this.executor = Executors.newCachedThreadPool(runnable -> {
      Thread thread = new Thread(runnable, "kubelet-server-" + threads.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    server.setExecutor(executor);
  }

  /**
   * Binds {@code address:port} (port 0: a free port, see {@link #port()}) without serving yet: the
   * port goes into the Node's status before the kubelet that answers on it exists.
   */
  public static KubeletServer bind(String address, int port, Clock clock) throws IOException {
    return new KubeletServer(HttpServer.create(new InetSocketAddress(address, port), 0), clock);
  }

  /** Serves the kubelet's pods and their runtime. */
  public void start(PodWorkers pods, RuntimeManager runtime) {
    this.pods = pods;
    this.runtime = runtime;
    server.createContext("/healthz", exchange -> reply(exchange, 200, "text/plain; charset=utf-8", "ok"));
    server.createContext("/pods", this::pods);
    server.createContext("/containerLogs/", this::containerLogs);
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void pods(HttpExchange exchange) throws IOException {
    String body = Serialization.asJson(new PodListBuilder().withNewMetadata().endMetadata()
        .withItems(pods.pods()).build());
    reply(exchange, 200, "application/json", body);
  }

  private void containerLogs(HttpExchange exchange) throws IOException {
    String[] parts = exchange.getRequestURI().getPath().substring("/containerLogs/".length()).split("/");
    if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
      reply(exchange, 400, "text/plain; charset=utf-8", "expected /containerLogs/NAMESPACE/POD/CONTAINER");
      return;
    }
    Pod pod = pods.pod(parts[0], parts[1]);
    if (pod == null) {
      reply(exchange, 404, "text/plain; charset=utf-8", "pod \"" + parts[0] + "/" + parts[1] + "\" not found");
      return;
    }
    Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
    LogOptions options;
    try {
      options = logOptions(query, clock.instant());
    } catch (IllegalArgumentException e) {
      reply(exchange, 400, "text/plain; charset=utf-8", e.getMessage());
      return;
    }
    boolean previous = "true".equals(query.get("previous"));
    String containerId = previous ? runtime.previousContainerId(pod.getMetadata().getUid(), parts[2])
        : runtime.containerId(pod.getMetadata().getUid(), parts[2]);
    if (containerId == null) {
      reply(exchange, 400, "text/plain; charset=utf-8", previous
          ? "previous terminated container \"" + parts[2] + "\" in pod \"" + parts[1] + "\" not found"
          : "container \"" + parts[2] + "\" in pod \"" + parts[1] + "\" is waiting to start: ContainerCreating");
      return;
    }
    if (runtime.runtime().containerStatus(containerId) == null) {
      reply(exchange, 404, "text/plain; charset=utf-8", "container " + containerId + " is gone");
      return;
    }
    // Streamed as it is read (chunked): with follow, until the container stops or the reader leaves.
    exchange.getResponseHeaders().set("Content-Type", "text/plain");
    exchange.sendResponseHeaders(200, 0);
    try (OutputStream out = exchange.getResponseBody()) {
      runtime.runtime().readLogs(containerId, options, out);
    } catch (IOException | RuntimeException e) {
      LOG.debug("log of container {} ended: {}", containerId, e.toString());
    }
  }

  /** The kubelet's reading of the log query, as its LogOptions. */
  static LogOptions logOptions(Map<String, String> query, Instant now) {
    long tailLines = number(query, "tailLines", -1);
    long limitBytes = number(query, "limitBytes", -1);
    long sinceSeconds = number(query, "sinceSeconds", -1);
    Instant since = sinceSeconds > 0 ? now.minusSeconds(sinceSeconds) : null;
    if (query.containsKey("sinceTime")) {
      try {
        since = OffsetDateTime.parse(query.get("sinceTime")).toInstant();
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("sinceTime: \"" + query.get("sinceTime") + "\" is not an RFC 3339 time");
      }
    }
    return new LogOptions("true".equals(query.get("follow")), tailLines, "true".equals(query.get("timestamps")), since,
        limitBytes);
  }

  private static long number(Map<String, String> query, String name, long absent) {
    String value = query.get(name);
    if (value == null) {
      return absent;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + ": \"" + value + "\" is not a number");
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> query = new HashMap<>();
    if (raw == null) {
      return query;
    }
    for (String pair : raw.split("&")) {
      int equals = pair.indexOf('=');
      String key = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
      String value = equals < 0 ? "true" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
      query.put(key, value);
    }
    return query;
  }

  private static void reply(HttpExchange exchange, int code, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(code, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
