package io.kubemu.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The whole machine's CPU time so far, from the first line of /proc/stat: busy (user, nice,
 * system, irq, softirq: not idle, iowait, nor the time a hypervisor gave to others) and in all,
 * in seconds. Read at two moments, it says whether the machine had CPU to spare between them,
 * and how much of it went to processes that are not the ones measured (Docker, the kernel).
 * Linux only; elsewhere it reads nothing.
 */
record MachineCpu(double busySeconds, double totalSeconds) {
  /** USER_HZ, the unit of /proc/stat. */
  private static final double TICKS_PER_SECOND = 100;

  /** The machine's CPU time now; null if /proc/stat cannot be read. */
  static MachineCpu now() {
    try {
      return parse(Files.readAllLines(Path.of("/proc/stat")).get(0));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** {@code cpu  user nice system idle iowait irq softirq steal guest guest_nice}: guest time is in user already. */
  static MachineCpu parse(String line) {
    String[] fields = line.trim().split("\\s+");
    if (!fields[0].equals("cpu")) {
      throw new IllegalArgumentException("not the machine's line of /proc/stat: " + line);
    }
    long total = 0;
    long idle = 0;
    for (int i = 1; i < fields.length && i <= 8; i++) {
      long ticks = Long.parseLong(fields[i]);
      total += ticks;
      if (i == 4 || i == 5 || i == 8) { // idle, iowait, steal
        idle += ticks;
      }
    }
    return new MachineCpu((total - idle) / TICKS_PER_SECOND, total / TICKS_PER_SECOND);
  }

  /** The CPU time from {@code earlier} to this. */
  MachineCpu since(MachineCpu earlier) {
    return new MachineCpu(busySeconds - earlier.busySeconds, totalSeconds - earlier.totalSeconds);
  }
}
