package io.kubemu.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kubemu.apiserver.Apiserver;
import io.kubemu.apiserver.Kubectl;
import io.kubemu.etcd.EtcdCluster;
import io.kubemu.kubelet.runtime.docker.DockerConnection;
import io.kubemu.kubelet.runtime.docker.LocalImages;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kubelet on the real Docker Engine: a real store and apiserver, the kubelet as a process of
 * its own with {@code --runtime docker}, pods of a busybox image made on the spot, the real
 * kubectl. The test plays node IPAM (it sets the podCIDR) and the scheduler (pods name their
 * node). The node's name is new each run and every container the kubelet made carries it, so the
 * test finds, and at the end removes, exactly its own containers.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubeletDockerIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final String NODE = "docker-it-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt())
      .substring(0, 6);
  private static final String POD_CIDR = "10.42.250.0/24";
  private static final String IMAGE = LocalImages.BUSYBOX;
  /** The kubelets' logs stay after the run, for a failure to be read. */
  private static final Path LOGS = Path.of("target", "kubelet-docker-it");

  @TempDir
  static Path dir;

  static EtcdCluster store;
  static Apiserver apiserver;
  static KubernetesClient client;
  static Kubectl kubectl;
  static DockerConnection docker;
  static boolean networkWasThere = true;
  static KubeletProcess kubelet;

  @BeforeAll
  static void start() throws Exception {
    docker = DockerConnection.connect("unix:///var/run/docker.sock", Duration.ofMinutes(1));
    LocalImages.ensureBusybox(docker);
    networkWasThere = docker.hasNetwork("kubemu"); // else the kubelet makes it
    store = new EtcdCluster(dir.resolve("store"), 3).start();
    apiserver = new Apiserver(new Apiserver.Config(store.endpoints(), "127.0.0.1", 0)).start();
    Config config = new ConfigBuilder(Config.empty()).withMasterUrl("http://127.0.0.1:" + apiserver.port())
        .withRequestRetryBackoffLimit(20).withRequestRetryBackoffInterval(100).build();
    client = new KubernetesClientBuilder().withConfig(config).build();
    kubectl = Kubectl.against(dir.resolve("kubectl"), apiserver.port());
    kubelet = startKubelet();
    await().atMost(TIMEOUT).ignoreExceptions().until(() -> client.nodes().withName(NODE).edit(node -> {
      node.getSpec().setPodCIDR(POD_CIDR);
      node.getSpec().setPodCIDRs(List.of(POD_CIDR));
      return node;
    }) != null); // a conflict with the kubelet's own status write is tried again
  }

  @AfterAll
  static void stop() throws Exception {
    if (kubelet != null) {
      kubelet.close();
    }
    if (docker != null) {
      for (Container container : containers()) {
        docker.client().removeContainerCmd(container.getId()).withForce(true).exec();
      }
      if (!networkWasThere) {
        docker.client().removeNetworkCmd("kubemu").exec();
      }
      docker.close();
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

  private static int started;

  private static KubeletProcess startKubelet() throws Exception {
    java.nio.file.Files.createDirectories(LOGS);
    return KubeletProcess.start(LOGS, NODE + "-" + ++started + ".log", "http://127.0.0.1:" + apiserver.port(), NODE,
        "--runtime", "docker", "--node-lease-duration-seconds", "4", "--node-status-update-frequency", "1s",
        "--crash-loop-backoff-initial", "1s", "--crash-loop-backoff-max", "4s", "--root-dir",
        LOGS.resolve("root").toAbsolutePath().toString());
  }

  /** This node's Docker containers (sandboxes and app containers), running or not. */
  private static List<Container> containers() {
    return docker.client().listContainersCmd().withShowAll(true).withLabelFilter(Map.of("io.kubemu.node", NODE))
        .exec();
  }

  private static List<Container> containersOf(String uid) {
    return containers().stream().filter(c -> uid.equals(c.getLabels().get("io.kubernetes.pod.uid"))).toList();
  }

  private static Pod pod(String name) {
    return client.pods().inNamespace("default").withName(name).get();
  }

  private static PodBuilder newPod(String name) {
    return new PodBuilder().withNewMetadata().withName(name).addToLabels("app", name).endMetadata()
        .withNewSpec().withNodeName(NODE).endSpec();
  }

  private static Pod create(Pod pod) {
    return client.pods().inNamespace("default").resource(pod).create();
  }

  private static void awaitRunning(String name) {
    await().atMost(TIMEOUT).ignoreExceptions().untilAsserted(() -> {
      Pod pod = pod(name);
      assertThat(pod.getStatus().getPhase()).as(name + " " + pod.getStatus()).isEqualTo("Running");
      assertThat(pod.getStatus().getContainerStatuses()).allSatisfy(c -> assertThat(c.getReady()).isTrue());
    });
  }

  private static String get(String url) throws Exception {
    HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()
        .send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
    return response.statusCode() + " " + response.body();
  }

  @Test
  @Order(1)
  void nodeReportsDockerAndItsImages() {
    await().atMost(TIMEOUT).ignoreExceptions().untilAsserted(() -> {
      Node node = client.nodes().withName(NODE).get();
      assertThat(node.getStatus().getNodeInfo().getContainerRuntimeVersion()).startsWith("docker://");
      assertThat(node.getMetadata().getLabels()).containsEntry("kubemu.io/runtime", "docker");
      assertThat(node.getStatus().getImages()).flatExtracting(image -> image.getNames())
          .contains("kubemu/pause:3.10", IMAGE);
      assertThat(node.getStatus().getCapacity().get("cpu").getAmount())
          .isEqualTo(Integer.toString(Runtime.getRuntime().availableProcessors()));
    });
  }

  @Test
  @Order(2)
  void threePodsRunAsContainersWithTheirOwnIpsThatAnswerHttpFromTheHost() throws Exception {
    for (int i = 1; i <= 3; i++) {
      create(newPod("web-" + i).editSpec().addNewContainer().withName("httpd").withImage(IMAGE)
          .withImagePullPolicy("IfNotPresent").addNewPort().withContainerPort(80).endPort().endContainer().endSpec()
          .build());
    }
    for (int i = 1; i <= 3; i++) {
      awaitRunning("web-" + i);
    }
    List<String> ips = List.of(pod("web-1"), pod("web-2"), pod("web-3")).stream()
        .map(pod -> pod.getStatus().getPodIP()).toList();
    assertThat(ips).doesNotHaveDuplicates().allSatisfy(ip -> assertThat(ip).startsWith("10.42.250."));
    for (String ip : ips) {
      assertThat(get("http://" + ip + "/")).isEqualTo("200 " + LocalImages.INDEX);
    }
    for (int i = 1; i <= 3; i++) {
      Pod pod = pod("web-" + i);
      List<Container> mine = containersOf(pod.getMetadata().getUid());
      assertThat(mine).extracting(c -> c.getLabels().get("io.kubernetes.docker.type"))
          .containsExactlyInAnyOrder("podsandbox", "container");
      assertThat(mine).allSatisfy(c -> assertThat(c.getState()).isEqualTo("running"));
      ContainerStatus httpd = pod.getStatus().getContainerStatuses().get(0);
      String id = mine.stream().filter(c -> "container".equals(c.getLabels().get("io.kubernetes.docker.type")))
          .findFirst().orElseThrow().getId();
      assertThat(httpd.getContainerID()).isEqualTo("docker://" + id);
      assertThat(httpd.getImageID()).startsWith("docker://sha256:");
    }
    Kubectl.Run wide = kubectl.run("get", "pods", "-o", "wide");
    assertThat(wide.out()).containsPattern("web-1\\s+1/1\\s+Running\\s+0\\s+\\S+\\s+10\\.42\\.250\\.\\d+\\s+" + NODE);
  }

  @Test
  @Order(3)
  void theContainersOfOnePodShareItsIpAndTalkOverLocalhostAndKubectlLogsShowsTheirOutput() throws Exception {
    create(newPod("pair").editSpec()
        .addNewContainer().withName("web").withImage(IMAGE).withImagePullPolicy("IfNotPresent").endContainer()
        .addNewContainer().withName("client").withImage(IMAGE).withImagePullPolicy("IfNotPresent")
        .withCommand("sh", "-c", "until wget -q -O - http://localhost/; do sleep 0.2; done; hostname -i; "
            + "exec sleep 3600").endContainer()
        .endSpec().build());
    awaitRunning("pair");
    String ip = pod("pair").getStatus().getPodIP();
    await().atMost(TIMEOUT).untilAsserted(() -> {
      Kubectl.Run logs = kubectl.run("logs", "pair", "-c", "client");
      assertThat(logs.code()).as(logs.out()).isZero();
      assertThat(logs.out()).isEqualTo(LocalImages.INDEX + ip + "\n");
    });
    Kubectl.Run tail = kubectl.run("logs", "pair", "-c", "client", "--tail=1");
    assertThat(tail.out()).isEqualTo(ip + "\n");
    Kubectl.Run stamped = kubectl.run("logs", "pair", "-c", "client", "--timestamps");
    assertThat(stamped.out()).containsPattern("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d+Z hello from a kubemu pod\n");
  }

  @Test
  @Order(4)
  void kubectlLogsFollowStreamsUntilTheContainerEnds() throws Exception {
    create(newPod("counter").editSpec().withRestartPolicy("Never")
        .addNewContainer().withName("count").withImage(IMAGE).withImagePullPolicy("IfNotPresent")
        .withCommand("sh", "-c", "for i in 1 2 3; do echo line $i; sleep 1; done").endContainer().endSpec().build());
    await().atMost(TIMEOUT).ignoreExceptions().until(() -> pod("counter").getStatus().getContainerStatuses().get(0)
        .getState().getRunning() != null || "Succeeded".equals(pod("counter").getStatus().getPhase()));
    Kubectl.Run follow = kubectl.run("logs", "-f", "counter");
    assertThat(follow.code()).as(follow.out()).isZero();
    assertThat(follow.out()).isEqualTo("line 1\nline 2\nline 3\n");
    await().atMost(TIMEOUT).ignoreExceptions().untilAsserted(() -> {
      Pod pod = pod("counter");
      assertThat(pod.getStatus().getPhase()).isEqualTo("Succeeded");
      assertThat(pod.getStatus().getContainerStatuses().get(0).getState().getTerminated().getReason())
          .isEqualTo("Completed");
    });
  }

  @Test
  @Order(5)
  void deletingAPodStopsItsContainersWithinTheGracePeriodAndReleasesItsIp() throws Exception {
    // sleep as PID 1 ignores SIGTERM: the kubelet must SIGKILL it when the 2 s of grace are over.
    create(newPod("stubborn").editSpec().withTerminationGracePeriodSeconds(2L)
        .addNewContainer().withName("sleep").withImage(IMAGE).withImagePullPolicy("IfNotPresent")
        .withCommand("sleep", "3600").endContainer().endSpec().build());
    awaitRunning("stubborn");
    String uid = pod("stubborn").getMetadata().getUid();
    assertThat(containersOf(uid)).hasSize(2);
    long start = System.nanoTime();
    Kubectl.Run deleted = kubectl.run("delete", "pod", "stubborn", "--wait=true");
    double seconds = (System.nanoTime() - start) / 1e9;
    assertThat(deleted.code()).as(deleted.out()).isZero();
    assertThat(seconds).as("seconds to delete").isBetween(1.5, 15.0);
    assertThat(pod("stubborn")).isNull();
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(containersOf(uid)).isEmpty());
  }

  @Test
  @Order(6)
  void aRestartedKubeletAdoptsItsContainersAndRemovesThoseOfPodsThatWentMeanwhile() throws Exception {
    Pod web = pod("web-1");
    List<String> before = containersOf(web.getMetadata().getUid()).stream().map(Container::getId).sorted().toList();
    String goneUid = pod("web-3").getMetadata().getUid();
    kubelet.kill();
    client.pods().inNamespace("default").withName("web-3").withGracePeriod(0).delete();
    await().atMost(TIMEOUT).until(() -> pod("web-3") == null);
    assertThat(containersOf(goneUid)).hasSize(2); // nobody removed them yet

    kubelet = startKubelet();
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(containersOf(goneUid)).isEmpty());
    await().atMost(TIMEOUT).until(() -> kubelet.log().contains("is running its pods"));
    List<String> after = containersOf(web.getMetadata().getUid()).stream().map(Container::getId).sorted().toList();
    assertThat(after).isEqualTo(before);
    assertThat(pod("web-1").getStatus().getContainerStatuses().get(0).getRestartCount()).isZero();
    assertThat(get("http://" + web.getStatus().getPodIP() + "/")).isEqualTo("200 " + LocalImages.INDEX);

    create(newPod("after-restart").editSpec().addNewContainer().withName("httpd").withImage(IMAGE)
        .withImagePullPolicy("IfNotPresent").endContainer().endSpec().build());
    awaitRunning("after-restart");
    assertThat(pod("after-restart").getStatus().getPodIP()).isNotIn(web.getStatus().getPodIP(),
        pod("web-2").getStatus().getPodIP(), pod("pair").getStatus().getPodIP());
  }

  @Test
  @Order(7)
  void aCrashingContainerRestartsInCrashLoopBackOffWithItsLastStateAndPreviousLog() throws Exception {
    create(newPod("crasher").editSpec().addNewContainer().withName("crash").withImage(IMAGE)
        .withImagePullPolicy("IfNotPresent").withCommand("sh", "-c", "echo boom; exit 3").endContainer().endSpec()
        .build());
    await().atMost(TIMEOUT).ignoreExceptions().untilAsserted(() -> {
      ContainerStatus crash = pod("crasher").getStatus().getContainerStatuses().get(0);
      assertThat(crash.getRestartCount()).isGreaterThanOrEqualTo(2);
      assertThat(crash.getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
      assertThat(crash.getState().getWaiting().getMessage()).startsWith("back-off ")
          .contains("restarting failed container=crash pod=crasher_default(");
      assertThat(crash.getLastState().getTerminated().getExitCode()).isEqualTo(3);
      assertThat(crash.getLastState().getTerminated().getReason()).isEqualTo("Error");
    });
    int restarts = pod("crasher").getStatus().getContainerStatuses().get(0).getRestartCount();
    await().atMost(TIMEOUT).ignoreExceptions().until(() ->
        pod("crasher").getStatus().getContainerStatuses().get(0).getRestartCount() > restarts);
    // Right after a restart the container runs for a moment (1/1 Running) before it exits again; a user
    // watching `kubectl get` sees it go back to CrashLoopBackOff.
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(kubectl.run("get", "pod", "crasher").out())
        .containsPattern("crasher\\s+0/1\\s+(CrashLoopBackOff|Error)\\s+\\d+"));
    Kubectl.Run previous = kubectl.run("logs", "crasher", "--previous");
    assertThat(previous.code()).as(previous.out()).isZero();
    assertThat(previous.out()).isEqualTo("boom\n");
    // Kubernetes keeps the latest instance and the one before it; older dead ones are removed (right
    // after it starts a new instance, so for a moment there are three).
    String crasherUid = pod("crasher").getMetadata().getUid();
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(containersOf(crasherUid).stream()
        .filter(c -> "container".equals(c.getLabels().get("io.kubernetes.docker.type")))).hasSizeLessThanOrEqualTo(2));
  }

  @Test
  @Order(8)
  void aContainerKilledBehindTheKubeletsBackIsNoticedAndRestarted() {
    Pod web = pod("web-2");
    String id = web.getStatus().getContainerStatuses().get(0).getContainerID().substring("docker://".length());
    docker.client().killContainerCmd(id).exec();
    await().atMost(TIMEOUT).ignoreExceptions().untilAsserted(() -> {
      ContainerStatus httpd = pod("web-2").getStatus().getContainerStatuses().get(0);
      assertThat(httpd.getRestartCount()).isEqualTo(1);
      assertThat(httpd.getState().getRunning()).isNotNull();
      assertThat(httpd.getContainerID()).isNotEqualTo("docker://" + id);
      assertThat(httpd.getLastState().getTerminated().getExitCode()).isEqualTo(137);
      assertThat(get("http://" + web.getStatus().getPodIP() + "/")).isEqualTo("200 " + LocalImages.INDEX);
    });
    assertThat(pod("web-2").getStatus().getPodIP()).isEqualTo(web.getStatus().getPodIP());
  }

  @Test
  @Order(9)
  void aFailingLivenessProbeRestartsTheContainerAndReadinessGatesReady() throws Exception {
    // Liveness: /www/healthy exists until the container removes it after a while; then the probe fails.
    create(newPod("probed").editSpec().addNewContainer().withName("app").withImage(IMAGE)
        .withImagePullPolicy("IfNotPresent")
        .withCommand("sh", "-c", "echo ok > /www/healthy; (sleep 3; rm /www/healthy) & exec httpd -f -p 80 -h /www")
        .withNewLivenessProbe().withNewHttpGet().withPath("/healthy").withNewPort(80).endHttpGet()
        .withPeriodSeconds(1).withFailureThreshold(2).endLivenessProbe()
        .withNewReadinessProbe().withNewExec().withCommand("test", "-f", "/tmp/ready").endExec()
        .withPeriodSeconds(1).endReadinessProbe()
        .endContainer().endSpec().build());
    await().atMost(TIMEOUT).ignoreExceptions().untilAsserted(() -> {
      Pod pod = pod("probed");
      assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
      assertThat(pod.getStatus().getContainerStatuses().get(0).getRestartCount()).isGreaterThanOrEqualTo(1);
      assertThat(pod.getStatus().getContainerStatuses().get(0).getReady()).isFalse();
      assertThat(pod.getStatus().getConditions()).anySatisfy(c -> {
        assertThat(c.getType()).isEqualTo("Ready");
        assertThat(c.getStatus()).isEqualTo("False");
      });
    });
    await().atMost(TIMEOUT).untilAsserted(() ->
        assertThat(client.v1().events().inNamespace("default").list().getItems()).anySatisfy(event -> {
          assertThat(event.getInvolvedObject().getName()).isEqualTo("probed");
          assertThat(event.getReason()).isEqualTo("Unhealthy");
          assertThat(event.getMessage()).startsWith("Liveness probe failed: HTTP probe failed with statuscode: 404");
        }));

    // Each instance lives a few seconds before its liveness probe kills it: the file that makes it ready
    // goes into whichever instance runs now, until one is seen ready before it dies.
    await().atMost(TIMEOUT).ignoreExceptions().untilAsserted(() -> {
      ContainerStatus app = pod("probed").getStatus().getContainerStatuses().get(0);
      if (!Boolean.TRUE.equals(app.getReady())) {
        String id = app.getContainerID().substring("docker://".length());
        String exec = docker.client().execCreateCmd(id).withCmd("touch", "/tmp/ready").exec().getId();
        docker.client().execStartCmd(exec).start().awaitCompletion(10, java.util.concurrent.TimeUnit.SECONDS);
      }
      assertThat(app.getReady()).isTrue();
    });
  }

  @Test
  @Order(10)
  void anImageThatCannotBePulledGoesToImagePullBackOff() {
    // A registry on a loopback port where nothing listens: the pull fails at once, and nothing leaves the machine.
    create(newPod("no-image").editSpec().addNewContainer().withName("app").withImage("127.0.0.1:9/kubemu/none:1")
        .endContainer().endSpec().build());
    await().atMost(TIMEOUT).ignoreExceptions().untilAsserted(() -> {
      ContainerStatus app = pod("no-image").getStatus().getContainerStatuses().get(0);
      assertThat(app.getState().getWaiting().getReason()).isEqualTo("ImagePullBackOff");
      assertThat(app.getState().getWaiting().getMessage())
          .isEqualTo("Back-off pulling image \"127.0.0.1:9/kubemu/none:1\"");
    });
    assertThat(client.v1().events().inNamespace("default").list().getItems()).anySatisfy(event -> {
      assertThat(event.getInvolvedObject().getName()).isEqualTo("no-image");
      assertThat(event.getReason()).isEqualTo("Failed");
      assertThat(event.getMessage()).startsWith("Failed to pull image \"127.0.0.1:9/kubemu/none:1\"");
    });
  }

  @Test
  @Order(11)
  void environmentAndConfigMapVolumesReachTheContainer() throws Exception {
    client.configMaps().inNamespace("default").resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
        .withNewMetadata().withName("settings").endMetadata().addToData("greeting", "hello from a ConfigMap").build())
        .create();
    create(newPod("configured").editSpec()
        .addNewVolume().withName("settings").withNewConfigMap().withName("settings").endConfigMap().endVolume()
        .addNewContainer().withName("app").withImage(IMAGE).withImagePullPolicy("IfNotPresent")
        .addNewEnv().withName("MY_POD_IP").withNewValueFrom().withNewFieldRef().withFieldPath("status.podIP")
        .endFieldRef().endValueFrom().endEnv()
        .addNewEnv().withName("GREETING_FILE").withValue("/etc/settings/greeting").endEnv()
        .addNewVolumeMount().withName("settings").withMountPath("/etc/settings").endVolumeMount()
        .withNewResources().addToLimits("cpu", new io.fabric8.kubernetes.api.model.Quantity("500m"))
        .addToLimits("memory", new io.fabric8.kubernetes.api.model.Quantity("64Mi")).endResources()
        .withCommand("sh", "-c", "echo ip=$MY_POD_IP; cat $GREETING_FILE; echo; exec sleep 3600").endContainer()
        .endSpec().build());
    awaitRunning("configured");
    String id = pod("configured").getStatus().getContainerStatuses().get(0).getContainerID()
        .substring("docker://".length());
    com.github.dockerjava.api.model.HostConfig limits = docker.client().inspectContainerCmd(id).exec().getHostConfig();
    assertThat(limits.getMemory()).isEqualTo(64L * 1024 * 1024);
    assertThat(limits.getCpuQuota()).isEqualTo(50_000L);
    assertThat(limits.getCpuPeriod()).isEqualTo(100_000L);
    assertThat(limits.getCpuShares()).isEqualTo(512); // the request defaults to the limit
    String ip = pod("configured").getStatus().getPodIP();
    await().atMost(TIMEOUT).untilAsserted(() ->
        assertThat(kubectl.run("logs", "configured").out()).isEqualTo("ip=" + ip + "\nhello from a ConfigMap\n"));
  }

  @Test
  @Order(12)
  void whatAContainerWritesToDevTerminationLogOrItsLogOnErrorIsItsTerminatedMessage() {
    create(newPod("says-bye").editSpec().withRestartPolicy("Never").addNewContainer().withName("app").withImage(IMAGE)
        .withImagePullPolicy("IfNotPresent").withCommand("sh", "-c", "echo 'bye now' > /dev/termination-log; exit 2")
        .endContainer().endSpec().build());
    create(newPod("fails-loudly").editSpec().withRestartPolicy("Never").addNewContainer().withName("app")
        .withImage(IMAGE).withImagePullPolicy("IfNotPresent").withTerminationMessagePolicy("FallbackToLogsOnError")
        .withCommand("sh", "-c", "echo 'cannot reach the database'; echo 'giving up'; exit 1").endContainer().endSpec()
        .build());
    await().atMost(TIMEOUT).ignoreExceptions().untilAsserted(() -> {
      Pod pod = pod("says-bye");
      assertThat(pod.getStatus().getPhase()).isEqualTo("Failed");
      var terminated = pod.getStatus().getContainerStatuses().get(0).getState().getTerminated();
      assertThat(terminated.getExitCode()).isEqualTo(2);
      assertThat(terminated.getMessage()).isEqualTo("bye now\n");
    });
    await().atMost(TIMEOUT).ignoreExceptions().untilAsserted(() -> {
      Pod pod = pod("fails-loudly");
      assertThat(pod.getStatus().getPhase()).isEqualTo("Failed");
      var terminated = pod.getStatus().getContainerStatuses().get(0).getState().getTerminated();
      assertThat(terminated.getExitCode()).isEqualTo(1);
      assertThat(terminated.getMessage()).isEqualTo("cannot reach the database\ngiving up\n");
    });
  }
}
