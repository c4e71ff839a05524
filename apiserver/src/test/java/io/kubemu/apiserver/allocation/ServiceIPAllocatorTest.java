package io.kubemu.apiserver.allocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ServiceIPAllocatorTest {

  @Test
  void theDefaultRangeHasItsFirstAddressForTheKubernetesServiceAndNoNetworkOrBroadcastAddress() {
    ServiceIPRange range = ServiceIPRange.parse("10.43.0.0/16");
    assertThat(range.toString()).isEqualTo("10.43.0.0/16");
    assertThat(ServiceIPRange.format(range.first())).isEqualTo("10.43.0.1");
    assertThat(range.size()).isEqualTo(65534);
    assertThat(range.contains(ServiceIPRange.parseAddress("10.43.255.254").getAsLong())).isTrue();
    assertThat(range.contains(ServiceIPRange.parseAddress("10.43.255.255").getAsLong())).isFalse();
    assertThat(range.contains(ServiceIPRange.parseAddress("10.43.0.0").getAsLong())).isFalse();
  }

  @Test
  void hostBitsInTheFlagAreIgnoredAndBadRangesAreRefused() {
    assertThat(ServiceIPRange.parse("10.43.7.9/16").toString()).isEqualTo("10.43.0.0/16");
    assertThatThrownBy(() -> ServiceIPRange.parse("10.0.0.0/8")).hasMessageContaining("between /12 and /30");
    assertThatThrownBy(() -> ServiceIPRange.parse("10.43.0.0")).hasMessageContaining("not an IPv4 CIDR");
    assertThatThrownBy(() -> ServiceIPRange.parse("10.043.0.0/16")).hasMessageContaining("not an IPv4 CIDR");
    assertThatThrownBy(() -> ServiceIPRange.parse("fd00::/108")).hasMessageContaining("not an IPv4 CIDR");
  }

  @Test
  void aSmallRangeHandsOutEveryUsableAddressOnceThenIsFull() {
    ServiceIPAllocator allocator = new ServiceIPAllocator(ServiceIPRange.parse("192.168.0.0/29"));
    Set<String> handedOut = new HashSet<>();
    for (int i = 0; i < 6; i++) {
      handedOut.add(allocator.allocateNext());
    }
    assertThat(handedOut).containsExactlyInAnyOrder(
        "192.168.0.1", "192.168.0.2", "192.168.0.3", "192.168.0.4", "192.168.0.5", "192.168.0.6");
    assertThatThrownBy(allocator::allocateNext).isInstanceOf(AllocationException.class).hasMessage("range is full");

    allocator.release("192.168.0.4");
    assertThat(allocator.allocateNext()).isEqualTo("192.168.0.4");
  }

  @Test
  void aChosenAddressIsHonouredOnceAndOnlyInsideTheRange() {
    ServiceIPAllocator allocator = new ServiceIPAllocator(ServiceIPRange.parse("10.43.0.0/16"));
    allocator.allocate("10.43.0.5");
    assertThat(allocator.has("10.43.0.5")).isTrue();
    assertThatThrownBy(() -> allocator.allocate("10.43.0.5"))
        .hasMessage("provided IP is already allocated");
    assertThatThrownBy(() -> allocator.allocate("10.96.0.5"))
        .hasMessage("provided IP is not in the valid range. The range of valid IPs is 10.43.0.0/16");
    assertThatThrownBy(() -> allocator.allocate("10.43.255.255"))
        .hasMessage("provided IP is not in the valid range. The range of valid IPs is 10.43.0.0/16");

    allocator.release("10.43.0.5");
    allocator.allocate("10.43.0.5");
  }

  @Test
  void randomPicksLeaveTheLowStaticBandToHandPickedAddresses() {
    // A /24 keeps its lowest 16 addresses (10.0.0.1-10.0.0.16) for hand-picked ones while others are free.
    ServiceIPAllocator allocator = new ServiceIPAllocator(ServiceIPRange.parse("10.0.0.0/24"), new Random(7));
    Set<String> picked = new HashSet<>();
    for (int i = 0; i < 254 - 16; i++) {
      picked.add(allocator.allocateNext());
    }
    assertThat(picked).hasSize(238).noneMatch(ip -> Integer.parseInt(ip.substring(ip.lastIndexOf('.') + 1)) <= 16);
    assertThat(allocator.allocateNext()).matches("10\\.0\\.0\\.([1-9]|1[0-6])");
  }
}
