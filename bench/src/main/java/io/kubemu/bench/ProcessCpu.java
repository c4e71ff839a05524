package io.kubemu.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CPU time used so far by a set of processes (a store's members), from /proc/PID/stat, so that
 * a phase can say what each operation cost the servers. Linux only; elsewhere, and for a
 * process that has gone, it reads nothing.
 */
final class ProcessCpu {
  /** USER_HZ: the unit of utime and stime in /proc/PID/stat; 100 on every Linux that matters. */
  private static final long TICKS_PER_SECOND = 100;

  private final List<Long> pids;

  ProcessCpu(List<Long> pids) {
    this.pids = List.copyOf(pids);
  }

  boolean isEmpty() {
    return pids.isEmpty();
  }

  /** User + system CPU nanoseconds of all the processes, or -1 if any could not be read. */
  long cpuNanos() {
    if (pids.isEmpty()) {
      return -1;
    }
    long ticks = 0;
    for (long pid : pids) {
      try {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        // The command name (field 2) may hold spaces; the fields after it are counted from its ')'.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (fields 14, 15)
      } catch (IOException | RuntimeException e) {
        return -1;
      }
    }
    return ticks * (1_000_000_000L / TICKS_PER_SECOND);
  }
}
