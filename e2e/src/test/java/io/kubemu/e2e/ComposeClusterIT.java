package io.kubemu.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kubemu.apiserver.Kubectl;
import io.kubemu.kubelet.runtime.docker.DockerConnection;
import io.kubemu.kubelet.runtime.docker.LocalImages;
import java.io.IOException;
import java.net.ServerSocket;
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
 * The cluster of docker-compose.yml, as a user brings it up: every component a container of the
 * image docker/offline-images.sh made, three kubelets running their pods as sibling containers
 * of this machine's Docker engine. It comes up Ready, runs a Deployment whose pods answer from the
 * host, gets a crashed kubelet back through its restart policy, replaces the pods of a node stopped
 * with {@code docker kill} on the other nodes, and keeps its objects across
 * {@code docker-compose down} and {@code up}. Its own compose project, apiserver port and kubelet
 * root dirs keep it apart from a cluster a user runs; it removes all it made.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ComposeClusterIT {
  static final Duration TIMEOUT = Duration.ofSeconds(90);
  static final String NAMESPACE = "compose-e2e";
  static final String POD_NETWORK = "kubemu";
  static final List<String> SERVICES = List.of("etcd-node-1", "etcd-node-2", "etcd-node-3", "apiserver",
      "controller-manager", "scheduler", "node-1", "node-2", "node-3");

  @TempDir
  static Path dir;

  static ComposeProject project;
  static DockerConnection docker;
  static boolean podNetworkWasThere;
  static Kubectl kubectl;
  static KubernetesClient client;
  static Duration upToReady;

  @BeforeAll
  static void up() throws Exception {
    int port = freePort();
    project = new ComposeProject("kubemu-e2e", ComposeProject.FILE,
        Map.of("KUBEMU_APISERVER_PORT", Integer.toString(port), "KUBEMU_ROOT_DIR", dir.resolve("kubelet").toString()),
        dir.resolve("commands"));
    docker = DockerConnection.connect("unix:///var/run/docker.sock");
    String image = project.image();
    try {
      docker.client().inspectImageCmd(image).exec();
    } catch (NotFoundException e) {
      throw new AssertionError(image + " is not built: run docker/offline-images.sh (or docker-compose build) first");
    }
    LocalImages.ensureBusybox(docker);
    podNetworkWasThere = docker.client().listNetworksCmd().withNameFilter(POD_NETWORK).exec().stream()
        .anyMatch(network -> network.getName().equals(POD_NETWORK));
    kubectl = Kubectl.against(dir.resolve("kubectl"), port);
    client = new KubernetesClientBuilder().withConfig(new io.fabric8.kubernetes.client.ConfigBuilder()
        .withMasterUrl("http://127.0.0.1:" + port).build()).build();

    long start = System.nanoTime();
    project.ok(TIMEOUT, "up", "-d", "--no-build");
    awaitThreeReadyNodes();
    upToReady = Duration.ofNanos(System.nanoTime() - start);
    System.out.printf("ComposeClusterIT: docker-compose up -d to 3 Ready nodes: %.1f s%n", upToReady.toMillis() / 1000.0);
  }

  @AfterAll
  static void down() throws Exception {
    if (client != null) {
      client.close();
    }
    if (project != null) {
      project.compose(Duration.ofMinutes(3), "down", "-v", "--remove-orphans", "-t", "5");
    }
    if (docker != null) {
      // The kubelets leave their pods' containers running when they stop, as Kubernetes' do: the test removes them.
      for (Container container : podContainers()) {
        docker.client().removeContainerCmd(container.getId()).withForce(true).exec();
      }
      if (!podNetworkWasThere) {
        docker.client().removeNetworkCmd(POD_NETWORK).exec();
      }
      docker.close();
    }
  }

  @Test
  @Order(1)
  void theClusterComesUpWithThreeReadyNodesEachWithAnAddressOfItsOwnAndEveryComponentHealthy() throws Exception {
    String nodes = kubectl("get", "nodes", "-o", "wide");
    assertThat(nodes).contains("docker://").doesNotContain("NotReady");
    assertThat(client.nodes().list().getItems().stream()
        .map(node -> node.getStatus().getAddresses().get(0).getAddress()).collect(Collectors.toSet()))
        .as(nodes).hasSize(3).doesNotContain("127.0.0.1");
    await().atMost(TIMEOUT).untilAsserted(() -> {
      for (String service : SERVICES) {
        assertThat(project.inspect(service, "{{.State.Health.Status}}")).as(service).isEqualTo("healthy");
      }
    });
  }

  @Test
  @Order(2)
  void aDeploymentOfThreeReplicasRunsOnThreeNodesItsProbesPassAndItsPodsAnswerFromTheHost() throws Exception {
    kubectl("create", "namespace", NAMESPACE);
    kubectl("apply", "-n", NAMESPACE, "-f", kubectl.file("web.yml", WebDeployment.YAML).toString());
    assertThat(kubectl("rollout", "status", "-n", NAMESPACE, "deployment/web", "--timeout=90s"))
        .contains("deployment \"web\" successfully rolled out");

    List<Pod> pods = runningWebPods();
    assertThat(pods.stream().map(pod -> pod.getSpec().getNodeName()).collect(Collectors.toSet()))
        .containsExactlyInAnyOrder("node-1", "node-2", "node-3");
    for (Pod pod : pods) {
      assertThat(WebDeployment.get("http://" + pod.getStatus().getPodIP() + "/")).isEqualTo("200 " + LocalImages.INDEX);
    }
    assertThat(podContainers()).hasSize(6); // an app container and a pause container per pod
    // kubectl logs goes through the apiserver to the kubelet, at the address its Node reports.
    Kubectl.Run logs = kubectl.run("logs", "-n", NAMESPACE, pods.get(0).getMetadata().getName());
    assertThat(logs.code()).as(logs.out()).isZero();
  }

  @Test
  @Order(3)
  void aKubeletThatCrashesIsStartedAgainByItsRestartPolicyAndItsNodeIsReadyAgain() throws Exception {
    int restartsBefore = Integer.parseInt(project.inspect("node-2", "{{.RestartCount}}"));
    String pid = project.inspect("node-2", "{{.State.Pid}}");
    // A crash, not `docker kill`: Docker takes that for a deliberate stop and leaves the container stopped.
    assertThat(project.run(List.of("kill", "-KILL", pid), Duration.ofSeconds(10)).code()).isZero();

    await().atMost(TIMEOUT).untilAsserted(() -> {
      assertThat(Integer.parseInt(project.inspect("node-2", "{{.RestartCount}}"))).isGreaterThan(restartsBefore);
      assertThat(project.inspect("node-2", "{{.State.Health.Status}}")).isEqualTo("healthy");
    });
    await().atMost(TIMEOUT).untilAsserted(() ->
        assertThat(kubectl("get", "node", "node-2")).containsPattern("node-2\\s+Ready"));
    assertThat(runningWebPods()).hasSize(3);
  }

  @Test
  @Order(4)
  void aNodeStoppedWithDockerKillHasItsPodsReplacedOnTheOthersAndUpBringsItBack() throws Exception {
    String victim = runningWebPods().get(0).getSpec().getNodeName();
    long start = System.nanoTime();
    assertThat(project.run(List.of("docker", "kill", project.container(victim)), Duration.ofSeconds(30)).code()).isZero();

    await().atMost(TIMEOUT).untilAsserted(() ->
        assertThat(runningWebPods()).hasSize(3).noneMatch(pod -> pod.getSpec().getNodeName().equals(victim)));
    System.out.printf("ComposeClusterIT: docker kill %s to its pod Running elsewhere: %.1f s%n", victim,
        (System.nanoTime() - start) / 1e9);
    for (Pod pod : runningWebPods()) {
      assertThat(WebDeployment.get("http://" + pod.getStatus().getPodIP() + "/")).isEqualTo("200 " + LocalImages.INDEX);
    }
    assertThat(project.inspect(victim, "{{.State.Status}}")).as("Docker leaves a killed container stopped")
        .isEqualTo("exited");

    project.ok(TIMEOUT, "up", "-d", "--no-build");
    awaitThreeReadyNodes();
    // Back, the kubelet removes the containers of its pods that were evicted meanwhile.
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(podContainers()).hasSize(6));
  }

  @Test
  @Order(5)
  void downAndUpAgainBringsBackTheSameClusterWithItsObjects() throws Exception {
    Set<String> podsBefore = runningWebPods().stream().map(pod -> pod.getMetadata().getName())
        .collect(Collectors.toSet());
    project.ok(TIMEOUT, "down", "-t", "5");
    assertThat(project.ok(TIMEOUT, "ps", "-q").strip()).isEmpty();

    project.ok(TIMEOUT, "up", "-d", "--no-build");
    awaitThreeReadyNodes();
    assertThat(kubectl("rollout", "status", "-n", NAMESPACE, "deployment/web", "--timeout=90s"))
        .contains("deployment \"web\" successfully rolled out");
    List<Pod> pods = runningWebPods();
    assertThat(pods.stream().map(pod -> pod.getMetadata().getName()).collect(Collectors.toSet()))
        .isEqualTo(podsBefore);
    for (Pod pod : pods) {
      assertThat(WebDeployment.get("http://" + pod.getStatus().getPodIP() + "/")).isEqualTo("200 " + LocalImages.INDEX);
    }
  }

  static void awaitThreeReadyNodes() {
    await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(500)).ignoreExceptions().untilAsserted(() ->
        assertThat(client.nodes().list().getItems().stream()
            .filter(node -> node.getSpec().getPodCIDR() != null)
            .filter(node -> node.getStatus().getConditions().stream()
                .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"))))
            .hasSize(3));
  }

  static String kubectl(String... args) throws Exception {
    Kubectl.Run run = kubectl.run(args);
    assertThat(run.code()).as("kubectl " + String.join(" ", args) + "\n" + run.out()).isZero();
    return run.out();
  }

  static List<Pod> runningWebPods() {
    return client.pods().inNamespace(NAMESPACE).withLabel("app", "web").list().getItems().stream()
        .filter(pod -> pod.getMetadata().getDeletionTimestamp() == null)
        .filter(pod -> "Running".equals(pod.getStatus().getPhase())).toList();
  }

  /** The containers of this test's pods, running or not. */
  static List<Container> podContainers() {
    return docker.client().listContainersCmd().withShowAll(true)
        .withLabelFilter(Map.of("io.kubemu.network", POD_NETWORK, "io.kubernetes.pod.namespace", NAMESPACE)).exec();
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
