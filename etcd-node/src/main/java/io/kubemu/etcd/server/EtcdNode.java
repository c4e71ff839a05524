package io.kubemu.etcd.server;

import io.kubemu.component.HostPort;
import io.kubemu.etcd.RatisMetrics;
import io.kubemu.etcd.api.LeaseRevokeRequest;
import io.kubemu.etcd.api.LogEntry;
import io.kubemu.etcd.client.KvClient;
import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One etcd-node process: a member of the store's Raft group. It serves Raft traffic on its
 * peer port and clients (the apiserver, etcdctl) on its client port, and, while it leads,
 * expires leases by revoking them through the log.
 */
public final class EtcdNode implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(EtcdNode.class);

  /** The store's Raft group. Never changes: Ratis names the storage folder after it. */
  public static final RaftGroupId GROUP_ID =
      RaftGroupId.valueOf(UUID.fromString("6b756265-6d75-4574-8364-000000000001"));

  private final Config config;
  private final ScheduledExecutorService timer;
  private final KvStateMachine stateMachine;
  private final RaftServer server;
  private final Set<Long> revoking = ConcurrentHashMap.newKeySet();
  private volatile KvClient selfClient;

  /** What a member needs to know: who it is, who the others are, where to keep its data. */
  public record Config(
      String name,
      Map<String, HostPort> peers,
      Map<String, HostPort> clientAddresses,
      File dataDir,
      long snapshotCount,
      Duration electionTimeout,
      long logSegmentBytes) {

    public Config {
      if (!peers.containsKey(name)) {
        throw new IllegalArgumentException("--name " + name + " is not one of --peers " + peers.keySet());
      }
      peers = new LinkedHashMap<>(peers);
      clientAddresses = new LinkedHashMap<>(clientAddresses);
      for (Map.Entry<String, HostPort> peer : peers.entrySet()) {
        // A member's client port defaults to the port below its peer port (2380 -> 2379), as etcd's do.
        clientAddresses.putIfAbsent(peer.getKey(), new HostPort(peer.getValue().host(), peer.getValue().port() - 1));
      }
    }

    public HostPort clientAddress() {
      return clientAddresses.get(name);
    }

    public RaftGroup group() {
      List<RaftPeer> members = new ArrayList<>();
      peers.forEach((id, address) -> members.add(RaftPeer.newBuilder()
          .setId(id)
          .setAddress(address.toString())
          .setClientAddress(clientAddresses.get(id).toString())
          .build()));
      return RaftGroup.valueOf(GROUP_ID, members);
    }
  }

  public EtcdNode(Config config) throws IOException {
    this.config = config;
    this.timer = Executors.newScheduledThreadPool(1, runnable -> {
      Thread thread = new Thread(runnable, "etcd-node-timer");
      thread.setDaemon(true);
      return thread;
    });
    this.stateMachine = new KvStateMachine(timer, System::currentTimeMillis);
    RatisMetrics.withoutJmx();
    this.server = RaftServer.newBuilder()
        .setServerId(RaftPeerId.valueOf(config.name()))
        .setGroup(config.group())
        .setStateMachine(stateMachine)
        .setProperties(properties(config))
        .setOption(RaftStorage.StartupOption.RECOVER)
        .build();
  }

  static RaftProperties properties(Config config) {
    RaftProperties p = new RaftProperties();
    RaftServerConfigKeys.setStorageDir(p, List.of(config.dataDir()));
    GrpcConfigKeys.Server.setPort(p, config.peers().get(config.name()).port());
    GrpcConfigKeys.Client.setPort(p, config.clientAddress().port());
    // Linearizable reads (ReadIndex), as etcd serves them by default.
    RaftServerConfigKeys.Read.setOption(p, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
    long election = config.electionTimeout().toMillis();
    RaftServerConfigKeys.Rpc.setTimeoutMin(p, TimeDuration.valueOf(election / 2, TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.Rpc.setTimeoutMax(p, TimeDuration.valueOf(election, TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMin(p, TimeDuration.valueOf(election / 2, TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMax(p, TimeDuration.valueOf(election, TimeUnit.MILLISECONDS));
    // Snapshots every --snapshot-count entries; the log before a snapshot is purged, so a
    // follower that lags further than that gets the snapshot installed.
    RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
    RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, config.snapshotCount());
    RaftServerConfigKeys.Snapshot.setCreationGap(p, Math.min(1024, config.snapshotCount()));
    RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, 2);
    RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
    RaftServerConfigKeys.Log.setPurgeGap(p, (int) Math.min(Integer.MAX_VALUE, Math.max(1, config.snapshotCount() / 4)));
    RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf(config.logSegmentBytes()));
    RaftServerConfigKeys.Log.Appender.setInstallSnapshotEnabled(p, true);
    // Ratis would also log every commit index, doubling the fsynced entries per write; a
    // restarted member learns the commit index from the leader instead (bench/README.md).
    RaftServerConfigKeys.Log.setLogMetadataEnabled(p, false);
    // The log's write buffer is direct memory, zeroed and so resident from the start: Ratis's 8 MB
    // default is a twelfth of an idle member. Ratis requires room for one batch of the appender
    // (4 MB); an entry is at most an apiserver request body (3 MB) and its key.
    SizeInBytes appenderBatch = RaftServerConfigKeys.Log.Appender.bufferByteLimit(p);
    RaftServerConfigKeys.Log.setWriteBufferSize(p, SizeInBytes.valueOf(appenderBatch.getSize() + 8));
    return p;
  }

  public EtcdNode start() throws IOException {
    server.start();
    selfClient = KvClient.forGroup(config.group());
    timer.scheduleWithFixedDelay(this::expireLeases, 500, 500, TimeUnit.MILLISECONDS);
    LOG.info("etcd-node {} serving peers on {} and clients on {}, data in {}",
        config.name(), config.peers().get(config.name()), config.clientAddress(), config.dataDir());
    return this;
  }

  /** The leader revokes, through the log, every lease whose TTL ran out. */
  private void expireLeases() {
    try {
      if (!stateMachine.isLeader()) {
        return;
      }
      for (long id : stateMachine.expiredLeases()) {
        if (!revoking.add(id)) {
          continue;
        }
        LOG.info("Lease {} expired: revoking it and deleting its keys", id);
        selfClient.write(LogEntry.newBuilder().setLeaseRevoke(LeaseRevokeRequest.newBuilder().setId(id)).build())
            .whenComplete((response, error) -> revoking.remove(id));
      }
    } catch (RuntimeException e) {
      LOG.warn("Lease expiry check failed: {}", e.toString());
    }
  }

  public Config config() {
    return config;
  }

  @Override
  public void close() throws IOException {
    timer.shutdownNow();
    if (selfClient != null) {
      selfClient.close();
    }
    server.close();
  }
}
