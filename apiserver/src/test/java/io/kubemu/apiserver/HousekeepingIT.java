package io.kubemu.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the apiserver does by itself over time: Events expire, the store's history is compacted. */
class HousekeepingIT {
  /** An --event-ttl of 2 s and an --etcd-compaction-interval of 1 s: both happen within a test. */
  @RegisterExtension
  static final ControlPlane cluster = new ControlPlane(etcdServers -> new Apiserver.Config(etcdServers, "127.0.0.1", 0,
      Duration.ofSeconds(2), Duration.ofSeconds(1)));

  @Test
  void eventsExpireAfterTheEventTtlWhileOtherObjectsStay() throws Exception {
    ObjectNode event = ApiClient.json.createObjectNode().put("apiVersion", "v1").put("kind", "Event");
    event.putObject("metadata").put("name", "web.1");
    event.putObject("involvedObject").put("kind", "Pod").put("name", "web").put("namespace", "default");
    event.put("reason", "Scheduled").put("message", "Successfully assigned default/web to node-1").put("type", "Normal");
    assertThat(cluster.api().send("POST", "/api/v1/namespaces/default/events", event).code()).isEqualTo(201);
    cluster.api().send("POST", "/api/v1/namespaces/default/configmaps", ApiClient.configMap("stays"));

    await().atMost(Duration.ofSeconds(20)).until(() ->
        cluster.api().get("/api/v1/namespaces/default/events/web.1").code() == 404);
    assertThat(cluster.api().get("/api/v1/namespaces/default/configmaps/stays").code()).isEqualTo(200);
  }

  @Test
  void oldRevisionsAreCompactedAwayAndReadingThemIsExpired() throws Exception {
    String old = cluster.api().send("POST", "/api/v1/namespaces/default/configmaps", ApiClient.configMap("old"))
        .body().path("metadata").path("resourceVersion").asText();
    cluster.api().send("POST", "/api/v1/namespaces/default/configmaps", ApiClient.configMap("newer"));
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> ApiClient.assertStatus(
        cluster.api().get("/api/v1/namespaces/default/configmaps?resourceVersion=" + old + "&resourceVersionMatch=Exact"),
        410, "Expired"));
    assertThat(cluster.api().get("/api/v1/namespaces/default/configmaps/old").code()).isEqualTo(200);
  }
}
