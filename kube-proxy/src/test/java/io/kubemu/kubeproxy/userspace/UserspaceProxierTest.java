package io.kubemu.kubeproxy.userspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.kubemu.kubeproxy.healthcheck.ProxierHealthServer;
import io.kubemu.kubeproxy.model.Endpoint;
import io.kubemu.kubeproxy.model.ServicePort;
import io.kubemu.kubeproxy.model.ServicePortName;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UserspaceProxierTest {
  private static final ServicePortName WEB = new ServicePortName("default", "web", "http");

  private final ProxierHealthServer health = new ProxierHealthServer(Clock.systemUTC(), Duration.ofMinutes(1));
  private Vertx vertx;
  private UserspaceProxier proxier;
  private final List<NetServer> backends = new ArrayList<>();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    proxier = new UserspaceProxier(vertx, 0, 0, List::of, health);
  }

  @AfterEach
  void stop() throws Exception {
    proxier.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** A backend that answers every connection with its name and closes it. */
  private Endpoint backend(String name) throws Exception {
    NetServer server = vertx.createNetServer().connectHandler(socket -> socket.end(Buffer.buffer(name)))
        .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    backends.add(server);
    return new Endpoint("127.0.0.1", server.actualPort());
  }

  /** An endpoint where nobody listens: connections to it are refused. */
  private static Endpoint dead() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return new Endpoint("127.0.0.1", socket.getLocalPort());
    }
  }

  private static ServicePort web(int nodePort, Endpoint... endpoints) {
    return new ServicePort(WEB, "10.43.0.10", 80, "TCP", nodePort, false, 10800, List.of(endpoints));
  }

  private static String request(int port) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
      socket.setSoTimeout(3000);
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void connectionsGoToTheReadyEndpointsInTurnSkippingOnesThatRefuse() throws Exception {
    Endpoint b1 = backend("b1");
    Endpoint b2 = backend("b2");
    assertThat(proxier.sync(List.of(web(0, b1, dead(), b2)))).isTrue();
    int port = proxier.localPort(WEB);
    List<String> answers = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      answers.add(request(port));
    }
    assertThat(answers).containsOnly("b1", "b2").contains("b1", "b2");
  }

  @Test
  void anEndpointNoLongerReadyGetsNoConnections() throws Exception {
    Endpoint b1 = backend("b1");
    Endpoint b2 = backend("b2");
    proxier.sync(List.of(web(0, b1, b2)));
    int port = proxier.localPort(WEB);
    proxier.sync(List.of(web(0, b2)));
    assertThat(proxier.localPort(WEB)).isEqualTo(port);
    for (int i = 0; i < 4; i++) {
      assertThat(request(port)).isEqualTo("b2");
    }
  }

  @Test
  void aNodePortServiceListensAtItsNodePortAndStopsWhenTheServiceGoes() throws Exception {
    int nodePort = dead().port();
    proxier.sync(List.of(web(nodePort, backend("b1"))));
    assertThat(proxier.localPort(WEB)).isEqualTo(nodePort);
    assertThat(request(nodePort)).isEqualTo("b1");
    proxier.sync(List.of());
    assertThat(proxier.localPort(WEB)).isEqualTo(-1);
    // Closed once sync returns; a loaded machine may still be tearing the socket down for a moment.
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThatThrownBy(() -> request(nodePort)).isInstanceOf(ConnectException.class));
  }

  @Test
  void aServiceWithoutEndpointsClosesConnectionsAtOnce() throws Exception {
    proxier.sync(List.of(web(0)));
    assertThat(request(proxier.localPort(WEB))).isEmpty();
  }

  @Test
  void clusterIpPortsTakeTheFirstFreePortOfTheProxyPortRange() throws Exception {
    int first = dead().port();
    UserspaceProxier ranged = new UserspaceProxier(vertx, first, first + 5, List::of, health);
    try {
      ServicePort other = new ServicePort(new ServicePortName("default", "other", ""), "10.43.0.11", 80, "TCP", 0,
          false, 10800, List.of(backend("o")));
      ranged.sync(List.of(web(0, backend("w")), other));
      assertThat(List.of(ranged.localPort(WEB), ranged.localPort(other.name())))
          .allSatisfy(port -> assertThat(port).isBetween(first, first + 5)).doesNotHaveDuplicates();
      assertThat(request(ranged.localPort(other.name()))).isEqualTo("o");
    } finally {
      ranged.close();
    }
  }
}
