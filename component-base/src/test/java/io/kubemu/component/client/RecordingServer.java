package io.kubemu.component.client;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An HTTP server on loopback that notes every request (method, path, content type and body) and
 * gives the answers queued for it in turn, the last one again once they run out; with a fabric8
 * client pointed at it that does not retry. For tests of what a component sends, where no
 * apiserver can run (component-base is below the apiserver module).
 */
public final class RecordingServer implements AutoCloseable {
  /** An answer: its code and JSON body. */
  public record Answer(int code, String body) {}

  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final Deque<Answer> answers = new ArrayDeque<>(List.of(new Answer(200, "")));
  private final HttpServer server;
  private final KubernetesClient client;

  public RecordingServer() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath() + " "
          + exchange.getRequestHeaders().getFirst("Content-Type") + " " + body);
      Answer answer = next();
      byte[] reply = answer.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(answer.code(), reply.length == 0 ? -1 : reply.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(reply);
      }
    });
    server.start();
    client = new KubernetesClientBuilder().withConfig(new ConfigBuilder()
        .withMasterUrl("http://127.0.0.1:" + server.getAddress().getPort()).withRequestRetryBackoffLimit(0).build())
        .build();
  }

  /** The answers to the next requests, in order; the last one stays for any after them. */
  public synchronized void answer(Answer... next) {
    answers.clear();
    answers.addAll(List.of(next));
  }

  /** One answer for every request from now on. */
  public void answer(int code, String body) {
    answer(new Answer(code, body));
  }

  private synchronized Answer next() {
    return answers.size() > 1 ? answers.poll() : answers.peek();
  }

  /** The requests so far: {@code PATCH /api/v1/nodes/node-1 application/merge-patch+json {...}}. */
  public List<String> requests() {
    return requests;
  }

  public KubernetesClient client() {
    return client;
  }

  @Override
  public void close() {
    client.close();
    server.stop(0);
  }
}
