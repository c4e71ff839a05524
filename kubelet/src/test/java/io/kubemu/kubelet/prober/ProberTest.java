package io.kubemu.kubelet.prober;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.kubemu.kubelet.prober.ProbeResult.Result;
import io.kubemu.kubelet.runtime.fake.FakeClock;
import io.kubemu.kubelet.runtime.fake.FakeRuntime;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProberTest {
  private final FakeRuntime runtime = new FakeRuntime(new FakeClock(Instant.parse("2026-11-26T10:00:00Z")));
  private final Prober prober = new Prober(runtime, true);
  private final Map<String, String> seenHeaders = new ConcurrentHashMap<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private HttpServer server;
  private int port;

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/healthz", exchange -> {
      seenHeaders.put("User-Agent", String.valueOf(exchange.getRequestHeaders().getFirst("User-Agent")));
      seenHeaders.put("X-Probe", String.valueOf(exchange.getRequestHeaders().getFirst("X-Probe")));
      answer(exchange, 200, "ok");
    });
    server.createContext("/broken", exchange -> answer(exchange, 500, "broken"));
    server.createContext("/moved", exchange -> {
      exchange.getResponseHeaders().add("Location", "/healthz");
      answer(exchange, 302, "");
    });
    server.createContext("/slow", exchange -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      answer(exchange, 200, "late");
    });
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.start();
    port = server.getAddress().getPort();
  }

  @AfterEach
  void stopServer() {
    release.countDown();
    server.stop(0);
  }

  private static void answer(com.sun.net.httpserver.HttpExchange exchange, int code, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(code, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private Container container() {
    return new ContainerBuilder().withName("app").addNewPort().withName("http").withContainerPort(port).endPort().build();
  }

  private static Probe httpGet(String path, IntOrString port) {
    return new ProbeBuilder().withNewHttpGet().withPath(path).withPort(port).addNewHttpHeader().withName("X-Probe")
        .withValue("yes").endHttpHeader().endHttpGet().withTimeoutSeconds(1).build();
  }

  @Test
  void anHttpGetAnswered200SucceedsWithTheProbesHeadersAndTheKubeletsUserAgent() {
    ProbeResult result = prober.probe(httpGet("/healthz", new IntOrString(port)), container(), "c1", "127.0.0.1");
    assertThat(result.result()).isEqualTo(Result.SUCCESS);
    assertThat(seenHeaders).containsEntry("User-Agent", "kube-probe/1.33").containsEntry("X-Probe", "yes");
  }

  @Test
  void anHttpGetFindsItsPortByTheContainerPortsName() {
    assertThat(prober.probe(httpGet("/healthz", new IntOrString("http")), container(), "c1", "127.0.0.1").result())
        .isEqualTo(Result.SUCCESS);
  }

  @Test
  void anHttpGetFollowsARedirect() {
    assertThat(prober.probe(httpGet("/moved", new IntOrString(port)), container(), "c1", "127.0.0.1").result())
        .isEqualTo(Result.SUCCESS);
  }

  @Test
  void anHttpGetAnswered500FailsWithTheStatusCode() {
    ProbeResult result = prober.probe(httpGet("/broken", new IntOrString(port)), container(), "c1", "127.0.0.1");
    assertThat(result).isEqualTo(ProbeResult.failure("HTTP probe failed with statuscode: 500"));
  }

  @Test
  void anHttpGetNotAnsweredWithinTheTimeoutFails() {
    ProbeResult result = prober.probe(httpGet("/slow", new IntOrString(port)), container(), "c1", "127.0.0.1");
    assertThat(result.result()).isEqualTo(Result.FAILURE);
    assertThat(result.output()).isEqualTo("Get \"http://127.0.0.1:" + port
        + "/slow\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)");
  }

  @Test
  void aTcpSocketSucceedsWhenSomethingListensAndFailsWhenNothingDoes() throws IOException {
    int closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Probe tcp = new ProbeBuilder().withNewTcpSocket().withPort(new IntOrString(socket.getLocalPort())).endTcpSocket()
          .build();
      assertThat(prober.probe(tcp, container(), "c1", "127.0.0.1").result()).isEqualTo(Result.SUCCESS);
      closed = socket.getLocalPort();
    }
    Probe tcp = new ProbeBuilder().withNewTcpSocket().withPort(new IntOrString(closed)).endTcpSocket().build();
    assertThat(prober.probe(tcp, container(), "c1", "127.0.0.1"))
        .isEqualTo(ProbeResult.failure("dial tcp 127.0.0.1:" + closed + ": connect: connection refused"));
  }

  @Test
  void anExecProbeSucceedsOnExitCodeZeroOnly() {
    Probe exec = new ProbeBuilder().withNewExec().withCommand("cat", "/tmp/healthy").endExec().build();
    assertThat(prober.probe(exec, container(), "c1", "10.42.0.2").result()).isEqualTo(Result.SUCCESS);
    runtime.execExitCode(1);
    assertThat(prober.probe(exec, container(), "c1", "10.42.0.2")).isEqualTo(ProbeResult.failure("out"));
  }

  @Test
  void withoutNetworkProbesAnHttpGetToNothingSucceedsAsInKwok() {
    Prober simulated = new Prober(runtime, false);
    assertThat(simulated.probe(httpGet("/broken", new IntOrString(port)), container(), "c1", "127.0.0.1").result())
        .isEqualTo(Result.SUCCESS);
  }
}
