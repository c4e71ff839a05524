package io.kubemu.etcd.mvcc;

import static io.kubemu.etcd.mvcc.Requests.ALL;
import static io.kubemu.etcd.mvcc.Requests.compaction;
import static io.kubemu.etcd.mvcc.Requests.delete;
import static io.kubemu.etcd.mvcc.Requests.deleteRange;
import static io.kubemu.etcd.mvcc.Requests.get;
import static io.kubemu.etcd.mvcc.Requests.modRevisionIs;
import static io.kubemu.etcd.mvcc.Requests.op;
import static io.kubemu.etcd.mvcc.Requests.put;
import static io.kubemu.etcd.mvcc.Requests.restored;
import static io.kubemu.etcd.mvcc.Requests.txn;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.kubemu.etcd.api.Event;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A store rebuilt from its retained changes, as a snapshot rebuilds it, answers exactly like the original. */
class MvccStoreRestoreTest {
  private static final long T0 = 1_000_000;

  @Test
  void anEmptyStoreRestoresToAnEmptyStore() {
    MvccStore store = new MvccStore();

    assertThat(Observed.of(restored(store))).isEqualTo(Observed.of(store));
  }

  @Test
  void aRestoredStoreAnswersRangesEventsCountersAndLeasesLikeTheOriginal() {
    MvccStore store = aBusyStore();

    MvccStore copy = restored(store);

    assertThat(Observed.of(copy)).isEqualTo(Observed.of(store));
  }

  @Test
  void aRestoredStoreReattachesOnlyLiveKeysToTheirLeases() {
    MvccStore store = new MvccStore();
    long lease = store.grantLease(0, 10, T0);
    store.put(put("a", "1", lease));
    store.put(put("b", "1", lease));
    store.put(put("c", "1", lease));
    store.deleteRange(delete("b"));
    store.put(put("c", "2"));

    MvccStore copy = restored(store);

    assertThat(copy.leases().get(lease).keys()).containsExactly(ByteString.copyFromUtf8("a"));
    copy.revokeLease(lease);
    assertThat(Requests.keys(copy.range(Requests.all(0)))).containsExactly("c");
  }

  @Test
  void aRestoredStoreGoesOnExactlyLikeTheOriginal() {
    MvccStore store = aBusyStore();
    MvccStore copy = restored(store);

    for (MvccStore s : List.of(store, copy)) {
      s.put(put("a", "again"));
      s.txn(txn(List.of(modRevisionIs("b", 0)), List.of(op(put("b", "new"))), List.of()));
      s.revokeLease(1);
      s.grantLease(0, 5, T0 + 9_000);
      s.compact(compaction(s.revision() - 1));
    }

    assertThat(Observed.of(copy)).isEqualTo(Observed.of(store));
    assertThat(copy.leases().nextId()).isEqualTo(store.leases().nextId());
  }

  @Test
  void aStoreCompactedAtADeleteAndAnOverwriteRestoresWithTheSameEvents() {
    MvccStore store = new MvccStore();
    store.put(put("a", "1"));                               // 1
    store.put(put("b", "1"));                               // 2
    store.txn(txn(op(put("a", "2")), op(delete("b"))));     // 3
    store.put(put("a", "3"));                               // 4
    store.compact(compaction(3));

    MvccStore copy = restored(store);

    List<Event> original = store.eventsSince(3, ALL, ALL, true, 100);
    assertThat(copy.eventsSince(3, ALL, ALL, true, 100)).isEqualTo(original);
    assertThat(Observed.of(copy)).isEqualTo(Observed.of(store));
  }

  @Test
  void aRestoredStoreRefusesReadsBelowTheCompactRevisionLikeTheOriginal() {
    MvccStore store = aBusyStore();

    MvccStore copy = restored(store);

    long below = store.compactRevision() - 1;
    assertThat(Requests.refusal(() -> copy.range(get("a", below))))
        .isEqualTo(Requests.refusal(() -> store.range(get("a", below))));
  }

  /** Puts, overwrites, deletes, txns, leases moving keys, and a compaction in the middle of it all. */
  private static MvccStore aBusyStore() {
    MvccStore store = new MvccStore();
    long lease1 = store.grantLease(0, 10, T0);
    long lease2 = store.grantLease(0, 20, T0 + 1);
    store.put(put("a", "1"));                                                  // 1
    store.put(put("b", "1", lease1));                                          // 2
    store.put(put("c", "1", lease1));                                          // 3
    store.txn(txn(op(put("d", "1", lease2)), op(put("a", "2")), op(delete("x")))); // 4
    store.deleteRange(delete("b"));                                            // 5
    store.put(put("c", "2", lease2));                                          // 6
    store.put(put("e", "1", lease1));                                          // 7
    store.txn(txn(op(deleteRange("a", "b")), op(put("f", "1"))));              // 8
    store.put(put("a", "3"));                                                  // 9
    store.compact(compaction(6));
    store.put(put("g", "1"));                                                  // 10
    store.leases().keepAlive(lease1, T0 + 5_000);
    store.deleteRange(delete("d"));                                            // 11
    long lease3 = store.grantLease(40, 30, T0 + 6_000);
    store.put(put("h", "1", lease3));                                          // 12
    return store;
  }
}
