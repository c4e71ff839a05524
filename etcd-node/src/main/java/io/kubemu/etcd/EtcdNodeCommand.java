package io.kubemu.etcd;

import io.kubemu.component.HostPort;
import io.kubemu.component.Version;
import io.kubemu.etcd.server.EtcdNode;
import java.io.File;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kubemu etcd-node}: one member of the store's Raft group, in the foreground. */
@Command(name = "etcd-node", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = {
        "Runs one member of kubemu's etcd: an etcd-compatible MVCC key-value store replicated by Raft (Apache Ratis).",
        "Start one per name in --peers; clients use the members' client ports."})
public final class EtcdNodeCommand implements Callable<Integer> {
  @Option(names = "--name", required = true, description = "This member's name; one of the names in --peers.")
  String name;

  @Option(names = "--peers", required = true, paramLabel = "NAME=HOST:PORT,...",
      description = "Every member of the group and its peer (Raft) address, e.g. n1=127.0.0.1:2380,n2=127.0.0.1:22380,n3=127.0.0.1:32380.")
  String peers;

  @Option(names = "--client-port", description = "Port for clients. Default: the peer port minus one (2380 -> 2379).")
  Integer clientPort;

  @Option(names = "--client-addresses", paramLabel = "NAME=HOST:PORT,...",
      description = "Client addresses of the members, when they are not their peer port minus one. Give every member the same list.")
  String clientAddresses;

  @Option(names = "--data-dir", description = "Where this member keeps its Raft log and snapshots. Default: ./<name>.etcd")
  File dataDir;

  @Option(names = "--snapshot-count", defaultValue = "10000",
      description = "Log entries between snapshots (an entry holds one write, or the writes a client sent together);"
          + " older entries are purged from the log (default: ${DEFAULT-VALUE}).")
  long snapshotCount;

  @Option(names = "--election-timeout", defaultValue = "600",
      description = {"Milliseconds a follower waits without hearing from a leader before it stands for election;",
          "each member waits a random time between half of it and all of it (default: ${DEFAULT-VALUE}; etcd's is 1000).",
          "Lower heals faster after a member dies, higher rides out longer pauses."})
  long electionTimeoutMillis;

  @Option(names = "--raft-log-segment-bytes", defaultValue = "8388608",
      description = "Size of one Raft log segment file; only whole segments are purged (default: ${DEFAULT-VALUE}).")
  long logSegmentBytes;

  @Override
  public Integer call() throws Exception {
    Map<String, HostPort> peerMap = parseMembers(peers, "--peers");
    Map<String, HostPort> clients = clientAddresses == null ? new LinkedHashMap<>() : parseMembers(clientAddresses, "--client-addresses");
    if (clientPort != null && peerMap.containsKey(name)) {
      clients.put(name, new HostPort(peerMap.get(name).host(), clientPort));
    }
    EtcdNode.Config config = new EtcdNode.Config(name, peerMap, clients,
        dataDir != null ? dataDir : new File(name + ".etcd"),
        snapshotCount, Duration.ofMillis(electionTimeoutMillis), logSegmentBytes);
    EtcdNode node = new EtcdNode(config).start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        node.close();
      } catch (Exception ignored) {
        // exiting anyway
      }
      stopped.countDown();
    }, "etcd-node-shutdown"));
    stopped.await();
    return 0;
  }

  /** Runs a member without the launcher, e.g. from tests that start members as separate processes. */
  public static void main(String[] args) {
    System.exit(new picocli.CommandLine(new EtcdNodeCommand()).execute(args));
  }

  static Map<String, HostPort> parseMembers(String text, String flag) {
    Map<String, HostPort> members = new LinkedHashMap<>();
    for (String part : text.split(",")) {
      int eq = part.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(flag + ": expected NAME=HOST:PORT, got '" + part + "'");
      }
      members.put(part.substring(0, eq).trim(), HostPort.parse(part.substring(eq + 1)));
    }
    return members;
  }
}
