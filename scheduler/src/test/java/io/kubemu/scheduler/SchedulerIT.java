package io.kubemu.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubemu.apiserver.Apiserver;
import io.kubemu.component.client.ClientConfig;
import io.kubemu.etcd.EtcdCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The scheduler as its own process against a real three-member store and a real apiserver.
 * The tests build on each other's cluster, in order: nodes and spread pods, a pod that fits
 * nowhere until a node is added, node selectors and taints, then a standby taking over.
 */
@TestMethodOrder(OrderAnnotation.class)
class SchedulerIT {
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final String NS = "default";

  private static Path dir;
  private static EtcdCluster store;
  private static Apiserver apiserver;
  private static KubernetesClient client;
  private static String server;
  private static SchedulerProcess leader;

  @BeforeAll
  static void startCluster() throws Exception {
    dir = Files.createTempDirectory("SchedulerIT");
    store = new EtcdCluster(dir.resolve("store"), 3).start();
    apiserver = new Apiserver(new Apiserver.Config(store.endpoints(), "127.0.0.1", 0)).start();
    server = "http://127.0.0.1:" + apiserver.port();
    client = new ClientConfig(server, null, 0, 0).newClient("scheduler-it");
    leader = new SchedulerProcess(server, dir.resolve("scheduler-1.log"));
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (leader != null) {
      leader.close();
    }
    if (client != null) {
      client.close();
    }
    if (apiserver != null) {
      apiserver.close();
    }
    if (store != null) {
      store.close();
    }
    if (dir != null) {
      try (Stream<Path> paths = Files.walk(dir)) {
        for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(path);
        }
      }
    }
  }

  @Test
  @Order(1)
  void podsOfOneOwnerAreBoundAndSpreadOverTheNodes() {
    for (String name : List.of("node-1", "node-2", "node-3")) {
      createNode(new NodeBuilder(node(name, "2", "4Gi")).build());
    }
    for (int i = 0; i < 6; i++) {
      client.pods().inNamespace(NS).resource(new PodBuilder(pod("web-" + i, "500m", "256Mi")).editMetadata()
          .addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet").withName("web")
          .withUid("9b1f3c1e-0000-4000-8000-000000000001").withController(true).endOwnerReference()
          .endMetadata().build()).create();
    }
    await().atMost(PATIENCE).untilAsserted(() -> assertThat(podsPerNode("web-"))
        .containsOnly(Map.entry("node-1", 2L), Map.entry("node-2", 2L), Map.entry("node-3", 2L)));
    Pod bound = client.pods().inNamespace(NS).withName("web-0").get();
    assertThat(condition(bound).getStatus()).isEqualTo("True");
    await().atMost(PATIENCE).untilAsserted(() -> assertThat(eventsOf("web-0"))
        .anySatisfy(event -> assertThat(event.getMessage())
            .isEqualTo("Successfully assigned default/web-0 to " + bound.getSpec().getNodeName())));
  }

  @Test
  @Order(2)
  void healthAndMetricsAreServed() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + leader.healthPort();
    HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/healthz")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).isEqualTo("ok");
    String metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    assertThat(metrics).contains("scheduler_schedule_attempts_total{profile=\"default-scheduler\",result=\"scheduled\"} 6.0",
        "leader_election_master_status{name=\"kube-scheduler\"} 1.0");
  }

  @Test
  @Order(3)
  void aPodThatFitsNowhereWaitsWithFailedSchedulingUntilABigEnoughNodeComes() {
    client.pods().inNamespace(NS).resource(pod("big", "3", "1Gi")).create();
    String message = "0/3 nodes are available: 3 Insufficient cpu. "
        + "preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.";
    await().atMost(PATIENCE).untilAsserted(() -> assertThat(eventsOf("big")).anySatisfy(event -> {
      assertThat(event.getType()).isEqualTo("Warning");
      assertThat(event.getReason()).isEqualTo("FailedScheduling");
      assertThat(event.getSource().getComponent()).isEqualTo("default-scheduler");
      assertThat(event.getMessage()).isEqualTo(message);
    }));
    await().atMost(PATIENCE).untilAsserted(() -> {
      Pod big = client.pods().inNamespace(NS).withName("big").get();
      assertThat(big.getSpec().getNodeName()).isNull();
      PodCondition scheduled = condition(big);
      assertThat(scheduled.getStatus()).isEqualTo("False");
      assertThat(scheduled.getReason()).isEqualTo("Unschedulable");
      assertThat(scheduled.getMessage()).isEqualTo(message);
    });

    createNode(node("node-4", "4", "8Gi"));
    await().atMost(PATIENCE).untilAsserted(() ->
        assertThat(client.pods().inNamespace(NS).withName("big").get().getSpec().getNodeName()).isEqualTo("node-4"));
  }

  @Test
  @Order(4)
  void aNodeSelectorAndATaintDecideWhereAPodMayGo() {
    client.pods().inNamespace(NS).resource(new PodBuilder(pod("ssd-only", "100m", "64Mi")).editSpec()
        .addToNodeSelector("disk", "ssd").endSpec().build()).create();
    await().atMost(PATIENCE).untilAsserted(() -> assertThat(eventsOf("ssd-only")).anySatisfy(event ->
        assertThat(event.getMessage()).isEqualTo("0/4 nodes are available: 4 node(s) didn't match Pod's node "
            + "affinity/selector. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.")));

    createNode(new NodeBuilder(node("node-ssd", "2", "4Gi")).editMetadata().addToLabels("disk", "ssd").endMetadata()
        .editSpec().addNewTaint().withKey("dedicated").withValue("storage").withEffect("NoSchedule").endTaint()
        .endSpec().build());
    await().atMost(PATIENCE).untilAsserted(() -> assertThat(eventsOf("ssd-only")).anySatisfy(event ->
        assertThat(event.getMessage()).startsWith("0/5 nodes are available: 1 node(s) had untolerated taint "
            + "{dedicated: storage}, 4 node(s) didn't match Pod's node affinity/selector.")));

    client.pods().inNamespace(NS).resource(new PodBuilder(pod("ssd-tolerant", "100m", "64Mi")).editSpec()
        .addToNodeSelector("disk", "ssd").addNewToleration().withKey("dedicated").withOperator("Equal")
        .withValue("storage").withEffect("NoSchedule").endToleration().endSpec().build()).create();
    await().atMost(PATIENCE).untilAsserted(() -> assertThat(
        client.pods().inNamespace(NS).withName("ssd-tolerant").get().getSpec().getNodeName()).isEqualTo("node-ssd"));
    assertThat(client.pods().inNamespace(NS).withName("ssd-only").get().getSpec().getNodeName()).isNull();
  }

  @Test
  @Order(5)
  void onlyTheLeaderBindsAndAStandbyTakesOverWhenItDies() throws Exception {
    String first = holder();
    try (SchedulerProcess standby = new SchedulerProcess(server, dir.resolve("scheduler-2.log"))) {
      client.pods().inNamespace(NS).resource(pod("while-two", "100m", "64Mi")).create();
      await().atMost(PATIENCE).untilAsserted(() -> assertThat(eventsOf("while-two"))
          .singleElement().satisfies(event -> assertThat(event.getReportingInstance()).isEqualTo(first)));
      assertThat(holder()).isEqualTo(first);

      leader.kill();
      client.pods().inNamespace(NS).resource(pod("after-failover", "100m", "64Mi")).create();
      await().atMost(PATIENCE).untilAsserted(() -> assertThat(
          client.pods().inNamespace(NS).withName("after-failover").get().getSpec().getNodeName()).isNotNull());
      String second = holder();
      assertThat(second).isNotEqualTo(first);
      await().atMost(PATIENCE).untilAsserted(() -> assertThat(eventsOf("after-failover")).singleElement()
          .satisfies(event -> assertThat(event.getReportingInstance()).isEqualTo(second)));
    }
  }

  private static String holder() {
    Lease lease = client.leases().inNamespace("kube-system").withName("kube-scheduler").get();
    return lease.getSpec().getHolderIdentity();
  }

  private static Node node(String name, String cpu, String memory) {
    return new NodeBuilder().withNewMetadata().withName(name).addToLabels("kubernetes.io/hostname", name).endMetadata()
        .withNewStatus().withAllocatable(Map.of("cpu", new Quantity(cpu), "memory", new Quantity(memory),
            "pods", new Quantity("110"))).withCapacity(Map.of("cpu", new Quantity(cpu),
            "memory", new Quantity(memory), "pods", new Quantity("110"))).endStatus().build();
  }

  /** Creates the node; its status, which a create may not keep, goes through the status subresource too. */
  private static void createNode(Node node) {
    client.nodes().resource(node).create();
    client.nodes().withName(node.getMetadata().getName()).editStatus(current ->
        new NodeBuilder(current).withStatus(node.getStatus()).build());
  }

  private static Pod pod(String name, String cpu, String memory) {
    return new PodBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage("nginx:1.27").withNewResources()
        .addToRequests("cpu", new Quantity(cpu)).addToRequests("memory", new Quantity(memory))
        .endResources().endContainer().endSpec().build();
  }

  private static Map<String, Long> podsPerNode(String prefix) {
    return client.pods().inNamespace(NS).list().getItems().stream()
        .filter(pod -> pod.getMetadata().getName().startsWith(prefix) && pod.getSpec().getNodeName() != null)
        .collect(Collectors.groupingBy(pod -> pod.getSpec().getNodeName(), Collectors.counting()));
  }

  private static PodCondition condition(Pod pod) {
    return pod.getStatus().getConditions().stream().filter(c -> "PodScheduled".equals(c.getType()))
        .findFirst().orElseThrow();
  }

  private static List<Event> eventsOf(String pod) {
    return client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(event -> pod.equals(event.getInvolvedObject().getName()))
        .toList();
  }
}
