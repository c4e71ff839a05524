package io.kubemu.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.kubemu.apiserver.Apiserver;
import io.kubemu.apiserver.Kubectl;
import io.kubemu.component.Version;
import io.kubemu.etcd.EtcdCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kubelet as a cluster meets it: a real store and apiserver, the kubelet as a process of its
 * own on the simulated runtime, the real kubectl. The test plays the controller-manager's node
 * IPAM (it sets the node's podCIDR) and the scheduler (its pods name their node). Short timings:
 * the lease is renewed every second, the status looked at every second.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubeletIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final String NODE = "node-1";
  private static final String POD_CIDR = "10.42.1.0/24";

  @TempDir
  static Path dir;

  static EtcdCluster store;
  static Apiserver apiserver;
  static KubernetesClient client;
  static Kubectl kubectl;
  static KubeletProcess kubelet;

  @BeforeAll
  static void start() throws Exception {
    store = new EtcdCluster(dir.resolve("store"), 3).start();
    apiserver = new Apiserver(new Apiserver.Config(store.endpoints(), "127.0.0.1", 0)).start();
    Config config = new ConfigBuilder(Config.empty()).withMasterUrl(server())
        .withRequestRetryBackoffLimit(20).withRequestRetryBackoffInterval(100).build();
    client = new KubernetesClientBuilder().withConfig(config).build();
    kubectl = Kubectl.against(dir.resolve("kubectl"), apiserver.port());
    kubelet = startKubelet();
  }

  @AfterAll
  static void stop() throws Exception {
    if (kubelet != null) {
      kubelet.close();
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
  }

  private static String server() {
    return "http://127.0.0.1:" + apiserver.port();
  }

  private static int started;

  private static KubeletProcess startKubelet() throws Exception {
    return KubeletProcess.start(dir, NODE + "-" + ++started + ".log", server(), NODE, "--node-lease-duration-seconds", "4",
        "--node-status-update-frequency", "1s", "--node-labels", "topology.kubernetes.io/zone=a",
        "--root-dir", dir.resolve("kubelet").toString());
  }

  private static NodeCondition condition(Node node, String type) {
    return node.getStatus().getConditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
  }

  private static PodCondition condition(Pod pod, String type) {
    return pod.getStatus().getConditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
  }

  private static Lease lease() {
    return client.leases().inNamespace("kube-node-lease").withName(NODE).get();
  }

  private static Pod pod(String name) {
    return client.pods().inNamespace("default").withName(name).get();
  }

  private static Pod createPod(String name, String nodeName) {
    return client.pods().inNamespace("default").resource(new PodBuilder()
        .withNewMetadata().withName(name).endMetadata()
        .withNewSpec().withNodeName(nodeName)
        .addNewInitContainer().withName("setup").withImage("busybox:1.36").endInitContainer()
        .addNewContainer().withName("web").withImage("nginx:1.25").endContainer()
        .endSpec().build()).create();
  }

  @Test
  @Order(1)
  void nodeRegistersReadyWithItsVersionCapacityAndLabels() throws Exception {
    await().atMost(TIMEOUT).ignoreExceptions().untilAsserted(() -> {
      Node node = client.nodes().withName(NODE).get();
      assertThat(node).isNotNull();
      assertThat(condition(node, "Ready").getStatus()).isEqualTo("True");
      assertThat(condition(node, "Ready").getReason()).isEqualTo("KubeletReady");
      assertThat(condition(node, "Ready").getMessage()).isEqualTo("kubelet is posting ready status");
      assertThat(condition(node, "MemoryPressure").getReason()).isEqualTo("KubeletHasSufficientMemory");
    });
    Node node = client.nodes().withName(NODE).get();
    assertThat(node.getMetadata().getLabels()).containsEntry("kubernetes.io/hostname", NODE)
        .containsEntry("kubernetes.io/os", "linux").containsEntry("kubemu.io/runtime", "simulated")
        .containsEntry("topology.kubernetes.io/zone", "a").containsKey("kubernetes.io/arch");
    assertThat(node.getStatus().getNodeInfo().getKubeletVersion()).isEqualTo(Version.KUBERNETES);
    assertThat(node.getStatus().getNodeInfo().getContainerRuntimeVersion()).isEqualTo("simulated://" + Version.VERSION);
    assertThat(node.getStatus().getCapacity()).containsKeys("cpu", "memory", "pods");
    assertThat(node.getStatus().getAllocatable().get("pods").getAmount()).isEqualTo("110");
    assertThat(node.getStatus().getAddresses()).anySatisfy(address -> {
      assertThat(address.getType()).isEqualTo("InternalIP");
      assertThat(address.getAddress()).isEqualTo("127.0.0.1");
    });
    assertThat(node.getStatus().getDaemonEndpoints().getKubeletEndpoint().getPort()).isPositive();

    Kubectl.Run nodes = kubectl.run("get", "nodes");
    assertThat(nodes.code()).isZero();
    assertThat(nodes.out()).containsPattern(NODE + "\\s+Ready\\s+<none>\\s+\\S+\\s+" + Version.KUBERNETES.replace(".", "\\."));
  }

  @Test
  @Order(2)
  void nodeLeaseIsHeldByTheNodeAndRenewed() {
    await().atMost(TIMEOUT).until(() -> lease() != null);
    Lease first = lease();
    assertThat(first.getSpec().getHolderIdentity()).isEqualTo(NODE);
    assertThat(first.getSpec().getLeaseDurationSeconds()).isEqualTo(4);
    ZonedDateTime renewed = first.getSpec().getRenewTime();
    await().atMost(TIMEOUT).until(() -> lease().getSpec().getRenewTime().isAfter(renewed));
    // Lease heartbeats, not status writes: an unchanged status is not written again (every 1 s it is looked at).
    String resourceVersion = client.nodes().withName(NODE).get().getMetadata().getResourceVersion();
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
        .until(() -> client.nodes().withName(NODE).get().getMetadata().getResourceVersion().equals(resourceVersion));
    await().atMost(TIMEOUT).ignoreExceptions().untilAsserted(() -> assertThat(lease().getMetadata().getOwnerReferences())
        .singleElement().satisfies(owner -> {
          assertThat(owner.getKind()).isEqualTo("Node");
          assertThat(owner.getName()).isEqualTo(NODE);
          assertThat(owner.getUid()).isEqualTo(client.nodes().withName(NODE).get().getMetadata().getUid());
        }));
  }

  @Test
  @Order(3)
  void podWaitsInContainerCreatingUntilThePodCidrThenRunsReadyWithAnIpFromIt() {
    createPod("web", NODE);
    await().atMost(TIMEOUT).ignoreExceptions().untilAsserted(() -> {
      Pod pod = pod("web");
      assertThat(pod.getStatus().getPhase()).isEqualTo("Pending");
      assertThat(pod.getStatus().getContainerStatuses()).singleElement()
          .satisfies(c -> assertThat(c.getState().getWaiting().getReason()).isEqualTo("PodInitializing"));
      assertThat(condition(pod, "PodReadyToStartContainers").getStatus()).isEqualTo("False");
    });

    client.nodes().withName(NODE).edit(node -> {
      node.getSpec().setPodCIDR(POD_CIDR);
      node.getSpec().setPodCIDRs(List.of(POD_CIDR));
      return node;
    });
    await().atMost(TIMEOUT).ignoreExceptions().untilAsserted(() -> {
      Pod pod = pod("web");
      assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
      assertThat(condition(pod, "Ready").getStatus()).isEqualTo("True");
    });
    Pod pod = pod("web");
    assertThat(pod.getStatus().getPodIP()).startsWith("10.42.1.").isNotEqualTo("10.42.1.1");
    assertThat(pod.getStatus().getPodIPs()).singleElement()
        .satisfies(ip -> assertThat(ip.getIp()).isEqualTo(pod.getStatus().getPodIP()));
    assertThat(pod.getStatus().getHostIP()).isEqualTo("127.0.0.1");
    assertThat(pod.getStatus().getStartTime()).isNotNull();
    for (String type : List.of("PodReadyToStartContainers", "Initialized", "ContainersReady", "Ready",
        "PodScheduled")) {
      assertThat(condition(pod, type).getStatus()).as(type).isEqualTo("True");
    }
    ContainerStatus web = pod.getStatus().getContainerStatuses().get(0);
    assertThat(web.getReady()).isTrue();
    assertThat(web.getStarted()).isTrue();
    assertThat(web.getRestartCount()).isZero();
    assertThat(web.getImage()).isEqualTo("nginx:1.25");
    assertThat(web.getContainerID()).startsWith("simulated://");
    assertThat(web.getState().getRunning().getStartedAt()).isNotNull();
    ContainerStatus setup = pod.getStatus().getInitContainerStatuses().get(0);
    assertThat(setup.getState().getTerminated().getReason()).isEqualTo("Completed");
    assertThat(setup.getState().getTerminated().getExitCode()).isZero();
  }

  @Test
  @Order(4)
  void kubectlLogsReadsTheContainerLogThroughTheApiserverAndTheKubeletListsItsPods() throws Exception {
    Kubectl.Run logs = kubectl.run("logs", "web", "-c", "web");
    assertThat(logs.code()).as(logs.out()).isZero();
    assertThat(logs.out()).contains("simulated");
    int port = client.nodes().withName(NODE).get().getStatus().getDaemonEndpoints().getKubeletEndpoint().getPort();
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> healthz = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(healthz.body()).isEqualTo("ok");
    HttpResponse<String> running = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/pods"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(Serialization.unmarshal(running.body(), PodList.class).getItems())
        .extracting(pod -> pod.getMetadata().getName()).containsExactly("web");

    Kubectl.Run pods = kubectl.run("get", "pods", "-o", "wide");
    assertThat(pods.out()).containsPattern("web\\s+1/1\\s+Running\\s+0\\s+\\S+\\s+10\\.42\\.1\\.\\d+\\s+" + NODE);
  }

  @Test
  @Order(5)
  void podOfAnotherNodeIsIgnoredAndAPodStartsWithOneStatusWrite() {
    List<String> writes = new CopyOnWriteArrayList<>();
    try (Watch watch = client.pods().inNamespace("default").withName("marker").watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, Pod pod) {
        if (action == Action.MODIFIED) {
          writes.add(pod.getStatus().getPhase());
        }
      }

      @Override
      public void onClose(WatcherException cause) {}
    })) {
      createPod("elsewhere", "node-2");
      createPod("marker", NODE);
      await().atMost(TIMEOUT).until(() -> "Running".equals(pod("marker").getStatus().getPhase()));
      // The node's network is ready: Pending to Running in one write, and no write after it.
      await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> writes.equals(List.of("Running")));
    }
    assertThat(pod("elsewhere").getStatus().getContainerStatuses()).isNullOrEmpty();
    assertThat(pod("elsewhere").getStatus().getHostIP()).isNull();
    client.pods().inNamespace("default").withName("elsewhere").withGracePeriod(0).delete();
  }

  @Test
  @Order(6)
  void aStatusSomeoneElseWroteIsPutRightByTheKubelet() {
    await().atMost(TIMEOUT).until(() -> "Running".equals(pod("marker").getStatus().getPhase()));

    // The kubelet is the source of truth of its pods' status: one written by another client goes back.
    String podIP = pod("marker").getStatus().getPodIP();
    client.pods().inNamespace("default").withName("marker").subresource("status").patch(PatchContext.of(
        PatchType.JSON_MERGE), "{\"status\":{\"podIP\":\"10.42.9.9\",\"podIPs\":[{\"ip\":\"10.42.9.9\"}]}}");

    await().atMost(TIMEOUT).untilAsserted(() -> {
      Pod pod = pod("marker");
      assertThat(pod.getStatus().getPodIP()).isEqualTo(podIP);
      assertThat(pod.getStatus().getPodIPs()).singleElement().satisfies(ip -> assertThat(ip.getIp()).isEqualTo(podIP));
    });
  }

  @Test
  @Order(7)
  void killedKubeletStopsRenewingAndARestartedOneKeepsThePodRunning() throws Exception {
    Pod before = pod("web");
    kubelet.kill();
    ZonedDateTime lastRenewal = lease().getSpec().getRenewTime();
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
        .until(() -> lease().getSpec().getRenewTime().equals(lastRenewal));

    kubelet = startKubelet();
    await().atMost(TIMEOUT).until(() -> lease().getSpec().getRenewTime().isAfter(lastRenewal));
    await().atMost(TIMEOUT).until(() -> kubelet.log().contains("is running its pods"));
    Pod after = pod("web");
    assertThat(after.getMetadata().getUid()).isEqualTo(before.getMetadata().getUid());
    assertThat(after.getStatus().getPhase()).isEqualTo("Running");
    assertThat(after.getStatus().getPodIP()).isEqualTo(before.getStatus().getPodIP());
    ContainerStatus was = before.getStatus().getContainerStatuses().get(0);
    ContainerStatus is = after.getStatus().getContainerStatuses().get(0);
    assertThat(is.getContainerID()).isEqualTo(was.getContainerID());
    assertThat(is.getState().getRunning().getStartedAt()).isEqualTo(was.getState().getRunning().getStartedAt());
    assertThat(is.getRestartCount()).isZero();
    assertThat(kubelet.log()).contains("adopted 2 running pods");
    // Taken back as it was: its status is not even written again.
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() ->
        pod("web").getMetadata().getResourceVersion().equals(after.getMetadata().getResourceVersion()));

    // A new pod after the restart does not get the address the adopted one holds.
    createPod("after-restart", NODE);
    await().atMost(TIMEOUT).until(() -> "Running".equals(pod("after-restart").getStatus().getPhase()));
    assertThat(pod("after-restart").getStatus().getPodIP()).isNotIn(after.getStatus().getPodIP(),
        pod("marker").getStatus().getPodIP());
  }

  @Test
  @Order(8)
  void kubectlDeleteStopsThePodGracefullyAndTheKubeletDeletesIt() throws Exception {
    String uid = pod("web").getMetadata().getUid();
    Kubectl.Run deleted = kubectl.run("delete", "pod", "web", "--wait=true");
    assertThat(deleted.code()).as(deleted.out()).isZero();
    assertThat(deleted.out()).contains("pod \"web\" deleted");
    assertThat(pod("web")).isNull();
    // kubectl sees the pod gone on its watch, maybe before the kubelet logged its delete.
    await().atMost(TIMEOUT).until(() -> kubelet.log().contains("pod default/web deleted"));
    assertThat(client.pods().inNamespace("default").list().getItems())
        .noneMatch(pod -> pod.getMetadata().getUid().equals(uid));
  }

  @Test
  @Order(9)
  void podWaitsWithFailedMountUntilItsConfigMapExistsAndAMissingKeyIsACreateContainerConfigError() throws Exception {
    client.pods().inNamespace("default").resource(new PodBuilder()
        .withNewMetadata().withName("configured").endMetadata()
        .withNewSpec().withNodeName(NODE)
        .addNewVolume().withName("config").withNewConfigMap().withName("app-config").endConfigMap().endVolume()
        .addNewContainer().withName("app").withImage("nginx:1.25")
        .addNewVolumeMount().withName("config").withMountPath("/etc/app").endVolumeMount().endContainer()
        .endSpec().build()).create();
    await().atMost(TIMEOUT).ignoreExceptions().untilAsserted(() -> {
      assertThat(client.v1().events().inNamespace("default").list().getItems()).anySatisfy(event -> {
        assertThat(event.getInvolvedObject().getName()).isEqualTo("configured");
        assertThat(event.getReason()).isEqualTo("FailedMount");
        assertThat(event.getType()).isEqualTo("Warning");
        assertThat(event.getMessage())
            .isEqualTo("MountVolume.SetUp failed for volume \"config\" : configmap \"app-config\" not found");
      });
      Pod pod = pod("configured");
      assertThat(pod.getStatus().getPhase()).isEqualTo("Pending");
      assertThat(pod.getStatus().getContainerStatuses().get(0).getState().getWaiting().getReason())
          .isEqualTo("ContainerCreating");
    });

    client.configMaps().inNamespace("default").resource(new ConfigMapBuilder()
        .withNewMetadata().withName("app-config").endMetadata().addToData("greeting", "hello").build()).create();
    await().atMost(TIMEOUT).until(() -> "Running".equals(pod("configured").getStatus().getPhase()));
    String uid = pod("configured").getMetadata().getUid();
    Path volume = dir.resolve("kubelet/pods/" + uid + "/volumes/kubernetes.io~configmap/config");
    assertThat(volume.resolve("greeting")).hasContent("hello");

    client.pods().inNamespace("default").resource(new PodBuilder()
        .withNewMetadata().withName("misconfigured").endMetadata()
        .withNewSpec().withNodeName(NODE)
        .addNewContainer().withName("app").withImage("nginx:1.25").addNewEnv().withName("GREETING")
        .withNewValueFrom().withNewConfigMapKeyRef("farewell", "app-config", null).endValueFrom().endEnv()
        .endContainer().endSpec().build()).create();
    await().atMost(TIMEOUT).ignoreExceptions().untilAsserted(() -> {
      ContainerStatus app = pod("misconfigured").getStatus().getContainerStatuses().get(0);
      assertThat(app.getState().getWaiting().getReason()).isEqualTo("CreateContainerConfigError");
      assertThat(app.getState().getWaiting().getMessage())
          .isEqualTo("couldn't find key farewell in ConfigMap default/app-config");
      assertThat(client.v1().events().inNamespace("default").list().getItems()).anySatisfy(event -> {
        assertThat(event.getInvolvedObject().getName()).isEqualTo("misconfigured");
        assertThat(event.getReason()).isEqualTo("Failed");
        assertThat(event.getMessage()).isEqualTo("Error: couldn't find key farewell in ConfigMap default/app-config");
      });
    });
    Kubectl.Run pods = kubectl.run("get", "pod", "misconfigured");
    assertThat(pods.out()).containsPattern("misconfigured\\s+0/1\\s+CreateContainerConfigError");

    Kubectl.Run deleted = kubectl.run("delete", "pod", "configured", "--wait=true");
    assertThat(deleted.code()).as(deleted.out()).isZero();
    await().atMost(TIMEOUT).until(() -> !volume.toFile().exists());
  }

  @Test
  @Order(10)
  void kubectlDescribeShowsWhatTheKubeletDidToThePodsContainers() throws Exception {
    await().atMost(TIMEOUT).ignoreExceptions().untilAsserted(() -> {
      List<io.fabric8.kubernetes.api.model.Event> events = client.v1().events().inNamespace("default").list().getItems()
          .stream().filter(event -> event.getInvolvedObject().getName().equals("marker")).toList();
      assertThat(events).extracting(io.fabric8.kubernetes.api.model.Event::getMessage).contains(
          "Container image \"busybox:1.36\" already present on machine", "Created container: setup",
          "Started container setup", "Created container: web", "Started container web");
      assertThat(events).allSatisfy(event -> {
        assertThat(event.getSource().getComponent()).isEqualTo("kubelet");
        assertThat(event.getSource().getHost()).isEqualTo(NODE);
        assertThat(event.getReportingInstance()).isEqualTo(NODE);
      });
    });
    Kubectl.Run describe = kubectl.run("describe", "pod", "marker");
    assertThat(describe.code()).as(describe.out()).isZero();
    assertThat(describe.out()).containsPattern("Normal\\s+Started\\s+\\S+\\s+kubelet(, \\S+)?\\s+Started container web");
  }
}
