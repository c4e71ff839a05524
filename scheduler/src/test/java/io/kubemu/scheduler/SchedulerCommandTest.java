package io.kubemu.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubemu.component.client.ClientConfig;
import io.kubemu.component.leaderelection.LeaderElectionConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SchedulerCommandTest {
  @Test
  void kubeSchedulersDefaults() {
    SchedulerCommand command = new SchedulerCommand();
    new CommandLine(command).parseArgs("--server", "http://127.0.0.1:8080");
    ClientConfig client = command.client.config();
    assertThat(client.qps()).isEqualTo(50);
    assertThat(client.burst()).isEqualTo(100);
    assertThat(command.port).isEqualTo(10259);
    LeaderElectionConfig election = command.leaderElection.config(SchedulerCommand.LEASE_NAME);
    assertThat(election.enabled()).isTrue();
    assertThat(election.namespace() + "/" + election.name()).isEqualTo("kube-system/kube-scheduler");
    assertThat(election.leaseDuration()).isEqualTo(Duration.ofSeconds(15));
  }

  @Test
  void flagsOverrideTheDefaults() {
    SchedulerCommand command = new SchedulerCommand();
    new CommandLine(command).parseArgs("--server", "http://127.0.0.1:8080", "--kube-api-qps", "5",
        "--leader-elect=false", "--secure-port", "0");
    assertThat(command.client.config().qps()).isEqualTo(5);
    assertThat(command.leaderElection.config(SchedulerCommand.LEASE_NAME).enabled()).isFalse();
    assertThat(command.port).isZero();
  }
}
