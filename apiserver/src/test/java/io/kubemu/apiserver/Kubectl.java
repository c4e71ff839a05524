package io.kubemu.apiserver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real kubectl binary (1.33, installed by .ci/run; {@code KUBECTL} names another) with
 * a kubeconfig for one apiserver: runs a command to its end, or starts one that keeps
 * running ({@code get -w}, a delete that waits) and is read while it runs.
 */
public record Kubectl(Path dir, Path kubeconfig) {
  public record Run(int code, String out) {}

  /** A kubectl still running: its output so far, and its end. */
  public record Running(Process process, Path output) implements AutoCloseable {
    public String out() throws IOException {
      return Files.readString(output, StandardCharsets.UTF_8);
    }

    public Run await() throws IOException, InterruptedException {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        close();
        throw new AssertionError("kubectl did not finish within 60 s: " + out());
      }
      return new Run(process.exitValue(), out());
    }

    @Override
    public void close() throws InterruptedException {
      process.destroyForcibly().waitFor();
    }
  }

  public static Kubectl against(Path dir, int port) throws IOException {
    Files.createDirectories(dir);
    Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), String.join("\n",
        "apiVersion: v1", "kind: Config",
        "clusters: [{name: kubemu, cluster: {server: 'http://127.0.0.1:" + port + "'}}]",
        "users: [{name: kubemu, user: {}}]",
        "contexts: [{name: kubemu, context: {cluster: kubemu, user: kubemu}}]",
        "current-context: kubemu", ""));
    return new Kubectl(dir, kubeconfig);
  }

  public Run run(String... args) throws IOException, InterruptedException {
    return start(args).await();
  }

  public Running start(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(System.getenv().getOrDefault("KUBECTL", "kubectl"),
        "--kubeconfig", kubeconfig.toString(), "--cache-dir", dir.resolve("cache").toString()));
    command.addAll(List.of(args));
    Path output = Files.createTempFile(dir, "kubectl", ".out");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    return new Running(process, output);
  }

  public Path file(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }
}
