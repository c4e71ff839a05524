package io.kubemu.etcd.mvcc;

import static io.kubemu.etcd.mvcc.Requests.ALL;
import static io.kubemu.etcd.mvcc.Requests.bs;
import static io.kubemu.etcd.mvcc.Requests.delete;
import static io.kubemu.etcd.mvcc.Requests.describe;
import static io.kubemu.etcd.mvcc.Requests.op;
import static io.kubemu.etcd.mvcc.Requests.prefixEnd;
import static io.kubemu.etcd.mvcc.Requests.put;
import static io.kubemu.etcd.mvcc.Requests.txn;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.kubemu.etcd.api.Event;
import java.util.List;
import org.junit.jupiter.api.Test;

/** eventsSince: what a watcher replays from a revision on. */
class MvccStoreEventsTest {
  private final MvccStore store = new MvccStore();

  private List<Event> allSince(long revision) {
    return store.eventsSince(revision, ALL, ALL, false, Integer.MAX_VALUE);
  }

  @Test
  void eventsSinceARevisionIncludeThatRevision() {
    store.put(put("a", "1")); // 1
    store.put(put("b", "1")); // 2
    store.put(put("a", "2")); // 3

    assertThat(describe(allSince(2))).containsExactly("PUT b=1@2", "PUT a=2@3");
    assertThat(describe(allSince(3))).containsExactly("PUT a=2@3");
  }

  @Test
  void eventsSinceZeroOrOneStartAtTheFirstRevision() {
    store.put(put("a", "1"));
    store.put(put("b", "1"));

    assertThat(describe(allSince(0))).containsExactly("PUT a=1@1", "PUT b=1@2");
    assertThat(describe(allSince(1))).containsExactly("PUT a=1@1", "PUT b=1@2");
  }

  @Test
  void eventsSinceAFutureRevisionAreEmpty() {
    store.put(put("a", "1"));

    assertThat(allSince(2)).isEmpty();
    assertThat(allSince(100)).isEmpty();
  }

  @Test
  void aPutEventCarriesTheFullNewVersion() {
    store.put(put("a", "1"));
    store.put(put("a", "2"));

    Event event = allSince(2).get(0);

    assertThat(event.getType()).isEqualTo(Event.EventType.PUT);
    assertThat(event.getKv().getValue()).isEqualTo(bs("2"));
    assertThat(event.getKv().getCreateRevision()).isEqualTo(1);
    assertThat(event.getKv().getModRevision()).isEqualTo(2);
    assertThat(event.getKv().getVersion()).isEqualTo(2);
    assertThat(event.hasPrevKv()).isFalse();
  }

  @Test
  void aDeleteEventCarriesTheKeyAndTheDeletingRevisionOnly() {
    store.put(put("a", "1"));
    store.deleteRange(delete("a"));

    Event event = allSince(2).get(0);

    assertThat(event.getType()).isEqualTo(Event.EventType.DELETE);
    assertThat(event.getKv().getKey()).isEqualTo(bs("a"));
    assertThat(event.getKv().getModRevision()).isEqualTo(2);
    assertThat(event.getKv().getCreateRevision()).isZero();
    assertThat(event.getKv().getVersion()).isZero();
    assertThat(event.getKv().getValue().isEmpty()).isTrue();
    assertThat(event.hasPrevKv()).isFalse();
  }

  @Test
  void withPrevKvADeleteEventCarriesTheDeletedVersion() {
    store.put(put("a", "1"));
    store.put(put("a", "2"));
    store.deleteRange(delete("a"));

    Event event = store.eventsSince(3, ALL, ALL, true, 10).get(0);

    assertThat(event.getType()).isEqualTo(Event.EventType.DELETE);
    assertThat(event.getPrevKv().getValue()).isEqualTo(bs("2"));
    assertThat(event.getPrevKv().getModRevision()).isEqualTo(2);
    assertThat(event.getPrevKv().getVersion()).isEqualTo(2);
  }

