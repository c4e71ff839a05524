package io.kubemu.etcd.server;

import com.google.protobuf.InvalidProtocolBufferException;
import io.kubemu.etcd.api.BatchResponse;
import io.kubemu.etcd.api.CompactionResponse;
import io.kubemu.etcd.api.LeaseGrantResponse;
import io.kubemu.etcd.api.LeaseKeepAliveResponse;
import io.kubemu.etcd.api.LeaseRevokeResponse;
import io.kubemu.etcd.api.LeaseTimeToLiveRequest;
import io.kubemu.etcd.api.LeaseTimeToLiveResponse;
import io.kubemu.etcd.api.LogEntry;
import io.kubemu.etcd.api.Member;
import io.kubemu.etcd.api.Query;
import io.kubemu.etcd.api.Response;
import io.kubemu.etcd.api.ResponseHeader;
import io.kubemu.etcd.api.StatusResponse;
import io.kubemu.etcd.mvcc.Leases;
import io.kubemu.etcd.mvcc.MvccStore;
import io.kubemu.etcd.mvcc.StoreException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Raft state machine of one etcd-node: applies each committed {@link LogEntry} to the
 * member's {@link MvccStore}, answers {@link Query}s from it, and saves and restores it as
 * snapshots.
 *
 * <p>Every member applies the same entries in the same order, so every member holds the same
 * store. A request the store refuses becomes an error {@link Response}; nothing a client
 * sends can throw out of {@link #applyTransaction}, because that would stop the member.
 */
public final class KvStateMachine extends BaseStateMachine {
  private static final Logger LOG = LoggerFactory.getLogger(KvStateMachine.class);

  private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private final WatchHub watches;
  private final Supplier<Long> clock;
  private volatile MvccStore store = new MvccStore();
  /** The newest complete snapshot; Ratis asks for it from other threads while one is written. */
  private volatile SingleFileSnapshotInfo latestSnapshot;
  private volatile long leaderSinceMillis;

  public KvStateMachine(ScheduledExecutorService timer, Supplier<Long> clock) {
    this.watches = new WatchHub(lock, () -> store, timer);
    this.clock = clock;
  }

  @Override
  public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
    super.initialize(server, groupId, raftStorage);
    storage.init(raftStorage);
    // NEW -> STARTING -> RUNNING: installing a snapshot later pauses a RUNNING machine.
    getLifeCycle().startAndTransition(() -> loadSnapshot(storage.getLatestSnapshot()));
  }

  @Override
  public StateMachineStorage getStateMachineStorage() {
    return storage;
  }

  /**
   * The last snapshot this member finished. Not the storage's own answer: that one scans the
   * folder when it knows none yet, and a scan racing with the first snapshot being written
   * finds a file without its checksum and fails, which stops the leader's log appender.
   */
  @Override
  public SingleFileSnapshotInfo getLatestSnapshot() {
    return latestSnapshot;
  }

  /** Leader only, before the entry is ordered: refuse what is not a LogEntry, and stamp the leader's clock. */
  @Override
  public TransactionContext startTransaction(RaftClientRequest request) {
    TransactionContext.Builder context = TransactionContext.newBuilder().setStateMachine(this).setClientRequest(request);
    LogEntry entry;
    try {
      entry = LogEntry.parseFrom(request.getMessage().getContent().asReadOnlyByteBuffer());
    } catch (InvalidProtocolBufferException e) {
      return refused(context, "not a kubemu store request: " + e.getMessage());
    }
    if (entry.getRequestCase() == LogEntry.RequestCase.REQUEST_NOT_SET
        || entry.getRequestCase() == LogEntry.RequestCase.BATCH && entry.getBatch().getEntriesCount() == 0) {
      return refused(context, "empty kubemu store request");
    }
    byte[] stamped = entry.toBuilder().setLeaderTimeMillis(clock.get()).build().toByteArray();
    return context.setLogData(UnsafeByteOperations.unsafeWrap(stamped)).build();
  }

  /** A request that never reaches the log: the client gets a StateMachineException and does not retry it. */
  private static TransactionContext refused(TransactionContext.Builder context, String why) {
    TransactionContext refused = context.build();
    refused.setException(new IllegalArgumentException(why));
    return refused;
  }

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
    var logEntry = trx.getLogEntry();
    Response response;
    long revisionBefore;
    long revisionAfter;
    lock.writeLock().lock();
    try {
      revisionBefore = store.revision();
      // Parsed as a stream of the log's bytes: a batch is up to a megabyte, not copied out whole first.
      response = apply(logEntry.getStateMachineLogEntry().getLogData().newInput(), logEntry.getTerm());
      revisionAfter = store.revision();
      updateLastAppliedTermIndex(logEntry.getTerm(), logEntry.getIndex());
    } finally {
      lock.writeLock().unlock();
    }
    if (revisionAfter != revisionBefore) {
      watches.notifyChanged();
    }
    return CompletableFuture.completedFuture(toMessage(response));
  }

  private Response apply(InputStream data, long term) {
    LogEntry entry;
    try {
      entry = LogEntry.parseFrom(data);
    } catch (IOException e) { // the bytes are in memory: only a malformed entry
      return malformed(e);
    }
    if (entry.getRequestCase() != LogEntry.RequestCase.BATCH) {
      return apply(entry, entry.getLeaderTimeMillis(), term);
    }
    // A batch: each request on its own, as if it had come alone, at the time the leader took the batch.
    BatchResponse.Builder responses = BatchResponse.newBuilder();
    for (LogEntry request : entry.getBatch().getEntriesList()) {
      responses.addResponses(request.getRequestCase() == LogEntry.RequestCase.BATCH
          ? malformed(new IllegalArgumentException("a batch inside a batch"))
          : apply(request, entry.getLeaderTimeMillis(), term));
    }
    return Response.newBuilder().setBatch(responses).build();
  }

  private Response apply(LogEntry entry, long now, long term) {
    try {
      Response.Builder response = Response.newBuilder();
      switch (entry.getRequestCase()) {
        case PUT -> response.setPut(store.put(entry.getPut()));
        case DELETE_RANGE -> response.setDeleteRange(store.deleteRange(entry.getDeleteRange()));
        case TXN -> response.setTxn(store.txn(entry.getTxn()));
        case COMPACTION -> {
          store.compact(entry.getCompaction());
          response.setCompaction(CompactionResponse.newBuilder().setHeader(header(term)));
        }
        case LEASE_GRANT -> {
          long ttl = entry.getLeaseGrant().getTtl();
          long id = store.grantLease(entry.getLeaseGrant().getId(), ttl, now);
          response.setLeaseGrant(LeaseGrantResponse.newBuilder().setHeader(header(term)).setId(id).setTtl(ttl));
        }
        case LEASE_REVOKE -> {
          store.revokeLease(entry.getLeaseRevoke().getId());
          response.setLeaseRevoke(LeaseRevokeResponse.newBuilder().setHeader(header(term)));
        }
        case LEASE_KEEP_ALIVE -> {
          long id = entry.getLeaseKeepAlive().getId();
          long ttl = store.leases().keepAlive(id, now);
          response.setLeaseKeepAlive(LeaseKeepAliveResponse.newBuilder().setHeader(header(term)).setId(id).setTtl(ttl));
        }
        default -> throw new InvalidProtocolBufferException("empty request");
      }
      return response.build();
    } catch (StoreException e) {
      return Response.newBuilder().setError(e.error()).build();
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      return malformed(e);
    }
  }

  /** Deterministic on every member, so refusing it keeps the members identical. */
  private static Response malformed(Exception e) {
    LOG.warn("Refused a malformed log entry: {}", e.toString());
    return Response.newBuilder()
        .setError(io.kubemu.etcd.api.Error.newBuilder()
            .setCode(io.kubemu.etcd.api.Error.Code.INVALID_ARGUMENT)
            .setMessage("malformed request: " + e.getMessage()))
        .build();
  }

  @Override
  public CompletableFuture<Message> query(Message request) {
    Query query;
    try {
      query = Query.parseFrom(request.getContent().asReadOnlyByteBuffer());
    } catch (InvalidProtocolBufferException e) {
      return CompletableFuture.failedFuture(new StateMachineException("not a kubemu store query: " + e.getMessage()));
    }
    if (query.getRequestCase() == Query.RequestCase.WATCH) {
      return watches.poll(query.getWatch()).thenApply(KvStateMachine::toMessage);
    }
    lock.readLock().lock();
    try {
      Response.Builder response = Response.newBuilder();
      switch (query.getRequestCase()) {
        case RANGE -> response.setRange(store.range(query.getRange()));
        case STATUS -> response.setStatus(status());
        case LEASE_TIME_TO_LIVE -> response.setLeaseTimeToLive(timeToLive(query.getLeaseTimeToLive()));
        default -> {
          return CompletableFuture.failedFuture(new StateMachineException("empty kubemu store query"));
        }
      }
      return CompletableFuture.completedFuture(toMessage(response.build()));
    } catch (StoreException e) {
      return CompletableFuture.completedFuture(toMessage(Response.newBuilder().setError(e.error()).build()));
    } finally {
      lock.readLock().unlock();
    }
  }

  private StatusResponse status() {
    StatusResponse.Builder status = StatusResponse.newBuilder()
        .setHeader(ResponseHeader.newBuilder().setRevision(store.revision()).setMember(getId().toString()))
        .setCompactRevision(store.compactRevision())
        .setKeys(store.liveKeys())
        .setDbSize(store.retainedBytes())
        .setRaftAppliedIndex(getLastAppliedTermIndex() == null ? 0 : getLastAppliedTermIndex().getIndex())
        .setVersion(io.kubemu.component.Version.VERSION);
    DivisionInfo info = division().getInfo();
    status.setRaftTerm(info.getCurrentTerm());
    RaftPeerId leader = info.getLeaderId();
    status.setLeader(leader == null ? "" : leader.toString());
    division().getGroup().getPeers().forEach(peer -> status.addMembers(Member.newBuilder()
        .setName(peer.getId().toString())
        .setPeerAddress(peer.getAddress())
        .setClientAddress(peer.getClientAddress() == null ? "" : peer.getClientAddress())));
    return status.build();
  }

  private LeaseTimeToLiveResponse timeToLive(LeaseTimeToLiveRequest request) {
    LeaseTimeToLiveResponse.Builder response = LeaseTimeToLiveResponse.newBuilder()
        .setHeader(ResponseHeader.newBuilder().setRevision(store.revision()))
        .setId(request.getId());
    Leases.Lease lease = store.leases().get(request.getId());
    if (lease == null) {
      return response.setTtl(-1).build();
    }
    long left = lease.expiresAtMillis(leaderSinceMillis) - clock.get();
    response.setTtl(Math.max(0, (left + 999) / 1000)).setGrantedTtl(lease.ttlSeconds());
    if (request.getKeys()) {
      response.addAllKeys(lease.keys());
    }
    return response.build();
  }

  /** The leases that ran out on this member's clock; only the leader acts on them. */
  List<Long> expiredLeases() {
    lock.readLock().lock();
    try {
      return store.leases().expired(clock.get(), leaderSinceMillis);
    } finally {
      lock.readLock().unlock();
    }
  }

  boolean isLeader() {
    try {
      return division().getInfo().getCurrentRole() == RaftPeerRole.LEADER && division().getInfo().isLeaderReady();
    } catch (RuntimeException e) {
      return false;
    }
  }

  @Override
  public void notifyLeaderChanged(RaftGroupMemberId member, RaftPeerId newLeaderId) {
    if (member.getPeerId().equals(newLeaderId)) {
      // A new leader does not know when leases were last kept alive on the old one: give each a full TTL.
      leaderSinceMillis = clock.get();
    }
  }

  // ---- snapshots ----

  @Override
  public long takeSnapshot() throws IOException {
    TermIndex last;
    lock.readLock().lock();
    try {
      last = getLastAppliedTermIndex();
      File file = storage.getSnapshotFile(last.getTerm(), last.getIndex());
      SnapshotFile.write(file, store);
      SingleFileSnapshotInfo taken = new SingleFileSnapshotInfo(
          new org.apache.ratis.server.storage.FileInfo(file.toPath(), MD5FileUtil.computeAndSaveMd5ForFile(file)),
          last);
      storage.updateLatestSnapshot(taken);
      latestSnapshot = taken;
    } finally {
      lock.readLock().unlock();
    }
    LOG.info("Took a snapshot at term {} index {} (revision {})", last.getTerm(), last.getIndex(), store.revision());
    return last.getIndex();
  }

  private void loadSnapshot(SingleFileSnapshotInfo snapshot) throws IOException {
    if (snapshot == null) {
      return;
    }
    File file = snapshot.getFile().getPath().toFile();
    MD5FileUtil.verifySavedMD5(file, MD5FileUtil.readStoredMd5ForFile(file));
    MvccStore restored = SnapshotFile.read(file);
    lock.writeLock().lock();
    try {
      store = restored;
      latestSnapshot = snapshot;
      updateLastAppliedTermIndex(snapshot.getTermIndex());
    } finally {
      lock.writeLock().unlock();
    }
    LOG.info("Restored a snapshot at term {} index {} (revision {})",
        snapshot.getTerm(), snapshot.getIndex(), restored.revision());
  }

  /** Ratis pauses the machine before it installs a snapshot from the leader on this follower. */
  @Override
  public void pause() {
    getLifeCycle().transition(LifeCycle.State.PAUSING);
    getLifeCycle().transition(LifeCycle.State.PAUSED);
  }

  /** ... and reinitializes it from the installed snapshot afterwards. */
  @Override
  public void reinitialize() throws IOException {
    storage.loadLatestSnapshot();
    loadSnapshot(storage.getLatestSnapshot());
    LOG.info("Installed the leader's snapshot: now at revision {}", store.revision());
    getLifeCycle().transition(LifeCycle.State.STARTING);
    getLifeCycle().transition(LifeCycle.State.RUNNING);
    watches.notifyChanged();
  }

  @Override
  public void close() throws IOException {
    watches.close();
    super.close();
  }

  // ---- helpers ----

  private RaftServer.Division division() {
    try {
      return getServer().join().getDivision(getGroupId());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private ResponseHeader header(long term) {
    return ResponseHeader.newBuilder().setRevision(store.revision()).setRaftTerm(term).build();
  }

  static Message toMessage(Response response) {
    return Message.valueOf(UnsafeByteOperations.unsafeWrap(response.toByteArray()));
  }
}
