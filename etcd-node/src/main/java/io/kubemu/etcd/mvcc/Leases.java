package io.kubemu.etcd.mvcc;

import com.google.protobuf.ByteString;
import io.kubemu.etcd.api.Error;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * The store's leases: a TTL, the time it was last granted or kept alive (the leader's clock,
 * carried in the log entry), and the keys attached to it. Which leases have expired is the
 * leader's call ({@link #expired}); revoking them goes through the log like any write.
 */
public final class Leases {
  private final TreeMap<Long, Lease> byId = new TreeMap<>();
  private long nextId = 1;

  public static final class Lease {
    private final long id;
    private final long ttlSeconds;
    private long refreshedMillis;
    /** Hashed: a key is attached at every write that carries the lease (each Event the apiserver stores). */
    private final Set<ByteString> keys = new HashSet<>();

    Lease(long id, long ttlSeconds, long refreshedMillis) {
      this.id = id;
      this.ttlSeconds = ttlSeconds;
      this.refreshedMillis = refreshedMillis;
    }

    public long id() {
      return id;
    }

    public long ttlSeconds() {
      return ttlSeconds;
    }

    public long refreshedMillis() {
      return refreshedMillis;
    }

    /** The attached keys in key order, as etcd revokes them: the same order on every member. */
    public List<ByteString> keys() {
      List<ByteString> sorted = new ArrayList<>(keys);
      sorted.sort(MvccStore.KEY_ORDER);
      return sorted;
    }

    /** When the lease runs out, counting from the later of its last refresh and {@code notBeforeMillis}. */
    public long expiresAtMillis(long notBeforeMillis) {
      return Math.max(refreshedMillis, notBeforeMillis) + ttlSeconds * 1000;
    }
  }

  long grant(long requestedId, long ttlSeconds, long nowMillis) {
    long id = requestedId != 0 ? requestedId : nextFreeId();
    if (byId.containsKey(id)) {
      throw StoreException.of(Error.Code.LEASE_EXISTS, "etcdserver: lease already exists");
    }
    byId.put(id, new Lease(id, ttlSeconds, nowMillis));
    nextId = Math.max(nextId, id + 1);
    return id;
  }

  private long nextFreeId() {
    while (byId.containsKey(nextId)) {
      nextId++;
    }
    return nextId;
  }

  /** Refreshes a lease and returns its TTL in seconds. */
  public long keepAlive(long id, long nowMillis) {
    Lease lease = byId.get(id);
    if (lease == null) {
      throw StoreException.of(Error.Code.LEASE_NOT_FOUND, "etcdserver: requested lease not found");
    }
    lease.refreshedMillis = Math.max(lease.refreshedMillis, nowMillis);
    return lease.ttlSeconds;
  }

  public Lease get(long id) {
    return byId.get(id);
  }

  public Collection<Lease> all() {
    return byId.values();
  }

  public long nextId() {
    return nextId;
  }

  /**
   * The leases that have run out at {@code nowMillis}. A new leader passes the time it took
   * over as {@code notBeforeMillis}, which extends every lease by a full TTL, as etcd does.
   */
  public List<Long> expired(long nowMillis, long notBeforeMillis) {
    List<Long> expired = new ArrayList<>();
    for (Lease lease : byId.values()) {
      if (lease.expiresAtMillis(notBeforeMillis) <= nowMillis) {
        expired.add(lease.id);
      }
    }
    return expired;
  }

  /** Adds a lease read from a snapshot; its keys are attached again from the restored keys. */
  public void restore(long id, long ttlSeconds, long refreshedMillis) {
    byId.put(id, new Lease(id, ttlSeconds, refreshedMillis));
  }

  public void restoreNextId(long nextId) {
    this.nextId = nextId;
  }

  void attach(long id, ByteString key) {
    byId.get(id).keys.add(key);
  }

  void detach(long id, ByteString key) {
    Lease lease = byId.get(id);
    if (lease != null) {
      lease.keys.remove(key);
    }
  }

  void remove(long id) {
    byId.remove(id);
  }

  void replaceWith(Leases other) {
    byId.clear();
    other.byId.values().forEach(lease -> byId.put(lease.id, new Lease(lease.id, lease.ttlSeconds, lease.refreshedMillis)));
    nextId = other.nextId;
  }
}
