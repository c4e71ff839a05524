package io.kubemu.component.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PatchesTest {
  private final RecordingServer server = new RecordingServer();
  private final KubernetesClient client = server.client();

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void aStatusPatchIsOneRequestAndAnswersTheStoredObject() {
    server.answer(200, "{\"apiVersion\":\"v1\",\"kind\":\"Pod\","
        + "\"metadata\":{\"name\":\"web-1\",\"namespace\":\"shop\",\"resourceVersion\":\"42\"},"
        + "\"status\":{\"phase\":\"Running\"}}");

    Pod stored = Patches.patch(client, Pod.class, "shop", "web-1", "status", PatchType.JSON_MERGE,
        "{\"status\":{\"phase\":\"Running\"}}");

    assertThat(stored.getMetadata().getResourceVersion()).isEqualTo("42");
    assertThat(stored.getStatus().getPhase()).isEqualTo("Running");
    assertThat(server.requests()).containsExactly("PATCH /api/v1/namespaces/shop/pods/web-1/status "
        + "application/merge-patch+json {\"status\":{\"phase\":\"Running\"}}");
  }

  @Test
  void theErrorAnswerIsThrownWithItsCodeAndMessage() {
    server.answer(404, "{\"apiVersion\":\"v1\",\"kind\":\"Status\",\"status\":\"Failure\",\"code\":404,"
        + "\"reason\":\"NotFound\",\"message\":\"nodes \\\"node-9\\\" not found\"}");

    assertThatThrownBy(() -> Patches.patch(client, Node.class, null, "node-9", null, PatchType.STRATEGIC_MERGE, "{}"))
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(404);
          assertThat(ApiErrors.message(e)).isEqualTo("nodes \"node-9\" not found");
        });
    assertThat(server.requests())
        .containsExactly("PATCH /api/v1/nodes/node-9 application/strategic-merge-patch+json {}");
  }

  @Test
  void anErrorAnswerThatIsNoStatusKeepsItsCode() {
    server.answer(503, "upstream gone");

    assertThatThrownBy(() -> Patches.patch(client, Node.class, null, "node-1", null, PatchType.JSON_MERGE, "{}"))
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(503);
          assertThat(e.getMessage()).contains("Node node-1").contains("upstream gone");
        });
  }

  @Test
  void sendLeavesTheAnswerUnreadAndThrowsAnError() {
    server.answer(200, "not an object");
    Patches.send(client, Pod.class, "shop", "web-1", "status", PatchType.JSON_MERGE, "{}");

    server.answer(409, "{\"apiVersion\":\"v1\",\"kind\":\"Status\",\"status\":\"Failure\",\"code\":409,"
        + "\"reason\":\"Conflict\",\"message\":\"the object has been modified\"}");
    assertThatThrownBy(() -> Patches.send(client, Pod.class, "shop", "web-1", "status", PatchType.JSON_MERGE, "{}"))
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    assertThat(server.requests()).hasSize(2);
  }

  @Test
  void pathsOfGroupsNamespacesAndSubresources() {
    assertThat(Patches.path(ReplicaSet.class, "shop", "web-5d8f", null))
        .isEqualTo("apis/apps/v1/namespaces/shop/replicasets/web-5d8f");
    assertThat(Patches.path(Node.class, null, "node-1", "status")).isEqualTo("api/v1/nodes/node-1/status");
  }
}
