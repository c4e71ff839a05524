package io.kubemu.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The pod subresources the scheduler, kubectl drain and kubectl logs use, against the real
 * apiserver over a real store, with a stand-in kubelet for the logs.
 */
class PodSubresourcesIT {
  static final String PODS = "/api/v1/namespaces/default/pods";

  @RegisterExtension
  static final ControlPlane cluster = new ControlPlane();
  static FakeKubelet kubelet;

  @BeforeAll
  static void startKubelet() throws Exception {
    kubelet = new FakeKubelet();
    node("node-1", kubelet.port());
  }

  @AfterAll
  static void stopKubelet() {
    if (kubelet != null) {
      kubelet.close();
    }
  }

  /** A node whose kubelet answers on 127.0.0.1:{@code kubeletPort}, as its kubelet will report it. */
  static void node(String name, int kubeletPort) throws Exception {
    ObjectNode node = ApiClient.json.createObjectNode().put("apiVersion", "v1").put("kind", "Node");
    node.putObject("metadata").put("name", name);
    JsonNode created = cluster.api().send("POST", "/api/v1/nodes", node).body();
    ObjectNode withStatus = created.deepCopy();
    ObjectNode status = withStatus.putObject("status");
    status.putArray("addresses").addObject().put("type", "InternalIP").put("address", "127.0.0.1");
    status.putObject("daemonEndpoints").putObject("kubeletEndpoint").put("Port", kubeletPort);
    assertThat(cluster.api().send("PUT", "/api/v1/nodes/" + name + "/status", withStatus).code()).isEqualTo(200);
  }

  static JsonNode pod(String name, String nodeName, String... containers) throws Exception {
    ObjectNode pod = ApiClient.pod(name);
    if (containers.length > 0) {
      ArrayNode list = pod.withObject("spec").putArray("containers");
      for (String container : containers) {
        list.addObject().put("name", container).put("image", "kubemu/httpd:1");
      }
    }
    if (nodeName != null) {
      pod.withObject("spec").put("nodeName", nodeName);
    }
    ApiClient.Reply created = cluster.api().send("POST", PODS, pod);
    assertThat(created.code()).as(created.body().toString()).isEqualTo(201);
    return created.body();
  }

  static ObjectNode binding(String pod, String node) {
    ObjectNode binding = ApiClient.json.createObjectNode().put("apiVersion", "v1").put("kind", "Binding");
    binding.putObject("metadata").put("name", pod);
    binding.putObject("target").put("apiVersion", "v1").put("kind", "Node").put("name", node);
    return binding;
  }

  static ObjectNode eviction(String pod) {
    ObjectNode eviction = ApiClient.json.createObjectNode().put("apiVersion", "policy/v1").put("kind", "Eviction");
    eviction.putObject("metadata").put("name", pod).put("namespace", "default");
    return eviction;
  }

  static void assertSuccess(ApiClient.Reply reply) {
    assertThat(reply.code()).as(reply.body().toString()).isEqualTo(201);
    assertThat(reply.body().toString())
        .isEqualTo("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Success\",\"code\":201}");
  }

  static JsonNode condition(JsonNode pod, String type) {
    for (JsonNode condition : pod.path("status").path("conditions")) {
      if (condition.path("type").asText().equals(type)) {
        return condition;
      }
    }
    return ApiClient.json.missingNode();
  }

