package io.kubemu.etcd.mvcc;

import com.google.protobuf.ByteString;
import io.kubemu.etcd.api.Compare;
import io.kubemu.etcd.api.CompactionRequest;
import io.kubemu.etcd.api.DeleteRangeRequest;
import io.kubemu.etcd.api.DeleteRangeResponse;
import io.kubemu.etcd.api.Error;
import io.kubemu.etcd.api.Event;
import io.kubemu.etcd.api.KeyValue;
import io.kubemu.etcd.api.PutRequest;
import io.kubemu.etcd.api.PutResponse;
import io.kubemu.etcd.api.RangeRequest;
import io.kubemu.etcd.api.RangeResponse;
import io.kubemu.etcd.api.RequestOp;
import io.kubemu.etcd.api.ResponseOp;
import io.kubemu.etcd.api.TxnRequest;
import io.kubemu.etcd.api.TxnResponse;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * The heart of "etcd": a multi-version key-value store with one global revision.
 *
 * <p>Every mutating request that changes something gets the next revision; each key keeps
 * its history of versions (and tombstones) until a compaction drops what is older than the
 * compacted revision. Reads can therefore be served at any retained revision, and a watcher
 * can replay every change since a revision in order, as etcd's MVCC does.
 *
 * <p>Not thread-safe: the Raft apply thread is the only writer and the state machine takes
 * a read-write lock around it. Every method is deterministic, so all members that apply
 * the same log hold the same store.
 */
public final class MvccStore {
  /**
   * etcd's key order: bytes compared as unsigned, a prefix before the longer key. The same order as
   * protobuf's {@code ByteString.unsignedLexicographicalComparator()}, which walks both keys with
   * iterators; every lookup in the index compares a key about 17 times, and its paths share long
   * prefixes ({@code /registry/pods/default/...}), so under the C1 compiler that walk was a tenth of
   * a member's CPU. Indexing the bytes directly is three times faster there, and as fast under C2.
   */
  static final Comparator<ByteString> KEY_ORDER = MvccStore::compareKeys;
  private static final ByteString ALL_KEYS = ByteString.copyFrom(new byte[] {0});

  /** Each key's retained versions, oldest first. */
  private final NavigableMap<ByteString, List<Change>> index = new TreeMap<>(KEY_ORDER);
  /**
   * The same histories by key, for what reads one key (a put, a compare, a get): a hash of the key
   * rather than a walk down the tree comparing keys that share long prefixes, which was about 4 % of
   * each member's CPU for the compares of the apiserver's writes alone. Kept with the index.
   */
  private final Map<ByteString, List<Change>> histories = new HashMap<>();
  /** Every retained change at or after the compact revision, in (revision, sub) order. */
  private final ChangeLog changes = new ChangeLog();
  private final Leases leases = new Leases();
  private long revision;
  private long compactRevision;
  private long liveKeys;
  private long retainedBytes;

  /** One version of one key: a put (kv.version > 0) or a tombstone (kv.version == 0). */
  public record Change(KeyValue kv, int sub, KeyValue prev) {
    boolean isTombstone() {
      return kv.getVersion() == 0;
    }

    long revision() {
      return kv.getModRevision();
    }

    Change withoutPrev() {
      return prev == null ? this : new Change(kv, sub, null);
    }

    Event toEvent(boolean withPrev) {
      Event.Builder event = Event.newBuilder()
          .setType(isTombstone() ? Event.EventType.DELETE : Event.EventType.PUT)
          .setKv(kv);
      if (withPrev && prev != null) {
        event.setPrevKv(prev);
      }
      return event.build();
    }
  }

  public long revision() {
    return revision;
  }

  public long compactRevision() {
    return compactRevision;
  }

  public long liveKeys() {
    return liveKeys;
  }

  /** Bytes of keys and values held across all retained versions. */
  public long retainedBytes() {
    return retainedBytes;
  }

  public Leases leases() {
    return leases;
  }

  // ---- reads ----

  public RangeResponse range(RangeRequest request) {
    long at = request.getRevision() == 0 ? revision : request.getRevision();
    checkReadable(at);
    RangeResponse.Builder response = RangeResponse.newBuilder();
    long limit = request.getLimit() > 0 ? request.getLimit() : Long.MAX_VALUE;
    long count = 0;
    for (Map.Entry<ByteString, List<Change>> entry : keysIn(request.getKey(), request.getRangeEnd()).entrySet()) {
      Change change = versionAt(entry.getValue(), at);
      if (change == null || change.isTombstone()) {
        continue;
      }
      count++;
      if (!request.getCountOnly() && response.getKvsCount() < limit) {
        KeyValue kv = change.kv();
        response.addKvs(request.getKeysOnly() ? kv.toBuilder().clearValue().build() : kv);
      }
    }
    response.setCount(count);
    response.setMore(!request.getCountOnly() && count > response.getKvsCount());
    response.getHeaderBuilder().setRevision(revision);
    return response.build();
  }

