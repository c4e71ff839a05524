package io.kubemu.etcd;

import static org.awaitility.Awaitility.await;

import io.kubemu.component.HostPort;
import io.kubemu.etcd.client.KvClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;

/**
 * A real three-member store for tests: each member is an etcd-node in a JVM process of its
 * own, with its own data dir and log file, on free loopback ports. Members can be killed
 * (SIGKILL), stopped (SIGTERM) and started again on the same data.
 */
public final class EtcdCluster implements AutoCloseable {
  private final Path dir;
  private final List<String> extraFlags;
  private final List<String> names = new ArrayList<>();
  private final List<HostPort> peers = new ArrayList<>();
  private final Process[] processes;

  public EtcdCluster(Path dir, int size, String... extraFlags) {
    this.dir = dir;
    this.extraFlags = List.of(extraFlags);
    this.processes = new Process[size];
    Random random = new Random();
    for (int i = 0; i < size; i++) {
      names.add("n" + (i + 1));
      peers.add(new HostPort("127.0.0.1", freePortPair(random)));
    }
  }

  /** A port P such that P (peer) and P - 1 (client) are both free. */
  private static int freePortPair(Random random) {
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = 20_000 + random.nextInt(30_000);
      if (isFree(port) && isFree(port - 1)) {
        return port;
      }
    }
    throw new IllegalStateException("no free port pair on loopback");
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress("127.0.0.1", port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  public EtcdCluster start() {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (int i = 0; i < processes.length; i++) {
      start(i);
    }
    return this;
  }

  public void start(int member) {
    if (processes[member] != null && processes[member].isAlive()) {
      return;
    }
    StringJoiner peerFlag = new StringJoiner(",");
    for (int i = 0; i < names.size(); i++) {
      peerFlag.add(names.get(i) + "=" + peers.get(i));
    }
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-Xmx256m", "-Dkubemu.component=" + names.get(member),
        "-Dorg.slf4j.simpleLogger.log.org.apache.ratis=" + System.getProperty("kubemu.ratis.log", "warn"),
        "-cp", System.getProperty("java.class.path"),
        EtcdNodeCommand.class.getName(),
        "--name", names.get(member),
        "--peers", peerFlag.toString(),
        "--data-dir", dir.resolve(names.get(member)).toString()));
    command.addAll(extraFlags);
    try {
      processes[member] = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile(member).toFile()))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** SIGKILL: the member gets no chance to flush or say goodbye. */
  public void kill(int member) {
    processes[member].destroyForcibly();
    waitFor(member);
  }

  /** SIGTERM: the member shuts down cleanly. */
  public void stop(int member) {
    processes[member].destroy();
    waitFor(member);
  }

  private void waitFor(int member) {
    try {
      if (!processes[member].waitFor(30, TimeUnit.SECONDS)) {
        processes[member].destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public boolean isAlive(int member) {
    return processes[member] != null && processes[member].isAlive();
  }

  public String name(int member) {
    return names.get(member);
  }

  public int indexOf(String name) {
    return names.indexOf(name);
  }

  public Path logFile(int member) {
    return dir.resolve(names.get(member) + ".log");
  }

  public String log(int member) throws IOException {
    return Files.readString(logFile(member));
  }

  public List<HostPort> endpoints() {
    List<HostPort> endpoints = new ArrayList<>();
    peers.forEach(peer -> endpoints.add(new HostPort(peer.host(), peer.port() - 1)));
    return endpoints;
  }

  public String endpointsFlag() {
    StringJoiner joiner = new StringJoiner(",");
    endpoints().forEach(endpoint -> joiner.add(endpoint.toString()));
    return joiner.toString();
  }

  public KvClient client() throws IOException {
    return KvClient.connect(endpoints(), Duration.ofSeconds(60));
  }

  /** Waits until a member leads, and returns its index. */
  public int awaitLeader(KvClient client) {
    int[] leader = {-1};
    await().atMost(Duration.ofSeconds(60)).until(() -> {
      for (int i = 0; i < names.size(); i++) {
        if (!isAlive(i)) {
          continue;
        }
        try {
          String name = KvClient.await(client.status(names.get(i))).getLeader();
          if (!name.isEmpty() && isAlive(indexOf(name))) {
            leader[0] = indexOf(name);
            return true;
          }
        } catch (IOException | RuntimeException e) {
          // not up yet
        }
      }
      return false;
    });
    return leader[0];
  }

  @Override
  public void close() {
    for (int i = 0; i < processes.length; i++) {
      if (processes[i] != null && processes[i].isAlive()) {
        kill(i);
      }
    }
  }
}
