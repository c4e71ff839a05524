package io.kubemu.apiserver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real kubectl (1.33, installed by .ci/run; $KUBECTL overrides) pointed at one apiserver,
 * run as a user runs it, with its default flags; a run is its exit code and what it printed.
 */
record Kubectl(Path dir, Path kubeconfig) {
  record Run(int code, String out) {}

  /** A kubeconfig for the apiserver on that port, and a discovery cache of its own, under {@code dir}. */
  static Kubectl forApiserver(Path dir, int port) throws IOException {
    Path kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(kubeconfig, String.join("\n",
        "apiVersion: v1", "kind: Config",
        "clusters: [{name: kubemu, cluster: {server: 'http://127.0.0.1:" + port + "'}}]",
        "users: [{name: kubemu, user: {}}]",
        "contexts: [{name: kubemu, context: {cluster: kubemu, user: kubemu}}]",
        "current-context: kubemu", ""));
    return new Kubectl(dir, kubeconfig);
  }

  Run run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(System.getenv().getOrDefault("KUBECTL", "kubectl"),
        "--kubeconfig", kubeconfig.toString(), "--cache-dir", dir.resolve("cache").toString()));
    command.addAll(List.of(args));
    Path output = Files.createTempFile(dir, "kubectl", ".out");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError("kubectl " + args[0] + " did not finish within 60 s: " + Files.readString(output));
    }
    return new Run(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
  }

  /** A manifest file for {@code kubectl apply -f}. */
  Path file(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }
}
