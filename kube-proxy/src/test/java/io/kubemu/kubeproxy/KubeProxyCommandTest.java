package io.kubemu.kubeproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class KubeProxyCommandTest {
  @Test
  void proxyPortRangeIsReadAsKubernetesWritesIt() {
    assertThat(KubeProxyCommand.portRange("")).containsExactly(0, 0);
    assertThat(KubeProxyCommand.portRange("0-0")).containsExactly(0, 0);
    assertThat(KubeProxyCommand.portRange("20000-20099")).containsExactly(20000, 20099);
    assertThat(KubeProxyCommand.portRange("20000+9")).containsExactly(20000, 20009);
    assertThat(KubeProxyCommand.portRange("20000")).containsExactly(20000, 20000);
    assertThatThrownBy(() -> KubeProxyCommand.portRange("30000-20000")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--proxy-port-range");
  }

  @Test
  void anUnknownModeIsAUsageError() {
    StringWriter err = new StringWriter();
    int exit = new CommandLine(new KubeProxyCommand()).setErr(new PrintWriter(err))
        .execute("--server", "http://127.0.0.1:1", "--mode", "ipvs");
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("--mode is iptables or userspace, not 'ipvs'");
  }

  @Test
  void networkProgrammingStartsAtTheSlicesTriggerTimeWhenItHasOne() {
    EndpointSliceBuilder slice = new EndpointSliceBuilder().withNewMetadata().withNamespace("default")
        .withName("web-abcde").endMetadata();
    Instant before = Instant.now();
    assertThat(KubeProxyCommand.triggerTime(slice.build())).isAfterOrEqualTo(before);
    assertThat(KubeProxyCommand.triggerTime(slice.editMetadata().addToAnnotations(
        KubeProxyCommand.TRIGGER_TIME_ANNOTATION, "2026-11-26T10:00:00Z").endMetadata().build()))
        .isEqualTo(Instant.parse("2026-11-26T10:00:00Z"));
  }
}
