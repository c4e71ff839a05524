package io.kubemu.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubemu.etcd.client.KvClient;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The real apiserver over a real three-member store, spoken to over HTTP as clients do. */
class ApiserverIT {
  @RegisterExtension
  static final ControlPlane cluster = new ControlPlane();
  static final HttpClient http = ApiClient.http;
  static final ObjectMapper json = ApiClient.json;

  @Test
  void everyClusterStartsWithTheSystemNamespaces() throws Exception {
    ApiClient.Reply namespaces = cluster.api().get("/api/v1/namespaces");
    assertThat(namespaces.code()).isEqualTo(200);
    assertThat(ApiClient.names(namespaces.body())).contains("default", "kube-system", "kube-public", "kube-node-lease");
    assertThat(namespaces.body().path("kind").asText()).isEqualTo("NamespaceList");
  }

  @Test
  void createFillsInWhatTheServerOwnsAndGetReturnsTheSameObject() throws Exception {
    ApiClient.Reply created = cluster.api().send("POST", "/apis/apps/v1/namespaces/default/deployments", ApiClient.deployment("web", "nginx:1.25"));
    assertThat(created.code()).isEqualTo(201);
    JsonNode metadata = created.body().path("metadata");
    assertThat(metadata.path("uid").asText()).matches("[0-9a-f-]{36}");
    assertThat(metadata.path("creationTimestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    assertThat(metadata.path("generation").asLong()).isEqualTo(1);
    assertThat(Long.parseLong(metadata.path("resourceVersion").asText())).isPositive();
    assertThat(cluster.api().get("/apis/apps/v1/namespaces/default/deployments/web").body()).isEqualTo(created.body());
  }

  @Test
  void generateNameGivesEachObjectAFreshName() throws Exception {
    ObjectNode body = ApiClient.configMap(null);
    body.withObject("metadata").put("generateName", "gen-");
    String first = cluster.api().send("POST", "/api/v1/namespaces/default/configmaps", body).body().path("metadata").path("name").asText();
    String second = cluster.api().send("POST", "/api/v1/namespaces/default/configmaps", body).body().path("metadata").path("name").asText();
    assertThat(first).matches("gen-[a-z0-9]{5}");
    assertThat(second).matches("gen-[a-z0-9]{5}").isNotEqualTo(first);
  }

  @Test
  void creatingANameThatIsTakenIsAlreadyExists() throws Exception {
    cluster.api().send("POST", "/api/v1/namespaces/default/configmaps", ApiClient.configMap("taken"));
    ApiClient.Reply again = cluster.api().send("POST", "/api/v1/namespaces/default/configmaps", ApiClient.configMap("taken"));
    assertThat(again.code()).isEqualTo(409);
    assertThat(again.body().path("reason").asText()).isEqualTo("AlreadyExists");
    assertThat(again.body().path("message").asText()).isEqualTo("configmaps \"taken\" already exists");
  }

  @Test
  void anUpdateFromAStaleResourceVersionIsAConflictAndOnlySpecChangesBumpTheGeneration() throws Exception {
    JsonNode created = cluster.api().send("POST", "/apis/apps/v1/namespaces/default/deployments", ApiClient.deployment("rolling", "nginx:1")).body();
    ObjectNode relabelled = created.deepCopy();
    relabelled.withObject("metadata").withObject("labels").put("team", "web");
    JsonNode afterLabel = cluster.api().send("PUT", "/apis/apps/v1/namespaces/default/deployments/rolling", relabelled).body();
    assertThat(afterLabel.path("metadata").path("generation").asLong()).isEqualTo(1);

    ObjectNode stale = created.deepCopy();
    stale.withObject("spec").put("replicas", 5);
    ApiClient.Reply conflict = cluster.api().send("PUT", "/apis/apps/v1/namespaces/default/deployments/rolling", stale);
    assertThat(conflict.code()).isEqualTo(409);
    assertThat(conflict.body().path("reason").asText()).isEqualTo("Conflict");
    assertThat(conflict.body().path("message").asText()).startsWith("Operation cannot be fulfilled on deployments.apps \"rolling\"");

    ObjectNode fresh = afterLabel.deepCopy();
    fresh.withObject("spec").put("replicas", 5);
    JsonNode scaled = cluster.api().send("PUT", "/apis/apps/v1/namespaces/default/deployments/rolling", fresh).body();
    assertThat(scaled.path("metadata").path("generation").asLong()).isEqualTo(2);
    assertThat(scaled.path("spec").path("replicas").asInt()).isEqualTo(5);
  }

  @Test
  void theStatusChangesOnlyThroughTheStatusSubresource() throws Exception {
    JsonNode created = cluster.api().send("POST", "/apis/apps/v1/namespaces/default/deployments", ApiClient.deployment("status", "nginx:1")).body();
    ObjectNode withStatus = created.deepCopy();
    withStatus.putObject("status").put("replicas", 3);
    JsonNode throughObject = cluster.api().send("PUT", "/apis/apps/v1/namespaces/default/deployments/status", withStatus).body();
    assertThat(throughObject.has("status")).isFalse();

    ObjectNode statusWrite = throughObject.deepCopy();
    statusWrite.putObject("status").put("replicas", 3);
    statusWrite.withObject("spec").put("replicas", 9);
    JsonNode throughStatus = cluster.api().send("PUT", "/apis/apps/v1/namespaces/default/deployments/status/status", statusWrite).body();
    assertThat(throughStatus.path("status").path("replicas").asInt()).isEqualTo(3);
    assertThat(throughStatus.path("spec").path("replicas").asInt()).isEqualTo(1);
  }

  @Test
  void patchesOfAllThreeKindsChangeOnlyWhatTheySay() throws Exception {
    cluster.api().send("POST", "/apis/apps/v1/namespaces/default/deployments", ApiClient.deployment("patched", "nginx:1"));
    // kubectl label: a JSON merge patch
    JsonNode labelled = cluster.api().sendRaw("PATCH", "/apis/apps/v1/namespaces/default/deployments/patched",
        "application/merge-patch+json", "{\"metadata\":{\"labels\":{\"tier\":\"web\"}}}").body();
    assertThat(labelled.path("metadata").path("labels").path("tier").asText()).isEqualTo("web");
    assertThat(labelled.path("metadata").path("labels").path("app").asText()).isEqualTo("patched");
    assertThat(labelled.path("metadata").path("generation").asLong()).isEqualTo(1);

    // kubectl set image / apply: a strategic merge patch that merges containers by name
    JsonNode updated = cluster.api().sendRaw("PATCH", "/apis/apps/v1/namespaces/default/deployments/patched",
        "application/strategic-merge-patch+json",
        "{\"spec\":{\"template\":{\"spec\":{\"$setElementOrder/containers\":[{\"name\":\"app\"}],"
            + "\"containers\":[{\"name\":\"app\",\"image\":\"nginx:2\"}]}}}}").body();
    JsonNode containers = updated.path("spec").path("template").path("spec").path("containers");
    assertThat(containers).hasSize(1);
    assertThat(containers.get(0).path("image").asText()).isEqualTo("nginx:2");
    assertThat(updated.path("metadata").path("generation").asLong()).isEqualTo(2);

    // a JSON patch whose test fails changes nothing
    ApiClient.Reply failed = cluster.api().sendRaw("PATCH", "/apis/apps/v1/namespaces/default/deployments/patched", "application/json-patch+json",
        "[{\"op\":\"test\",\"path\":\"/spec/replicas\",\"value\":7},{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":9}]");
    ApiClient.assertStatus(failed, 422, "Invalid");
    assertThat(cluster.api().get("/apis/apps/v1/namespaces/default/deployments/patched").body().path("spec").path("replicas").asInt())
        .isEqualTo(1);

    // through /status only the status
    JsonNode status = cluster.api().sendRaw("PATCH", "/apis/apps/v1/namespaces/default/deployments/patched/status",
        "application/merge-patch+json", "{\"status\":{\"replicas\":1},\"spec\":{\"replicas\":4}}").body();
    assertThat(status.path("status").path("replicas").asInt()).isEqualTo(1);
    assertThat(status.path("spec").path("replicas").asInt()).isEqualTo(1);

    ApiClient.assertStatus(cluster.api().sendRaw("PATCH", "/apis/apps/v1/namespaces/default/deployments/patched", "application/apply-patch+yaml",
        "spec: {}"), 415, "UnsupportedMediaType");
    ApiClient.assertStatus(cluster.api().sendRaw("PATCH", "/apis/apps/v1/namespaces/default/deployments/missing", "application/merge-patch+json",
        "{}"), 404, "NotFound");

    // a resourceVersion in the patch is a precondition (the garbage collector removes finalizers so)
    String current = cluster.api().get("/apis/apps/v1/namespaces/default/deployments/patched").body()
        .path("metadata").path("resourceVersion").asText();
    ApiClient.assertStatus(cluster.api().sendRaw("PATCH", "/apis/apps/v1/namespaces/default/deployments/patched",
        "application/merge-patch+json", "{\"metadata\":{\"resourceVersion\":\"1\",\"labels\":{\"tier\":\"db\"}}}"),
        409, "Conflict");
    JsonNode guarded = cluster.api().sendRaw("PATCH", "/apis/apps/v1/namespaces/default/deployments/patched",
        "application/merge-patch+json", "{\"metadata\":{\"resourceVersion\":\"" + current + "\",\"labels\":{\"tier\":\"db\"}}}")
        .body();
    assertThat(guarded.path("metadata").path("labels").path("tier").asText()).isEqualTo("db");
  }

  @Test
  void kubectlScaleChangesTheReplicasThroughTheScaleSubresource() throws Exception {
    cluster.api().send("POST", "/apis/apps/v1/namespaces/default/deployments", ApiClient.deployment("scaled", "nginx:1"));
    JsonNode scale = cluster.api().get("/apis/apps/v1/namespaces/default/deployments/scaled/scale").body();
    assertThat(scale.path("kind").asText()).isEqualTo("Scale");
    assertThat(scale.path("apiVersion").asText()).isEqualTo("autoscaling/v1");
    assertThat(scale.path("status").path("selector").asText()).isEqualTo("app=scaled");

    JsonNode scaled = cluster.api().sendRaw("PATCH", "/apis/apps/v1/namespaces/default/deployments/scaled/scale",
        "application/merge-patch+json", "{\"spec\":{\"replicas\":3}}").body();
    assertThat(scaled.path("spec").path("replicas").asInt()).isEqualTo(3);
    JsonNode deployment = cluster.api().get("/apis/apps/v1/namespaces/default/deployments/scaled").body();
    assertThat(deployment.path("spec").path("replicas").asInt()).isEqualTo(3);
    assertThat(deployment.path("metadata").path("generation").asLong()).isEqualTo(2);

    ApiClient.assertStatus(cluster.api().sendRaw("PATCH", "/apis/apps/v1/namespaces/default/deployments/scaled/scale",
        "application/merge-patch+json", "{\"spec\":{\"replicas\":-1}}"), 422, "Invalid");
  }

  @Test
  void aDeletedNamespaceTerminatesUntilItsFinalizersAreEmptied() throws Exception {
    cluster.api().send("POST", "/api/v1/namespaces", ApiClient.namespace("doomed"));
    JsonNode terminating = cluster.api().send("DELETE", "/api/v1/namespaces/doomed", null).body();
    assertThat(terminating.path("status").path("phase").asText()).isEqualTo("Terminating");
    ApiClient.Reply refused = cluster.api().send("POST", "/api/v1/namespaces/doomed/configmaps", ApiClient.configMap("late"));
    ApiClient.assertStatus(refused, 403, "Forbidden");
    assertThat(refused.body().path("message").asText()).contains("because it is being terminated");
    // Controllers (the ServiceAccounts controller) recognise the refusal by its cause.
    assertThat(refused.body().path("details").path("causes").path(0).path("reason").asText())
        .isEqualTo("NamespaceTerminating");

    ObjectNode finalized = terminating.deepCopy();
    finalized.withObject("spec").putArray("finalizers");
    cluster.api().send("PUT", "/api/v1/namespaces/doomed/finalize", finalized);
    assertThat(cluster.api().get("/api/v1/namespaces/doomed").code()).isEqualTo(404);
  }

  @Test
  void listsFilterByLabelsAndFieldsAndPageWithContinue() throws Exception {
    cluster.api().send("POST", "/api/v1/namespaces", ApiClient.namespace("listing"));
    for (int i = 0; i < 5; i++) {
      ObjectNode cm = ApiClient.configMap("item-" + i);
      cm.withObject("metadata").withObject("labels").put("tier", i % 2 == 0 ? "even" : "odd");
      cluster.api().send("POST", "/api/v1/namespaces/listing/configmaps", cm);
    }
    assertThat(ApiClient.names(cluster.api().get("/api/v1/namespaces/listing/configmaps?labelSelector=tier%3Deven").body()))
        .containsExactly("item-0", "item-2", "item-4");
    assertThat(ApiClient.names(cluster.api().get("/api/v1/namespaces/listing/configmaps?labelSelector=tier%20notin%20(even),tier").body()))
        .containsExactly("item-1", "item-3");
    assertThat(ApiClient.names(cluster.api().get("/api/v1/namespaces/listing/configmaps?fieldSelector=metadata.name%3Ditem-3").body()))
        .containsExactly("item-3");
    assertThat(ApiClient.names(cluster.api().get("/api/v1/configmaps?fieldSelector=metadata.namespace%3Dlisting").body())).hasSize(5);

    JsonNode page1 = cluster.api().get("/api/v1/namespaces/listing/configmaps?limit=2").body();
    String token = page1.path("metadata").path("continue").asText();
    JsonNode page2 = cluster.api().get("/api/v1/namespaces/listing/configmaps?limit=2&continue=" + token).body();
    JsonNode page3 = cluster.api().get("/api/v1/namespaces/listing/configmaps?limit=2&continue="
        + page2.path("metadata").path("continue").asText()).body();
    List<String> paged = new ArrayList<>(ApiClient.names(page1));
    paged.addAll(ApiClient.names(page2));
    paged.addAll(ApiClient.names(page3));
    assertThat(paged).containsExactly("item-0", "item-1", "item-2", "item-3", "item-4");
    assertThat(page3.path("metadata").has("continue")).isFalse();
    assertThat(page2.path("metadata").path("resourceVersion")).isEqualTo(page1.path("metadata").path("resourceVersion"));
  }

  @Test
  void aWatchFromTheListsResourceVersionSeesEveryLaterChangeInOrder() throws Exception {
    cluster.api().send("POST", "/api/v1/namespaces", ApiClient.namespace("watched"));
    String listVersion = cluster.api().get("/api/v1/namespaces/watched/configmaps").body().path("metadata").path("resourceVersion").asText();
    List<JsonNode> events = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> stream = cluster.api().watch("/api/v1/namespaces/watched/configmaps?watch=true&resourceVersion=" + listVersion
        + "&timeoutSeconds=20", events);

    JsonNode created = cluster.api().send("POST", "/api/v1/namespaces/watched/configmaps", ApiClient.configMap("w")).body();
    ObjectNode changed = created.deepCopy();
    changed.putObject("data").put("k", "v2");
    cluster.api().send("PUT", "/api/v1/namespaces/watched/configmaps/w", changed);
    cluster.api().send("DELETE", "/api/v1/namespaces/watched/configmaps/w", null);

    await().atMost(Duration.ofSeconds(10)).until(() -> events.size() >= 3);
    assertThat(events.stream().map(event -> event.path("type").asText()).toList())
        .containsExactly("ADDED", "MODIFIED", "DELETED");
    assertThat(events.get(1).path("object").path("data").path("k").asText()).isEqualTo("v2");
    stream.cancel(true);
  }

  @Test
  void podWatchesSelectingANodeGetThatNodesPodsAndTheOthersGetTheirs() throws Exception {
    cluster.api().send("POST", "/api/v1/namespaces", ApiClient.namespace("nodes-watched"));
    String pods = "/api/v1/namespaces/nodes-watched/pods";
    String from = cluster.api().get(pods).body().path("metadata").path("resourceVersion").asText();
    String watch = pods + "?watch=true&timeoutSeconds=20&resourceVersion=" + from;
    List<JsonNode> nodeA = new CopyOnWriteArrayList<>();
    List<JsonNode> nodeB = new CopyOnWriteArrayList<>();
    List<JsonNode> unbound = new CopyOnWriteArrayList<>();
    List<JsonNode> notOnA = new CopyOnWriteArrayList<>();
    List<JsonNode> all = new CopyOnWriteArrayList<>();
    List<CompletableFuture<Void>> streams = List.of(
        cluster.api().watch(watch + "&fieldSelector=spec.nodeName%3Dnode-a", nodeA), // a kubelet's
        cluster.api().watch(watch + "&fieldSelector=spec.nodeName%3Dnode-b", nodeB),
        cluster.api().watch(watch + "&fieldSelector=spec.nodeName%3D", unbound), // pods waiting for a node
        cluster.api().watch(watch + "&fieldSelector=spec.nodeName!%3Dnode-a", notOnA),
        cluster.api().watch(watch, all));

    for (String[] pod : new String[][] {{"on-a", "node-a"}, {"on-b", "node-b"}, {"pending", null}}) {
      ObjectNode object = ApiClient.pod(pod[0]);
      if (pod[1] != null) {
        ((ObjectNode) object.get("spec")).put("nodeName", pod[1]);
      }
      cluster.api().send("POST", pods, object);
    }
    cluster.api().send("POST", "/api/v1/namespaces/nodes-watched/bindings", PodSubresourcesIT.binding("pending", "node-b"));
    cluster.api().send("DELETE", pods + "/on-a?gracePeriodSeconds=0", null);

    java.util.function.Function<List<JsonNode>, List<String>> seen = events -> events.stream()
        .map(event -> event.path("type").asText() + " " + event.path("object").path("metadata").path("name").asText())
        .toList();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(seen.apply(all)).containsExactly("ADDED on-a", "ADDED on-b", "ADDED pending", "MODIFIED pending",
          "DELETED on-a");
      assertThat(seen.apply(nodeA)).containsExactly("ADDED on-a", "DELETED on-a");
      assertThat(seen.apply(nodeB)).containsExactly("ADDED on-b", "MODIFIED pending");
      assertThat(seen.apply(unbound)).containsExactly("ADDED pending");
      assertThat(seen.apply(notOnA)).containsExactly("ADDED on-b", "ADDED pending", "MODIFIED pending");
    });
    streams.forEach(stream -> stream.cancel(true));
  }

  private static ObjectNode event(String name) {
    ObjectNode event = ApiClient.json.createObjectNode().put("apiVersion", "v1").put("kind", "Event");
    event.putObject("metadata").put("name", name);
    event.putObject("involvedObject").put("kind", "Pod").put("namespace", "evented").put("name", "web");
    event.put("reason", "Started").put("message", "Started container web").put("type", "Normal").put("count", 1);
    return event;
  }

  /** Events have no watch cache, as in kube-apiserver: their lists and watches are the store's. */
  @Test
  void eventsAreListedAndWatchedStraightFromTheStore() throws Exception {
    cluster.api().send("POST", "/api/v1/namespaces", ApiClient.namespace("evented"));
    String events = "/api/v1/namespaces/evented/events";
    cluster.api().send("POST", events, event("first"));
    cluster.api().send("POST", events, event("extra"));
    // Any version will do, and a watch cache would answer all of them at once; the store pages them.
    JsonNode page = cluster.api().get(events + "?resourceVersion=0&limit=1").body();
    assertThat(page.path("items")).hasSize(1);
    assertThat(page.path("metadata").path("continue").asText()).isNotEmpty();
    cluster.api().send("DELETE", events + "/extra", null);
    JsonNode list = cluster.api().get(events + "?resourceVersion=0").body();
    assertThat(list.path("items")).extracting(item -> item.path("metadata").path("name").asText())
        .containsExactly("first");
    long from = list.path("metadata").path("resourceVersion").asLong();
    List<JsonNode> fromList = new CopyOnWriteArrayList<>();
    List<JsonNode> fromNow = new CopyOnWriteArrayList<>();
    List<CompletableFuture<Void>> streams = List.of(
        cluster.api().watch(events + "?watch=true&timeoutSeconds=20&resourceVersion=" + from, fromList),
        cluster.api().watch(events + "?watch=true&timeoutSeconds=20", fromNow));
    await().atMost(Duration.ofSeconds(10)).until(() -> fromNow.size() >= 1);

    cluster.api().send("POST", events, event("second"));
    cluster.api().sendRaw("PATCH", events + "/second", "application/merge-patch+json", "{\"count\":2}");
    cluster.api().send("DELETE", events + "/second", null);

    java.util.function.Function<List<JsonNode>, List<String>> seen = watched -> watched.stream()
        .map(event -> event.path("type").asText() + " " + event.path("object").path("metadata").path("name").asText())
        .toList();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(seen.apply(fromList)).containsExactly("ADDED second", "MODIFIED second", "DELETED second");
      assertThat(seen.apply(fromNow))
          .containsExactly("ADDED first", "ADDED second", "MODIFIED second", "DELETED second");
    });
    assertThat(fromList.get(1).path("object").path("count").asInt()).isEqualTo(2);
    streams.forEach(stream -> stream.cancel(true));

    // A revision the store no longer has: one ERROR event with 410 Expired, and the stream ends.
    try (KvClient kv = KvClient.connect(cluster.store().endpoints(), Duration.ofSeconds(10))) {
      kv.compact(from).get(10, TimeUnit.SECONDS);
    }
    List<JsonNode> tooOld = new CopyOnWriteArrayList<>();
    cluster.api().watch(events + "?watch=true&resourceVersion=" + (from - 2), tooOld)
        .get(10, TimeUnit.SECONDS);
    assertThat(tooOld).singleElement().satisfies(event -> {
      assertThat(event.path("type").asText()).isEqualTo("ERROR");
      assertThat(event.path("object").path("code").asInt()).isEqualTo(410);
      assertThat(event.path("object").path("reason").asText()).isEqualTo("Expired");
    });
  }

  /** 48 objects of 700 kB: more than the 8 MiB a watcher may fall behind by, and what loopback's buffers hold. */
  private static final int BIG_OBJECTS = 48;

  private static void createBigConfigMaps(String configMaps) throws Exception {
    String data = "x".repeat(700_000);
    for (int i = 0; i < BIG_OBJECTS; i++) {
      ObjectNode big = ApiClient.configMap("big-" + i);
      big.putObject("data").put("k", data);
      assertThat(cluster.api().send("POST", configMaps, big).code()).isEqualTo(201);
    }
  }

  private static void deleteBigConfigMaps(String configMaps) throws Exception {
    for (int i = 0; i < BIG_OBJECTS; i++) {
      cluster.api().send("DELETE", configMaps + "/big-" + i, null);
    }
  }

  @Test
  void aWatcherThatStopsReadingIsCutOffAndTheOthersGetEveryEvent() throws Exception {
    cluster.api().send("POST", "/api/v1/namespaces", ApiClient.namespace("unread"));
    String configMaps = "/api/v1/namespaces/unread/configmaps";
    List<JsonNode> reader = new CopyOnWriteArrayList<>();
    cluster.api().watch(configMaps + "?watch=true&timeoutSeconds=60", reader);
    try (Socket stalled = new Socket()) {
      stalled.setReceiveBufferSize(4096);
      stalled.connect(new InetSocketAddress("127.0.0.1", cluster.api().port()));
      stalled.getOutputStream().write(("GET " + configMaps + "?watch=true&timeoutSeconds=60 HTTP/1.1\r\n"
          + "Host: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      createBigConfigMaps(configMaps);
      await().atMost(Duration.ofSeconds(20)).until(() -> reader.size() == BIG_OBJECTS);

      // Read now: what the apiserver sent before it cut the watcher off, then the end of the
      // connection (a watch ended gracefully would leave it open, kept alive).
      stalled.setSoTimeout(20_000);
      byte[] buffer = new byte[1 << 16];
      long received = 0;
      try {
        for (int n = stalled.getInputStream().read(buffer); n >= 0; n = stalled.getInputStream().read(buffer)) {
          received += n;
        }
      } catch (SocketTimeoutException e) {
        throw new AssertionError("still open after " + received + " bytes", e);
      }
      assertThat(received).isLessThan(BIG_OBJECTS * 700_000L);
      assertThat(cluster.api().get(configMaps + "/big-" + (BIG_OBJECTS - 1)).code()).isEqualTo(200);
    } finally {
      deleteBigConfigMaps(configMaps);
    }
  }

  @Test
  void aWebSocketWatcherThatStopsReadingIsCutOff() throws Exception {
    cluster.api().send("POST", "/api/v1/namespaces", ApiClient.namespace("unread-ws"));
    String configMaps = "/api/v1/namespaces/unread-ws/configmaps";
    AtomicInteger messages = new AtomicInteger();
    CompletableFuture<String> ended = new CompletableFuture<>();
    WebSocket stalled = http.newWebSocketBuilder().buildAsync(
        URI.create("ws://127.0.0.1:" + cluster.api().port() + configMaps + "?watch=true&timeoutSeconds=60"),
        new WebSocket.Listener() {
          @Override
          public void onOpen(WebSocket webSocket) {
            // No request(1): nothing is read until the test asks.
          }

          @Override
          public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            if (last) {
              messages.incrementAndGet();
            }
            return null;
          }

          @Override
          public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            ended.complete("closed " + statusCode);
            return null;
          }

          @Override
          public void onError(WebSocket webSocket, Throwable error) {
            ended.complete("error " + error);
          }
        }).get(10, TimeUnit.SECONDS);
    try {
      createBigConfigMaps(configMaps);

      stalled.request(Long.MAX_VALUE);
      // The watch ends long before its 60 s, and without the events sent after the cut-off.
      assertThat(ended.get(20, TimeUnit.SECONDS)).isNotNull();
      assertThat(messages.get()).isLessThan(BIG_OBJECTS);
    } finally {
      deleteBigConfigMaps(configMaps);
    }
  }

  @Test
  void aWatchWithoutAResourceVersionStartsWithTheCurrentObjectsAsAdded() throws Exception {
    List<JsonNode> events = new CopyOnWriteArrayList<>();
    cluster.api().watch("/api/v1/namespaces?watch=true&timeoutSeconds=5", events);
    await().atMost(Duration.ofSeconds(10)).until(() -> events.size() >= 4);
    assertThat(events).allMatch(event -> event.path("type").asText().equals("ADDED"));
  }

  @Test
  void aWatchFromARevisionOlderThanTheWatchCacheGetsOneErrorEventWith410Expired() throws Exception {
    cluster.api().send("POST", "/api/v1/namespaces/default/configmaps", ApiClient.configMap("before-the-cache"));
    // A second apiserver's watch cache starts at the store's current revision: revision 1 is history to it.
    List<JsonNode> events = new CopyOnWriteArrayList<>();
    try (Apiserver late = new Apiserver(new Apiserver.Config(cluster.store().endpoints(), "127.0.0.1", 0)).start()) {
      CompletableFuture<Void> stream = new ApiClient(late.port()).watch("/api/v1/namespaces?watch=true&resourceVersion=1",
          events);
      stream.get(10, TimeUnit.SECONDS); // the server ends the stream after the error
    }
    assertThat(events).singleElement().satisfies(event -> {
      assertThat(event.path("type").asText()).isEqualTo("ERROR");
      assertThat(event.path("object").path("kind").asText()).isEqualTo("Status");
      assertThat(event.path("object").path("code").asInt()).isEqualTo(410);
      assertThat(event.path("object").path("reason").asText()).isEqualTo("Expired");
      assertThat(event.path("object").path("message").asText()).startsWith("too old resource version: 1 (");
    });
  }

  @Test
  void aWatchCanBeServedOverAWebSocketOneEventPerMessage() throws Exception {
    List<JsonNode> events = new CopyOnWriteArrayList<>();
    StringBuilder message = new StringBuilder();
    java.net.http.WebSocket socket = http.newWebSocketBuilder().buildAsync(
        java.net.URI.create("ws://127.0.0.1:" + cluster.apiserver().port() + "/api/v1/namespaces?watch=true"),
        new java.net.http.WebSocket.Listener() {
          @Override
          public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket webSocket, CharSequence data,
              boolean last) {
            message.append(data); // a message longer than a frame comes in parts
            if (last) {
              try {
                events.add(json.readTree(message.toString()));
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
              message.setLength(0);
            }
            webSocket.request(1);
            return null;
          }
        }).get(10, TimeUnit.SECONDS);
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> events.size() >= 4);
      ObjectNode accented = ApiClient.namespace("socket-watched");
      accented.withObject("metadata").putObject("annotations").put("note", "grüße, café ✓");
      cluster.api().send("POST", "/api/v1/namespaces", accented);
      ObjectNode big = ApiClient.namespace("socket-watched-big");
      big.withObject("metadata").putObject("annotations").put("note", "x".repeat(100_000)); // past one 64 KiB frame
      cluster.api().send("POST", "/api/v1/namespaces", big);
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        assertThat(events).anySatisfy(event -> {
          assertThat(event.path("object").path("metadata").path("name").asText()).isEqualTo("socket-watched");
          assertThat(event.path("object").path("metadata").path("annotations").path("note").asText())
              .isEqualTo("grüße, café ✓");
        });
        assertThat(events).anySatisfy(event -> {
          assertThat(event.path("object").path("metadata").path("name").asText()).isEqualTo("socket-watched-big");
          assertThat(event.path("object").path("metadata").path("annotations").path("note").asText()).hasSize(100_000);
        });
      });
    } finally {
      socket.abort();
    }
  }

  @Test
  void deletingAPodOnANodeIsGracefulWhileAnUnscheduledPodGoesAtOnce() throws Exception {
    ObjectNode bound = ApiClient.pod("bound");
    bound.withObject("spec").put("nodeName", "node-1");
    cluster.api().send("POST", "/api/v1/namespaces/default/pods", bound);
    ApiClient.Reply graceful = cluster.api().send("DELETE", "/api/v1/namespaces/default/pods/bound", null);
    assertThat(graceful.code()).isEqualTo(200);
    assertThat(graceful.body().path("metadata").path("deletionTimestamp").asText()).isNotEmpty();
    assertThat(graceful.body().path("metadata").path("deletionGracePeriodSeconds").asLong()).isEqualTo(30);
    assertThat(cluster.api().get("/api/v1/namespaces/default/pods/bound").code()).isEqualTo(200);

    // The kubelet finishes the deletion with a grace period of 0.
    ApiClient.Reply finished = cluster.api().send("DELETE", "/api/v1/namespaces/default/pods/bound", json.createObjectNode().put("gracePeriodSeconds", 0));
    assertThat(finished.body().path("kind").asText()).isEqualTo("Pod");
    assertThat(cluster.api().get("/api/v1/namespaces/default/pods/bound").code()).isEqualTo(404);

    cluster.api().send("POST", "/api/v1/namespaces/default/pods", ApiClient.pod("pending"));
    assertThat(cluster.api().send("DELETE", "/api/v1/namespaces/default/pods/pending", null).body().path("kind").asText()).isEqualTo("Pod");
    assertThat(cluster.api().get("/api/v1/namespaces/default/pods/pending").code()).isEqualTo(404);
  }

  @Test
  void deletingAnythingButAPodAnswersWithASuccessStatus() throws Exception {
    JsonNode created = cluster.api().send("POST", "/api/v1/namespaces/default/configmaps", ApiClient.configMap("gone")).body();
    ApiClient.Reply deleted = cluster.api().send("DELETE", "/api/v1/namespaces/default/configmaps/gone", null);
    assertThat(deleted.body().path("kind").asText()).isEqualTo("Status");
    assertThat(deleted.body().path("status").asText()).isEqualTo("Success");
    assertThat(deleted.body().path("details").path("uid")).isEqualTo(created.path("metadata").path("uid"));
    assertThat(cluster.api().send("DELETE", "/api/v1/namespaces/default/configmaps/gone", null).code()).isEqualTo(404);
  }

  @Test
  void aDeleteWhileAControllerKeepsWritingTheObjectSucceeds() throws Exception {
    cluster.api().send("POST", "/api/v1/namespaces/default/configmaps", ApiClient.configMap("busy"));
    java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
    Thread writer = new Thread(() -> {
      for (int i = 0; writing.get(); i++) {
        try {
          cluster.api().sendRaw("PATCH", "/api/v1/namespaces/default/configmaps/busy", "application/merge-patch+json",
              "{\"metadata\":{\"labels\":{\"tick\":\"" + i + "\"}}}");
        } catch (Exception e) {
          return;
        }
      }
    });
    writer.start();
    try {
      ApiClient.Reply deleted = cluster.api().send("DELETE", "/api/v1/namespaces/default/configmaps/busy",
          json.createObjectNode().put("propagationPolicy", "Foreground"));
      assertThat(deleted.code()).as(deleted.body().toString()).isEqualTo(200);
    } finally {
      writing.set(false);
      writer.join();
    }
  }

  @Test
  void anObjectWithFinalizersStaysUntilTheLastOneIsRemoved() throws Exception {
    ObjectNode held = ApiClient.configMap("held");
    held.withObject("metadata").putArray("finalizers").add("example.com/hold");
    cluster.api().send("POST", "/api/v1/namespaces/default/configmaps", held);
    JsonNode terminating = cluster.api().send("DELETE", "/api/v1/namespaces/default/configmaps/held", null).body();
    assertThat(terminating.path("metadata").path("deletionTimestamp").asText()).isNotEmpty();

    ObjectNode released = terminating.deepCopy();
    released.withObject("metadata").remove("finalizers");
    cluster.api().send("PUT", "/api/v1/namespaces/default/configmaps/held", released);
    assertThat(cluster.api().get("/api/v1/namespaces/default/configmaps/held").code()).isEqualTo(404);
  }

  @Test
  void kubectlGetsTablesWithKubernetesColumnsAndTheListsResourceVersion() throws Exception {
    cluster.api().send("POST", "/api/v1/namespaces", ApiClient.namespace("tables"));
    cluster.api().send("POST", "/api/v1/namespaces/tables/pods", ApiClient.pod("printed"));
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(cluster.api().uri("/api/v1/namespaces/tables/pods?limit=500"))
        .header("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json")
        .build(), HttpResponse.BodyHandlers.ofString());
    JsonNode table = json.readTree(response.body());
    assertThat(table.path("kind").asText()).isEqualTo("Table");
    assertThat(table.path("columnDefinitions").findValuesAsText("name"))
        .startsWith("Name", "Ready", "Status", "Restarts", "Age", "IP", "Node");
    assertThat(table.path("rows").get(0).path("cells").get(0).asText()).isEqualTo("printed");
    assertThat(table.path("rows").get(0).path("cells").get(1).asText()).isEqualTo("0/1");
    assertThat(table.path("rows").get(0).path("cells").get(2).asText()).isEqualTo("Pending");
    assertThat(table.path("rows").get(0).path("object").path("kind").asText()).isEqualTo("PartialObjectMetadata");
    assertThat(Long.parseLong(table.path("metadata").path("resourceVersion").asText())).isPositive();
  }

  @Test
  void theProtobufBodyKubectlCreateDeploymentSendsCreatesTheDeployment() throws Exception {
    byte[] body;
    try (var in = ApiserverIT.class.getResourceAsStream("protobuf/kubectl-1.33/create-deployment-nginx.pb")) {
      body = in.readAllBytes();
    }
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(cluster.api().uri("/apis/apps/v1/namespaces/default/deployments"))
        .header("Content-Type", "application/vnd.kubernetes.protobuf")
        .header("Accept", "application/vnd.kubernetes.protobuf, */*")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(201);
    JsonNode created = json.readTree(response.body());
    assertThat(created.path("kind").asText()).isEqualTo("Deployment");
    assertThat(created.path("spec").path("template").path("spec").path("containers").get(0).path("image").asText())
        .isEqualTo("nginx");
    assertThat(cluster.api().get("/apis/apps/v1/namespaces/default/deployments/nginx").code()).isEqualTo(200);

    HttpResponse<String> garbage = http.send(HttpRequest.newBuilder(cluster.api().uri("/api/v1/namespaces/default/configmaps"))
        .header("Content-Type", "application/vnd.kubernetes.protobuf")
        .POST(HttpRequest.BodyPublishers.ofString("k8s\0garbage")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(garbage.statusCode()).isEqualTo(400);
  }

  @Test
  void badInputGetsAKubernetesStatusAndNeverA500() throws Exception {
    ApiClient.assertStatus(cluster.api().get("/api/v1/namespaces/default/widgets"), 404, "NotFound");
    ApiClient.assertStatus(cluster.api().get("/api/v1/namespaces/default/configmaps/nope"), 404, "NotFound");
    ApiClient.assertStatus(cluster.api().sendRaw("POST", "/api/v1/namespaces/default/configmaps", "application/json", "{not json"), 400, "BadRequest");
    ApiClient.assertStatus(cluster.api().sendRaw("POST", "/api/v1/namespaces/default/configmaps", "text/csv", "a,b"), 415, "UnsupportedMediaType");
    ApiClient.assertStatus(cluster.api().send("POST", "/api/v1/namespaces/default/configmaps", ApiClient.pod("wrong-kind")), 400, "BadRequest");
    ApiClient.assertStatus(cluster.api().send("POST", "/api/v1/namespaces/default/configmaps", ApiClient.configMap("Bad_Name")), 422, "Invalid");
    ApiClient.assertStatus(cluster.api().send("POST", "/api/v1/namespaces/nowhere/configmaps", ApiClient.configMap("x")), 404, "NotFound");
    ApiClient.assertStatus(cluster.api().get("/api/v1/configmaps?labelSelector=%3D%3D%3D"), 400, "BadRequest");
    ApiClient.assertStatus(cluster.api().get("/api/v1/pods?fieldSelector=spec.image%3Dx"), 400, "BadRequest");
    ApiClient.assertStatus(cluster.api().get("/api/v1/configmaps?limit=ten"), 400, "BadRequest");
    ApiClient.assertStatus(cluster.api().sendRaw("POST", "/api/v1/namespaces/default/configmaps", "application/json",
        "{\"metadata\":{\"name\":\"big\"},\"data\":{\"a\":\"" + "x".repeat(Apiserver.MAX_BODY_BYTES) + "\"}}"),
        413, "RequestEntityTooLarge");
    ApiClient.assertStatus(cluster.api().sendRaw("PATCH", "/api/v1/namespaces/default/configmaps/x/status", "application/json", "{}"), 404, "NotFound");
  }

  @Test
  void anObjectAsLargeAsTheBodyLimitAllowsIsStoredAndReadBack() throws Exception {
    // The store's log must take the largest entry the apiserver can send it. (A ConfigMap's data
    // is limited to 1 MiB; a pod's environment is not.)
    String value = "x".repeat(Apiserver.MAX_BODY_BYTES - 1024);
    ApiClient.Reply created = cluster.api().sendRaw("POST", "/api/v1/namespaces/default/pods", "application/json",
        "{\"metadata\":{\"name\":\"largest\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\","
            + "\"env\":[{\"name\":\"A\",\"value\":\"" + value + "\"}]}]}}");
    assertThat(created.code()).isEqualTo(201);
    assertThat(cluster.api().get("/api/v1/namespaces/default/pods/largest").body()
        .path("spec").path("containers").path(0).path("env").path(0).path("value").asText()).isEqualTo(value);
  }

  @Test
  void discoveryListsEveryServedResourceWithItsShortNames() throws Exception {
    JsonNode core = cluster.api().get("/api/v1").body();
    assertThat(core.path("groupVersion").asText()).isEqualTo("v1");
    JsonNode apps = cluster.api().get("/apis/apps/v1").body();
    JsonNode replicasets = null;
    for (JsonNode resource : apps.path("resources")) {
      if (resource.path("name").asText().equals("replicasets")) {
        replicasets = resource;
      }
    }
    assertThat(replicasets).isNotNull();
    assertThat(replicasets.path("shortNames").get(0).asText()).isEqualTo("rs");
    assertThat(cluster.api().get("/apis").body().path("groups").findValuesAsText("name"))
        .contains("apps", "coordination.k8s.io", "discovery.k8s.io");
    assertThat(cluster.api().get("/version").body().path("gitVersion").asText()).startsWith("v1.33");
  }
}
