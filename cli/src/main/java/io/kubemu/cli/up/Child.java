package io.kubemu.cli.up;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One process {@code kubemu up} started: a component in its own JVM, its output in its log file. */
final class Child {
  /** Tells a component which {@code kubemu up} started it: it stops when that process is gone. */
  static final String UP_PID = "KUBEMU_UP_PID";

  private final String name;
  private final Process process;
  private final Path log;

  private Child(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /** Starts {@code launcher component args...} with its stdout and stderr appended to {@code logs/<name>.log}. */
  static Child start(String name, List<String> launcher, String component, List<String> args, Path logs)
      throws IOException {
    List<String> command = new ArrayList<>(launcher);
    command.add(component);
    command.addAll(args);
    Path log = logs.resolve(name + ".log");
    Files.writeString(log, "--- " + String.join(" ", command) + "\n", StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put(UP_PID, Long.toString(ProcessHandle.current().pid()));
    Process process = builder
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .start();
    return new Child(name, process, log);
  }

  String name() {
    return name;
  }

  long pid() {
    return process.pid();
  }

  Process process() {
    return process;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /**
   * What a user needs when it died on start: the output of its last run, its first lines (where a
   * usage error says what was wrong) and its last ones.
   */
  String logTail(int lines) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      int run = 0;
      for (int i = 0; i < all.size(); i++) {
        if (all.get(i).startsWith("--- ")) {
          run = i + 1;
        }
      }
      List<String> last = all.subList(run, all.size());
      if (last.size() <= lines) {
        return String.join("\n", last);
      }
      int head = lines / 3;
      return String.join("\n", last.subList(0, head)) + "\n...\n"
          + String.join("\n", last.subList(last.size() - (lines - head), last.size()));
    } catch (IOException e) {
      return "(" + log + " cannot be read: " + e.getMessage() + ")";
    }
  }

  Path log() {
    return log;
  }

  /** Asks it to stop (SIGTERM), as a user's Ctrl-C would. */
  void terminate() {
    process.destroy();
  }

  /** Waits for it to stop, and kills it if it has not within {@code seconds}. */
  void awaitStopped(long seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(5, TimeUnit.SECONDS);
    }
  }
}
