package io.kubemu.controllermanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The flags of the endpoint and node controllers: kube-controller-manager's names and defaults. */
class ControllerManagerFlagsTest {
  private static ControllerManagerConfig parse(String... args) {
    ControllerManagerCommand command = new ControllerManagerCommand();
    new CommandLine(command).parseArgs(args);
    return command.controllerConfig();
  }

  @Test
  void theDefaultsAreKubernetes() {
    ControllerManagerConfig config = parse();
    assertThat(config.concurrentEndpointSyncs()).isEqualTo(5);
    assertThat(config.concurrentServiceEndpointSyncs()).isEqualTo(5);
    assertThat(config.maxEndpointsPerSlice()).isEqualTo(100);
    assertThat(config.concurrentReplicaSetSyncs()).isEqualTo(5);
    assertThat(config.concurrentDeploymentSyncs()).isEqualTo(5);
    assertThat(config.nodeIpam().allocateNodeCidrs()).isFalse();
    assertThat(config.nodeIpam().clusterCidr()).isEqualTo("10.42.0.0/16");
    assertThat(config.nodeIpam().nodeCidrMaskSize()).isEqualTo(24);
    assertThat(config.nodeLifecycle().nodeMonitorPeriod()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.nodeLifecycle().nodeMonitorGracePeriod()).isEqualTo(Duration.ofSeconds(50));
    assertThat(config.nodeLifecycle().nodeStartupGracePeriod()).isEqualTo(Duration.ofMinutes(1));
    assertThat(config.nodeLifecycle().nodeEvictionRate()).isEqualTo(0.1);
    assertThat(config.nodeLifecycle().secondaryNodeEvictionRate()).isEqualTo(0.01);
    assertThat(config.nodeLifecycle().unhealthyZoneThreshold()).isEqualTo(0.55);
    assertThat(config.nodeLifecycle().largeClusterSizeThreshold()).isEqualTo(50);
  }

  @Test
  void flagsAreReadAndBadValuesRefusedClearly() {
    ControllerManagerConfig config = parse("--allocate-node-cidrs", "--cluster-cidr", "10.200.0.0/16",
        "--node-cidr-mask-size", "26", "--node-monitor-grace-period", "4s", "--max-endpoints-per-slice", "7");
    assertThat(config.nodeIpam().allocateNodeCidrs()).isTrue();
    assertThat(config.nodeIpam().nodeCidrMaskSize()).isEqualTo(26);
    assertThat(config.nodeLifecycle().nodeMonitorGracePeriod()).isEqualTo(Duration.ofSeconds(4));
    assertThat(config.maxEndpointsPerSlice()).isEqualTo(7);
    assertThatThrownBy(() -> parse("--max-endpoints-per-slice", "0"))
        .hasMessageContaining("--max-endpoints-per-slice must be between 1 and 1000");
    assertThatThrownBy(() -> parse("--allocate-node-cidrs=true", "--cluster-cidr", "10.42.0.0"))
        .hasMessageContaining("invalid CIDR address: 10.42.0.0");
    assertThatThrownBy(() -> parse("--node-monitor-period", "0s")).hasMessageContaining("--node-monitor-period");
    assertThatThrownBy(() -> parse("--unhealthy-zone-threshold", "2"))
        .hasMessageContaining("--unhealthy-zone-threshold");
  }
}
