package io.kubemu.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubemu.apiserver.Kubectl;
import io.kubemu.kubelet.runtime.docker.DockerConnection;
import io.kubemu.kubelet.runtime.docker.LocalImages;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's Deployment as real containers: {@code kubemu up --runtime docker --profile fast} with
 * three kubelets sharing this machine's Docker Engine, a Deployment of three busybox-httpd
 * replicas (an image made here: there is no registry), each pod's IP answering HTTP from the host;
 * then a node's kubelet dies: its pods are replaced on the other nodes, and when it comes back it
 * removes its old containers and touches no other node's.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DockerClusterIT {
  static final Duration TIMEOUT = Duration.ofSeconds(90);
  static final String NETWORK = "kubemu";

  @TempDir
  static Path dataDir;

  static DockerConnection docker;
  static boolean networkWasThere;
  static KubemuUp cluster;
  static Kubectl kubectl;
  static KubernetesClient client;

  @BeforeAll
  static void up() throws Exception {
    docker = DockerConnection.connect("unix:///var/run/docker.sock", Duration.ofMinutes(1));
    LocalImages.ensureBusybox(docker);
    networkWasThere = docker.hasNetwork(NETWORK);
    cluster = KubemuUp.start(dataDir, "--nodes", "3", "--runtime", "docker", "--profile", "fast");
    assertThat(cluster.output()).contains("runtime docker");
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
      // kube-proxy leaves its rules when it stops (traffic keeps flowing, as in Kubernetes): the test removes them.
      Process cleanup = new ProcessBuilder(KubemuUp.LAUNCHER.toString(), "kube-proxy", "--cleanup")
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      cleanup.waitFor(60, java.util.concurrent.TimeUnit.SECONDS);
    }
    if (docker != null) {
      // The kubelets leave their pods' containers running when they stop, as Kubernetes' do: the test removes them.
      for (Container container : containers(null)) {
        docker.client().removeContainerCmd(container.getId()).withForce(true).exec();
      }
      if (!networkWasThere) {
        docker.client().removeNetworkCmd(NETWORK).exec();
      }
      docker.close();
    }
  }

  /** The cluster's containers in Docker (of one node, or all for null), running or not. */
  static List<Container> containers(String node) {
    return docker.client().listContainersCmd().withShowAll(true).withLabelFilter(Map.of("io.kubemu.network", NETWORK))
        .exec().stream().filter(c -> Set.of("node-1", "node-2", "node-3").contains(c.getLabels().get("io.kubemu.node")))
        .filter(c -> node == null || node.equals(c.getLabels().get("io.kubemu.node"))).toList();
  }

  static List<Container> appContainers(String node) {
    return containers(node).stream().filter(c -> "container".equals(c.getLabels().get("io.kubernetes.docker.type")))
        .toList();
  }

  String ok(String... args) throws Exception {
    Kubectl.Run run = kubectl.run(args);
    assertThat(run.code()).as("kubectl " + String.join(" ", args) + "\n" + run.out()).isZero();
    return run.out();
  }

  List<Pod> runningWebPods() {
    return client.pods().inNamespace("default").withLabel("app", "web").list().getItems().stream()
        .filter(pod -> pod.getMetadata().getDeletionTimestamp() == null)
        .filter(pod -> "Running".equals(pod.getStatus().getPhase())).toList();
  }

  @Test
  @Order(1)
  void aDeploymentOfThreeReplicasRunsAsContainersWhosePodIpsAnswerFromTheHost() throws Exception {
    assertThat(ok("get", "nodes", "-o", "wide")).contains("docker://").doesNotContain("NotReady");
    ok("apply", "-f", kubectl.file("web.yml", WebDeployment.YAML).toString());
    assertThat(ok("rollout", "status", "deployment/web", "--timeout=90s"))
        .contains("deployment \"web\" successfully rolled out");

    List<Pod> pods = runningWebPods();
    assertThat(pods).hasSize(3);
    assertThat(pods.stream().map(pod -> pod.getSpec().getNodeName()).collect(Collectors.toSet()))
        .containsExactlyInAnyOrder("node-1", "node-2", "node-3");
    for (Pod pod : pods) {
      assertThat(pod.getStatus().getPodIP()).startsWith("10.42.");
      assertThat(WebDeployment.get("http://" + pod.getStatus().getPodIP() + "/")).isEqualTo(WebDeployment.answer(pod));
      assertThat(appContainers(pod.getSpec().getNodeName())).singleElement().satisfies(container -> {
        assertThat(container.getState()).isEqualTo("running");
        assertThat(container.getLabels()).containsEntry("io.kubernetes.pod.name", pod.getMetadata().getName());
        assertThat("docker://" + container.getId())
            .isEqualTo(pod.getStatus().getContainerStatuses().get(0).getContainerID());
      });
    }
    assertThat(containers(null)).hasSize(6); // an app container and a pause container per pod
  }

  @Test
  @Order(2)
  void aDeadNodesPodsAreReplacedAndItsKubeletBackRemovesOnlyItsOwnOldContainers() throws Exception {
    String victim = runningWebPods().get(0).getSpec().getNodeName();
    Map<String, List<String>> othersBefore = Set.of("node-1", "node-2", "node-3").stream()
        .filter(node -> !node.equals(victim))
        .collect(Collectors.toMap(node -> node, node -> appContainers(node).stream().map(Container::getId).toList()));
    cluster.kill("kubelet-" + victim);

    await().atMost(TIMEOUT).untilAsserted(() -> {
      List<Pod> pods = runningWebPods();
      assertThat(pods).hasSize(3).noneMatch(pod -> pod.getSpec().getNodeName().equals(victim));
    });
    // A replacement that just started may not listen yet (its readiness probe says when it does).
    await().atMost(TIMEOUT).ignoreExceptions().untilAsserted(() -> {
      for (Pod pod : runningWebPods()) {
        assertThat(WebDeployment.get("http://" + pod.getStatus().getPodIP() + "/")).isEqualTo(WebDeployment.answer(pod));
      }
    });
    // No kubelet looks after the dead node's containers: they still run, as a real node's would.
    assertThat(appContainers(victim)).singleElement().satisfies(c -> assertThat(c.getState()).isEqualTo("running"));

    try (ExtraProcess kubelet = ExtraProcess.start(dataDir, "kubelet-" + victim + "-again", "kubelet", "--server",
        client.getConfiguration().getMasterUrl(), "--node-name", victim, "--runtime", "docker", "--port", "0",
        "--healthz-port", "0", "--root-dir", dataDir.resolve("kubelet").resolve(victim).toString())) {
      await().atMost(TIMEOUT).untilAsserted(() -> assertThat(containers(victim)).isEmpty());
      for (Map.Entry<String, List<String>> node : othersBefore.entrySet()) {
        assertThat(appContainers(node.getKey()).stream().map(Container::getId).toList()).as(node.getKey())
            .containsAll(node.getValue());
      }
      await().atMost(TIMEOUT).untilAsserted(() ->
          assertThat(ok("get", "node", victim)).containsPattern(victim + "\\s+Ready"));
    }
  }
}
