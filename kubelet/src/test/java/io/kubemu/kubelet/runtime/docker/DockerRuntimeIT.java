package io.kubemu.kubelet.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.model.Network;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Docker runtime's start against the real engine: the pods' network that every kubelet of a
 * cluster shares. Each test uses a network of its own name, removed at the end.
 */
class DockerRuntimeIT {
  /** A subnet no other test of this module uses, in the cluster's pod range. */
  private static final String SUBNET = "10.42.249.0/24";

  private DockerConnection docker;
  private String network;

  @BeforeEach
  void connect() {
    docker = DockerConnection.connect("unix:///var/run/docker.sock", Duration.ofMinutes(1));
    network = "kubemu-it-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
  }

  @AfterEach
  void removeNetworks() throws Exception {
    if (docker.hasNetwork(network)) {
      docker.client().removeNetworkCmd(network).exec();
    }
    docker.close();
  }

  @Test
  void kubeletsStartingAtTheSameMomentAllJoinTheOneNetworkOneOfThemCreated() throws Exception {
    // `kubemu up` starts its kubelets together: each finds no network and creates it. Docker
    // refuses all but one, by name (409) or, before the name is stored, by the subnet's pool (403).
    int kubelets = 6;
    // A thread each: the barrier waits for all of them, and a shared pool may have fewer threads.
    ExecutorService threads = Executors.newFixedThreadPool(kubelets);
    try {
      for (int round = 0; round < 5; round++) {
        CyclicBarrier together = new CyclicBarrier(kubelets);
        List<CompletableFuture<DockerRuntime>> starts = new ArrayList<>();
        for (int i = 0; i < kubelets; i++) {
          DockerRuntime runtime = new DockerRuntime(docker, "node-" + i, network, PauseImage.DEFAULT, () -> "it");
          starts.add(CompletableFuture.supplyAsync(() -> {
            try {
              together.await();
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
            return runtime.start(SUBNET);
          }, threads));
        }
        CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).exceptionally(failed -> null).join();
        for (CompletableFuture<DockerRuntime> start : starts) {
          assertThat(start.get()).isNotNull(); // every kubelet started, none failed
        }
        assertThat(docker.client().listNetworksCmd().withNameFilter(network).exec())
            .filteredOn(found -> found.getName().equals(network)).singleElement()
            .satisfies(found -> assertThat(found.getIpam().getConfig()).singleElement()
                .satisfies(config -> assertThat(config.getSubnet()).isEqualTo(SUBNET)));
        docker.client().removeNetworkCmd(network).exec();
      }
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void aSubnetAnotherNetworkHoldsIsSaidSo() {
    String other = network + "-other";
    docker.client().createNetworkCmd().withName(other).withDriver("bridge")
        .withIpam(new Network.Ipam().withConfig(new Network.Ipam.Config().withSubnet(SUBNET)))
        .withLabels(Map.of("io.kubemu.test", "true")).exec();
    try {
      DockerRuntime runtime = new DockerRuntime(docker, "node-0", network, PauseImage.DEFAULT, () -> "it");
      assertThatThrownBy(() -> runtime.start(SUBNET)).hasMessageContaining(SUBNET)
          .hasMessageContaining("the network " + other + " has that subnet");
      assertThat(docker.hasNetwork(network)).isFalse();
    } finally {
      docker.client().removeNetworkCmd(other).exec();
    }
  }
}
