package io.kubemu.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessMemoryTest {
  @Test
  void aControlGroupStatIsReadByItsWholeKey(@TempDir Path group) throws IOException {
    // cgroup v1's memory.stat: total_rss_huge must not be taken for total_rss.
    Files.writeString(group.resolve("memory.stat"), "cache 4096\nrss 8192\ntotal_rss_huge 2097152\ntotal_rss 12288\n");
    assertThat(ProcessMemory.statBytes(group, "total_rss")).isEqualTo(12288);
    assertThat(ProcessMemory.statBytes(group, "rss")).isEqualTo(8192);
    assertThat(ProcessMemory.statBytes(group, "anon")).isZero();
  }

  @Test
  void theGroupOfThisJvmHoldsItsHeapAndIsChargedAtLeastItsRss() {
    long own = ProcessMemory.of(ProcessHandle.current().pid()).residentKib();
    long rss = ProcessMemory.containerRssKib(ProcessHandle.current().pid());
    long charge = ProcessMemory.containerKib(ProcessHandle.current().pid());
    assumeTrue(own > 0 && rss >= 0 && charge >= 0, "a Linux machine with the memory controller");
    // Whatever group this JVM is in, the group's anonymous memory includes this JVM's heap, which it
    // has written to, and the group is charged for at least that.
    long heapKib = (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) / 1024;
    assertThat(rss).isGreaterThanOrEqualTo(heapKib);
    assertThat(charge).isGreaterThanOrEqualTo(rss);
  }
}
