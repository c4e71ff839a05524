package io.kubemu.apiserver.allocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PortAllocatorTest {

  @Test
  void theFlagIsReadAsKubernetesWritesIt() {
    assertThat(PortRange.parse("30000-32767")).isEqualTo(new PortRange(30000, 2768));
    assertThat(PortRange.parse("30000+2767").toString()).isEqualTo("30000-32767");
    assertThatThrownBy(() -> PortRange.parse("32767-30000")).hasMessageContaining("ends before it starts");
    assertThatThrownBy(() -> PortRange.parse("30000-70000")).hasMessageContaining("within 1-65535");
    assertThatThrownBy(() -> PortRange.parse("nodeports")).hasMessageContaining("not a port range");
  }

  @Test
  void everyPortIsHandedOutOnceThenTheRangeIsFull() {
    PortAllocator allocator = new PortAllocator(PortRange.parse("30000-30009"));
    Set<Integer> handedOut = new HashSet<>();
    for (int i = 0; i < 10; i++) {
      handedOut.add(allocator.allocateNext());
    }
    assertThat(handedOut).hasSize(10).allMatch(port -> port >= 30000 && port <= 30009);
    assertThatThrownBy(allocator::allocateNext).hasMessage("range is full");
    allocator.release(30003);
    assertThat(allocator.allocateNext()).isEqualTo(30003);
  }

  @Test
  void aChosenPortIsHonouredOnceAndOnlyInsideTheRange() {
    PortAllocator allocator = new PortAllocator(PortRange.parse("30000-32767"));
    allocator.allocate(30080);
    assertThatThrownBy(() -> allocator.allocate(30080)).hasMessage("provided port is already allocated");
    assertThatThrownBy(() -> allocator.allocate(8080))
        .hasMessage("provided port is not in the valid range. The range of valid ports is 30000-32767");
  }

  @Test
  void randomPicksLeaveTheLowStaticBandToHandPickedPorts() {
    // 2768 ports keep the lowest 86 (2768 / 32) for hand-picked ones while others are free.
    PortAllocator allocator = new PortAllocator(PortRange.parse("30000-32767"), new Random(3));
    for (int i = 0; i < 2768 - 86; i++) {
      assertThat(allocator.allocateNext()).isGreaterThanOrEqualTo(30086);
    }
    assertThat(allocator.allocateNext()).isBetween(30000, 30085);
  }
}
