package io.kubemu.controllermanager.nodeipam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CidrSetTest {
  @Test
  void theDefaultClusterCidrHands256DistinctSlash24sInOrder() {
    CidrSet set = new CidrSet(NodeIpamConfig.DEFAULT_CLUSTER_CIDR, 24);
    assertThat(set.allocateNext()).isEqualTo("10.42.0.0/24");
    assertThat(set.allocateNext()).isEqualTo("10.42.1.0/24");
    java.util.Set<String> seen = new java.util.HashSet<>(java.util.List.of("10.42.0.0/24", "10.42.1.0/24"));
    for (int i = 2; i < 256; i++) {
      assertThat(seen.add(set.allocateNext())).isTrue();
    }
    assertThat(set.free()).isZero();
    assertThatThrownBy(set::allocateNext).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no remaining CIDRs");
  }

  @Test
  void occupiedCidrsAreNeverHandedOutAndAReleasedOneNotAtOnce() {
    CidrSet set = new CidrSet("10.42.0.0/16", 24);
    set.occupy("10.42.0.0/24"); // held by a Node before a restart
    set.occupy("10.42.2.0/24");
    assertThat(set.allocateNext()).isEqualTo("10.42.1.0/24");
    assertThat(set.allocateNext()).isEqualTo("10.42.3.0/24");
    set.release("10.42.0.0/24");
    assertThat(set.isTaken("10.42.0.0/24")).isFalse();
    assertThat(set.allocateNext()).isEqualTo("10.42.4.0/24"); // round the range from where it stopped
    // a wider CIDR takes every subnet it covers
    set.occupy("10.42.8.0/22");
    assertThat(set.isTaken("10.42.10.0/24")).isTrue();
  }

  @Test
  void theServiceRangeIsNeverHandedToANode() {
    CidrSet set = new NodeIpamConfig(true, "10.42.0.0/16", 24, "10.42.0.0/23").cidrSet();
    assertThat(set.allocateNext()).isEqualTo("10.42.2.0/24");
    CidrSet small = new NodeIpamConfig(true, "10.42.0.0/16", 24, "10.42.5.128/25").cidrSet();
    assertThat(small.isTaken("10.42.5.0/24")).isTrue();
    CidrSet apart = new NodeIpamConfig(true, "10.42.0.0/16", 24, "10.43.0.0/16").cidrSet(); // kubemu's defaults
    assertThat(apart.free()).isEqualTo(256);
    CidrSet swallowed = new NodeIpamConfig(true, "10.42.0.0/16", 24, "10.0.0.0/8").cidrSet();
    assertThat(swallowed.free()).isZero();
    assertThatThrownBy(() -> new NodeIpamConfig(true, "10.42.0.0/16", 24, "bad").validate())
        .hasMessageContaining("--service-cluster-ip-range: invalid CIDR address: bad");
  }

  @Test
  void badCidrsAndMaskSizesAreRefusedClearly() {
    assertThatThrownBy(() -> new CidrSet("10.42.0.0", 24)).hasMessageContaining("invalid CIDR address: 10.42.0.0");
    assertThatThrownBy(() -> new CidrSet("10.300.0.0/16", 24)).hasMessageContaining("invalid CIDR");
    assertThatThrownBy(() -> new CidrSet("fd00::/48", 64)).hasMessageContaining("invalid CIDR");
    assertThatThrownBy(() -> new CidrSet("10.42.0.0/16", 8)).hasMessageContaining("--node-cidr-mask-size 8");
    assertThatThrownBy(() -> new CidrSet("10.0.0.0/8", 26)).hasMessageContaining("more than 16 bits");
    CidrSet set = new CidrSet("10.42.0.0/16", 24);
    assertThatThrownBy(() -> set.occupy("10.43.0.0/24")).hasMessageContaining("not inside the cluster CIDR");
    assertThat(new NodeIpamConfig(false, "nonsense", 24, "")).isNotNull(); // off: not looked at
    assertThatThrownBy(() -> new NodeIpamConfig(true, "nonsense", 24, "").validate())
        .isInstanceOf(IllegalArgumentException.class);
  }
}
