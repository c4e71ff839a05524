package io.kubemu.kubeproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Network;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kubemu.apiserver.Apiserver;
import io.kubemu.etcd.EtcdCluster;
import io.kubemu.kubelet.runtime.docker.DockerConnection;
import io.kubemu.kubelet.runtime.docker.LocalImages;
import io.kubemu.kubeproxy.iptables.ChainNames;
import io.kubemu.kubeproxy.iptables.IptablesRunner;
import io.kubemu.kubeproxy.model.ServicePortName;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * kube-proxy's iptables mode on this machine's real iptables: a real store and apiserver, three
 * busybox httpd containers on the pods' Docker network (each answers its own name), a Service
 * and a hand-written EndpointSlice for them, kube-proxy as a process of its own. Requests from
 * the host to the ClusterIP reach the backends; at the end {@code --cleanup} removes every rule.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubeProxyIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final String NETWORK = "kubemu";
  private static final String LABEL = "io.kubemu.test";
  private static final String LABEL_VALUE = "kube-proxy-it";
  private static final List<String> BACKENDS = List.of("b1", "b2", "b3");
  private static final Path LOGS = Path.of("target", "kube-proxy-it");

  @TempDir
  static Path dir;

  static DockerConnection docker;
  static boolean networkWasThere = true;
  static EtcdCluster store;
  static Apiserver apiserver;
  static KubernetesClient client;
  static Process kubeProxy;
  static int healthzPort;
  static int metricsPort;
  static final List<String> ips = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    docker = DockerConnection.connect("unix:///var/run/docker.sock", Duration.ofMinutes(1));
    LocalImages.ensureBusybox(docker);
    removeContainers();
    ensureNetwork();
    for (int i = 0; i < BACKENDS.size(); i++) {
      String ip = "10.42.251." + (11 + i);
      String name = BACKENDS.get(i);
      String id = docker.client().createContainerCmd(LocalImages.BUSYBOX).withName("kube-proxy-it-" + name)
          .withLabels(Map.of(LABEL, LABEL_VALUE))
          .withCmd("sh", "-c", "echo " + name + " > /www/index.html; exec httpd -f -p 80 -h /www")
          .withHostConfig(HostConfig.newHostConfig().withNetworkMode(NETWORK))
          .withIpv4Address(ip).exec().getId();
      docker.client().startContainerCmd(id).exec();
      ips.add(ip);
    }
    store = new EtcdCluster(dir.resolve("store"), 3).start();
    apiserver = new Apiserver(new Apiserver.Config(store.endpoints(), "127.0.0.1", 0)).start();
    Config config = new ConfigBuilder(Config.empty()).withMasterUrl("http://127.0.0.1:" + apiserver.port())
        .withRequestRetryBackoffLimit(20).withRequestRetryBackoffInterval(100).build();
    client = new KubernetesClientBuilder().withConfig(config).build();
    healthzPort = freePort();
    metricsPort = freePort();
    Files.createDirectories(LOGS);
    kubeProxy = startKubeProxy("kube-proxy.log");
  }

  private static Process startKubeProxy(String log) throws IOException {
    return kubeProxy(log, "--server", "http://127.0.0.1:" + apiserver.port(), "--node-name", "node-1",
        "--iptables-min-sync-period", "200ms", "--healthz-bind-address", "127.0.0.1:" + healthzPort,
        "--metrics-bind-address", "127.0.0.1:" + metricsPort);
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (kubeProxy != null) {
        kubeProxy.destroy();
        kubeProxy.waitFor(15, TimeUnit.SECONDS);
      }
      Process cleanup = kubeProxy("kube-proxy-cleanup.log", "--cleanup");
      assertThat(cleanup.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(cleanup.exitValue()).isZero();
      IptablesRunner iptables = new IptablesRunner();
      assertThat(iptables.save("nat") + iptables.save("filter")).doesNotContain("KUBE-");
    } finally {
      if (docker != null) {
        removeContainers();
        if (!networkWasThere) {
          docker.client().removeNetworkCmd(NETWORK).exec();
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
  }

  private static Process kubeProxy(String log, String... flags) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        KubeProxyCommand.class.getName()));
    command.addAll(List.of(flags));
    return new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(LOGS.resolve(log).toFile())).start();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void ensureNetwork() {
    networkWasThere = docker.hasNetwork(NETWORK);
    if (!networkWasThere) {
      docker.client().createNetworkCmd().withName(NETWORK).withDriver("bridge")
          .withIpam(new Network.Ipam().withConfig(new Network.Ipam.Config().withSubnet("10.42.0.0/16")))
          .withLabels(Map.of("io.kubemu.network", "pods")).exec();
    }
  }

  private static void removeContainers() {
    for (Container container : docker.client().listContainersCmd().withShowAll(true)
        .withLabelFilter(Map.of(LABEL, LABEL_VALUE)).exec()) {
      docker.client().removeContainerCmd(container.getId()).withForce(true).exec();
    }
  }

  private static String get(String url) throws Exception {
    return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build().send(HttpRequest.newBuilder(
        URI.create(url)).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  /** One request on a connection of its own (each one a new DNAT decision), bounded by timeouts. */
  private static String get(String host, int port) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 2000);
      socket.setSoTimeout(3000);
      OutputStream out = socket.getOutputStream();
      out.write(("GET / HTTP/1.0\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return response.substring(response.indexOf("\r\n\r\n") + 4).strip();
    }
  }

  private static Set<String> answers(String host, int port, int requests) throws IOException {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < requests; i++) {
      seen.add(get(host, port));
    }
    return seen;
  }

  private static Service service(String name, String type) {
    return client.services().inNamespace("default").resource(new ServiceBuilder().withNewMetadata().withName(name)
        .endMetadata().withNewSpec().withType(type).addNewPort().withName("http").withPort(80).withProtocol("TCP")
        .endPort().endSpec().build()).create();
  }

  private static EndpointSlice slice(String service, boolean thirdReady) {
    EndpointSliceBuilder slice = new EndpointSliceBuilder().withNewMetadata().withName(service + "-abcde")
        .addToLabels("kubernetes.io/service-name", service).endMetadata().withAddressType("IPv4")
        .addNewPort().withName("http").withPort(80).withProtocol("TCP").endPort();
    for (int i = 0; i < ips.size(); i++) {
      slice.addNewEndpoint().withAddresses(ips.get(i)).withNewConditions().withReady(i < 2 || thirdReady)
          .endConditions().endEndpoint();
    }
    return slice.build();
  }

  /** The node's own address on the pods' bridge (10.42.0.1 when the network is 10.42.0.0/16). */
  private static String hostAddressOnThePodNetwork() throws IOException {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      for (InetAddress address : Collections.list(nic.getInetAddresses())) {
        if (address instanceof Inet4Address && address.getHostAddress().startsWith("10.42.")) {
          return address.getHostAddress();
        }
      }
    }
    throw new IllegalStateException("no address of this machine is on the pods' network 10.42.0.0/16");
  }

  private static String iptablesSave(String table) throws IOException {
    return new IptablesRunner().save(table);
  }

  static String clusterIP;
  static int nodePort;

  @Test
  @Order(1)
  void clusterIpFromTheHostReachesEveryReadyBackend() throws Exception {
    Service web = service("web", "NodePort");
    clusterIP = web.getSpec().getClusterIP();
    nodePort = web.getSpec().getPorts().get(0).getNodePort();
    client.resource(slice("web", true)).inNamespace("default").create();
    await().atMost(TIMEOUT).ignoreExceptions().untilAsserted(
        () -> assertThat(answers(clusterIP, 80, 30)).containsExactlyInAnyOrderElementsOf(BACKENDS));
    assertThat(iptablesSave("nat")).contains("-A KUBE-SERVICES -d " + clusterIP
        + "/32 -p tcp -m comment --comment \"default/web:http cluster IP\"");
  }

  @Test
  @Order(2)
  void nodePortOnTheNodesAddressReachesTheBackends() throws Exception {
    String nodeAddress = hostAddressOnThePodNetwork();
    await().atMost(TIMEOUT).ignoreExceptions().untilAsserted(
        () -> assertThat(answers(nodeAddress, nodePort, 30)).containsExactlyInAnyOrderElementsOf(BACKENDS));
  }

  @Test
  @Order(3)
  void userspaceModeServesTheNodePortOnLoopback() throws Exception {
    Process userspace = kubeProxy("kube-proxy-userspace.log", "--server", "http://127.0.0.1:" + apiserver.port(),
        "--node-name", "node-1", "--mode", "userspace", "--healthz-bind-address", "127.0.0.1:0",
        "--metrics-bind-address", "127.0.0.1:0");
    try {
      await().atMost(TIMEOUT).ignoreExceptions().untilAsserted(
          () -> assertThat(answers("127.0.0.1", nodePort, 9)).containsExactlyInAnyOrderElementsOf(BACKENDS));
    } finally {
      userspace.destroy();
      assertThat(userspace.waitFor(15, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  @Order(4)
  void anEndpointTurningUnreadyGetsNoMoreTraffic() throws Exception {
    client.resource(slice("web", false)).inNamespace("default").update();
    await().atMost(TIMEOUT).ignoreExceptions().untilAsserted(
        () -> assertThat(answers(clusterIP, 80, 30)).containsExactlyInAnyOrder("b1", "b2"));
  }

  @Test
  @Order(5)
  void theRulesStayWhileKubeProxyIsStoppedAndItsRestartKeepsThem() throws Exception {
    kubeProxy.destroy();
    assertThat(kubeProxy.waitFor(15, TimeUnit.SECONDS)).isTrue();
    assertThat(answers(clusterIP, 80, 30)).containsOnly("b1", "b2");
    kubeProxy = startKubeProxy("kube-proxy-restarted.log");
    // Its first sync rewrites what the first kube-proxy left; the traffic never notices.
    await().atMost(TIMEOUT).ignoreExceptions().untilAsserted(() -> assertThat(get("http://127.0.0.1:" + metricsPort
        + "/metrics")).containsPattern("kubeproxy_sync_proxy_rules_duration_seconds_count [1-9]"));
    assertThat(answers(clusterIP, 80, 30)).containsOnly("b1", "b2");
  }

  @Test
  @Order(6)
  void aServiceWithoutEndpointsRefusesConnectionsAtOnce() {
    String empty = service("empty", "ClusterIP").getSpec().getClusterIP();
    await().atMost(TIMEOUT).ignoreExceptions().untilAsserted(() -> {
      long start = System.nanoTime();
      assertThatThrownBy(() -> get(empty, 80)).isInstanceOf(ConnectException.class)
          .hasMessageContaining("refused");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
    });
  }

  @Test
  @Order(7)
  void aClusterIpNoServiceHasIsRefusedNotSentAway() throws Exception {
    // An address in the service range that no Service holds: the catch-all REJECT, no timeout.
    long start = System.nanoTime();
    assertThatThrownBy(() -> get("10.43.255.254", 80)).isInstanceOf(ConnectException.class)
        .hasMessageContaining("refused");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
  }

  @Test
  @Order(8)
  void healthzAndMetricsReportTheSyncs() throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpResponse<String> healthz = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + healthzPort
        + "/healthz")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(healthz.statusCode()).isEqualTo(200);
    assertThat(healthz.body()).contains("\"lastUpdated\"").contains("\"currentTime\"");
    assertThat(get("http://127.0.0.1:" + metricsPort + "/metrics")).contains("kubeproxy_sync_proxy_rules_duration_seconds_count")
        .containsPattern("kubeproxy_network_programming_duration_seconds_count [1-9]");
  }

  @Test
  @Order(9)
  void deletingTheServiceRemovesItsChains() throws Exception {
    String chain = ChainNames.service(new ServicePortName("default", "web", "http"), "TCP");
    assertThat(iptablesSave("nat")).contains("default/web:http").contains(":" + chain);
    client.services().inNamespace("default").withName("web").delete();
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(iptablesSave("nat")).doesNotContain("default/web:http")
        .doesNotContain(chain).doesNotContain(ChainNames.external(new ServicePortName("default", "web", "http"),
            "TCP")));
  }
}
