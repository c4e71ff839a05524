package io.kubemu.etcd.mvcc;

import com.google.protobuf.ByteString;
import io.kubemu.etcd.api.Event;
import io.kubemu.etcd.api.RangeResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Everything a client (or the snapshot code) can observe of a store: its counters, every key
 * at every retained revision, every retained event with its prev_kv, its leases and their
 * keys. Two stores that answer alike have equal {@code Observed}s.
 */
record Observed(
    long revision,
    long compactRevision,
    long liveKeys,
    long retainedBytes,
    List<RangeResponse> rangeAtEachRevision,
    List<Event> events,
    TreeMap<Long, String> leases,
    long nextLeaseId,
    List<MvccStore.Change> retainedChanges) {

  static Observed of(MvccStore store) {
    List<RangeResponse> ranges = new ArrayList<>();
    long first = Math.max(1, store.compactRevision());
    for (long at = first; at <= store.revision(); at++) {
      ranges.add(store.range(Requests.all(at)));
    }
    List<Event> events = store.eventsSince(first, Requests.ALL, Requests.ALL, true, Integer.MAX_VALUE);
    TreeMap<Long, String> leases = new TreeMap<>();
    store.leases().all().forEach(lease -> leases.put(lease.id(),
        "ttl=" + lease.ttlSeconds() + " refreshed=" + lease.refreshedMillis() + " keys=" + lease.keys().stream().map(ByteString::toStringUtf8).toList()));
    return new Observed(store.revision(), store.compactRevision(), store.liveKeys(), store.retainedBytes(),
        ranges, events, leases, store.leases().nextId(), store.retainedChanges());
  }
}
