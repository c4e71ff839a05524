package io.kubemu.component.leaderelection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class LeaderElectionConfigTest {
  @Command
  static final class Component {
    @Mixin
    LeaderElectionFlags flags;
  }

  private static LeaderElectionConfig parse(String... args) {
    Component component = new Component();
    new CommandLine(component).parseArgs(args);
    return component.flags.config("kube-controller-manager");
  }

  @Test
  void kubernetesDefaults() {
    assertThat(parse()).isEqualTo(LeaderElectionConfig.defaults("kube-controller-manager"));
    assertThat(parse()).isEqualTo(new LeaderElectionConfig(true, Duration.ofSeconds(15), Duration.ofSeconds(10),
        Duration.ofSeconds(2), "kube-system", "kube-controller-manager"));
  }

  @Test
  void flagsAsKubernetesSpellsThem() {
    LeaderElectionConfig config = parse("--leader-elect=false", "--leader-elect-lease-duration", "4s",
        "--leader-elect-renew-deadline", "3s", "--leader-elect-retry-period", "500ms",
        "--leader-elect-resource-name", "other", "--leader-elect-resource-namespace", "elections");
    assertThat(config).isEqualTo(new LeaderElectionConfig(false, Duration.ofSeconds(4), Duration.ofSeconds(3),
        Duration.ofMillis(500), "elections", "other"));
    assertThat(parse("--leader-elect").enabled()).isTrue();
  }

  @Test
  void timingsThatCannotWorkAreRefusedWithClientGosMessages() {
    assertThatThrownBy(() -> parse("--leader-elect-lease-duration", "10s"))
        .hasMessage("leaseDuration must be greater than renewDeadline");
    assertThatThrownBy(() -> parse("--leader-elect-retry-period", "9s"))
        .hasMessage("renewDeadline must be greater than retryPeriod*JitterFactor");
  }
}
