package io.kubemu.cli.up;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Where each process of a {@code kubemu up} cluster listens, kept in {@code <data-dir>/cluster.properties}
 * so that the cluster comes back on the same addresses: the store's members know each other by their
 * peer addresses, and the kubeconfig names the apiserver's.
 *
 * <p>The standard ports are etcd's and Kubernetes' own (the three store members on 2379/2380,
 * 22379/22380 and 32379/32380, as etcd's local three-member example uses them); with
 * {@code anyPorts} every port is a free one picked on the first start.
 */
record ClusterLayout(List<Member> members, int apiserverPort, int controllerManagerPort, int schedulerPort) {
  static final String FILE = "cluster.properties";

  /** One store member. */
  record Member(String name, int clientPort, int peerPort) {}

  static ClusterLayout standard() {
    return new ClusterLayout(List.of(new Member("etcd-1", 2379, 2380), new Member("etcd-2", 22379, 22380),
        new Member("etcd-3", 32379, 32380)), 8080, 10257, 10259);
  }

  static ClusterLayout anyPorts() throws IOException {
    java.util.Set<Integer> taken = new java.util.HashSet<>();
    List<Member> members = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      members.add(new Member("etcd-" + i, freePort(taken), freePort(taken)));
    }
    return new ClusterLayout(members, freePort(taken), freePort(taken), freePort(taken));
  }

  /** The layout this data dir was first started with, or {@code chosen} (then written there) on a new one. */
  static ClusterLayout of(Path dataDir, ClusterLayout chosen) throws IOException {
    Path file = dataDir.resolve(FILE);
    if (Files.exists(file)) {
      return read(file);
    }
    chosen.write(file);
    return chosen;
  }

  String etcdServers() {
    return String.join(",", members.stream().map(m -> "127.0.0.1:" + m.clientPort()).toList());
  }

  String peers() {
    return String.join(",", members.stream().map(m -> m.name() + "=127.0.0.1:" + m.peerPort()).toList());
  }

  String clientAddresses() {
    return String.join(",", members.stream().map(m -> m.name() + "=127.0.0.1:" + m.clientPort()).toList());
  }

  String server() {
    return "http://127.0.0.1:" + apiserverPort;
  }

  private void write(Path file) throws IOException {
    Properties properties = new Properties();
    for (Member member : members) {
      properties.setProperty(member.name() + ".client-port", Integer.toString(member.clientPort()));
      properties.setProperty(member.name() + ".peer-port", Integer.toString(member.peerPort()));
    }
    properties.setProperty("apiserver.port", Integer.toString(apiserverPort));
    properties.setProperty("controller-manager.port", Integer.toString(controllerManagerPort));
    properties.setProperty("scheduler.secure-port", Integer.toString(schedulerPort));
    try (Writer out = Files.newBufferedWriter(file)) {
      properties.store(out, "The ports of this kubemu up cluster, kept so that it comes back on the same addresses");
    }
  }

  private static ClusterLayout read(Path file) throws IOException {
    Properties properties = new Properties();
    try (Reader in = Files.newBufferedReader(file)) {
      properties.load(in);
    }
    List<Member> members = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      String name = "etcd-" + i;
      members.add(new Member(name, port(properties, name + ".client-port", file), port(properties, name + ".peer-port", file)));
    }
    return new ClusterLayout(members, port(properties, "apiserver.port", file),
        port(properties, "controller-manager.port", file), port(properties, "scheduler.secure-port", file));
  }

  private static int port(Properties properties, String key, Path file) {
    String value = properties.getProperty(key);
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(file + " is damaged: " + key + " is '" + value + "', not a port");
    }
  }

  /**
   * A port nothing listens on and not picked yet ({@code taken}), below Linux's ephemeral range (32768 and up): a port the kernel
   * handed out could be taken again, by any outgoing connection, before the component binds it.
   */
  private static int freePort(java.util.Set<Integer> taken) throws IOException {
    java.util.Random random = new java.util.Random();
    for (int attempt = 0; attempt < 1000; attempt++) {
      int port = 20000 + random.nextInt(12000);
      if (!taken.add(port)) {
        continue;
      }
      try (ServerSocket socket = new ServerSocket(port)) {
        return socket.getLocalPort();
      } catch (IOException inUse) {
        // try another
      }
    }
    throw new IOException("no free port between 20000 and 32000");
  }
}
