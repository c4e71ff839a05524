package io.kubemu.kubelet.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.zerodep.shaded.org.apache.hc.client5.http.psl.PublicSuffixMatcher;
import com.github.dockerjava.zerodep.shaded.org.apache.hc.client5.http.psl.PublicSuffixMatcherLoader;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Docker host without TLS: a unix socket gets an SSL context that refuses any use (docker-java
 * would otherwise load the JDK's default one), and a tcp:// host is still spoken to in plain HTTP.
 * The transport's HTTP library finds the kubelet's empty public suffix list, not its own.
 */
class DockerConnectionTest {
  @Test
  void aUnixSocketHostFailsOnItsSocketNotOnTls(@TempDir Path dir) throws Exception {
    try (DockerConnection docker = DockerConnection.connect("unix://" + dir.resolve("docker.sock"))) {
      assertThatThrownBy(() -> docker.client().pingCmd().exec()).hasRootCauseInstanceOf(SocketException.class);
    }
  }

  @Test
  void aTcpHostWithoutTlsIsSpokenToInPlainHttp() throws Exception {
    try (ServerSocket engine = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<String> requestLine = CompletableFuture.supplyAsync(() -> answerOnePing(engine));
      try (DockerConnection docker = DockerConnection.connect("tcp://127.0.0.1:" + engine.getLocalPort())) {
        docker.client().pingCmd().exec();
      }
      assertThat(requestLine.get(10, TimeUnit.SECONDS)).isEqualTo("GET /_ping HTTP/1.1");
    }
  }

  @Test
  void theContextOfALocalSocketRefusesEveryUse() {
    WithoutTls context = new WithoutTls();
    assertThat(context.getProtocol()).isEqualTo(WithoutTls.PROTOCOL);
    assertThatThrownBy(context::getSocketFactory).isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("without TLS");
    assertThatThrownBy(() -> context.createSSLEngine("docker", 2376))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> context.init(null, null, null)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void theTransportHoldsNoPublicSuffixList() {
    PublicSuffixMatcher suffixes = PublicSuffixMatcherLoader.getDefault();
    // The list in docker-java's jar has every registry's suffixes; the kubelet's has none.
    assertThat(suffixes.matches("co.uk")).isFalse();
    assertThat(PublicSuffixMatcherLoader.class.getResource("/org/publicsuffix/list/effective_tld_names.dat"))
        .isNotNull().asString().doesNotContain("zerodep");
  }

  /** Docker's answer to a ping, for one connection; returns the request line it got. */
  private static String answerOnePing(ServerSocket engine) {
    try (Socket connection = engine.accept()) {
      BufferedReader request = new BufferedReader(new InputStreamReader(connection.getInputStream(),
          StandardCharsets.US_ASCII));
      String first = request.readLine();
      for (String header = first; header != null && !header.isEmpty(); header = request.readLine()) {
        // the headers, up to the blank line that ends them
      }
      OutputStream response = connection.getOutputStream();
      response.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nApi-Version: 1.41\r\n\r\nOK"
          .getBytes(StandardCharsets.US_ASCII));
      response.flush();
      return first;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
