package io.kubemu.kubeproxy.healthcheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ProxierHealthServerTest {
  /** A clock the test moves. */
  static final class ManualClock extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  private final ManualClock clock = new ManualClock();
  private final ProxierHealthServer health = new ProxierHealthServer(clock, Duration.ofSeconds(60));

  @Test
  void healthyWhileChangesAreWrittenWithinTheTimeout() {
    assertThat(health.isHealthy()).isTrue();
    health.queued();
    clock.now = clock.now.plusSeconds(59);
    assertThat(health.isHealthy()).isTrue();
    health.updated();
    health.queued();
    clock.now = clock.now.plusSeconds(61);
    assertThat(health.isHealthy()).isFalse();
    health.updated();
    assertThat(health.isHealthy()).isTrue();
  }

  @Test
  void healthzAnswersKubernetesJsonAnd503WhenStale() throws Exception {
    health.updated();
    int port = health.serve("127.0.0.1", 0);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
          .timeout(Duration.ofSeconds(5)).build();
      HttpResponse<String> ok = http.send(request, HttpResponse.BodyHandlers.ofString());
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(ok.headers().firstValue("Content-Type")).hasValue("application/json");
      assertThat(ok.body()).isEqualTo("{\"lastUpdated\": \"2026-01-01T00:00:00Z\",\"currentTime\": "
          + "\"2026-01-01T00:00:00Z\", \"nodeEligible\": true}");
      health.queued();
      clock.now = clock.now.plusSeconds(120);
      assertThat(http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(503);
    } finally {
      health.close();
    }
  }
}