  @Test
  void withPrevKvAPutEventCarriesTheVersionItReplacedButACreationHasNone() {
    store.put(put("a", "1"));
    store.put(put("a", "2"));
    store.deleteRange(delete("a"));
    store.put(put("a", "3"));

    List<Event> events = store.eventsSince(1, ALL, ALL, true, 10);

    assertThat(events.get(0).hasPrevKv()).isFalse();
    assertThat(events.get(1).getPrevKv().getValue()).isEqualTo(bs("1"));
    assertThat(events.get(3).hasPrevKv()).as("re-creation after a delete").isFalse();
  }

  @Test
  void eventsCanBeLimitedToOneKey() {
    store.put(put("a", "1"));
    store.put(put("ab", "1"));
    store.put(put("a", "2"));

    assertThat(describe(store.eventsSince(1, bs("a"), ByteString.EMPTY, false, 10)))
        .containsExactly("PUT a=1@1", "PUT a=2@3");
  }

  @Test
  void eventsCanBeLimitedToAPrefix() {
    store.put(put("pods/a", "1"));
    store.put(put("pods0", "1"));
    store.put(put("nodes/a", "1"));
    store.deleteRange(delete("pods/a"));

    assertThat(describe(store.eventsSince(1, bs("pods/"), prefixEnd(bs("pods/")), false, 10)))
        .containsExactly("PUT pods/a=1@1", "DELETE pods/a@4");
  }

  @Test
  void eventsCanBeLimitedToTheKeysFromAKeyOn() {
    store.put(put("a", "1"));
    store.put(put("m", "1"));
    store.put(put("z", "1"));

    assertThat(describe(store.eventsSince(1, bs("m"), ALL, false, 10))).containsExactly("PUT m=1@2", "PUT z=1@3");
  }

  @Test
  void maxEventsStopsAtARevisionBoundary() {
    store.put(put("a", "1"));
    store.put(put("b", "1"));
    store.put(put("c", "1"));

    assertThat(describe(store.eventsSince(1, ALL, ALL, false, 2))).containsExactly("PUT a=1@1", "PUT b=1@2");
  }

  @Test
  void maxEventsNeverSplitsTheChangesOfOneRevision() {
    store.put(put("a", "1"));                                            // 1
    store.txn(txn(op(put("x", "1")), op(put("y", "1")), op(put("z", "1")))); // 2
    store.put(put("b", "1"));                                            // 3

    assertThat(describe(store.eventsSince(1, ALL, ALL, false, 2)))
        .containsExactly("PUT a=1@1", "PUT x=1@2", "PUT y=1@2", "PUT z=1@2");
    assertThat(describe(store.eventsSince(2, ALL, ALL, false, 1)))
        .containsExactly("PUT x=1@2", "PUT y=1@2", "PUT z=1@2");
  }

  @Test
  void maxEventsCountsOnlyEventsThatMatchTheFilter() {
    store.put(put("a", "1"));  // 1
    store.put(put("x", "1"));  // 2
    store.put(put("a", "2"));  // 3
    store.put(put("a", "3"));  // 4

    assertThat(describe(store.eventsSince(1, bs("a"), ByteString.EMPTY, false, 2)))
        .containsExactly("PUT a=1@1", "PUT a=2@3");
  }

  @Test
  void aFilteredRevisionKeepsAllItsMatchingChangesEvenWhenOthersAreInterleaved() {
    store.txn(txn(op(put("a1", "1")), op(put("b", "1")), op(put("a2", "1")))); // 1
    store.put(put("a3", "1"));                                              // 2

    assertThat(describe(store.eventsSince(1, bs("a"), bs("b"), false, 1))).containsExactly("PUT a1=1@1", "PUT a2=1@1");
  }

  @Test
  void aDeleteThatDeletesNothingLeavesNoEvent() {
    store.put(put("a", "1"));
    store.deleteRange(delete("missing"));
    store.put(put("b", "1"));

    assertThat(describe(allSince(1))).containsExactly("PUT a=1@1", "PUT b=1@2");
  }
}
