package io.kubemu.etcd.client;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.kubemu.component.HostPort;
import io.kubemu.etcd.RatisMetrics;
import io.kubemu.etcd.api.CompactionRequest;
import io.kubemu.etcd.api.DeleteRangeRequest;
import io.kubemu.etcd.api.DeleteRangeResponse;
import io.kubemu.etcd.api.LeaseGrantRequest;
import io.kubemu.etcd.api.LeaseGrantResponse;
import io.kubemu.etcd.api.LeaseKeepAliveRequest;
import io.kubemu.etcd.api.LeaseKeepAliveResponse;
import io.kubemu.etcd.api.LeaseRevokeRequest;
import io.kubemu.etcd.api.LeaseTimeToLiveRequest;
import io.kubemu.etcd.api.LeaseTimeToLiveResponse;
import io.kubemu.etcd.api.LogEntry;
import io.kubemu.etcd.api.Member;
import io.kubemu.etcd.api.PutRequest;
import io.kubemu.etcd.api.PutResponse;
import io.kubemu.etcd.api.Query;
import io.kubemu.etcd.api.RangeRequest;
import io.kubemu.etcd.api.RangeResponse;
import io.kubemu.etcd.api.Response;
import io.kubemu.etcd.api.StatusRequest;
import io.kubemu.etcd.api.StatusResponse;
import io.kubemu.etcd.api.TxnRequest;
import io.kubemu.etcd.api.TxnResponse;
import io.kubemu.etcd.api.WatchRequest;
import io.kubemu.etcd.server.EtcdNode;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.TimeDuration;

/**
 * The store's client library, used by the apiserver and etcdctl: an async etcd-like API over
 * Ratis' client transport.
 *
 * <p>Given only client endpoints, it first asks any of them for the member list (as etcd
 * clients sync their endpoints), then talks to the whole group through {@link GroupRpc}: it
 * follows the leader, retries with exponential backoff, and the members' retry cache
 * de-duplicates a write that is sent again after a leader change. Reads are linearizable. {@link #watch} resumes from the last
 * revision it delivered, on whichever member answers, so it survives leader changes.
 */
public final class KvClient implements Closeable {
  private static final TimeDuration DISCOVERY_RETRY = TimeDuration.valueOf(200, TimeUnit.MILLISECONDS);

  private final RaftGroup group;
  private final RaftClient raft;
  private final ScheduledExecutorService timer;
  private final GroupRpc rpc;
  private final WriteBatcher writes;
  private RaftClient statusClient;

