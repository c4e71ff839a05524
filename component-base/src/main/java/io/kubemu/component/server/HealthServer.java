package io.kubemu.component.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * A component's own small HTTP server, as every Kubernetes component has one: {@code /healthz}
 * (and {@code /livez}, {@code /readyz}) for whoever watches over the process, answering "ok" or
 * which check failed ({@code ?verbose} lists every check), and {@code /metrics} in the Prometheus
 * text format. Plain HTTP: the component's port (controller-manager 10257, scheduler 10259).
 */
public final class HealthServer implements AutoCloseable {
  /**
   * One named health check, as Kubernetes' healthz checkers.
   *
   * @param failure says why the component is unhealthy, or returns null when it is healthy
   */
  public record Check(String name, Supplier<String> failure) {}

  private static final Check PING = new Check("ping", () -> null);

  private final HttpServer server;
  private final List<Check> checks;
  private final ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
    Thread thread = new Thread(runnable, "health-server");
    thread.setDaemon(true);
    return thread;
  });
  private final ExpositionFormats formats = ExpositionFormats.init();

  private HealthServer(HttpServer server, List<Check> checks) {
    this.server = server;
    this.checks = checks;
    server.setExecutor(executor);
  }

  /** Serves on {@code bindAddress:port} (port 0: any free port) until closed. */
  public static HealthServer start(String bindAddress, int port, List<Check> checks) throws IOException {
    JvmMetricsOnce.register();
    List<Check> all = new ArrayList<>();
    all.add(PING);
    all.addAll(checks);
    HttpServer http = HttpServer.create(new InetSocketAddress(bindAddress, port), 0);
    HealthServer server = new HealthServer(http, List.copyOf(all));
    for (String path : List.of("/healthz", "/livez", "/readyz")) {
      http.createContext(path, exchange -> server.health(exchange, path.substring(1)));
    }
    http.createContext("/metrics", server::metrics);
    http.start();
    return server;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void health(HttpExchange exchange, String endpoint) throws IOException {
    StringBuilder report = new StringBuilder();
    boolean healthy = true;
    for (Check check : checks) {
      String failure = check.failure().get();
      healthy &= failure == null;
      report.append(failure == null ? "[+]" + check.name() + " ok" : "[-]" + check.name() + " failed: " + failure)
          .append('\n');
    }
    String query = exchange.getRequestURI().getQuery();
    boolean verbose = query != null && query.contains("verbose");
    String body;
    if (healthy) {
      body = verbose ? report + endpoint + " check passed\n" : "ok";
    } else {
      body = report + endpoint + " check failed\n";
    }
    reply(exchange, healthy ? 200 : 500, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
  }

  private void metrics(HttpExchange exchange) throws IOException {
    ExpositionFormatWriter writer = formats.findWriter(exchange.getRequestHeaders().getFirst("Accept"));
    ByteArrayOutputStream text = new ByteArrayOutputStream(32 * 1024);
    writer.write(text, PrometheusRegistry.defaultRegistry.scrape());
    reply(exchange, 200, writer.getContentType(), text.toByteArray());
  }

  private static void reply(HttpExchange exchange, int code, String contentType, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    exchange.sendResponseHeaders(code, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  /** The JVM's and the process's metrics go into the default registry once per process. */
  private static final class JvmMetricsOnce {
    private static boolean registered;

    static synchronized void register() {
      if (!registered) {
        RuntimeMetrics.register(PrometheusRegistry.defaultRegistry);
        registered = true;
      }
    }
  }
}
