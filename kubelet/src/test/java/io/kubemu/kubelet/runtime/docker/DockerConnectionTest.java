package io.kubemu.kubelet.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.SocketException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Docker host reached without TLS: its connection fails on the socket, and its SSL context refuses any use. */
class DockerConnectionTest {
  @Test
  void aHostWithoutTlsFailsOnItsSocketNotOnTls(@TempDir Path dir) throws Exception {
    String socket = dir.resolve("docker.sock").toString();
    try (DockerConnection docker = DockerConnection.connect("unix://" + socket)) {
      assertThatThrownBy(() -> docker.client().pingCmd().exec()).hasRootCauseInstanceOf(SocketException.class)
          .hasRootCauseMessage("No such file or directory");
    }
  }

  @Test
  void theContextOfAHostWithoutTlsRefusesEveryUse() {
    WithoutTls context = new WithoutTls();
    assertThat(context.getProtocol()).isEqualTo(WithoutTls.PROTOCOL);
    assertThatThrownBy(context::getSocketFactory).isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("DOCKER_TLS_VERIFY");
    assertThatThrownBy(() -> context.createSSLEngine("docker", 2376))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> context.init(null, null, null)).isInstanceOf(UnsupportedOperationException.class);
  }
}
