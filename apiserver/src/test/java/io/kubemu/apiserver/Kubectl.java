package io.kubemu.apiserver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real kubectl (1.33, installed by .ci/run; $KUBECTL overrides) against one apiserver, with
 * a kubeconfig and a discovery cache of its own under {@code dir}.
 */
record Kubectl(Path dir, Path kubeconfig) {

  record Run(int code, String out) {}

  static Kubectl against(Path dir, int port) throws IOException {
    Files.createDirectories(dir);
    Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), String.join("\n",
        "apiVersion: v1", "kind: Config",
        "clusters: [{name: kubemu, cluster: {server: 'http://127.0.0.1:" + port + "'}}]",
        "users: [{name: kubemu, user: {}}]",
        "contexts: [{name: kubemu, context: {cluster: kubemu, user: kubemu}}]",
        "current-context: kubemu", ""));
    return new Kubectl(dir, kubeconfig);
  }

  /** Runs kubectl to the end (at most 60 s) and returns its exit code and output. */
  Run run(String... args) throws IOException, InterruptedException {
    Path output = Files.createTempFile(dir, "kubectl", ".out");
    Process process = start(output, args);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError("kubectl " + args[0] + " did not finish within 60 s: " + Files.readString(output));
    }
    return new Run(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
  }

  /** Starts kubectl with its output (and errors) going to {@code output}, e.g. to follow a stream. */
  Process start(Path output, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(System.getenv().getOrDefault("KUBECTL", "kubectl"),
        "--kubeconfig", kubeconfig.toString(), "--cache-dir", dir.resolve("cache").toString()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
  }
}
