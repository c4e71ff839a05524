package io.kubemu.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class MachineCpuTest {
  @Test
  void busyIsNeitherIdleNorIowaitNorStolenAndGuestTimeIsNotCountedTwice() {
    MachineCpu before = MachineCpu.parse("cpu  1000 50 400 9000 100 10 40 5 300 0");
    MachineCpu after = MachineCpu.parse("cpu  4000 50 1900 9100 120 20 60 55 900 0");
    MachineCpu between = after.since(before);
    // user 30 s, system 15 s, irq 0.1 s, softirq 0.2 s busy; idle 1 s, iowait 0.2 s and steal 0.5 s not.
    assertThat(between.busySeconds()).isCloseTo(45.3, within(1e-9));
    assertThat(between.totalSeconds()).isCloseTo(47.0, within(1e-9));
  }

  @Test
  void aPerCpuLineIsRefused() {
    assertThatThrownBy(() -> MachineCpu.parse("cpu0 1 2 3 4 5 6 7 8 9 10")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void thisMachineHasSpentSomeCpu() {
    assumeTrue(Files.isReadable(Path.of("/proc/stat")), "a Linux machine");
    MachineCpu now = MachineCpu.now();
    assertThat(now).isNotNull();
    assertThat(now.totalSeconds()).isGreaterThan(0).isGreaterThanOrEqualTo(now.busySeconds());
  }
}