  /**
   * The events of keys in [key, rangeEnd) from {@code startRevision} (inclusive) on, at most
   * {@code max} of them, but never splitting one revision.
   */
  public List<Event> eventsSince(long startRevision, ByteString key, ByteString rangeEnd, boolean prevKv, int max) {
    long from = Math.max(startRevision, 1);
    if (from < compactRevision) {
      throw StoreException.compacted(compactRevision);
    }
    List<Event> events = new ArrayList<>();
    long lastRevision = -1;
    for (int i = changes.firstAtOrAfter(from); i < changes.size(); i++) {
      Change change = changes.get(i);
      if (events.size() >= max && change.revision() != lastRevision) {
        break;
      }
      if (inRange(change.kv().getKey(), key, rangeEnd)) {
        events.add(change.toEvent(prevKv));
        lastRevision = change.revision();
      }
    }
    return events;
  }

  // ---- writes: each applies one whole request or throws before changing anything ----

  public PutResponse put(PutRequest request) {
    checkLease(request.getLease());
    Revision rev = new Revision(revision + 1);
    KeyValue prev = doPut(rev, request);
    revision = rev.number;
    return putResponse(request, prev, revision);
  }

  public DeleteRangeResponse deleteRange(DeleteRangeRequest request) {
    Revision rev = new Revision(revision + 1);
    DeleteRangeResponse response = doDelete(rev, request);
    if (rev.changed()) {
      revision = rev.number;
    }
    return response.toBuilder().setHeader(header(revision)).build();
  }

  public TxnResponse txn(TxnRequest request) {
    // Like etcd's API layer, refuse a malformed branch even when the compares would not take it.
    checkTxnShape(request.getSuccessList());
    checkTxnShape(request.getFailureList());
    boolean succeeded = request.getCompareList().stream().allMatch(this::holds);
    List<RequestOp> ops = succeeded ? request.getSuccessList() : request.getFailureList();
    checkTxnOps(ops);
    Revision rev = new Revision(revision + 1);
    TxnResponse.Builder response = TxnResponse.newBuilder().setSucceeded(succeeded);
    for (RequestOp op : ops) {
      switch (op.getRequestCase()) {
        case REQUEST_RANGE -> {
          // Reads inside a txn see the txn's own earlier writes, as in etcd.
          RangeResponse range = rangeDuring(rev, op.getRequestRange());
          response.addResponses(ResponseOp.newBuilder().setResponseRange(range));
        }
        case REQUEST_PUT -> {
          KeyValue prev = doPut(rev, op.getRequestPut());
          // etcd answers each write in a txn at the revision the txn writes at.
          PutResponse put = putResponse(op.getRequestPut(), prev, rev.number);
          response.addResponses(ResponseOp.newBuilder().setResponsePut(put));
        }
        case REQUEST_DELETE_RANGE -> {
          DeleteRangeResponse deleted = doDelete(rev, op.getRequestDeleteRange());
          response.addResponses(ResponseOp.newBuilder().setResponseDeleteRange(
              deleted.toBuilder().setHeader(header(viewRevision(rev)))));
        }
        default -> throw new IllegalStateException("checked above");
      }
    }
    if (rev.changed()) {
      revision = rev.number;
    }
    return response.setHeader(header(revision)).build();
  }

  /** Drops every version older than {@code compact} that a read at {@code compact} or later cannot see. */
  public void compact(CompactionRequest request) {
    long compact = request.getRevision();
    if (compact <= compactRevision) {
      throw StoreException.compacted(compactRevision);
    }
    if (compact > revision) {
      throw StoreException.of(Error.Code.FUTURE_REVISION, "mvcc: required revision is a future revision");
    }
    var keys = index.entrySet().iterator();
    while (keys.hasNext()) {
      Map.Entry<ByteString, List<Change>> entry = keys.next();
      List<Change> history = entry.getValue();
      int keep = indexAt(history, compact);
      if (keep < 0) {
        continue; // the key was created after the compaction point
      }
      if (history.get(keep).isTombstone()) {
        keep++; // nobody can read a deleted key at or after compact: its tombstone can go too
      }
      List<Change> dropped = history.subList(0, keep);
      dropped.forEach(change -> retainedBytes -= sizeOf(change.kv()));
      dropped.clear();
      if (history.isEmpty()) {
        histories.remove(entry.getKey()); // first: removing a TreeMap entry can give the entry its successor's key
        keys.remove();
      } else {
        // The oldest version left has lost its predecessor, as in a store restored from a snapshot.
        history.set(0, history.get(0).withoutPrev());
      }
    }
    changes.compactTo(compact);
    compactRevision = compact;
  }

