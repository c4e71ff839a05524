package io.kubemu.e2e;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kubemu.apiserver.Kubectl;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A cluster started the way a user starts one: the {@code kubemu} script at the repository's
 * root, {@code up}, in a process of its own; stopped as a user stops it, with SIGTERM (Ctrl-C).
 */
final class KubemuUp implements AutoCloseable {
  static final Path REPOSITORY = Path.of(System.getProperty("user.dir")).getParent();
  static final Path LAUNCHER = REPOSITORY.resolve("kubemu");

  private final Path dataDir;
  private final List<String> flags;
  private Process up;
  private final StringBuilder output = new StringBuilder();

  private KubemuUp(Path dataDir, List<String> flags) {
    this.dataDir = dataDir;
    this.flags = flags;
  }

  /** Starts {@code kubemu up --any-ports --data-dir dataDir flags...} and waits until it says the cluster is ready. */
  static KubemuUp start(Path dataDir, String... flags) throws IOException, InterruptedException {
    KubemuUp cluster = new KubemuUp(dataDir, List.of(flags));
    cluster.start();
    return cluster;
  }

  void start() throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(LAUNCHER.toString(), "up", "--any-ports",
        "--data-dir", dataDir.toString()));
    command.addAll(flags);
    synchronized (output) {
      output.setLength(0);
    }
    up = new ProcessBuilder(command).redirectErrorStream(true).start();
    CompletableFuture<Boolean> ready = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(up.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = lines.readLine()) != null; ) {
          synchronized (output) {
            output.append(line).append('\n');
          }
          if (line.contains("the cluster is ready")) {
            ready.complete(true);
          }
        }
      } catch (IOException e) {
        // the process ended
      }
      ready.complete(false);
    }, "kubemu-up-output");
    reader.setDaemon(true);
    reader.start();
    try {
      if (!ready.get(240, TimeUnit.SECONDS)) {
        throw new AssertionError("kubemu up ended before the cluster was ready:\n" + output());
      }
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      close();
      throw new AssertionError("kubemu up did not get the cluster ready within 240 s:\n" + output());
    }
  }

  String output() {
    synchronized (output) {
      return output.toString();
    }
  }

  Path kubeconfig() {
    return dataDir.resolve("kubeconfig");
  }

  Kubectl kubectl() throws IOException {
    Files.createDirectories(dataDir.resolve("kubectl"));
    return new Kubectl(dataDir.resolve("kubectl"), kubeconfig());
  }

  KubernetesClient client() throws IOException {
    return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(kubeconfig()))).build();
  }

  /** The processes of the cluster by name (etcd-1, apiserver, kubelet-node-2, ...) and their pids. */
  Map<String, Long> processes() throws IOException {
    Map<String, Long> pids = new LinkedHashMap<>();
    for (String line : Files.readAllLines(dataDir.resolve("processes"))) {
      String[] fields = line.trim().split(" ");
      if (fields.length == 2) {
        pids.put(fields[0], Long.parseLong(fields[1]));
      }
    }
    return pids;
  }

  /** Kills one process of the cluster with SIGKILL, as {@code kill -9} or a crash would. */
  void kill(String name) throws IOException, InterruptedException {
    Long pid = processes().get(name);
    if (pid == null) {
      throw new AssertionError("kubemu up started no process " + name + ": " + processes());
    }
    ProcessHandle process = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError(name + " is not running"));
    process.destroyForcibly();
    process.onExit().join();
  }

  /** Stops the cluster as Ctrl-C does, and waits until every process of it has ended. */
  @Override
  public void close() throws InterruptedException {
    if (up == null) {
      return;
    }
    List<ProcessHandle> descendants = up.descendants().toList();
    up.destroy();
    if (!up.waitFor(90, TimeUnit.SECONDS)) {
      up.destroyForcibly();
    }
    for (ProcessHandle child : descendants) { // should all be gone: if not, the test must not leave them behind
      if (child.isAlive()) {
        child.destroyForcibly();
      }
    }
    up = null;
  }
}
