package io.kubemu.controllermanager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A controller-manager for tests, as the real thing runs: a JVM process of its own on this
 * test's classpath, logging to {@code <name>.log}, its /healthz on a free port. It can be
 * killed (SIGKILL) or stopped (SIGTERM).
 */
final class ControllerManagerProcess implements AutoCloseable {
  private static final Pattern IDENTITY = Pattern.compile("attempting to acquire leader lease \\S+ as (\\S+)\\.\\.\\.");

  private final String name;
  private final Path log;
  private final int port;
  private final Process process;

  private ControllerManagerProcess(String name, Path log, int port, Process process) {
    this.name = name;
    this.log = log;
    this.port = port;
    this.process = process;
  }

  static ControllerManagerProcess start(Path dir, String name, String server, String... flags) throws IOException {
    int port = freePort();
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-Xmx256m", "-Dkubemu.component=" + name,
        "-cp", System.getProperty("java.class.path"),
        ControllerManagerCommand.class.getName(),
        "--server", server, "--bind-address", "127.0.0.1", "--port", String.valueOf(port)));
    command.addAll(List.of(flags));
    Path log = dir.resolve(name + ".log");
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    return new ControllerManagerProcess(name, log, port, process);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress("127.0.0.1", 0));
      return socket.getLocalPort();
    }
  }

  String name() {
    return name;
  }

  int port() {
    return port;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  String log() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The holder identity it competes for the lease with, once it said so; null before. */
  String identity() {
    Matcher matcher = IDENTITY.matcher(log());
    return matcher.find() ? matcher.group(1) : null;
  }

  boolean leads() {
    return log().contains("successfully acquired lease");
  }

  boolean runsControllers() {
    return log().contains("Started controllers");
  }

  /** SIGKILL: no goodbye, the lease stays until it expires. */
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
