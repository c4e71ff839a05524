package io.kubemu.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kubemu.bench.ProcessMemory.MemoryGroup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessMemoryTest {
  @Test
  void aControlGroupStatIsReadByItsWholeKey(@TempDir Path group) throws IOException {
    // cgroup v1's memory.stat: total_rss_huge must not be taken for total_rss.
    Files.writeString(group.resolve("memory.stat"), "cache 4096\nrss 8192\ntotal_rss_huge 2097152\ntotal_rss 12288\n");
    assertThat(ProcessMemory.statBytes(group, "total_rss")).isEqualTo(12288);
    assertThat(ProcessMemory.statBytes(group, "rss")).isEqualTo(8192);
    // A counter the kernel does not keep is no reading at all, not a zero that would pass for one.
    assertThatThrownBy(() -> ProcessMemory.statBytes(group, "anon")).isInstanceOf(IOException.class);
  }

  @Test
  void aProcessesMemoryGroupIsV1sMemoryControllersWhereThereIsOneElseTheUnifiedOne() throws IOException {
    Path root = Path.of("/sys/fs/cgroup");
    String container = "/docker/3f5a";
    // cgroup v1, as a container's process on a Docker host sees it from the host
    assertThat(MemoryGroup.parse(List.of("12:pids:/docker/3f5a", "5:cpu,cpuacct:/docker/3f5a",
        "4:memory:/docker/3f5a", "1:name=systemd:/docker/3f5a"), root))
        .isEqualTo(new MemoryGroup(root.resolve("memory/docker/3f5a"), true));
    // hybrid: v2 is mounted too, but the memory controller is v1's, wherever its line is
    assertThat(MemoryGroup.parse(List.of("0::/system.slice/docker-3f5a.scope", "7:blkio:" + container,
        "4:memory:" + container), root)).isEqualTo(new MemoryGroup(root.resolve("memory/docker/3f5a"), true));
    // cgroup v2 only
    assertThat(MemoryGroup.parse(List.of("0::/system.slice/docker-3f5a.scope"), root))
        .isEqualTo(new MemoryGroup(root.resolve("system.slice/docker-3f5a.scope"), false));
    // the root group
    assertThat(MemoryGroup.parse(List.of("0::/"), root)).isEqualTo(new MemoryGroup(root, false));
    assertThatThrownBy(() -> MemoryGroup.parse(List.of("3:cpu:/x"), root)).isInstanceOf(IOException.class);
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
