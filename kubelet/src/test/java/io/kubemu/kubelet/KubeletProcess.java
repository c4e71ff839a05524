package io.kubemu.kubelet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code kubemu kubelet} for tests, as the real thing runs: a JVM of its own with the launcher's
 * kubelet settings (serial GC, at most 256 MB, a heap that starts small, C1 only, two malloc arenas:
 * the benchmark runs a hundred of them) on the test's class path, logging to a file, its endpoint
 * on a free port. It can be killed (SIGKILL) or stopped (SIGTERM).
 */
final class KubeletProcess implements AutoCloseable {
  private final Path log;
  private final Process process;

  private KubeletProcess(Path log, Process process) {
    this.log = log;
    this.process = process;
  }

  /** @param logName the log file's name in {@code dir}, one per process */
  static KubeletProcess start(Path dir, String logName, String server, String nodeName, String... flags)
      throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-Xms16m", "-Xmx256m", "-Xss512k", "-XX:ReservedCodeCacheSize=48m", "-XX:TieredStopAtLevel=1", "-Dkubemu.component=" + nodeName,
        "-cp", System.getProperty("java.class.path"),
        KubeletCommand.class.getName(),
        "--server", server, "--node-name", nodeName, "--port", "0", "--healthz-port", "0"));
    command.addAll(List.of(flags));
    if (!command.contains("--runtime")) {
      command.addAll(List.of("--runtime", "simulated"));
    }
    Path log = dir.resolve(logName);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("MALLOC_ARENA_MAX", "2");
    Process process = builder.redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    return new KubeletProcess(log, process);
  }

  String log() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL: no goodbye; the lease is no longer renewed. */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        kill();
      }
    }
  }
}
