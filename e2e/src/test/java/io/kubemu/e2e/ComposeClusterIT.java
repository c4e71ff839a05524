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
import java.util.concurrent.ConcurrentHashMap;
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
      "controller-manager", "scheduler", "node-1", "node-2", "node-3", "kube-proxy");
  /** With the fast profile of docker-compose.yml, a dead node's pods run elsewhere within this. */
  static final Duration NODE_FAILOVER = Duration.ofSeconds(20);
  /** Once the etcd leader is killed, kubectl works again within this. */
  static final Duration STORE_FAILOVER = Duration.ofSeconds(5);

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
    docker = DockerConnection.connect("unix:///var/run/docker.sock", Duration.ofMinutes(1));
    String image = project.image();
    try {
      docker.client().inspectImageCmd(image).exec();
    } catch (NotFoundException e) {
      throw new AssertionError(image + " is not built: run docker/offline-images.sh (or docker-compose build) first");
    }
    LocalImages.ensureBusybox(docker);
    // What a run that was killed midway left behind (its volumes hold the old cluster's objects) goes first.
    project.ok(Duration.ofMinutes(3), "down", "-v", "--remove-orphans", "-t", "5");
    removePodContainers();
    podNetworkWasThere = docker.hasNetwork(POD_NETWORK);
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
      project.compose(Duration.ofMinutes(3), "down", "-t", "5");
      // kube-proxy leaves its rules when it stops (traffic keeps flowing, as in Kubernetes): --cleanup removes them.
      project.compose(Duration.ofMinutes(1), "run", "--rm", "--no-deps", "kube-proxy", "kube-proxy", "--cleanup");
      project.compose(Duration.ofMinutes(3), "down", "-v", "--remove-orphans", "-t", "5");
    }
    if (docker != null) {
      // The kubelets leave their pods' containers running when they stop, as Kubernetes' do: the test removes them.
      removePodContainers();
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
      assertThat(WebDeployment.get("http://" + pod.getStatus().getPodIP() + "/")).isEqualTo(WebDeployment.answer(pod));
    }
    assertThat(podContainers()).hasSize(6); // an app container and a pause container per pod
    // kubectl logs goes through the apiserver to the kubelet, at the address its Node reports.
    Kubectl.Run logs = kubectl.run("logs", "-n", NAMESPACE, pods.get(0).getMetadata().getName());
    assertThat(logs.code()).as(logs.out()).isZero();
  }

  @Test
  @Order(3)
  void exposeGivesAClusterIpWhoseRulesKubeProxyWroteAndThatReachesEveryPodFromTheHost() throws Exception {
    kubectl("expose", "-n", NAMESPACE, "deployment", "web", "--port=80");
    String clusterIp = client.services().inNamespace(NAMESPACE).withName("web").get().getSpec().getClusterIP();
    assertThat(clusterIp).startsWith("10.43.");
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(
        project.run(List.of("iptables", "-t", "nat", "-S", "KUBE-SERVICES"), Duration.ofSeconds(30)).out())
        .contains("-d " + clusterIp + "/32", NAMESPACE + "/web cluster IP"));

    assertThat(answersOf("http://" + clusterIp + "/")).isEqualTo(webPodAnswers());
  }

  @Test
  @Order(4)
  void killingTheEtcdLeaderLeavesKubectlWorkingWithinSecondsAndLosesNothing() throws Exception {
    String leader = etcdLeader();
    kubectl("create", "configmap", "written-before", "-n", NAMESPACE, "--from-literal=at=before");
    long start = System.nanoTime();
    assertThat(project.run(List.of("docker", "kill", project.container(leader)), Duration.ofSeconds(30)).code())
        .isZero();

    // Reads and writes both, through the apiserver to the two members left.
    await().atMost(STORE_FAILOVER).pollInterval(Duration.ofMillis(100)).until(() ->
        kubectl.run("get", "configmap", "written-before", "-n", NAMESPACE, "--request-timeout=2s").code() == 0);
    await().atMost(STORE_FAILOVER).pollInterval(Duration.ofMillis(100)).until(() -> {
      Kubectl.Run create = kubectl.run("create", "configmap", "written-after", "-n", NAMESPACE,
          "--from-literal=at=after", "--request-timeout=2s");
      return create.code() == 0 || create.out().contains("AlreadyExists");
    });
    System.out.printf("ComposeClusterIT: docker kill %s (the etcd leader) to kubectl reading and writing again: "
        + "%.1f s%n", leader, (System.nanoTime() - start) / 1e9);
    assertThat(kubectl("get", "configmap", "written-before", "-n", NAMESPACE, "-o", "jsonpath={.data.at}"))
        .isEqualTo("before");
    assertThat(runningWebPods()).hasSize(3);

    project.ok(TIMEOUT, "up", "-d", "--no-build");
    await().atMost(TIMEOUT).untilAsserted(() ->
        assertThat(project.inspect(leader, "{{.State.Health.Status}}")).isEqualTo("healthy"));
    // Back, the member catches up with what was written without it.
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(project.compose(Duration.ofSeconds(60), "exec", "-T",
        leader, "kubemu", "etcdctl", "get", "/registry/configmaps/" + NAMESPACE + "/written-after", "--keys-only")
        .out()).contains("/registry/configmaps/" + NAMESPACE + "/written-after"));
  }

  @Test
  @Order(5)
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
    // A restart slower than the fast profile's grace and toleration (8 s + 3 s) has its pod evicted and
    // replaced meanwhile, as on any cluster: the Deployment is whole again either way.
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(runningWebPods()).hasSize(3));
  }

  @Test
  @Order(6)
  void aNodeStoppedWithDockerKillHasItsPodsReplacedOnTheOthersAndUpBringsItBack() throws Exception {
    String victim = runningWebPods().get(0).getSpec().getNodeName();
    long start = System.nanoTime();
    assertThat(project.run(List.of("docker", "kill", project.container(victim)), Duration.ofSeconds(30)).code()).isZero();

    await().atMost(NODE_FAILOVER).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
        assertThat(runningWebPods()).hasSize(3).noneMatch(pod -> pod.getSpec().getNodeName().equals(victim)));
    System.out.printf("ComposeClusterIT: docker kill %s to its pod Running elsewhere: %.1f s%n", victim,
        (System.nanoTime() - start) / 1e9);
    // A replacement that just started may not listen yet (its readiness probe says when it does).
    await().atMost(TIMEOUT).ignoreExceptions().untilAsserted(() -> {
      for (Pod pod : runningWebPods()) {
        assertThat(WebDeployment.get("http://" + pod.getStatus().getPodIP() + "/")).isEqualTo(WebDeployment.answer(pod));
      }
    });
    assertThat(project.inspect(victim, "{{.State.Status}}")).as("Docker leaves a killed container stopped")
        .isEqualTo("exited");

    project.ok(TIMEOUT, "up", "-d", "--no-build");
    awaitThreeReadyNodes();
    // Back, the kubelet removes the containers of its pods that were evicted meanwhile.
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(podContainers()).hasSize(6));
  }

  @Test
  @Order(7)
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
      assertThat(WebDeployment.get("http://" + pod.getStatus().getPodIP() + "/")).isEqualTo(WebDeployment.answer(pod));
    }
    String clusterIp = client.services().inNamespace(NAMESPACE).withName("web").get().getSpec().getClusterIP();
    assertThat(answersOf("http://" + clusterIp + "/")).isEqualTo(webPodAnswers());
    assertThat(kubectl("get", "configmaps", "-n", NAMESPACE)).contains("written-before", "written-after");
  }

  /** The member of the store that leads now, as {@code kubemu etcdctl member list} in one of them says. */
  static String etcdLeader() throws Exception {
    String members = project.ok(Duration.ofSeconds(60), "exec", "-T", "etcd-node-1", "kubemu", "etcdctl", "member",
        "list");
    return members.lines().filter(line -> line.endsWith(", true")).map(line -> line.split(",")[0].strip())
        .findFirst().orElseThrow(() -> new AssertionError("no leader in:\n" + members));
  }

  static Set<String> webPodAnswers() {
    return runningWebPods().stream().map(WebDeployment::answer).collect(Collectors.toSet());
  }

  /** The different answers of many GETs of {@code url}, once they include every web pod's (a Service spreads them). */
  static Set<String> answersOf(String url) {
    Set<String> answers = ConcurrentHashMap.newKeySet();
    Set<String> expected = webPodAnswers();
    await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(20)).ignoreExceptions().until(() -> {
      answers.add(WebDeployment.get(url));
      return answers.containsAll(expected);
    });
    return answers;
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

  static void removePodContainers() {
    for (Container container : podContainers()) {
      docker.client().removeContainerCmd(container.getId()).withForce(true).exec();
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
