package io.kubemu.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubemu.apiserver.Kubectl;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's story on a cluster started by {@code kubemu up --profile fast} (simulated runtime):
 * kubectl apply → Deployment controller → ReplicaSet → pods → scheduler → kubelets → Running; then
 * scale, expose, roll out and back, delete; and the faults: a node whose kubelet dies, a
 * controller-manager and scheduler replaced by their standbys, the whole cluster restarted. The
 * steps share one cluster and run in order, as a user would type them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SeedWorkflowIT {
  static final Duration TIMEOUT = Duration.ofSeconds(90);

  @TempDir
  static Path dataDir;

  static KubemuUp cluster;
  static Kubectl kubectl;
  static KubernetesClient client;

  @BeforeAll
  static void up() throws Exception {
    cluster = KubemuUp.start(dataDir, "--nodes", "3", "--profile", "fast");
    kubectl = cluster.kubectl();
    client = cluster.client();
  }

  @AfterAll
  static void down() throws Exception {
    if (client != null) {
      client.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void applyingTheSeedsDeploymentEndsInThreeRunningPodsSpreadOverTheThreeNodes() throws Exception {
    assertThat(ok("get", "nodes")).contains("node-1", "node-2", "node-3").doesNotContain("NotReady");

    ok("apply", "-f", KubemuUp.REPOSITORY.resolve("examples/nginx-deployment.yml").toString());
    assertThat(ok("rollout", "status", "deployment/nginx-deployment", "--timeout=90s"))
        .contains("deployment \"nginx-deployment\" successfully rolled out");

    List<Pod> pods = runningNginxPods();
    assertThat(pods).hasSize(3);
    assertThat(pods.stream().map(p -> p.getSpec().getNodeName()).collect(Collectors.toSet()))
        .containsExactlyInAnyOrder("node-1", "node-2", "node-3");
    assertThat(pods).allSatisfy(pod -> {
      assertThat(pod.getStatus().getPodIP()).startsWith("10.42.");
      assertThat(pod.getMetadata().getOwnerReferences().get(0).getKind()).isEqualTo("ReplicaSet");
    });
    assertThat(ok("get", "deployment", "nginx-deployment")).containsPattern("nginx-deployment\\s+3/3\\s+3\\s+3");
  }

  @Test
  @Order(2)
  void scalingFromThreeToFiveToTwo() throws Exception {
    ok("scale", "deployment/nginx-deployment", "--replicas=5");
    ok("rollout", "status", "deployment/nginx-deployment", "--timeout=90s");
    await().atMost(TIMEOUT).until(() -> runningNginxPods().size() == 5);

    ok("scale", "deployment/nginx-deployment", "--replicas=2");
    await().atMost(TIMEOUT).until(() -> nginxPods().size() == 2 && runningNginxPods().size() == 2);
    // The ReplicaSet's status follows the pods' deletion, once its controller has seen it.
    await().atMost(TIMEOUT).untilAsserted(() ->
        assertThat(ok("get", "replicaset", "-l", "app=nginx")).containsPattern("nginx-deployment-\\w+\\s+2\\s+2\\s+2"));
  }

  @Test
  @Order(3)
  void exposingTheDeploymentListsTheReadyPodIpsAsEndpoints() throws Exception {
    ok("scale", "deployment/nginx-deployment", "--replicas=3");
    ok("rollout", "status", "deployment/nginx-deployment", "--timeout=90s");
    ok("expose", "deployment", "nginx-deployment", "--port=80");

    await().atMost(TIMEOUT).untilAsserted(() -> {
      Set<String> podIps = runningNginxPods().stream().map(p -> p.getStatus().getPodIP())
          .collect(Collectors.toCollection(TreeSet::new));
      assertThat(podIps).hasSize(3);
      String endpoints = ok("get", "endpoints", "nginx-deployment", "-o",
          "jsonpath={range .subsets[*].addresses[*]}{.ip}{\"\\n\"}{end}");
      assertThat(new TreeSet<>(Arrays.asList(endpoints.trim().split("\n")))).isEqualTo(podIps);
    });
    assertThat(ok("get", "service", "nginx-deployment")).containsPattern("nginx-deployment\\s+ClusterIP\\s+10\\.43\\.");
  }

  @Test
  @Order(4)
  void settingTheImageRollsOutAndUndoRollsBack() throws Exception {
    ok("set", "image", "deployment/nginx-deployment", "nginx=nginx:1.28");
    assertThat(ok("rollout", "status", "deployment/nginx-deployment", "--timeout=90s"))
        .contains("successfully rolled out");
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(images()).containsOnly("nginx:1.28").hasSize(3));

    ok("rollout", "undo", "deployment/nginx-deployment");
    ok("rollout", "status", "deployment/nginx-deployment", "--timeout=90s");
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(images()).containsOnly("nginx:1.27").hasSize(3));
    assertThat(ok("get", "deployment", "nginx-deployment", "-o",
        "jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}")).isEqualTo("3");
  }

  @Test
  @Order(5)
  void aPodThatFitsNowhereStaysPendingUntilANodeWithRoomJoins() throws Exception {
    ok("apply", "-f", kubectl.file("big.yml", String.join("\n",
        "apiVersion: v1", "kind: Pod", "metadata: {name: big}",
        "spec: {containers: [{name: app, image: nginx:1.27, resources: {requests: {cpu: '100'}}}]}", "")).toString());
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(ok("get", "events", "--field-selector",
        "involvedObject.name=big,reason=FailedScheduling", "-o", "jsonpath={.items[*].message}"))
        .contains("0/3 nodes are available: 3 Insufficient cpu."));
    assertThat(ok("get", "pod", "big", "-o", "jsonpath={.status.phase}")).isEqualTo("Pending");

    try (ExtraProcess bigNode = ExtraProcess.start(dataDir, "kubelet-node-big", "kubelet", "--server",
        client.getConfiguration().getMasterUrl(), "--node-name", "node-big", "--runtime", "simulated",
        "--port", "0", "--healthz-port", "0", "--capacity-cpu", "128", "--capacity-memory", "256Gi")) {
      await().atMost(TIMEOUT).untilAsserted(() -> {
        Pod big = client.pods().inNamespace("default").withName("big").get();
        assertThat(big.getSpec().getNodeName()).isEqualTo("node-big");
        assertThat(big.getStatus().getPhase()).isEqualTo("Running");
      });
      ok("delete", "pod", "big");
    }
    ok("delete", "node", "node-big");
  }

  @Test
  @Order(6)
  void theKilledKubeletsPodsAreReplacedOnTheOtherNodes() throws Exception {
    String victim = runningNginxPods().get(0).getSpec().getNodeName();
    cluster.kill("kubelet-" + victim);

    await().atMost(TIMEOUT).untilAsserted(() ->
        assertThat(ok("get", "node", victim)).containsPattern(victim + "\\s+NotReady"));
    await().atMost(TIMEOUT).untilAsserted(() -> {
      List<Pod> pods = runningNginxPods();
      assertThat(pods).hasSize(3);
      assertThat(pods).noneMatch(pod -> pod.getSpec().getNodeName().equals(victim));
    });
  }

  @Test
  @Order(7)
  void aStandbyControllerManagerAndSchedulerTakeOverWhenTheLeadersDie() throws Exception {
    String server = client.getConfiguration().getMasterUrl();
    String[] fast = {"--leader-elect-lease-duration=4s", "--leader-elect-renew-deadline=3s",
        "--leader-elect-retry-period=1s"};
    try (ExtraProcess controllerManager = ExtraProcess.start(dataDir, "controller-manager-standby",
        "controller-manager", concat(new String[] {"--server", server, "--port", "0",
            "--allocate-node-cidrs=true", "--node-monitor-period=1s", "--node-monitor-grace-period=8s"}, fast));
        ExtraProcess scheduler = ExtraProcess.start(dataDir, "scheduler-standby", "scheduler",
            concat(new String[] {"--server", server, "--secure-port", "0"}, fast))) {
      String controllerManagerLeader = holder("kube-controller-manager");
      String schedulerLeader = holder("kube-scheduler");
      cluster.kill("controller-manager");
      cluster.kill("scheduler");

      await().atMost(TIMEOUT).untilAsserted(() -> {
        assertThat(holder("kube-controller-manager")).isNotEqualTo(controllerManagerLeader);
        assertThat(holder("kube-scheduler")).isNotEqualTo(schedulerLeader);
      });
      ok("scale", "deployment/nginx-deployment", "--replicas=4");
      ok("rollout", "status", "deployment/nginx-deployment", "--timeout=90s");
      await().atMost(TIMEOUT).until(() -> runningNginxPods().size() == 4);
    }
  }

  @Test
  @Order(8)
  void restartingTheWholeClusterBringsEverythingBack() throws Exception {
    String deploymentUid = client.apps().deployments().inNamespace("default").withName("nginx-deployment").get()
        .getMetadata().getUid();
    client.close();
    cluster.close();

    cluster.start();
    client = cluster.client();
    assertThat(client.apps().deployments().inNamespace("default").withName("nginx-deployment").get()
        .getMetadata().getUid()).isEqualTo(deploymentUid);
    assertThat(ok("get", "service", "nginx-deployment")).contains("nginx-deployment");
    ok("rollout", "status", "deployment/nginx-deployment", "--timeout=90s");
    await().atMost(TIMEOUT).until(() -> runningNginxPods().size() == 4);
  }

  @Test
  @Order(9)
  void deletingTheDeploymentRemovesItsReplicaSetsAndPods() throws Exception {
    ok("delete", "deployment", "nginx-deployment");
    await().atMost(TIMEOUT).untilAsserted(() -> {
      assertThat(client.apps().replicaSets().inNamespace("default").withLabel("app", "nginx").list().getItems())
          .isEmpty();
      assertThat(nginxPods()).isEmpty();
    });
  }

  private static String ok(String... args) throws IOException, InterruptedException {
    Kubectl.Run run = kubectl.run(args);
    assertThat(run.code()).as("kubectl %s: %s", String.join(" ", args), run.out()).isZero();
    return run.out();
  }

  private static List<Pod> nginxPods() {
    return client.pods().inNamespace("default").withLabel("app", "nginx").list().getItems().stream()
        .filter(pod -> pod.getMetadata().getDeletionTimestamp() == null).toList();
  }

  private static List<Pod> runningNginxPods() {
    return nginxPods().stream().filter(pod -> "Running".equals(pod.getStatus().getPhase())
        && pod.getStatus().getConditions().stream().anyMatch(c -> c.getType().equals("Ready")
            && c.getStatus().equals("True"))).toList();
  }

  private static List<String> images() {
    return nginxPods().stream().map(pod -> pod.getSpec().getContainers().get(0).getImage()).toList();
  }

  private static String holder(String lease) {
    return client.leases().inNamespace("kube-system").withName(lease).get().getSpec().getHolderIdentity();
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