  private KvClient(RaftGroup group) {
    this.group = group;
    // GroupRpc does the retrying; the Ratis client only carries our client id and connections.
    this.raft = newRaftClient(group, RetryPolicies.noRetry(), TimeDuration.valueOf(3, TimeUnit.SECONDS));
    this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "kv-client-timer");
      thread.setDaemon(true);
      return thread;
    });
    this.rpc = new GroupRpc(raft, group, timer);
    this.writes = new WriteBatcher(entry ->
        rpc.send(RaftClientRequest.writeRequestType(), toMessage(entry.toByteArray())).thenApply(KvClient::unwrap));
  }

  private static RaftClient newRaftClient(RaftGroup group, RetryPolicy retry, TimeDuration requestTimeout) {
    RaftProperties p = new RaftProperties();
    RaftClientConfigKeys.Rpc.setRequestTimeout(p, requestTimeout);
    RaftClientConfigKeys.Async.setOutstandingRequestsMax(p, 1000);
    RatisMetrics.withoutJmx();
    return RaftClient.newBuilder().setRaftGroup(group).setProperties(p).setRetryPolicy(retry).build();
  }

  /** A client for a group whose members are known (a member talking to its own group). */
  public static KvClient forGroup(RaftGroup group) {
    return new KvClient(group);
  }

  /**
   * A client for the group behind {@code endpoints} (client addresses of some members). Asks
   * each endpoint in turn for the member list until one answers or {@code timeout} passes.
   */
  public static KvClient connect(List<HostPort> endpoints, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    IOException last = null;
    do {
      for (HostPort endpoint : endpoints) {
        try {
          return new KvClient(discover(endpoint));
        } catch (IOException e) {
          last = e;
        }
      }
      try {
        DISCOVERY_RETRY.sleep();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    } while (System.nanoTime() < deadline);
    throw new IOException("no etcd-node answered at " + endpoints + ": " + (last == null ? "" : last.getMessage()), last);
  }

  /** Asks one endpoint, whose member name we do not know yet, for the group's members. */
  private static RaftGroup discover(HostPort endpoint) throws IOException {
    RaftPeerId probe = RaftPeerId.valueOf("endpoint-" + endpoint.host() + "-" + endpoint.port());
    RaftPeer peer = RaftPeer.newBuilder().setId(probe).setAddress(endpoint.toString())
        .setClientAddress(endpoint.toString()).build();
    RaftGroup probeGroup = RaftGroup.valueOf(EtcdNode.GROUP_ID, peer);
    try (RaftClient client = newRaftClient(probeGroup, RetryPolicies.noRetry(), TimeDuration.valueOf(2, TimeUnit.SECONDS))) {
      RaftClientReply reply = client.io().sendStaleRead(statusQuery(), 0, probe);
      StatusResponse status = unwrap(reply).getStatus();
      List<RaftPeer> members = new ArrayList<>();
      for (Member member : status.getMembersList()) {
        members.add(RaftPeer.newBuilder()
            .setId(member.getName())
            .setAddress(member.getPeerAddress())
            .setClientAddress(member.getClientAddress())
            .build());
      }
      return RaftGroup.valueOf(EtcdNode.GROUP_ID, members);
    }
  }

  public List<Member> members() {
    List<Member> members = new ArrayList<>();
    for (RaftPeer peer : group.getPeers()) {
      members.add(Member.newBuilder()
          .setName(peer.getId().toString())
          .setPeerAddress(peer.getAddress())
          .setClientAddress(peer.getClientAddress())
          .build());
    }
    return members;
  }

  // ---- the etcd-like API ----

  public CompletableFuture<RangeResponse> range(RangeRequest request) {
    return read(Query.newBuilder().setRange(request).build()).thenApply(Response::getRange);
  }

  public CompletableFuture<RangeResponse> get(ByteString key) {
    return range(RangeRequest.newBuilder().setKey(key).build());
  }

  public CompletableFuture<PutResponse> put(PutRequest request) {
    return write(LogEntry.newBuilder().setPut(request).build()).thenApply(Response::getPut);
  }

  public CompletableFuture<PutResponse> put(ByteString key, ByteString value) {
    return put(PutRequest.newBuilder().setKey(key).setValue(value).build());
  }

  public CompletableFuture<DeleteRangeResponse> deleteRange(DeleteRangeRequest request) {
    return write(LogEntry.newBuilder().setDeleteRange(request).build()).thenApply(Response::getDeleteRange);
  }

  public CompletableFuture<TxnResponse> txn(TxnRequest request) {
    return write(LogEntry.newBuilder().setTxn(request).build()).thenApply(Response::getTxn);
  }

  public CompletableFuture<Void> compact(long revision) {
    return write(LogEntry.newBuilder().setCompaction(CompactionRequest.newBuilder().setRevision(revision)).build())
        .thenApply(response -> null);
  }

  public CompletableFuture<LeaseGrantResponse> leaseGrant(long ttlSeconds) {
    return write(LogEntry.newBuilder().setLeaseGrant(LeaseGrantRequest.newBuilder().setTtl(ttlSeconds)).build())
        .thenApply(Response::getLeaseGrant);
  }

  public CompletableFuture<Void> leaseRevoke(long id) {
    return write(LogEntry.newBuilder().setLeaseRevoke(LeaseRevokeRequest.newBuilder().setId(id)).build())
        .thenApply(response -> null);
  }

  public CompletableFuture<LeaseKeepAliveResponse> leaseKeepAlive(long id) {
    return write(LogEntry.newBuilder().setLeaseKeepAlive(LeaseKeepAliveRequest.newBuilder().setId(id)).build())
        .thenApply(Response::getLeaseKeepAlive);
  }

  public CompletableFuture<LeaseTimeToLiveResponse> leaseTimeToLive(long id, boolean keys) {
    return read(Query.newBuilder().setLeaseTimeToLive(LeaseTimeToLiveRequest.newBuilder().setId(id).setKeys(keys)).build())
        .thenApply(Response::getLeaseTimeToLive);
  }

  /** The status of one member, answered by that member itself (not necessarily the leader). */
  public CompletableFuture<StatusResponse> status(String member) {
    // Asked once, straight to that member, without retries: a member that is down says so at once.
    return CompletableFuture.supplyAsync(() -> {
      try {
        return unwrap(statusClient().io().sendStaleRead(statusQuery(), 0, RaftPeerId.valueOf(member))).getStatus();
      } catch (IOException e) {
        throw new CompletionException(e);
      }
    });
  }

  private synchronized RaftClient statusClient() {
    if (statusClient == null) {
      statusClient = newRaftClient(group, RetryPolicies.noRetry(), TimeDuration.valueOf(2, TimeUnit.SECONDS));
    }
    return statusClient;
  }

  /**
   * Watches keys in [key, rangeEnd) from {@code startRevision} on; {@code listener} gets every
   * event exactly once and in revision order until the watch is closed or fails.
   */
  public Watch watch(WatchRequest request, Watch.Listener listener) {
    return new Watch(this, request, listener).start();
  }

  // ---- transport ----

  /** Sends a mutating request through the Raft log, together with those sent at the same time. */
  public CompletableFuture<Response> write(LogEntry entry) {
    return writes.write(entry);
  }

  /** A linearizable read (ReadIndex on the leader). */
  public CompletableFuture<Response> read(Query query) {
    return rpc.send(RaftClientRequest.readRequestType(), toMessage(query.toByteArray())).thenApply(KvClient::unwrap);
  }

  /**
   * A read answered from the leader's applied state without confirming its leadership first,
   * as etcd serves a watch from its own member: a watch's events are history, so a member a
   * little behind delivers them a little later, never different ones. It spares the followers
   * a heartbeat round for every poll.
   */
  CompletableFuture<Response> readApplied(Query query) {
    return rpc.send(RaftClientRequest.readRequestType(true), toMessage(query.toByteArray())).thenApply(KvClient::unwrap);
  }

  ScheduledExecutorService timer() {
    return timer;
  }

  private static Message statusQuery() {
    return toMessage(Query.newBuilder().setStatus(StatusRequest.getDefaultInstance()).build().toByteArray());
  }

  private static Message toMessage(byte[] bytes) {
    return Message.valueOf(UnsafeByteOperations.unsafeWrap(bytes));
  }

  private static Response unwrap(RaftClientReply reply) {
    if (!reply.isSuccess()) {
      throw new CompletionException(reply.getException());
    }
    try {
      Response response = Response.parseFrom(reply.getMessage().getContent().asReadOnlyByteBuffer());
      if (response.hasError()) {
        throw new KvException(response.getError());
      }
      return response;
    } catch (InvalidProtocolBufferException e) {
      throw new CompletionException(new IOException("unreadable reply from the store", e));
    }
  }

  /** Waits for a future of this client, turning its failure into an exception the caller can read. */
  public static <T> T await(CompletableFuture<T> future) throws IOException {
    try {
      return future.join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof KvException kv) {
        throw kv;
      }
      throw cause instanceof IOException io ? io : new IOException(cause.getMessage(), cause);
    }
  }

  @Override
  public void close() throws IOException {
    timer.shutdownNow();
    rpc.close();
    synchronized (this) {
      if (statusClient != null) {
        statusClient.close();
      }
    }
    raft.close();
  }
}