  /** A pod's log as text, as kubectl reads it. */
  static HttpResponse<String> log(String pod, String query) throws Exception {
    return ApiClient.http.send(HttpRequest.newBuilder(cluster.api().uri(PODS + "/" + pod + "/log" + query)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  // ---- binding ----

  @Test
  void aBindingAssignsThePodToItsNodeOnce() throws Exception {
    pod("bound", null);
    assertSuccess(cluster.api().send("POST", PODS + "/bound/binding", binding("bound", "node-1")));
    JsonNode bound = cluster.api().get(PODS + "/bound").body();
    assertThat(bound.at("/spec/nodeName").asText()).isEqualTo("node-1");
    assertThat(condition(bound, "PodScheduled").path("status").asText()).isEqualTo("True");

    ApiClient.Reply again = cluster.api().send("POST", PODS + "/bound/binding", binding("bound", "node-2"));
    ApiClient.assertStatus(again, 409, "Conflict");
    assertThat(again.body().path("message").asText())
        .isEqualTo("Operation cannot be fulfilled on pods/binding \"bound\": pod bound is already assigned to node \"node-1\"");
  }

  /**
   * Bindings start from the watch cache's copy of the pod, which may not show a binding that just
   * happened: racing bindings still place the pod once, and every loser hears where it went.
   */
  @Test
  void ofBindingsRacingForOnePodExactlyOneWins() throws Exception {
    ExecutorService racers = Executors.newFixedThreadPool(6);
    try {
      for (int round = 0; round < 5; round++) {
        String name = "raced-" + round;
        pod(name, null);
        List<CompletableFuture<ApiClient.Reply>> replies = new ArrayList<>();
        for (int node = 1; node <= 6; node++) {
          ObjectNode binding = binding(name, "node-" + node);
          replies.add(CompletableFuture.supplyAsync(() -> send("POST", PODS + "/" + name + "/binding", binding), racers));
        }
        List<String> winners = new ArrayList<>();
        for (int node = 1; node <= 6; node++) {
          ApiClient.Reply reply = replies.get(node - 1).join();
          if (reply.code() == 201) {
            winners.add("node-" + node);
          } else {
            ApiClient.assertStatus(reply, 409, "Conflict");
            assertThat(reply.body().path("message").asText()).contains("pod " + name + " is already assigned to node");
          }
        }
        assertThat(winners).hasSize(1);
        assertThat(cluster.api().get(PODS + "/" + name).body().at("/spec/nodeName").asText()).isEqualTo(winners.get(0));
      }
    } finally {
      racers.shutdownNow();
    }
  }

  private static ApiClient.Reply send(String method, String path, ObjectNode body) {
    try {
      return cluster.api().send(method, path, body);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void theBindingsCollectionBindsThePodTheBindingNames() throws Exception {
    pod("collected", null);
    assertSuccess(cluster.api().send("POST", "/api/v1/namespaces/default/bindings", binding("collected", "node-1")));
    assertThat(cluster.api().get(PODS + "/collected").body().at("/spec/nodeName").asText()).isEqualTo("node-1");

    ApiClient.assertStatus(cluster.api().send("POST", PODS + "/collected/binding", binding("other", "node-1")), 400, "BadRequest");
    ApiClient.assertStatus(cluster.api().send("POST", PODS + "/missing/binding", binding("missing", "node-1")), 404, "NotFound");
    ObjectNode noTarget = binding("collected", "");
    ApiClient.Reply invalid = cluster.api().send("POST", PODS + "/collected/binding", noTarget);
    ApiClient.assertStatus(invalid, 422, "Invalid");
    assertThat(invalid.body().path("message").asText()).isEqualTo("Binding \"collected\" is invalid: target.name: Required value");
  }

  // ---- eviction ----

  @Test
  void anEvictionDeletesThePodGracefullyWithItsDeleteOptions() throws Exception {
    pod("evicted", "node-1");
    ObjectNode eviction = eviction("evicted");
    eviction.putObject("deleteOptions").put("gracePeriodSeconds", 10);
    assertSuccess(cluster.api().send("POST", PODS + "/evicted/eviction", eviction));
    JsonNode terminating = cluster.api().get(PODS + "/evicted").body();
    assertThat(terminating.at("/metadata/deletionGracePeriodSeconds").asInt()).isEqualTo(10);
    assertThat(terminating.at("/metadata/deletionTimestamp").isTextual()).isTrue();
    JsonNode disruption = condition(terminating, "DisruptionTarget");
    assertThat(disruption.path("reason").asText()).isEqualTo("EvictionByEvictionAPI");
    assertThat(disruption.path("message").asText()).isEqualTo("Eviction API: evicting");

    pod("unscheduled", null);
    assertSuccess(cluster.api().send("POST", PODS + "/unscheduled/eviction", eviction("unscheduled")));
    assertThat(cluster.api().get(PODS + "/unscheduled").code()).isEqualTo(404);

    ApiClient.Reply missing = cluster.api().send("POST", PODS + "/gone/eviction", eviction("gone"));
    ApiClient.assertStatus(missing, 404, "NotFound");
    assertThat(missing.body().path("message").asText()).isEqualTo("pods \"gone\" not found");
  }

  @Test
  void kubectlDrainEvictsEveryPodOfTheNode() throws Exception {
    node("node-drained", kubelet.port());
    pod("drained-a", "node-drained");
    pod("drained-b", "node-drained");
    Kubectl.Run drain = cluster.kubectl().run("drain", "node-drained", "--force", "--grace-period=0", "--timeout=30s");
    assertThat(drain.out()).contains("evicting pod default/drained-a", "evicting pod default/drained-b",
        "node/node-drained drained");
    assertThat(drain.code()).isZero();
    assertThat(cluster.api().get(PODS + "/drained-a").code()).isEqualTo(404);
    assertThat(cluster.api().get("/api/v1/nodes/node-drained").body().at("/spec/unschedulable").asBoolean()).isTrue();
  }

  // ---- log ----

  @Test
  void aPodsLogComesFromTheKubeletOfItsNode() throws Exception {
    pod("logged", "node-1");
    HttpResponse<String> log = log("logged", "?tailLines=2&timestamps=true&limitBytes=500");
    assertThat(log.statusCode()).isEqualTo(200);
    assertThat(log.headers().firstValue("Content-Type")).hasValue("text/plain");
    assertThat(log.body()).isEqualTo("line 1 from app\nline 2\nline 3\n");
    assertThat(kubelet.requests).contains("/containerLogs/default/logged/app?limitBytes=500&tailLines=2&timestamps=true");
  }

  @Test
  void aFollowedLogStreamsAsItComesAndStopsWhenTheReaderLeaves() throws Exception {
    pod("followed", "node-1");
    HttpResponse<InputStream> log = ApiClient.http.send(HttpRequest.newBuilder(
        cluster.api().uri(PODS + "/followed/log?follow=true")).build(), HttpResponse.BodyHandlers.ofInputStream());
    assertThat(log.statusCode()).isEqualTo(200);
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(log.body(), StandardCharsets.UTF_8))) {
      for (int i = 1; i <= 3; i++) {
        lines.readLine();
      }
      assertThat(lines.readLine()).isEqualTo("line 4"); // written by the kubelet after the first three
      assertThat(lines.readLine()).isEqualTo("line 5");
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> kubelet.following.get() == 0);
  }

  @Test
  void theContainerMustBeNamedWhenThePodHasSeveral() throws Exception {
    pod("several", "node-1", "web", "sidecar");
    ApiClient.Reply unnamed = cluster.api().get(PODS + "/several/log");
    ApiClient.assertStatus(unnamed, 400, "BadRequest");
    assertThat(unnamed.body().path("message").asText())
        .isEqualTo("a container name must be specified for pod several, choose one of: [web sidecar]");
    ApiClient.Reply unknown = cluster.api().get(PODS + "/several/log?container=db");
    assertThat(unknown.body().path("message").asText()).isEqualTo("container db is not valid for pod several");
    HttpResponse<String> sidecar = log("several", "?container=sidecar");
    assertThat(sidecar.body()).startsWith("line 1 from sidecar\n");
  }

  @Test
  void aPodOnNoNodeHasAnEmptyLogAndWhatTheKubeletRefusesIsPassedOn() throws Exception {
    pod("pending", null);
    HttpResponse<String> empty = log("pending", "");
    assertThat(empty.statusCode()).isEqualTo(200);
    assertThat(empty.body()).isEmpty();

    pod("starting", "node-1", "waiting");
    ApiClient.Reply waiting = cluster.api().get(PODS + "/starting/log");
    ApiClient.assertStatus(waiting, 400, "BadRequest");
    assertThat(waiting.body().path("message").asText())
        .isEqualTo("container \"waiting\" in pod \"starting\" is waiting to start: ContainerCreating");
    ApiClient.Reply negative = cluster.api().get(PODS + "/starting/log?tailLines=-1");
    ApiClient.assertStatus(negative, 422, "Invalid");
    assertThat(negative.body().path("message").asText())
        .isEqualTo("PodLogOptions \"starting\" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0");
  }

  @Test
  void anUnreachableKubeletIsAnErrorThatNamesIt() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    node("node-down", closedPort);
    pod("stranded", "node-down");
    ApiClient.Reply down = cluster.api().get(PODS + "/stranded/log");
    assertThat(down.code()).isEqualTo(500);
    assertThat(down.body().path("message").asText()).isEqualTo("Get \"http://127.0.0.1:" + closedPort
        + "/containerLogs/default/stranded/app\": dial tcp 127.0.0.1:" + closedPort + ": connect: connection refused");
  }

  @Test
  void kubectlLogsPrintsAndFollowsTheLog() throws Exception {
    pod("kubectl-logged", "node-1");
    assertThat(cluster.kubectl().run("logs", "kubectl-logged").out()).isEqualTo("line 1 from app\nline 2\nline 3\n");

    try (Kubectl.Running follow = cluster.kubectl().start("logs", "-f", "kubectl-logged")) {
      await().atMost(Duration.ofSeconds(20)).until(() -> follow.out().contains("line 6\n"));
      assertThat(follow.process().isAlive()).isTrue();
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> kubelet.following.get() == 0);
  }
}
