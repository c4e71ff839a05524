package io.kubemu.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What Prometheus (or {@code kubectl get --raw /metrics}) finds at /metrics after a few requests. */
class MetricsIT {
  @RegisterExtension
  static final ControlPlane cluster = new ControlPlane();

  @Test
  void requestsAreCountedAndTimedUnderKubernetesNamesAndAnOpenWatchIsLongRunningUntilItCloses() throws Exception {
    assertThat(cluster.api().send("POST", "/api/v1/namespaces", ApiClient.namespace("metrics")).code()).isEqualTo(201);
    assertThat(cluster.api().send("POST", "/api/v1/namespaces/metrics/pods", ApiClient.pod("web")).code()).isEqualTo(201);
    assertThat(cluster.api().get("/api/v1/namespaces/metrics/pods/web").code()).isEqualTo(200);
    assertThat(cluster.api().get("/api/v1/namespaces/metrics/pods/web").code()).isEqualTo(200);
    assertThat(cluster.api().get("/api/v1/namespaces/metrics/pods/missing").code()).isEqualTo(404);
    assertThat(cluster.api().get("/api/v1/namespaces/metrics/pods").code()).isEqualTo(200);
    assertThat(cluster.api().sendRaw("POST", "/api/v1/namespaces/metrics/pods/web/binding", "application/json",
        "{\"apiVersion\":\"v1\",\"kind\":\"Binding\",\"metadata\":{\"name\":\"web\"},"
            + "\"target\":{\"kind\":\"Node\",\"name\":\"node-1\"}}").code()).isEqualTo(201);

    HttpResponse<InputStream> watch = ApiClient.http.send(
        HttpRequest.newBuilder(cluster.api().uri("/api/v1/namespaces/metrics/pods?watch=true")).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertThat(watch.statusCode()).isEqualTo(200);

    Map<String, String> podWatch = Map.of("verb", "WATCH", "group", "", "version", "v1", "resource", "pods",
        "subresource", "", "scope", "namespace", "component", "apiserver");
    Scrape scrape = Scrape.of(cluster.api());
    assertThat(scrape.contentType()).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
    assertThat(scrape.value("apiserver_request_total", requestLabels("POST", "namespaces", "resource", "201")))
        .isEqualTo(1);
    assertThat(scrape.value("apiserver_request_total", requestLabels("POST", "pods", "resource", "201"))).isEqualTo(1);
    assertThat(scrape.value("apiserver_request_total", requestLabels("GET", "pods", "resource", "200"))).isEqualTo(2);
    assertThat(scrape.value("apiserver_request_total", requestLabels("GET", "pods", "resource", "404"))).isEqualTo(1);
    assertThat(scrape.value("apiserver_request_total", requestLabels("LIST", "pods", "namespace", "200"))).isEqualTo(1);
    assertThat(scrape.value("apiserver_request_total",
        with(with(durationLabels("POST", "pods", "resource"), "subresource", "binding"), "code", "201")))
        .as("a pod subresource is counted as kube-apiserver counts it").isEqualTo(1);
    Map<String, String> gets = durationLabels("GET", "pods", "resource");
    assertThat(scrape.value("apiserver_request_duration_seconds_count", gets)).isEqualTo(3);
    assertThat(scrape.value("apiserver_request_duration_seconds_bucket", with(gets, "le", "60.0"))).isEqualTo(3);
    assertThat(scrape.value("apiserver_request_duration_seconds_bucket", with(gets, "le", "+Inf"))).isEqualTo(3);
    assertThat(scrape.value("apiserver_request_duration_seconds_sum", gets)).isPositive();
    assertThat(scrape.value("apiserver_longrunning_requests", podWatch)).isEqualTo(1);
    assertThat(scrape.value("apiserver_storage_objects", Map.of("resource", "pods"))).isEqualTo(1);
    assertThat(scrape.value("apiserver_storage_objects", Map.of("resource", "deployments.apps"))).isZero();
    assertThat(scrape.value("process_resident_memory_bytes", Map.of())).isPositive();
    assertThat(scrape.value("jvm_memory_used_bytes", Map.of("area", "heap"))).isPositive();

    watch.body().close();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      Scrape after = Scrape.of(cluster.api());
      assertThat(after.value("apiserver_longrunning_requests", podWatch)).isZero();
      assertThat(after.value("apiserver_request_total", requestLabels("WATCH", "pods", "namespace", "200"))).isEqualTo(1);
    });
  }

  @Test
  void aScraperThatPrefersOpenMetricsGetsOpenMetrics() throws Exception {
    HttpResponse<String> scrape = ApiClient.http.send(HttpRequest.newBuilder(cluster.api().uri("/metrics"))
            .header("Accept", "application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.3,*/*;q=0.2")
            .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(scrape.statusCode()).isEqualTo(200);
    assertThat(scrape.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
        assertThat(type).startsWith("application/openmetrics-text"));
    assertThat(scrape.body()).contains("# TYPE apiserver_request_duration_seconds histogram")
        .contains("# UNIT apiserver_request_duration_seconds seconds").endsWith("# EOF\n");
  }

  private static Map<String, String> requestLabels(String verb, String resource, String scope, String code) {
    return with(durationLabels(verb, resource, scope), "code", code);
  }

  private static Map<String, String> durationLabels(String verb, String resource, String scope) {
    return Map.of("verb", verb, "dry_run", "", "group", "", "version", "v1", "resource", resource, "subresource", "",
        "scope", scope, "component", "apiserver");
  }

  private static Map<String, String> with(Map<String, String> labels, String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(labels);
    more.put(name, value);
    return more;
  }

  /** One scrape of /metrics in the Prometheus text format, read the way Prometheus reads it. */
  record Scrape(String contentType, List<Sample> samples) {
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

    record Sample(String name, Map<String, String> labels, double value) {}

    static Scrape of(ApiClient api) throws Exception {
      HttpResponse<String> response = ApiClient.http.send(
          HttpRequest.newBuilder(api.uri("/metrics")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      List<Sample> samples = response.body().lines().filter(line -> !line.startsWith("#") && !line.isBlank())
          .map(Scrape::sample).toList();
      return new Scrape(response.headers().firstValue("Content-Type").orElse(""), samples);
    }

    private static Sample sample(String line) {
      Matcher sample = SAMPLE.matcher(line);
      assertThat(sample.matches()).as(line).isTrue();
      Map<String, String> labels = new LinkedHashMap<>();
      if (sample.group(2) != null) {
        Matcher label = LABEL.matcher(sample.group(2));
        while (label.find()) {
          labels.put(label.group(1), label.group(2));
        }
      }
      return new Sample(sample.group(1), labels, Double.parseDouble(sample.group(3)));
    }

    /** The value of the one series with exactly these labels. */
    double value(String name, Map<String, String> labels) {
      List<Sample> matching = samples.stream()
          .filter(sample -> sample.name().equals(name) && sample.labels().equals(labels)).toList();
      assertThat(matching).as(name + labels).hasSize(1);
      return matching.get(0).value();
    }
  }
}
