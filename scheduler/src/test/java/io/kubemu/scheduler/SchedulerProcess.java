package io.kubemu.scheduler;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code kubemu scheduler} in a JVM of its own, on the test's class path, its output in a log
 * file; short leader election timings so that a standby takes over within seconds.
 */
final class SchedulerProcess implements AutoCloseable {
  private static final Pattern SERVING = Pattern.compile("serving /healthz and /metrics on [0-9.]+:(\\d+)");
  private final Process process;
  private final Path log;

  SchedulerProcess(String server, Path log) {
    this.log = log;
    List<String> command = List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-Xmx192m", "-Dkubemu.component=" + log.getFileName(),
        "-cp", System.getProperty("java.class.path"),
        SchedulerCommand.class.getName(),
        "--server", server, "--secure-port", "0", "--bind-address", "127.0.0.1",
        "--leader-elect-lease-duration", "4s", "--leader-elect-renew-deadline", "3s",
        "--leader-elect-retry-period", "1s");
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The port of /healthz and /metrics, once the process has said it serves them. */
  int healthPort() throws IOException {
    Matcher serving = SERVING.matcher(Files.readString(log));
    if (!serving.find()) {
      throw new IllegalStateException("the scheduler has not said where it serves /healthz yet");
    }
    return Integer.parseInt(serving.group(1));
  }

  /** SIGKILL: the lease is not released, a standby takes over once it expires. */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      kill();
    }
  }
}
