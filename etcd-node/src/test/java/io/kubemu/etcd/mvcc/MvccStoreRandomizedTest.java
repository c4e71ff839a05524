package io.kubemu.etcd.mvcc;

import static io.kubemu.etcd.mvcc.Requests.ALL;
import static io.kubemu.etcd.mvcc.Requests.bs;
import static io.kubemu.etcd.mvcc.Requests.compaction;
import static io.kubemu.etcd.mvcc.Requests.delete;
import static io.kubemu.etcd.mvcc.Requests.deleteRange;
import static io.kubemu.etcd.mvcc.Requests.get;
import static io.kubemu.etcd.mvcc.Requests.modRevisionIs;
import static io.kubemu.etcd.mvcc.Requests.op;
import static io.kubemu.etcd.mvcc.Requests.put;
import static io.kubemu.etcd.mvcc.Requests.refusal;
import static io.kubemu.etcd.mvcc.Requests.restored;
import static io.kubemu.etcd.mvcc.Requests.txn;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubemu.etcd.api.Error;
import io.kubemu.etcd.api.Event;
import io.kubemu.etcd.api.KeyValue;
import io.kubemu.etcd.api.RangeRequest;
import io.kubemu.etcd.api.RangeResponse;
import io.kubemu.etcd.api.RequestOp;
import io.kubemu.etcd.api.TxnResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random histories of puts, deletes, txns, leases and compactions, checked against a reference
 * model that simply keeps the whole key space at every revision; now and then the store is
 * swapped for one restored from its retained changes, which must answer alike and go on alike.
 */
class MvccStoreRandomizedTest {
  private static final List<String> KEYS = List.of("a", "b", "c", "d", "e", "p/a", "p/b", "p/c", "q");
  private static final int STEPS = 800;

