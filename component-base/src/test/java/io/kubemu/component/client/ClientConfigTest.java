package io.kubemu.component.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.SelfSignedCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A component's client reaches an apiserver over plain HTTP and, told so by a kubeconfig, over TLS. */
class ClientConfigTest {
  private final Vertx vertx = Vertx.vertx();

  @TempDir
  Path dir;

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** An apiserver that answers {@code /version} and names the scheme it was asked on. */
  private int apiserver(HttpServerOptions options) throws Exception {
    HttpServer server = vertx.createHttpServer(options).requestHandler(request -> request.response()
        .putHeader("Content-Type", "application/json")
        .end("{\"major\":\"1\",\"minor\":\"33\",\"gitVersion\":\"v1.33.0\",\"platform\":\""
            + (request.isSSL() ? "tls" : "plain") + "\"}"));
    return server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)
        .actualPort();
  }

  @Test
  void aServerUrlOverPlainHttp() throws Exception {
    int port = apiserver(new HttpServerOptions());

    try (KubernetesClient client = new ClientConfig("http://127.0.0.1:" + port, null, 0, 0).newClient("test")) {
      assertThat(client.getKubernetesVersion().getPlatform()).isEqualTo("plain");
      // a client derived from it (as fabric8 makes for watches) shares its transport
      assertThat(client.getHttpClient().newBuilder().build().sendAsync(
          client.getHttpClient().newHttpRequestBuilder().uri("http://127.0.0.1:" + port + "/version").build(),
          String.class).get(10, TimeUnit.SECONDS).body()).contains("\"plain\"");
    }
  }

  @Test
  void aKubeconfigForAnApiserverOverTls() throws Exception {
    SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");
    int port = apiserver(new HttpServerOptions().setSsl(true).setKeyCertOptions(certificate.keyCertOptions()));
    Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), """
        apiVersion: v1
        kind: Config
        clusters:
        - name: tls
          cluster:
            server: https://127.0.0.1:%d
            insecure-skip-tls-verify: true
        contexts:
        - name: tls
          context: {cluster: tls, user: admin}
        current-context: tls
        users:
        - name: admin
          user: {}
        """.formatted(port));

    try (KubernetesClient client = new ClientConfig(null, kubeconfig, 0, 0).newClient("test")) {
      assertThat(client.getKubernetesVersion().getPlatform()).isEqualTo("tls");
    }
  }

  @Test
  void watchEventsCarryTheServedKindsAsTheirModelClasses() throws Exception {
    try (KubernetesClient client = new ClientConfig("http://127.0.0.1:1", null, 0, 0).newClient("test")) {
      KubernetesSerialization serialization = client.getKubernetesSerialization();

      assertThat(serialization.unmarshal("""
          {"type":"ADDED","object":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-1"},
           "spec":{"nodeName":"node-1"}}}""", WatchEvent.class).getObject())
          .isInstanceOfSatisfying(Pod.class, pod -> assertThat(pod.getSpec().getNodeName()).isEqualTo("node-1"));
      assertThat(serialization.unmarshal("""
          {"type":"MODIFIED","object":{"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"web"}}}""",
          WatchEvent.class).getObject()).isInstanceOf(ReplicaSet.class);
      // an expired watch ends with an ERROR event carrying a Status, which the informer answers by listing again
      assertThat(serialization.unmarshal("""
          {"type":"ERROR","object":{"apiVersion":"v1","kind":"Status","status":"Failure","code":410,
           "reason":"Expired"}}""", WatchEvent.class).getObject())
          .isInstanceOfSatisfying(Status.class, status -> assertThat(status.getCode()).isEqualTo(410));
      // a kind kubemu does not serve is read generically (fabric8 converts it to a watched type)
      assertThat(serialization.unmarshal("""
          {"type":"ADDED","object":{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"once"}}}""",
          WatchEvent.class).getObject()).isInstanceOf(GenericKubernetesResource.class);
    }
  }
}
