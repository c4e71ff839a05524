package io.kubemu.controllermanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two controller-managers with {@code --leader-elect}, as a highly available control plane runs
 * them: only the holder of the {@code kube-system/kube-controller-manager} Lease runs controllers;
 * when its process is killed, the standby takes the lease over once it expires, and acts.
 */
class LeaderElectionIT {
  /** kube-controller-manager's default --leader-elect-lease-duration. */
  private static final Duration LEASE_DURATION = Duration.ofSeconds(15);

  @TempDir
  static Path dir;

  static ControlPlane cluster;

  @BeforeAll
  static void start() throws Exception {
    cluster = ControlPlane.start(dir);
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static Lease lease() {
    return cluster.client.leases().inNamespace("kube-system").withName("kube-controller-manager").get();
  }

  private static boolean getsTheDefaultServiceAccount(String namespace) {
    cluster.client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata()
        .build()).create();
    await().atMost(Duration.ofSeconds(15))
        .until(() -> cluster.client.serviceAccounts().inNamespace(namespace).withName("default").get() != null);
    return true;
  }

  @Test
  void onlyTheLeaseHolderActsAndTheStandbyTakesOverWhenTheLeaderIsKilled() throws Exception {
    ControllerManagerProcess first = cluster.startControllerManager("controller-manager-1", "--leader-elect");
    await().atMost(Duration.ofSeconds(60)).until(first::runsControllers);
    ControllerManagerProcess second = cluster.startControllerManager("controller-manager-2", "--leader-elect");
    await().atMost(Duration.ofSeconds(60)).until(() -> second.identity() != null);

    Lease held = lease();
    assertThat(held.getSpec().getHolderIdentity()).isEqualTo(first.identity())
        .startsWith(InetAddress.getLocalHost().getHostName() + "_");
    assertThat(held.getSpec().getLeaseDurationSeconds()).isEqualTo((int) LEASE_DURATION.toSeconds());
    assertThat(getsTheDefaultServiceAccount("while-first-leads")).isTrue();
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> !second.leads());
    assertThat(second.runsControllers()).as("the standby runs no controllers").isFalse();

    long killed = System.nanoTime();
    first.kill();

    await().atMost(LEASE_DURATION.plusSeconds(15)).until(second::runsControllers);
    Duration takeover = Duration.ofNanos(System.nanoTime() - killed);
    assertThat(takeover).as("taken over once the lease expired, not later")
        .isLessThanOrEqualTo(LEASE_DURATION.plusSeconds(8));
    assertThat(lease().getSpec().getHolderIdentity()).isEqualTo(second.identity());
    assertThat(lease().getSpec().getLeaseTransitions()).isEqualTo(1);
    assertThat(getsTheDefaultServiceAccount("after-takeover")).isTrue();

    second.close(); // SIGTERM: a leader that stops cleanly gives the lease up
    assertThat(lease().getSpec().getLeaseDurationSeconds()).as("released: a standby takes over at its next try")
        .isEqualTo(1);
  }
}