  // ---- leases: the bookkeeping lives here, expiry is decided by the leader ----

  public long grantLease(long id, long ttlSeconds, long nowMillis) {
    if (ttlSeconds <= 0) {
      throw StoreException.of(Error.Code.INVALID_ARGUMENT, "etcdserver: lease TTL must be positive");
    }
    return leases.grant(id, ttlSeconds, nowMillis);
  }

  /** Revokes a lease and deletes, in one revision, every key attached to it. */
  public void revokeLease(long id) {
    Leases.Lease lease = leases.get(id);
    if (lease == null) {
      throw StoreException.of(Error.Code.LEASE_NOT_FOUND, "etcdserver: requested lease not found");
    }
    Revision rev = new Revision(revision + 1);
    for (ByteString key : lease.keys()) { // a sorted copy: deleting detaches
      doDelete(rev, DeleteRangeRequest.newBuilder().setKey(key).build());
    }
    leases.remove(id);
    if (rev.changed()) {
      revision = rev.number;
    }
  }

  // ---- snapshots ----

  /** Every retained version in (revision, sub) order: what a snapshot must hold. */
  public List<Change> retainedChanges() {
    List<Change> all = new ArrayList<>();
    index.values().forEach(all::addAll);
    all.sort(Comparator.comparingLong(Change::revision).thenComparingInt(Change::sub));
    return all;
  }

  /** Rebuilds the store from a snapshot's records, given in (revision, sub) order. */
  public static MvccStore restore(long revision, long compactRevision, Iterable<SnapshotEntry> records, Leases leases) {
    MvccStore store = new MvccStore();
    store.revision = revision;
    store.compactRevision = compactRevision;
    for (SnapshotEntry record : records) {
      List<Change> history = store.historyToAppend(record.kv().getKey());
      KeyValue prev = history.isEmpty() || last(history).isTombstone() ? null : last(history).kv();
      Change change = new Change(record.kv(), record.sub(), prev);
      history.add(change);
      store.retainedBytes += sizeOf(record.kv());
      if (change.revision() >= compactRevision) {
        store.changes.add(change);
      }
    }
    store.leases.replaceWith(leases);
    store.index.forEach((key, history) -> {
      KeyValue live = liveVersion(history);
      if (live != null) {
        store.liveKeys++;
        if (live.getLease() != 0) {
          store.leases.attach(live.getLease(), key);
        }
      }
    });
    return store;
  }

  /** One retained version as a snapshot stores it. */
  public record SnapshotEntry(KeyValue kv, int sub) {}

  // ---- internals ----

  /** The revision a mutating request writes at, and how many changes it made so far. */
  private static final class Revision {
    final long number;
    int sub;

    Revision(long number) {
      this.number = number;
    }

    boolean changed() {
      return sub > 0;
    }
  }

  private KeyValue doPut(Revision rev, PutRequest request) {
    ByteString key = request.getKey();
    if (key.isEmpty()) {
      throw StoreException.of(Error.Code.INVALID_ARGUMENT, "etcdserver: key is not provided");
    }
    List<Change> history = historyToAppend(key);
    KeyValue prev = liveVersion(history);
    KeyValue kv = KeyValue.newBuilder()
        .setKey(key)
        .setValue(request.getValue())
        .setCreateRevision(prev == null ? rev.number : prev.getCreateRevision())
        .setModRevision(rev.number)
        .setVersion(prev == null ? 1 : prev.getVersion() + 1)
        .setLease(request.getLease())
        .build();
    if (prev != null && prev.getLease() != 0 && prev.getLease() != kv.getLease()) {
      leases.detach(prev.getLease(), key);
    }
    if (kv.getLease() != 0) {
      leases.attach(kv.getLease(), key);
    }
    if (prev == null) {
      liveKeys++;
    }
    append(history, new Change(kv, rev.sub++, prev));
    return prev;
  }