  private Random random;
  private MvccStore store;
  private final Model model = new Model();

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 7, 42, 1234, 20240601})
  void randomHistoriesMatchTheReferenceModelAndSurviveRestore(long seed) {
    random = new Random(seed);
    store = new MvccStore();
    for (int step = 0; step < STEPS; step++) {
      int dice = random.nextInt(100);
      if (dice < 30) {
        randomPut();
      } else if (dice < 40) {
        randomDelete();
      } else if (dice < 45) {
        randomDeleteRange();
      } else if (dice < 58) {
        kubernetesUpdate();
      } else if (dice < 70) {
        multiOpTxn();
      } else if (dice < 76) {
        randomCompaction();
      } else if (dice < 83) {
        randomGrant();
      } else if (dice < 88) {
        randomRevoke();
      } else if (dice < 93) {
        swapForRestoredStore();
      } else {
        checkRandomReads();
      }
      checkCounters();
      if (step % 20 == 0) {
        checkEverything();
      }
    }
    checkEverything();
    assertThat(Observed.of(restored(store))).isEqualTo(Observed.of(store));
  }

  // ---- operations ----

  private void randomPut() {
    String key = randomKey();
    String value = Integer.toString(random.nextInt(1000));
    int kind = random.nextInt(10);
    if (kind == 0) {
      long missing = 1000 + random.nextInt(10);
      assertRefusedWithoutChange(() -> store.put(put(key, value, missing)), Error.Code.LEASE_NOT_FOUND);
      return;
    }
    long lease = kind < 4 && !model.leases.isEmpty() ? randomOf(model.leases) : 0;
    store.put(put(key, value, lease));
    model.write(rev -> model.put(key, value, lease));
  }

  private void randomDelete() {
    String key = randomKey();
    store.deleteRange(delete(key).toBuilder().setPrevKv(true).build());
    model.write(rev -> model.delete(key));
  }

  private void randomDeleteRange() {
    String from = randomKey();
    String to = random.nextInt(4) == 0 ? "\0" : randomKey();
    store.deleteRange(to.equals("\0") ? deleteRange(from, "\0") : deleteRange(from, to));
    model.write(rev -> model.keysIn(from, to).forEach(model::delete));
  }

  private void kubernetesUpdate() {
    String key = randomKey();
    KeyValue current = model.current().get(key);
    long currentMod = current == null ? 0 : current.getModRevision();
    long expected = random.nextBoolean() ? currentMod : Math.max(0, currentMod - 1 - random.nextInt(3));
    String value = "u" + random.nextInt(1000);

    TxnResponse response = store.txn(txn(
        List.of(modRevisionIs(key, expected)), List.of(op(put(key, value))), List.of(op(get(key)))));

    assertThat(response.getSucceeded()).isEqualTo(expected == currentMod);
    if (response.getSucceeded()) {
      model.write(rev -> model.put(key, value, 0));
      assertThat(response.getResponses(0).getResponsePut().getHeader().getRevision()).isEqualTo(model.revision());
    } else {
      assertThat(response.getResponses(0).getResponseRange().getKvsList())
          .isEqualTo(current == null ? List.of() : List.of(current));
    }
  }

  private void multiOpTxn() {
    Map<String, String> puts = new LinkedHashMap<>();
    int count = 1 + random.nextInt(3);
    for (int i = 0; i < count; i++) {
      puts.put(randomKey(), "t" + random.nextInt(1000));
    }
    List<RequestOp> ops = new ArrayList<>();
    puts.forEach((key, value) -> {
      ops.add(op(put(key, value)));
      if (random.nextBoolean()) {
        ops.add(op(Requests.all(0)));
      }
    });
    String deleted = random.nextBoolean() ? randomKey() : null;
    if (deleted != null) {
      ops.add(random.nextInt(ops.size() + 1), op(delete(deleted)));
    }
    if (puts.containsKey(deleted)) {
      assertRefusedWithoutChange(() -> store.txn(txn(ops.toArray(RequestOp[]::new))), Error.Code.INVALID_ARGUMENT);
      return;
    }
    if (random.nextInt(8) == 0) {
      ops.add(op(get(randomKey(), model.revision() + 1)));
      assertRefusedWithoutChange(() -> store.txn(txn(ops.toArray(RequestOp[]::new))), Error.Code.FUTURE_REVISION);
      return;
    }

    TxnResponse response = store.txn(txn(ops.toArray(RequestOp[]::new)));

    // Apply to the model in op order, checking each read inside the txn against the model at that point.
    model.write(rev -> {
      for (int i = 0; i < ops.size(); i++) {
        RequestOp op = ops.get(i);
        switch (op.getRequestCase()) {
          case REQUEST_PUT -> {
            String key = op.getRequestPut().getKey().toStringUtf8();
            model.put(key, puts.get(key), 0);
          }
          case REQUEST_DELETE_RANGE -> model.delete(deleted);
          case REQUEST_RANGE -> assertThat(response.getResponses(i).getResponseRange().getKvsList())
              .isEqualTo(new ArrayList<>(model.working.values()));
          default -> throw new AssertionError(op);
        }
      }
    });
    assertThat(response.getHeader().getRevision()).isEqualTo(model.revision());
  }

  private void randomCompaction() {
    long revision = model.revision();
    if (revision > model.compactRevision && random.nextInt(4) != 0) {
      long at = model.compactRevision + 1 + random.nextInt((int) (revision - model.compactRevision));
      store.compact(compaction(at));
      model.compactRevision = at;
    } else if (random.nextBoolean()) {
      assertRefusedWithoutChange(() -> store.compact(compaction(model.compactRevision)), Error.Code.COMPACTED);
    } else {
      assertRefusedWithoutChange(() -> store.compact(compaction(revision + 1)), Error.Code.FUTURE_REVISION);
    }
  }

  private void randomGrant() {
    long ttl = 1 + random.nextInt(30);
    if (random.nextBoolean()) {
      long id = store.grantLease(0, ttl, 0);
      assertThat(model.leases).doesNotContain(id);
      model.leases.add(id);
      return;
    }
    long id = 1 + random.nextInt(12);
    if (model.leases.contains(id)) {
      assertRefusedWithoutChange(() -> store.grantLease(id, ttl, 0), Error.Code.LEASE_EXISTS);
    } else {
      assertThat(store.grantLease(id, ttl, 0)).isEqualTo(id);
      model.leases.add(id);
    }
  }

  private void randomRevoke() {
    if (model.leases.isEmpty() || random.nextInt(5) == 0) {
      assertRefusedWithoutChange(() -> store.revokeLease(500), Error.Code.LEASE_NOT_FOUND);
      return;
    }
    long id = randomOf(model.leases);
    store.revokeLease(id);
    model.write(rev -> model.current().values().stream()
        .filter(kv -> kv.getLease() == id)
        .map(kv -> kv.getKey().toStringUtf8())
        .toList()
        .forEach(model::delete));
    model.leases.remove(id);
  }

  private void swapForRestoredStore() {
    MvccStore copy = restored(store);
    assertThat(Observed.of(copy)).isEqualTo(Observed.of(store));
    store = copy;
  }

  // ---- checks ----

  private void assertRefusedWithoutChange(Runnable request, Error.Code code) {
    Observed before = Observed.of(store);
    assertThat(refusal(request::run).getCode()).isEqualTo(code);
    assertThat(Observed.of(store)).isEqualTo(before);
  }

  private void checkCounters() {
    assertThat(store.revision()).isEqualTo(model.revision());
    assertThat(store.compactRevision()).isEqualTo(model.compactRevision);
    assertThat(store.liveKeys()).isEqualTo(model.current().size());
    assertThat(store.range(Requests.all(0)).getKvsList()).isEqualTo(new ArrayList<>(model.current().values()));
  }

  private void checkEverything() {
    for (long at = Math.max(1, model.compactRevision); at <= model.revision(); at++) {
      assertThat(store.range(Requests.all(at)).getKvsList())
          .as("all keys at revision %d", at)
          .isEqualTo(new ArrayList<>(model.states.get((int) at).values()));
    }
    if (model.compactRevision > 1) {
      assertThat(refusal(() -> store.range(Requests.all(model.compactRevision - 1))).getCompactRevision())
          .isEqualTo(model.compactRevision);
    }
    long first = Math.max(1, model.compactRevision);
    for (long from : List.of(first, first + 1, first + random.nextInt(10), model.revision(), model.revision() + 1)) {
      assertThat(store.eventsSince(from, ALL, ALL, true, Integer.MAX_VALUE))
          .as("events since %d", from)
          .isEqualTo(model.eventsSince(from));
    }
    assertThat(store.leases().all()).extracting(Leases.Lease::id).containsExactlyElementsOf(model.leases);
    for (long id : model.leases) {
      List<String> attached = model.current().values().stream()
          .filter(kv -> kv.getLease() == id)
          .map(kv -> kv.getKey().toStringUtf8())
          .toList();
      assertThat(store.leases().get(id).keys()).extracting(k -> k.toStringUtf8()).containsExactlyElementsOf(attached);
    }
  }

  private void checkRandomReads() {
    long at = model.compactRevision + random.nextInt((int) (model.revision() - model.compactRevision + 1));
    long revision = at == 0 ? model.revision() : at;
    String from = randomKey();
    String to = random.nextInt(4) == 0 ? "\0" : randomKey();
    int limit = random.nextInt(4);
    RangeRequest request = (to.equals("\0") ? Requests.fromKey(from) : Requests.range(from, to)).toBuilder()
        .setRevision(at).setLimit(limit).build();

    RangeResponse response = store.range(request);

    List<KeyValue> expected = new ArrayList<>();
    NavigableMap<String, KeyValue> state = model.states.get((int) revision);
    Model.keysIn(state, from, to).forEach(key -> expected.add(state.get(key)));
    assertThat(response.getCount()).isEqualTo(expected.size());
    List<KeyValue> page = limit == 0 ? expected : expected.subList(0, Math.min(limit, expected.size()));
    assertThat(response.getKvsList()).isEqualTo(page);
    assertThat(response.getMore()).isEqualTo(page.size() < expected.size());

    long since = Math.max(1, model.compactRevision) + random.nextInt(5);
    int max = 1 + random.nextInt(4);
    List<Event> all = model.eventsSince(since);
    List<Event> limited = store.eventsSince(since, ALL, ALL, true, max);
    assertThat(limited).isEqualTo(all.subList(0, Math.min(limited.size(), all.size())));
    if (limited.size() < all.size()) {
      assertThat(limited).hasSizeGreaterThanOrEqualTo(max);
      long lastRevision = limited.get(limited.size() - 1).getKv().getModRevision();
      assertThat(all.get(limited.size()).getKv().getModRevision()).as("the next event starts a new revision")
          .isGreaterThan(lastRevision);
      assertThat(limited.stream().filter(e -> e.getKv().getModRevision() < lastRevision).count())
          .as("only the last revision goes past max").isLessThan(max);
    }
  }

  private String randomKey() {
    return KEYS.get(random.nextInt(KEYS.size()));
  }

  private long randomOf(TreeSet<Long> ids) {
    return new ArrayList<>(ids).get(random.nextInt(ids.size()));
  }

  /**
   * The reference: the whole key space at every revision, and every change as an event. It
   * knows nothing of histories, tombstones or indexes.
   */
  private static final class Model {
    /** states.get(r): every live key at revision r. */
    final List<NavigableMap<String, KeyValue>> states = new ArrayList<>(List.of(new TreeMap<>()));
    final List<Event> events = new ArrayList<>();
    final TreeSet<Long> leases = new TreeSet<>();
    long compactRevision;
    /** The key space of the write being applied. */
    NavigableMap<String, KeyValue> working;
    private final List<Event> pending = new ArrayList<>();

    long revision() {
      return states.size() - 1;
    }

    NavigableMap<String, KeyValue> current() {
      return working != null ? working : states.get(states.size() - 1);
    }

    /** Applies one request's changes at the next revision; a request that changes nothing leaves no revision. */
    void write(Consumer<Long> changes) {
      working = new TreeMap<>(states.get(states.size() - 1));
      pending.clear();
      changes.accept(revision() + 1);
      if (!pending.isEmpty()) {
        states.add(working);
        events.addAll(pending);
      }
      working = null;
    }

    void put(String key, String value, long lease) {
      long rev = revision() + 1;
      KeyValue prev = working.get(key);
      KeyValue kv = KeyValue.newBuilder()
          .setKey(bs(key))
          .setValue(bs(value))
          .setCreateRevision(prev == null ? rev : prev.getCreateRevision())
          .setModRevision(rev)
          .setVersion(prev == null ? 1 : prev.getVersion() + 1)
          .setLease(lease)
          .build();
      working.put(key, kv);
      Event.Builder event = Event.newBuilder().setType(Event.EventType.PUT).setKv(kv);
      if (prev != null) {
        event.setPrevKv(prev);
      }
      pending.add(event.build());
    }

    void delete(String key) {
      KeyValue prev = working.remove(key);
      if (prev != null) {
        KeyValue tombstone = KeyValue.newBuilder().setKey(bs(key)).setModRevision(revision() + 1).build();
        pending.add(Event.newBuilder().setType(Event.EventType.DELETE).setKv(tombstone).setPrevKv(prev).build());
      }
    }

    List<String> keysIn(String from, String to) {
      return keysIn(working, from, to);
    }

    static List<String> keysIn(NavigableMap<String, KeyValue> state, String from, String to) {
      if (to.equals("\0")) {
        return new ArrayList<>(state.tailMap(from, true).keySet());
      }
      return from.compareTo(to) >= 0 ? List.of() : new ArrayList<>(state.subMap(from, true, to, false).keySet());
    }

    /**
     * The events from {@code from} on as etcd serves them after a compaction: at the compact
     * revision itself a delete is gone and a put has lost its prev_kv, both compacted away.
     */
    List<Event> eventsSince(long from) {
      List<Event> since = new ArrayList<>();
      for (Event event : events) {
        long rev = event.getKv().getModRevision();
        if (rev < from) {
          continue;
        }
        if (rev == compactRevision) {
          if (event.getType() == Event.EventType.DELETE) {
            continue;
          }
          event = event.toBuilder().clearPrevKv().build();
        }
        since.add(event);
      }
      return since;
    }
  }
}
