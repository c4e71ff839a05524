package io.kubemu.controllermanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node IPAM, node lifecycle and taint eviction controllers with a real store, apiserver and
 * controller-manager processes. No kubelet runs: the test plays it, registering Nodes, posting
 * their status and renewing their Leases in kube-node-lease.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodeControllersIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(45);
  /** Short timings, so that a Node goes silent within seconds. */
  private static final String[] LIFECYCLE_FLAGS = {"--node-monitor-period", "1s", "--node-monitor-grace-period", "4s",
      "--node-startup-grace-period", "10s"};

  @TempDir
  static Path dir;

  static ControlPlane cluster;
  static KubernetesClient client;
  /** The Nodes whose Lease the test (as their kubelet) renews. */
  static final Set<String> alive = ConcurrentHashMap.newKeySet();
  static ScheduledExecutorService kubelet;

  @BeforeAll
  static void start() throws Exception {
    cluster = ControlPlane.start(dir);
    client = cluster.client;
    kubelet = Executors.newSingleThreadScheduledExecutor();
    kubelet.scheduleWithFixedDelay(() -> alive.forEach(NodeControllersIT::renewLease), 0, 500, TimeUnit.MILLISECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    if (kubelet != null) {
      kubelet.shutdownNow();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private static ControllerManagerProcess controllerManager(String name, String... flags) throws Exception {
    List<String> all = new java.util.ArrayList<>(List.of("--leader-elect=false"));
    all.addAll(List.of(flags));
    ControllerManagerProcess process = cluster.startControllerManager(name, all.toArray(String[]::new));
    await().atMost(Duration.ofSeconds(60)).until(process::runsControllers);
    return process;
  }

  private static String now() {
    return Instant.now().toString();
  }

  /** Registers a Node as a kubelet does: the Node, Ready, and its Lease renewed from now on. */
  private static void registerNode(String name, String zone) {
    client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name)
        .addToLabels("topology.kubernetes.io/zone", zone).endMetadata().build()).create();
    postReady(name);
    alive.add(name);
  }

  private static void postReady(String name) {
    Node node = client.nodes().withName(name).get();
    String now = now();
    client.nodes().resource(new NodeBuilder(node).editOrNewStatus().withConditions(
        condition("Ready", "True", "KubeletReady", now),
        condition("MemoryPressure", "False", "KubeletHasSufficientMemory", now),
        condition("DiskPressure", "False", "KubeletHasNoDiskPressure", now),
        condition("PIDPressure", "False", "KubeletHasSufficientPID", now)).endStatus().build()).updateStatus();
  }

  private static NodeCondition condition(String type, String status, String reason, String now) {
    return new io.fabric8.kubernetes.api.model.NodeConditionBuilder().withType(type).withStatus(status)
        .withReason(reason).withLastHeartbeatTime(now).withLastTransitionTime(now).build();
  }

  private static void renewLease(String name) {
    try {
      ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
      Lease lease = client.leases().inNamespace("kube-node-lease").withName(name).get();
      if (lease == null) {
        client.leases().inNamespace("kube-node-lease").resource(new LeaseBuilder().withNewMetadata().withName(name)
            .endMetadata().withNewSpec().withHolderIdentity(name).withLeaseDurationSeconds(40).withRenewTime(now)
            .endSpec().build()).create();
      } else {
        lease.getSpec().setRenewTime(now);
        client.leases().inNamespace("kube-node-lease").resource(lease).update();
      }
    } catch (RuntimeException e) {
      // the next renewal tries again, as a kubelet does
    }
  }

  private static Node node(String name) {
    return client.nodes().withName(name).get();
  }

  private static String podCidr(String name) {
    Node node = node(name);
    return node.getSpec() == null ? null : node.getSpec().getPodCIDR();
  }

  private static NodeCondition conditionOf(Node node, String type) {
    return node.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
  }

  private static List<String> taints(Node node) {
    List<Taint> taints = node.getSpec() == null ? null : node.getSpec().getTaints();
    return taints == null ? List.of() : taints.stream().map(t -> t.getKey() + ":" + t.getEffect()).toList();
  }

  private static List<Event> events(String namespace, String reason) {
    return client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(event -> reason.equals(event.getReason())).toList();
  }

  @Test
  @Order(1)
  void nodesGetDistinctPodCidrsThatSurviveARestartAndAreFreedWithTheirNode() throws Exception {
    ControllerManagerProcess first = controllerManager("ipam-1", "--controllers", "nodeipam",
        "--allocate-node-cidrs", "--cluster-cidr", "10.99.0.0/23", "--node-cidr-mask-size", "24");
    client.nodes().resource(new NodeBuilder().withNewMetadata().withName("ipam-a").endMetadata().build()).create();
    client.nodes().resource(new NodeBuilder().withNewMetadata().withName("ipam-b").endMetadata().build()).create();
    await().atMost(TIMEOUT).until(() -> podCidr("ipam-a") != null
        && podCidr("ipam-b") != null);
    String a = podCidr("ipam-a");
    String b = podCidr("ipam-b");
    assertThat(List.of(a, b)).containsExactlyInAnyOrder("10.99.0.0/24", "10.99.1.0/24");
    assertThat(node("ipam-a").getSpec().getPodCIDRs()).containsExactly(a);

    // the range is full: the third Node waits, with an event saying why
    client.nodes().resource(new NodeBuilder().withNewMetadata().withName("ipam-c").endMetadata().build()).create();
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(events("default", "CIDRNotAvailable"))
        .anySatisfy(event -> {
          assertThat(event.getInvolvedObject().getName()).isEqualTo("ipam-c");
          assertThat(event.getMessage()).isEqualTo("Node ipam-c status is now: CIDRNotAvailable");
        }));

    // a restarted controller-manager takes what the Nodes hold before handing anything out
    first.close();
    ControllerManagerProcess second = controllerManager("ipam-2", "--controllers", "nodeipam",
        "--allocate-node-cidrs", "--cluster-cidr", "10.99.0.0/23", "--node-cidr-mask-size", "24");
    await().atMost(TIMEOUT).until(() -> second.log().contains("ipam-c"));
    assertThat(podCidr("ipam-a")).isEqualTo(a);
    assertThat(podCidr("ipam-b")).isEqualTo(b);
    assertThat(podCidr("ipam-c")).isNull();

    // a deleted Node's CIDR is free again
    client.nodes().withName("ipam-a").delete();
    await().atMost(Duration.ofSeconds(90)).until(() -> podCidr("ipam-c") != null);
    assertThat(podCidr("ipam-c")).isEqualTo(a);
    second.close();
    client.nodes().withName("ipam-b").delete();
    client.nodes().withName("ipam-c").delete();
  }

  private static void pod(String name, String node, Long unreachableSeconds) {
    client.pods().inNamespace("evict").resource(new PodBuilder()
        .withNewMetadata().withName(name).endMetadata()
        .withNewSpec().withNodeName(node).addNewContainer().withName("app").withImage("nginx:1.25").endContainer()
          .addNewToleration().withKey("node.kubernetes.io/unreachable").withOperator("Exists").withEffect("NoExecute")
          .withTolerationSeconds(unreachableSeconds).endToleration().endSpec()
        .build()).create();
    Pod pod = client.pods().inNamespace("evict").withName(name).get();
    String now = now();
    client.pods().inNamespace("evict").resource(new PodBuilder(pod).editOrNewStatus().withPhase("Running")
        .withPodIP("10.42.9." + (10 + name.length())).withConditions().addNewCondition().withType("Ready")
        .withStatus("True").withLastTransitionTime(now).endCondition().endStatus().build()).updateStatus();
  }

  private static Pod pod(String name) {
    return client.pods().inNamespace("evict").withName(name).get();
  }

  @Test
  @Order(2)
  void aNodeThatStopsRenewingItsLeaseIsTaintedAndItsIntolerantPodsAreEvicted() throws Exception {
    ControllerManagerProcess process = controllerManager("lifecycle", concat(new String[] {"--controllers",
        "nodelifecycle,taint-eviction-controller"}, LIFECYCLE_FLAGS));
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("evict").endMetadata().build())
        .create();
    registerNode("healthy", "zone-a");
    registerNode("silent", "zone-a");
    pod("short", "silent", 2L);
    pod("forever", "silent", null);
    pod("elsewhere", "healthy", 2L);
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(events("default", "RegisteredNode"))
        .extracting(e -> e.getMessage()).contains("Node silent event: Registered Node silent in Controller"));
    assertThat(taints(node("silent"))).isEmpty();

    alive.remove("silent"); // its kubelet stops
    await().atMost(TIMEOUT).untilAsserted(() -> {
      Node node = node("silent");
      NodeCondition ready = conditionOf(node, "Ready");
      assertThat(ready.getStatus()).isEqualTo("Unknown");
      assertThat(ready.getReason()).isEqualTo("NodeStatusUnknown");
      assertThat(ready.getMessage()).isEqualTo("Kubelet stopped posting node status.");
      assertThat(conditionOf(node, "MemoryPressure").getStatus()).isEqualTo("Unknown");
      assertThat(taints(node)).contains("node.kubernetes.io/unreachable:NoExecute",
          "node.kubernetes.io/unreachable:NoSchedule");
    });
    assertThat(node("silent").getSpec().getTaints()).filteredOn(t -> "NoExecute".equals(t.getEffect()))
        .allSatisfy(t -> assertThat(t.getTimeAdded()).isNotNull());
    // deleted: with no kubelet to confirm, a pod bound to a Node stays terminating
    await().atMost(TIMEOUT).until(() -> pod("short") == null || pod("short").getMetadata().getDeletionTimestamp() != null);
    Pod forever = pod("forever");
    assertThat(forever.getMetadata().getDeletionTimestamp()).isNull();
    assertThat(forever.getStatus().getConditions()).filteredOn(c -> "Ready".equals(c.getType()))
        .singleElement().satisfies(c -> assertThat(c.getStatus()).isEqualTo("False"));
    assertThat(pod("elsewhere").getStatus().getConditions()).filteredOn(c -> "Ready".equals(c.getType()))
        .singleElement().satisfies(c -> assertThat(c.getStatus()).isEqualTo("True"));
    assertThat(conditionOf(node("healthy"), "Ready").getStatus()).isEqualTo("True");
    assertThat(taints(node("healthy"))).isEmpty();
    await().atMost(TIMEOUT).untilAsserted(() -> {
      assertThat(events("default", "NodeNotReady")).extracting(Event::getMessage)
          .contains("Node silent status is now: NodeNotReady");
      assertThat(events("evict", "TaintManagerEviction")).extracting(Event::getMessage)
          .contains("Marking for deletion Pod evict/short");
      assertThat(events("evict", "NodeNotReady")).extracting(e -> e.getInvolvedObject().getName())
          .contains("forever");
    });

    // its kubelet comes back: the taints go, the pod tolerating forever is still there
    postReady("silent");
    alive.add("silent");
    await().atMost(TIMEOUT).untilAsserted(() -> {
      Node node = node("silent");
      assertThat(conditionOf(node, "Ready").getStatus()).isEqualTo("True");
      assertThat(taints(node)).isEmpty();
    });
    assertThat(pod("forever").getMetadata().getDeletionTimestamp()).isNull();
    assertThat(pod("elsewhere").getMetadata().getDeletionTimestamp()).isNull();

    // kubectl cordon: the unschedulable NoSchedule taint follows spec.unschedulable
    assertThat(cluster.kubectl.run("cordon", "healthy").code()).isZero();
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(taints(node("healthy")))
        .containsExactly("node.kubernetes.io/unschedulable:NoSchedule"));
    assertThat(cluster.kubectl.run("uncordon", "healthy").code()).isZero();
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(taints(node("healthy"))).isEmpty());

    // a deleted Node is removed from the controller
    alive.remove("silent");
    client.nodes().withName("silent").delete();
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(events("default", "RemovingNode")).extracting(Event::getMessage)
        .contains("Node silent event: Removing Node silent from Controller"));
    assertThat(process.isAlive()).isTrue();
  }

  private static String[] concat(String[] first, String[] second) {
    return java.util.stream.Stream.concat(java.util.Arrays.stream(first), java.util.Arrays.stream(second))
        .toArray(String[]::new);
  }
}
