package io.kubemu.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A test's plain HTTP client of one apiserver, and the objects tests send it. */
record ApiClient(int port) {
  static final HttpClient http = HttpClient.newHttpClient();
  static final ObjectMapper json = new ObjectMapper();

  record Reply(int code, JsonNode body) {}


  static void assertStatus(Reply reply, int code, String reason) {
    assertThat(reply.code()).as(reply.body().toString()).isEqualTo(code);
    assertThat(reply.body().path("kind").asText()).isEqualTo("Status");
    assertThat(reply.body().path("reason").asText()).isEqualTo(reason);
    assertThat(reply.body().path("code").asInt()).isEqualTo(code);
  }

  static List<String> names(JsonNode list) {
    List<String> names = new ArrayList<>();
    list.path("items").forEach(item -> names.add(item.path("metadata").path("name").asText()));
    return names;
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  Reply get(String path) throws Exception {
    return sendRaw("GET", path, null, null);
  }

  Reply send(String method, String path, JsonNode body) throws Exception {
    return sendRaw(method, path, "application/json", body == null ? null : json.writeValueAsString(body));
  }

  Reply sendRaw(String method, String path, String contentType, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(response.statusCode(), response.body().isEmpty() ? json.createObjectNode() : json.readTree(response.body()));
  }

  CompletableFuture<Void> watch(String path, List<JsonNode> events) throws Exception {
    HttpResponse<java.io.InputStream> response = http.send(HttpRequest.newBuilder(uri(path)).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    return CompletableFuture.runAsync(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          events.add(json.readTree(line));
        }
      } catch (Exception e) {
        // the stream ended
      }
    });
  }

  static ObjectNode configMap(String name) {
    ObjectNode cm = json.createObjectNode().put("apiVersion", "v1").put("kind", "ConfigMap");
    if (name != null) {
      cm.putObject("metadata").put("name", name);
    }
    cm.putObject("data").put("k", "v");
    return cm;
  }

  static ObjectNode namespace(String name) {
    ObjectNode ns = json.createObjectNode().put("apiVersion", "v1").put("kind", "Namespace");
    ns.putObject("metadata").put("name", name);
    return ns;
  }

  static ObjectNode pod(String name) {
    ObjectNode pod = json.createObjectNode().put("apiVersion", "v1").put("kind", "Pod");
    pod.putObject("metadata").put("name", name);
    pod.putObject("spec").putArray("containers").addObject().put("name", "app").put("image", "kubemu/httpd:1");
    return pod;
  }

  static ObjectNode deployment(String name, String image) {
    ObjectNode deployment = json.createObjectNode().put("apiVersion", "apps/v1").put("kind", "Deployment");
    deployment.putObject("metadata").put("name", name).putObject("labels").put("app", name);
    ObjectNode spec = deployment.putObject("spec").put("replicas", 1);
    spec.putObject("selector").putObject("matchLabels").put("app", name);
    ObjectNode template = spec.putObject("template");
    template.putObject("metadata").putObject("labels").put("app", name);
    template.putObject("spec").putArray("containers").addObject().put("name", "app").put("image", image);
    return deployment;
  }
}
