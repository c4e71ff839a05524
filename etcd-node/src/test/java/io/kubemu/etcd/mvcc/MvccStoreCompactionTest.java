package io.kubemu.etcd.mvcc;

import static io.kubemu.etcd.mvcc.Requests.ALL;
import static io.kubemu.etcd.mvcc.Requests.bs;
import static io.kubemu.etcd.mvcc.Requests.compaction;
import static io.kubemu.etcd.mvcc.Requests.delete;
import static io.kubemu.etcd.mvcc.Requests.describe;
import static io.kubemu.etcd.mvcc.Requests.get;
import static io.kubemu.etcd.mvcc.Requests.keys;
import static io.kubemu.etcd.mvcc.Requests.only;
import static io.kubemu.etcd.mvcc.Requests.op;
import static io.kubemu.etcd.mvcc.Requests.put;
import static io.kubemu.etcd.mvcc.Requests.refusal;
import static io.kubemu.etcd.mvcc.Requests.txn;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubemu.etcd.api.Error;
import io.kubemu.etcd.api.Event;
import io.kubemu.etcd.api.KeyValue;
import io.kubemu.etcd.api.RangeResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Compaction: what stays readable at and after the compact revision, what is refused below it. */
class MvccStoreCompactionTest {
  private final MvccStore store = new MvccStore();

  @BeforeEach
  void aHistory() {
    store.put(put("a", "1"));          // 1
    store.put(put("a", "2"));          // 2
    store.put(put("b", "1"));          // 3
    store.deleteRange(delete("b"));    // 4
    store.put(put("c", "1"));          // 5
    store.put(put("a", "3"));          // 6
    store.deleteRange(delete("c"));    // 7
    store.put(put("d", "1"));          // 8
  }

  private List<RangeResponse> everyRevisionFrom(long first) {
    List<RangeResponse> ranges = new ArrayList<>();
    for (long at = first; at <= store.revision(); at++) {
      ranges.add(store.range(Requests.all(at)));
    }
    return ranges;
  }

  @Test
  void aRangeAtOrAfterTheCompactRevisionAnswersExactlyAsBeforeTheCompaction() {
    List<RangeResponse> before = everyRevisionFrom(5);

    store.compact(compaction(5));

    assertThat(everyRevisionFrom(5)).isEqualTo(before);
  }

  @Test
  void compactionKeepsTheLatestVersionAtOrBeforeTheCompactRevisionOfEachKey() {
    store.compact(compaction(5));

    KeyValueSummary a = KeyValueSummary.of(only(store.range(get("a", 5))));
    assertThat(a).isEqualTo(new KeyValueSummary("a", "2", 1, 2, 2));
    assertThat(store.retainedChanges())
        .extracting(change -> change.kv().getKey().toStringUtf8() + "@" + change.kv().getModRevision())
        .containsExactly("a@2", "c@5", "a@6", "c@7", "d@8");
  }

  @Test
  void compactionDropsTombstonesAtOrBeforeTheCompactRevision() {
    store.compact(compaction(7));

    assertThat(store.retainedChanges())
        .extracting(change -> change.kv().getKey().toStringUtf8() + "@" + change.kv().getModRevision())
        .containsExactly("a@6", "d@8");
    assertThat(keys(store.range(Requests.all(7)))).containsExactly("a");
  }

  @Test
  void aRangeBelowTheCompactRevisionIsRefusedWithCompactedCarryingTheCompactRevision() {
    store.compact(compaction(5));

    Error error = refusal(() -> store.range(get("a", 4)));

    assertThat(error.getCode()).isEqualTo(Error.Code.COMPACTED);
    assertThat(error.getCompactRevision()).isEqualTo(5);
    assertThat(error.getMessage()).contains("compacted");
  }

  @Test
  void aRangeAtTheLatestRevisionIsUnaffected() {
    store.compact(compaction(8));

    assertThat(Requests.values(store.range(Requests.all(0)))).containsOnlyKeys("a", "d");
    assertThat(only(store.range(get("a"))).getVersion()).isEqualTo(3);
    assertThat(only(store.range(get("a"))).getCreateRevision()).isEqualTo(1);
  }

  @Test
  void compactionAtTheCurrentRevisionIsAllowed() {
    store.compact(compaction(8));

    assertThat(store.compactRevision()).isEqualTo(8);
  }