  private DeleteRangeResponse doDelete(Revision rev, DeleteRangeRequest request) {
    DeleteRangeResponse.Builder response = DeleteRangeResponse.newBuilder();
    for (Map.Entry<ByteString, List<Change>> entry : keysIn(request.getKey(), request.getRangeEnd()).entrySet()) {
      List<Change> history = entry.getValue();
      KeyValue prev = liveVersion(history);
      if (prev == null) {
        continue;
      }
      KeyValue tombstone = KeyValue.newBuilder().setKey(entry.getKey()).setModRevision(rev.number).build();
      if (prev.getLease() != 0) {
        leases.detach(prev.getLease(), entry.getKey());
      }
      liveKeys--;
      append(history, new Change(tombstone, rev.sub++, prev));
      response.setDeleted(response.getDeleted() + 1);
      if (request.getPrevKv()) {
        response.addPrevKvs(prev);
      }
    }
    return response.build();
  }

  private void append(List<Change> history, Change change) {
    history.add(change);
    changes.add(change);
    retainedBytes += sizeOf(change.kv());
  }

  private RangeResponse rangeDuring(Revision rev, RangeRequest request) {
    long saved = revision;
    revision = viewRevision(rev);
    try {
      return range(request);
    } finally {
      revision = saved;
    }
  }

  /** The revision a read inside a txn sees: the txn's own, once it has changed something. */
  private long viewRevision(Revision rev) {
    return rev.changed() ? rev.number : revision;
  }

  private PutResponse putResponse(PutRequest request, KeyValue prev, long at) {
    PutResponse.Builder response = PutResponse.newBuilder().setHeader(header(at));
    if (request.getPrevKv() && prev != null) {
      response.setPrevKv(prev);
    }
    return response.build();
  }

  private static io.kubemu.etcd.api.ResponseHeader header(long at) {
    return io.kubemu.etcd.api.ResponseHeader.newBuilder().setRevision(at).build();
  }

  private void checkReadable(long at) {
    if (at > revision) {
      throw StoreException.of(Error.Code.FUTURE_REVISION, "mvcc: required revision is a future revision");
    }
    if (at < compactRevision) {
      throw StoreException.compacted(compactRevision);
    }
  }

  private void checkLease(long lease) {
    if (lease != 0 && leases.get(lease) == null) {
      throw StoreException.of(Error.Code.LEASE_NOT_FOUND, "etcdserver: requested lease not found");
    }
  }

  /** Refuses a txn branch with an empty op, a put without a key, or writes that would touch one key twice. */
  private static void checkTxnShape(List<RequestOp> ops) {
    Set<ByteString> putKeys = new LinkedHashSet<>();
    List<DeleteRangeRequest> deletes = new ArrayList<>();
    for (RequestOp op : ops) {
      switch (op.getRequestCase()) {
        case REQUEST_PUT -> {
          if (op.getRequestPut().getKey().isEmpty()) {
            throw StoreException.of(Error.Code.INVALID_ARGUMENT, "etcdserver: key is not provided");
          }
          if (!putKeys.add(op.getRequestPut().getKey())) {
            throw StoreException.of(Error.Code.INVALID_ARGUMENT, "etcdserver: duplicate key given in txn request");
          }
        }
        case REQUEST_DELETE_RANGE -> deletes.add(op.getRequestDeleteRange());
        case REQUEST_RANGE -> { }
        default -> throw StoreException.of(Error.Code.INVALID_ARGUMENT, "etcdserver: empty or nested txn operation");
      }
    }
    for (DeleteRangeRequest delete : deletes) {
      for (ByteString key : putKeys) {
        if (inRange(key, delete.getKey(), delete.getRangeEnd())) {
          throw StoreException.of(Error.Code.INVALID_ARGUMENT, "etcdserver: duplicate key given in txn request");
        }
      }
    }
  }

  /**
   * Refuses, before anything is applied, a txn whose taken branch names a missing lease or
   * reads at a revision it cannot read, judged as etcd does against the store before the txn.
   */
  private void checkTxnOps(List<RequestOp> ops) {
    for (RequestOp op : ops) {
      switch (op.getRequestCase()) {
        case REQUEST_PUT -> checkLease(op.getRequestPut().getLease());
        case REQUEST_RANGE -> {
          if (op.getRequestRange().getRevision() != 0) {
            checkReadable(op.getRequestRange().getRevision());
          }
        }
        default -> { }
      }
    }
  }

