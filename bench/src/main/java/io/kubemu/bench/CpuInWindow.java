package io.kubemu.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The CPU that each group of processes (the apiserver, the store's members, this load
 * generator) used in the measured window, in cores: read at the window's start and end.
 */
final class CpuInWindow implements Runnable {
  private final Window window;
  private final Map<String, ProcessCpu> processes;
  private final Map<String, Double> cores = new LinkedHashMap<>();

  CpuInWindow(Window window, Map<String, ProcessCpu> processes) {
    this.window = window;
    this.processes = Map.copyOf(processes);
  }

  @Override
  public void run() {
    try {
      Load.sleepUntil(window.fromNanos());
      Map<String, Long> before = new LinkedHashMap<>();
      processes.forEach((name, cpu) -> before.put(name, cpu.cpuNanos()));
      Load.sleepUntil(window.toNanos());
      synchronized (cores) {
        processes.forEach((name, cpu) -> {
          long start = before.get(name);
          long end = cpu.cpuNanos();
          cores.put(name, start < 0 || end < 0 ? Double.NaN : (end - start) / 1e9 / window.seconds());
        });
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Cores that {@code name} used on average in the window; NaN if unknown. */
  double cores(String name) {
    synchronized (cores) {
      return cores.getOrDefault(name, Double.NaN);
    }
  }
}
