package io.kubemu.kubelet.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HostLocalIpamTest {
  @Test
  void firstPodGetsTheAddressAfterTheGateway() {
    HostLocalIpam ipam = new HostLocalIpam("10.42.1.0/24");
    assertThat(ipam.gateway()).isEqualTo("10.42.1.1");
    assertThat(ipam.allocate("pod-a")).isEqualTo("10.42.1.2");
    assertThat(ipam.allocate("pod-b")).isEqualTo("10.42.1.3");
  }

  @Test
  void aPodAskingAgainKeepsItsAddress() {
    HostLocalIpam ipam = new HostLocalIpam("10.42.1.0/24");
    String first = ipam.allocate("pod-a");
    assertThat(ipam.allocate("pod-a")).isEqualTo(first);
    assertThat(ipam.allocated()).isEqualTo(1);
  }

  @Test
  void aFreedAddressIsNotHandedOutAgainAtOnce() {
    HostLocalIpam ipam = new HostLocalIpam("10.42.1.0/24");
    String a = ipam.allocate("pod-a");
    ipam.allocate("pod-b");
    ipam.release("pod-a");
    assertThat(ipam.allocate("pod-c")).isEqualTo("10.42.1.4").isNotEqualTo(a);
  }

  @Test
  void a24HoldsTwoHundredFiftyThreePodsNeverTheGatewayNetworkOrBroadcast() {
    HostLocalIpam ipam = new HostLocalIpam("10.42.7.0/24");
    Set<String> given = new HashSet<>();
    for (int i = 0; i < 253; i++) {
      given.add(ipam.allocate("pod-" + i));
    }
    assertThat(given).hasSize(253).doesNotContain("10.42.7.0", "10.42.7.1", "10.42.7.255");
    assertThatThrownBy(() -> ipam.allocate("one-too-many")).isInstanceOf(HostLocalIpam.RangeFullException.class)
        .hasMessageContaining("no IP addresses available in range set: 10.42.7.0/24");
    ipam.release("pod-17");
    assertThat(ipam.allocate("one-too-many")).isNotNull();
  }

  @Test
  void reservedAddressesOfAdoptedPodsAreNotGivenToOthers() {
    HostLocalIpam ipam = new HostLocalIpam("10.42.1.0/24");
    assertThat(ipam.reserve("10.42.1.2", "adopted")).isTrue();
    assertThat(ipam.reserve("10.42.1.2", "someone-else")).isFalse();
    assertThat(ipam.reserve("10.42.2.9", "outside")).isFalse();
    assertThat(ipam.reserve("10.42.1.1", "gateway")).isFalse();
    assertThat(ipam.allocate("new")).isEqualTo("10.42.1.3");
  }

  @Test
  void aCidrIsNormalisedToItsNetwork() {
    assertThat(new HostLocalIpam("10.42.1.77/24").cidr()).isEqualTo("10.42.1.0/24");
  }

  @Test
  void badCidrsSayWhatIsWrong() {
    assertThatThrownBy(() -> new HostLocalIpam("10.42.1.0")).hasMessageContaining("is not an IPv4 CIDR");
    assertThatThrownBy(() -> new HostLocalIpam("10.42.1.0/31")).hasMessageContaining("between /8 and /29");
    assertThatThrownBy(() -> new HostLocalIpam("10.42.300.0/24")).hasMessageContaining("is not an IPv4 address");
    assertThatThrownBy(() -> new HostLocalIpam("fd00::/64")).isInstanceOf(IllegalArgumentException.class);
  }
}
