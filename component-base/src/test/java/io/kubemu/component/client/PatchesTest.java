package io.kubemu.component.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PatchesTest {
  /** What the server got: method, path, content type and body of each request. */
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private volatile int answerCode = 200;
  private volatile String answer = "";
  private HttpServer server;
  private KubernetesClient client;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath() + " "
          + exchange.getRequestHeaders().getFirst("Content-Type") + " " + body);
      byte[] reply = answer.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(answerCode, reply.length == 0 ? -1 : reply.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(reply);
      }
    });
    server.start();
    client = new KubernetesClientBuilder().withConfig(new io.fabric8.kubernetes.client.ConfigBuilder()
        .withMasterUrl("http://127.0.0.1:" + server.getAddress().getPort()).withRequestRetryBackoffLimit(0).build())
        .build();
  }

  @AfterEach
  void stop() {
    client.close();
    server.stop(0);
  }

  @Test
  void aStatusPatchIsOneRequestAndAnswersTheStoredObject() {
    answer = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"web-1\",\"namespace\":\"shop\","
        + "\"resourceVersion\":\"42\"},\"status\":{\"phase\":\"Running\"}}";

    Pod stored = Patches.patch(client, Pod.class, "shop", "web-1", "status", PatchType.JSON_MERGE,
        "{\"status\":{\"phase\":\"Running\"}}");

    assertThat(stored.getMetadata().getResourceVersion()).isEqualTo("42");
    assertThat(stored.getStatus().getPhase()).isEqualTo("Running");
    assertThat(requests).containsExactly("PATCH /api/v1/namespaces/shop/pods/web-1/status "
        + "application/merge-patch+json {\"status\":{\"phase\":\"Running\"}}");
  }

  @Test
  void theErrorAnswerIsThrownWithItsCodeAndMessage() {
    answerCode = 404;
    answer = "{\"apiVersion\":\"v1\",\"kind\":\"Status\",\"status\":\"Failure\",\"code\":404,\"reason\":\"NotFound\","
        + "\"message\":\"nodes \\\"node-9\\\" not found\"}";

    assertThatThrownBy(() -> Patches.patch(client, Node.class, null, "node-9", null, PatchType.STRATEGIC_MERGE, "{}"))
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(404);
          assertThat(ApiErrors.message(e)).isEqualTo("nodes \"node-9\" not found");
        });
    assertThat(requests).containsExactly("PATCH /api/v1/nodes/node-9 application/strategic-merge-patch+json {}");
  }

  @Test
  void anErrorAnswerThatIsNoStatusKeepsItsCode() {
    answerCode = 503;
    answer = "upstream gone";

    assertThatThrownBy(() -> Patches.patch(client, Node.class, null, "node-1", null, PatchType.JSON_MERGE, "{}"))
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(503);
          assertThat(e.getMessage()).contains("Node node-1").contains("upstream gone");
        });
  }

  @Test
  void sendLeavesTheAnswerUnreadAndThrowsAnError() {
    answer = "not an object";
    Patches.send(client, Pod.class, "shop", "web-1", "status", PatchType.JSON_MERGE, "{}");

    answerCode = 409;
    answer = "{\"apiVersion\":\"v1\",\"kind\":\"Status\",\"status\":\"Failure\",\"code\":409,"
        + "\"reason\":\"Conflict\",\"message\":\"the object has been modified\"}";
    assertThatThrownBy(() -> Patches.send(client, Pod.class, "shop", "web-1", "status", PatchType.JSON_MERGE, "{}"))
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    assertThat(requests).hasSize(2);
  }

  @Test
  void pathsOfGroupsNamespacesAndSubresources() {
    assertThat(Patches.path(ReplicaSet.class, "shop", "web-5d8f", null))
        .isEqualTo("apis/apps/v1/namespaces/shop/replicasets/web-5d8f");
    assertThat(Patches.path(Node.class, null, "node-1", "status")).isEqualTo("api/v1/nodes/node-1/status");
  }
}
