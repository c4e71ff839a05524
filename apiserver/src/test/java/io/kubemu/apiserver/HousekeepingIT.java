package io.kubemu.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubemu.etcd.EtcdCluster;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the apiserver does by itself over time: Events expire, the store's history is compacted. */
class HousekeepingIT {
  @TempDir
  static Path dir;

  static EtcdCluster store;
  static Apiserver apiserver;
  static ApiClient api;

  @BeforeAll
  static void start() throws Exception {
    store = new EtcdCluster(dir, 3).start();
    apiserver = new Apiserver(new Apiserver.Config(store.endpoints(), "127.0.0.1", 0,
        Duration.ofSeconds(2), Duration.ofSeconds(1))).start();
    api = new ApiClient(apiserver.port());
  }

  @AfterAll
  static void stop() throws Exception {
    apiserver.close();
    store.close();
  }

  @Test
  void eventsExpireAfterTheEventTtlWhileOtherObjectsStay() throws Exception {
    ObjectNode event = ApiClient.json.createObjectNode().put("apiVersion", "v1").put("kind", "Event");
    event.putObject("metadata").put("name", "web.1");
    event.putObject("involvedObject").put("kind", "Pod").put("name", "web").put("namespace", "default");
    event.put("reason", "Scheduled").put("message", "Successfully assigned default/web to node-1").put("type", "Normal");
    assertThat(api.send("POST", "/api/v1/namespaces/default/events", event).code()).isEqualTo(201);
    api.send("POST", "/api/v1/namespaces/default/configmaps", ApiClient.configMap("stays"));

    await().atMost(Duration.ofSeconds(20)).until(() ->
        api.get("/api/v1/namespaces/default/events/web.1").code() == 404);
    assertThat(api.get("/api/v1/namespaces/default/configmaps/stays").code()).isEqualTo(200);
  }

  @Test
  void oldRevisionsAreCompactedAwayAndReadingThemIsExpired() throws Exception {
    String old = api.send("POST", "/api/v1/namespaces/default/configmaps", ApiClient.configMap("old"))
        .body().path("metadata").path("resourceVersion").asText();
    api.send("POST", "/api/v1/namespaces/default/configmaps", ApiClient.configMap("newer"));
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> ApiClient.assertStatus(
        api.get("/api/v1/namespaces/default/configmaps?resourceVersion=" + old + "&resourceVersionMatch=Exact"),
        410, "Expired"));
    assertThat(api.get("/api/v1/namespaces/default/configmaps/old").code()).isEqualTo(200);
  }
}
