package io.kubemu.component.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class HealthServerTest {
  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> get(HealthServer server, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void healthzSaysOkWhileEveryCheckPassesAndNamesTheOneThatFails() throws Exception {
    AtomicReference<String> failure = new AtomicReference<>();
    try (HealthServer server = HealthServer.start("127.0.0.1", 0, List.of(new HealthServer.Check("informers", failure::get)))) {
      assertThat(get(server, "/healthz").statusCode()).isEqualTo(200);
      assertThat(get(server, "/healthz").body()).isEqualTo("ok");
      assertThat(get(server, "/readyz?verbose").body()).isEqualTo("[+]ping ok\n[+]informers ok\nreadyz check passed\n");

      failure.set("not synced");
      HttpResponse<String> failing = get(server, "/livez");
      assertThat(failing.statusCode()).isEqualTo(500);
      assertThat(failing.body()).isEqualTo("[+]ping ok\n[-]informers failed: not synced\nlivez check failed\n");
    }
  }

  @Test
  void metricsAreInThePrometheusTextFormat() throws Exception {
    try (HealthServer server = HealthServer.start("127.0.0.1", 0, List.of())) {
      HttpResponse<String> metrics = get(server, "/metrics");
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
      assertThat(metrics.body()).contains("# TYPE jvm_memory_used_bytes gauge", "# TYPE jvm_threads_current gauge",
          "# TYPE process_cpu_seconds_total counter", "# TYPE process_resident_memory_bytes gauge");
    }
  }
}
