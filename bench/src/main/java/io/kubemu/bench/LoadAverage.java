package io.kubemu.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine's 1-minute load average, printed beside the numbers: a run on a machine that was
 * busy with other work (load well above its core count) says little about what it measured.
 */
final class LoadAverage {
  private LoadAverage() {}

  static String oneMinute() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException | RuntimeException e) {
      return "-";
    }
  }
}
