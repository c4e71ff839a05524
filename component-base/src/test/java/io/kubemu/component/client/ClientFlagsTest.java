package io.kubemu.component.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class ClientFlagsTest {
  @Command
  static final class Component {
    @Mixin
    ClientFlags flags;
  }

  private static ClientConfig parse(String... args) {
    Component component = new Component();
    new CommandLine(component).parseArgs(args);
    return component.flags.config();
  }

  @Test
  void theServerOrAKubeconfigWithKubernetesRateLimitDefaults() {
    assertThat(parse("--server", "http://127.0.0.1:8080"))
        .isEqualTo(new ClientConfig("http://127.0.0.1:8080", null, 20, 30));
    assertThat(parse("--master", "http://10.0.0.1:8080", "--kube-api-qps", "100", "--kube-api-burst", "200"))
        .isEqualTo(new ClientConfig("http://10.0.0.1:8080", null, 100, 200));
    assertThat(parse("--kubeconfig", "/tmp/kubeconfig").kubeconfig()).isEqualTo(Path.of("/tmp/kubeconfig"));
  }

  @Test
  void withoutEitherTheComponentSaysWhatItNeeds() {
    assertThatThrownBy(() -> parse()).hasMessage("say where the apiserver is: --server URL or --kubeconfig FILE");
  }
}