  private boolean holds(Compare compare) {
    KeyValue kv = liveVersion(histories.get(compare.getKey()));
    if (kv == null && compare.getTarget() == Compare.CompareTarget.VALUE) {
      return false; // etcd: a value compare against a missing key never holds
    }
    int order = switch (compare.getTarget()) {
      case VERSION -> Long.compare(kv == null ? 0 : kv.getVersion(), compare.getVersion());
      case CREATE -> Long.compare(kv == null ? 0 : kv.getCreateRevision(), compare.getCreateRevision());
      case MOD -> Long.compare(kv == null ? 0 : kv.getModRevision(), compare.getModRevision());
      case LEASE -> Long.compare(kv == null ? 0 : kv.getLease(), compare.getLease());
      case VALUE -> KEY_ORDER.compare(kv.getValue(), compare.getValue());
      case UNRECOGNIZED -> throw StoreException.of(Error.Code.INVALID_ARGUMENT, "etcdserver: unknown compare target");
    };
    return switch (compare.getResult()) {
      case EQUAL -> order == 0;
      case NOT_EQUAL -> order != 0;
      case GREATER -> order > 0;
      case LESS -> order < 0;
      case UNRECOGNIZED -> throw StoreException.of(Error.Code.INVALID_ARGUMENT, "etcdserver: unknown compare result");
    };
  }

  /** The key's history, a new empty one (in the index) for a key never written or compacted away. */
  private List<Change> historyToAppend(ByteString key) {
    List<Change> history = histories.get(key);
    if (history == null) {
      history = new ArrayList<>();
      histories.put(key, history);
      index.put(key, history);
    }
    return history;
  }

  private NavigableMap<ByteString, List<Change>> keysIn(ByteString key, ByteString rangeEnd) {
    if (rangeEnd.isEmpty()) {
      NavigableMap<ByteString, List<Change>> one = new TreeMap<>(KEY_ORDER);
      List<Change> history = histories.get(key);
      if (history != null) {
        one.put(key, history);
      }
      return one;
    }
    if (rangeEnd.equals(ALL_KEYS)) {
      return index.tailMap(key, true);
    }
    if (KEY_ORDER.compare(key, rangeEnd) >= 0) {
      return new TreeMap<>(KEY_ORDER);
    }
    return index.subMap(key, true, rangeEnd, false);
  }

  static int compareKeys(ByteString a, ByteString b) {
    int common = Math.min(a.size(), b.size());
    for (int i = 0; i < common; i++) {
      int order = Integer.compare(a.byteAt(i) & 0xff, b.byteAt(i) & 0xff);
      if (order != 0) {
        return order;
      }
    }
    return Integer.compare(a.size(), b.size());
  }

  static boolean inRange(ByteString candidate, ByteString key, ByteString rangeEnd) {
    if (rangeEnd.isEmpty()) {
      return candidate.equals(key);
    }
    if (KEY_ORDER.compare(candidate, key) < 0) {
      return false;
    }
    return rangeEnd.equals(ALL_KEYS) || KEY_ORDER.compare(candidate, rangeEnd) < 0;
  }

  private static KeyValue liveVersion(List<Change> history) {
    if (history == null || history.isEmpty() || last(history).isTombstone()) {
      return null;
    }
    return last(history).kv();
  }

  private static Change versionAt(List<Change> history, long at) {
    int i = indexAt(history, at);
    return i < 0 ? null : history.get(i);
  }

  /** Index of the last change at or before revision {@code at}, or -1. */
  private static int indexAt(List<Change> history, long at) {
    int lo = 0;
    int hi = history.size() - 1;
    int found = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (history.get(mid).revision() <= at) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  private static Change last(List<Change> history) {
    return history.get(history.size() - 1);
  }

  private static long sizeOf(KeyValue kv) {
    return kv.getKey().size() + kv.getValue().size();
  }

  /** The changes at or after the compact revision, in order, for watchers. */
  private static final class ChangeLog {
    private ArrayList<Change> list = new ArrayList<>();

    void add(Change change) {
      list.add(change);
    }

    int size() {
      return list.size();
    }

    Change get(int i) {
      return list.get(i);
    }

    int firstAtOrAfter(long rev) {
      int lo = 0;
      int hi = list.size();
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (list.get(mid).revision() < rev) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      return lo;
    }

    /**
     * Keeps what a compaction at {@code rev} leaves readable, which is exactly what a store
     * restored from a snapshot holds: no change before {@code rev}, and at {@code rev} no
     * tombstone (compaction dropped it) and no prev (the version before it is gone), as in etcd.
     */
    void compactTo(long rev) {
      ArrayList<Change> kept = new ArrayList<>();
      for (int i = firstAtOrAfter(rev); i < list.size(); i++) {
        Change change = list.get(i);
        if (change.revision() > rev) {
          kept.add(change);
        } else if (!change.isTombstone()) {
          kept.add(change.withoutPrev());
        }
      }
      list = kept;
    }
  }
}
