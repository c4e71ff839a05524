package io.kubemu.kubeproxy.healthcheck;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * kube-proxy's {@code /healthz} ({@code --healthz-bind-address}, port 10256), what load balancers
 * and node checks ask: healthy unless a change to the rules has waited longer than the health
 * timeout (twice {@code --iptables-sync-period}) to be written, e.g. because iptables-restore
 * keeps failing. The body is Kubernetes' JSON: {@code lastUpdated}, {@code currentTime}.
 */
public final class ProxierHealthServer implements AutoCloseable {
  private final Clock clock;
  private final Duration healthTimeout;
  private Instant lastUpdated = Instant.EPOCH;
  private Instant oldestPendingQueued;
  private HttpServer server;
  private ExecutorService executor;

  public ProxierHealthServer(Clock clock, Duration healthTimeout) {
    this.clock = clock;
    this.healthTimeout = healthTimeout;
  }

  /** A change is waiting for the next sync (kept: the oldest one not yet written). */
  public synchronized void queued() {
    if (oldestPendingQueued == null) {
      oldestPendingQueued = clock.instant();
    }
  }

  /** The rules were written: every change queued so far is in them. */
  public synchronized void updated() {
    lastUpdated = clock.instant();
    oldestPendingQueued = null;
  }

  public synchronized boolean isHealthy() {
    return oldestPendingQueued == null
        || Duration.between(oldestPendingQueued, clock.instant()).compareTo(healthTimeout) <= 0;
  }

  /** The body /healthz answers. */
  public synchronized String body() {
    return "{\"lastUpdated\": \"" + lastUpdated + "\",\"currentTime\": \"" + clock.instant()
        + "\", \"nodeEligible\": true}";
  }

  /** Serves /healthz (and /livez) on {@code host:port} (0: any free port) until closed; returns the port. */
  public synchronized int serve(String host, int port) throws IOException {
    server = HttpServer.create(new InetSocketAddress(host, port), 0);
    executor = Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable, "proxier-health");
      thread.setDaemon(true);
      return thread;
    });
    server.setExecutor(executor);
    server.createContext("/healthz", this::handle);
    server.createContext("/livez", this::handle);
    server.start();
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    boolean healthy;
    String body;
    synchronized (this) {
      healthy = isHealthy();
      body = body();
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    exchange.sendResponseHeaders(healthy ? 200 : 503, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public synchronized void close() {
    if (server != null) {
      server.stop(0);
      executor.shutdownNow();
    }
  }
}
