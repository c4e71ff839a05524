package io.kubemu.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DockerPeerTest {
  @Test
  void peerPodsTakeAddressesFromTheLastSlash24OfTheClusterNetwork() {
    assertThat(DockerPeer.addresses("10.42.0.0/16", 3)).containsExactly("10.42.255.1", "10.42.255.2", "10.42.255.3");
    assertThat(DockerPeer.addresses("10.64.0.0/10", 1)).containsExactly("10.127.255.1");
    assertThat(DockerPeer.addresses("192.168.7.0/24", 254)).startsWith("192.168.7.1").endsWith("192.168.7.254");
  }

  @Test
  void aNetworkSmallerThanASlash24OrMorePodsThanItHoldsAreRefused() {
    assertThatThrownBy(() -> DockerPeer.addresses("10.42.0.0/25", 1)).hasMessageContaining("smaller than a /24");
    assertThatThrownBy(() -> DockerPeer.addresses("10.42.0.0/16", 255)).hasMessageContaining("not 255");
  }
}