  @Test
  void compactionDoesNotBumpTheRevisionOrChangeTheLiveKeys() {
    store.compact(compaction(6));

    assertThat(store.revision()).isEqualTo(8);
    assertThat(store.liveKeys()).isEqualTo(2);
  }

  @Test
  void compactionAtOrBelowTheCurrentCompactRevisionIsRefusedWithCompacted() {
    store.compact(compaction(5));
    Observed before = Observed.of(store);

    Error same = refusal(() -> store.compact(compaction(5)));
    Error lower = refusal(() -> store.compact(compaction(3)));

    assertThat(same.getCode()).isEqualTo(Error.Code.COMPACTED);
    assertThat(same.getCompactRevision()).isEqualTo(5);
    assertThat(lower.getCode()).isEqualTo(Error.Code.COMPACTED);
    assertThat(Observed.of(store)).isEqualTo(before);
  }

  @Test
  void compactionAtAFutureRevisionIsRefusedWithFutureRevision() {
    Observed before = Observed.of(store);

    Error error = refusal(() -> store.compact(compaction(9)));

    assertThat(error.getCode()).isEqualTo(Error.Code.FUTURE_REVISION);
    assertThat(Observed.of(store)).isEqualTo(before);
  }

  @Test
  void aSecondCompactionMovesTheCompactRevisionOn() {
    store.compact(compaction(3));
    store.compact(compaction(6));

    assertThat(store.compactRevision()).isEqualTo(6);
    assertThat(refusal(() -> store.range(get("a", 5))).getCompactRevision()).isEqualTo(6);
    assertThat(only(store.range(get("a", 6))).getValue()).isEqualTo(bs("3"));
  }

  @Test
  void compactionReleasesTheBytesOfWhatItDrops() {
    long before = store.retainedBytes();

    store.compact(compaction(7));

    // Dropped: a=1, a=2 (2 bytes each), b=1 and its tombstone (2 + 1), c=1 and its tombstone (2 + 1).
    assertThat(store.retainedBytes()).isEqualTo(before - 2 - 2 - 3 - 3);
    assertThat(store.retainedBytes()).isEqualTo(2 + 2); // a=3, d=1
  }

  @Test
  void eventsSinceBelowTheCompactRevisionAreRefusedWithCompacted() {
    store.compact(compaction(5));

    Error error = refusal(() -> store.eventsSince(4, ALL, ALL, false, 100));

    assertThat(error.getCode()).isEqualTo(Error.Code.COMPACTED);
    assertThat(error.getCompactRevision()).isEqualTo(5);
  }

  @Test
  void eventsSinceTheCompactRevisionAreServed() {
    store.compact(compaction(5));

    assertThat(describe(store.eventsSince(5, ALL, ALL, false, 100)))
        .containsExactly("PUT c=1@5", "PUT a=3@6", "DELETE c@7", "PUT d=1@8");
  }

  @Test
  void eventsAfterTheCompactRevisionKeepTheirPrevKv() {
    store.compact(compaction(5));

    List<Event> events = store.eventsSince(6, ALL, ALL, true, 100);

    assertThat(events.get(0).getPrevKv().getValue()).isEqualTo(bs("2"));
    assertThat(events.get(1).getPrevKv().getKey()).isEqualTo(bs("c"));
  }

  @Test
  void atTheCompactRevisionEventsLoseTheirPrevKvAndTombstonesAsInEtcd() {
    MvccStore store = new MvccStore();
    store.put(put("a", "1"));        // 1
    store.put(put("b", "1"));        // 2
    store.txn(txn(op(put("a", "2")), op(delete("b")))); // 3

    store.compact(compaction(3));

    // Compaction dropped a=1 and b's tombstone, so neither can be served any more.
    List<Event> events = store.eventsSince(3, ALL, ALL, true, 100);
    assertThat(describe(events)).containsExactly("PUT a=2@3");
    assertThat(events.get(0).hasPrevKv()).isFalse();
  }

  /** The fields of a kv that matter here, compared in one go. */
  record KeyValueSummary(String key, String value, long createRevision, long modRevision, long version) {
    static KeyValueSummary of(KeyValue kv) {
      return new KeyValueSummary(kv.getKey().toStringUtf8(), kv.getValue().toStringUtf8(),
          kv.getCreateRevision(), kv.getModRevision(), kv.getVersion());
    }
  }
}
