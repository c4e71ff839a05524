package io.kubemu.component.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CreatesTest {
  private final RecordingServer server = new RecordingServer();

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void aCreateIsOnePostToTheCollectionAndItsAnswerIsNotParsed() {
    server.answer(201, "{\"kind\":\"Status\",\"status\":\"Success\"}"); // kube-apiserver's answer to a Binding
    Binding binding = new BindingBuilder().withNewMetadata().withName("web-1").withNamespace("shop").endMetadata()
        .withNewTarget().withApiVersion("v1").withKind("Node").withName("node-2").endTarget().build();

    Creates.send(server.client(), "shop", binding);

    assertThat(server.requests()).containsExactly("POST /api/v1/namespaces/shop/bindings application/json "
        + "{\"apiVersion\":\"v1\",\"kind\":\"Binding\",\"metadata\":{\"name\":\"web-1\",\"namespace\":\"shop\"},"
        + "\"target\":{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"name\":\"node-2\"}}");
  }

  @Test
  void aClusterScopedObjectGoesToItsCollectionAndAConflictIsThrownWithItsCode() {
    server.answer(409, "{\"apiVersion\":\"v1\",\"kind\":\"Status\",\"status\":\"Failure\",\"code\":409,"
        + "\"reason\":\"AlreadyExists\",\"message\":\"namespaces \\\"shop\\\" already exists\"}");
    Namespace namespace = new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata().build();

    assertThatThrownBy(() -> Creates.send(server.client(), null, namespace))
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(409);
          assertThat(ApiErrors.message(e)).isEqualTo("namespaces \"shop\" already exists");
        });
    assertThat(server.requests()).singleElement().asString().startsWith("POST /api/v1/namespaces application/json");
  }

  @Test
  void aCreateOnAClosedClientFailsItsFutureRatherThanThrowing() {
    Binding binding = new BindingBuilder().withNewMetadata().withName("web-1").withNamespace("shop").endMetadata()
        .withNewTarget().withApiVersion("v1").withKind("Node").withName("node-2").endTarget().build();
    server.client().close();

    CompletableFuture<Void> create = Creates.sendAsync(server.client(), "shop", binding);

    assertThat(create).failsWithin(Duration.ofSeconds(10)).withThrowableOfType(ExecutionException.class)
        .havingCause().isInstanceOf(KubernetesClientException.class)
        .withMessage("creating Binding shop/web-1 failed: Client is closed");
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void aCreateSentWithoutWaitingCompletesWithTheAnswerOrFailsWithItsStatus() throws Exception {
    Binding binding = new BindingBuilder().withNewMetadata().withName("web-1").withNamespace("shop").endMetadata()
        .withNewTarget().withApiVersion("v1").withKind("Node").withName("node-2").endTarget().build();
    server.answer(new RecordingServer.Answer(201, "{\"kind\":\"Status\",\"status\":\"Success\"}"),
        new RecordingServer.Answer(409, "{\"apiVersion\":\"v1\",\"kind\":\"Status\",\"status\":\"Failure\","
            + "\"code\":409,\"reason\":\"Conflict\",\"message\":\"pod web-1 is already assigned to node node-1\"}"));

    Creates.sendAsync(server.client(), "shop", binding).get(10, TimeUnit.SECONDS);
    CompletableFuture<Void> again = Creates.sendAsync(server.client(), "shop", binding);

    assertThat(again).failsWithin(Duration.ofSeconds(10)).withThrowableOfType(ExecutionException.class)
        .havingCause().isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(409);
          assertThat(ApiErrors.message(e)).isEqualTo("pod web-1 is already assigned to node node-1");
        });
    assertThat(server.requests()).hasSize(2)
        .allSatisfy(request -> assertThat(request).startsWith("POST /api/v1/namespaces/shop/bindings application/json"));
  }

  @Test
  void aCreateCompletesWithTheNameTheApiserverGave() throws Exception {
    server.answer(201, "{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"generateName\":\"web-\","
        + "\"labels\":{\"name\":\"not-this\"},\"name\":\"web-x7k2p\",\"namespace\":\"shop\"},\"spec\":{}}");
    Pod pod = new PodBuilder()
        .withNewMetadata().withGenerateName("web-").withNamespace("shop").endMetadata().build();

    String json = server.client().getKubernetesSerialization().asJson(pod);
    assertThat(Creates.createAsync(server.client(), "shop", pod, json).get(10, TimeUnit.SECONDS)).isEqualTo("web-x7k2p");
    assertThat(server.requests()).singleElement().asString()
        .startsWith("POST /api/v1/namespaces/shop/pods application/json {\"apiVersion\":\"v1\",\"kind\":\"Pod\"");
  }

  @Test
  void theNameIsReadFromTheObjectsOwnMetadataOnly() {
    assertThat(Creates.metadataName("{\"spec\":{\"metadata\":{\"name\":\"template\"}},\"metadata\":{\"name\":\"web-1\"}}"))
        .isEqualTo("web-1");
    assertThat(Creates.metadataName("{\"metadata\":{\"generateName\":\"web-\"},\"name\":\"top\"}")).isNull();
    assertThat(Creates.metadataName("[\"metadata\"]")).isNull();
    assertThat(Creates.metadataName("{\"metadata\":")).isNull();
  }
}
