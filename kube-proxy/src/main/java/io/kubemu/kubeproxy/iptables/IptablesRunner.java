package io.kubemu.kubeproxy.iptables;

import io.kubemu.kubeproxy.iptables.ProxyRules.Jump;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The machine's {@code iptables}, {@code iptables-save} and {@code iptables-restore}, run as
 * processes; {@code -w} waits for the xtables lock as kube-proxy does, for other writers (Docker).
 */
public final class IptablesRunner implements Iptables {
  private static final long TIMEOUT_SECONDS = 30;

  private record Result(int exit, String out, String err) {}

  @Override
  public void restore(String text) throws IOException {
    Result result = run(List.of("iptables-restore", "-w", "5", "--noflush", "--counters"), text);
    if (result.exit() != 0) {
      throw new IOException("iptables-restore failed (exit " + result.exit() + "): " + result.err().strip()
          + lineHint(result.err(), text));
    }
  }

  @Override
  public String save(String table) throws IOException {
    Result result = run(List.of("iptables-save", "-t", table), null);
    if (result.exit() != 0) {
      throw new IOException("iptables-save -t " + table + " failed: " + result.err().strip());
    }
    return result.out();
  }

  @Override
  public void ensureJump(Jump jump) throws IOException {
    if (run(command("-C", jump), null).exit() == 0) {
      return;
    }
    Result inserted = run(command("-I", jump), null);
    if (inserted.exit() != 0) {
      throw new IOException("could not insert " + jump + ": " + inserted.err().strip());
    }
  }

  @Override
  public void deleteJump(Jump jump) throws IOException {
    while (run(command("-C", jump), null).exit() == 0) {
      Result deleted = run(command("-D", jump), null);
      if (deleted.exit() != 0) {
        throw new IOException("could not delete " + jump + ": " + deleted.err().strip());
      }
    }
  }

  private static List<String> command(String operation, Jump jump) {
    List<String> command = new ArrayList<>(List.of("iptables", "-w", "5", "-t", jump.table(), operation,
        jump.builtinChain()));
    command.addAll(jump.args());
    return command;
  }

  private static Result run(List<String> command, String input) throws IOException {
    Process process = new ProcessBuilder(command).start();
    try {
      if (input != null) {
        process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
      }
      process.getOutputStream().close();
      // Outputs are small (one table at most); read them before waiting so the process never blocks.
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException(command.get(0) + " did not finish in " + TIMEOUT_SECONDS + "s");
      }
      return new Result(process.exitValue(), out, err);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException(command.get(0) + " was interrupted", e);
    }
  }

  /** iptables-restore names the failing line ("line 12 failed"): show that line. */
  private static String lineHint(String err, String text) {
    java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("line (\\d+) failed").matcher(err);
    if (matcher.find()) {
      String[] lines = text.split("\n");
      int line = Integer.parseInt(matcher.group(1));
      if (line >= 1 && line <= lines.length) {
        return " [line " + line + ": " + lines[line - 1] + "]";
      }
    }
    return "";
  }
}
