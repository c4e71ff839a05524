package io.kubemu.etcd.mvcc;

import static io.kubemu.etcd.mvcc.Requests.bs;
import static io.kubemu.etcd.mvcc.Requests.delete;
import static io.kubemu.etcd.mvcc.Requests.deleteRange;
import static io.kubemu.etcd.mvcc.Requests.fromKey;
import static io.kubemu.etcd.mvcc.Requests.get;
import static io.kubemu.etcd.mvcc.Requests.keys;
import static io.kubemu.etcd.mvcc.Requests.only;
import static io.kubemu.etcd.mvcc.Requests.put;
import static io.kubemu.etcd.mvcc.Requests.putWithPrev;
import static io.kubemu.etcd.mvcc.Requests.refusal;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubemu.etcd.api.DeleteRangeRequest;
import io.kubemu.etcd.api.DeleteRangeResponse;
import io.kubemu.etcd.api.Error;
import io.kubemu.etcd.api.KeyValue;
import io.kubemu.etcd.api.PutResponse;
import org.junit.jupiter.api.Test;

/** The global revision and each key's create_revision / mod_revision / version through puts and deletes. */
class MvccStoreTest {
  private final MvccStore store = new MvccStore();

  @Test
  void aNewStoreIsAtRevisionZeroWithNoKeys() {
    assertThat(store.revision()).isZero();
    assertThat(store.compactRevision()).isZero();
    assertThat(store.liveKeys()).isZero();
    assertThat(store.range(Requests.all(0)).getKvsList()).isEmpty();
  }

  @Test
  void everyPutBumpsTheRevisionByOneAndAnswersWithIt() {
    assertThat(store.put(put("a", "1")).getHeader().getRevision()).isEqualTo(1);
    assertThat(store.put(put("b", "1")).getHeader().getRevision()).isEqualTo(2);
    assertThat(store.put(put("a", "2")).getHeader().getRevision()).isEqualTo(3);
    assertThat(store.revision()).isEqualTo(3);
  }

  @Test
  void aPutCreatesTheKeyAtVersionOneWithCreateAndModRevisionOfThePut() {
    store.put(put("other", "x"));
    store.put(put("a", "1"));

    KeyValue a = only(store.range(get("a")));
    assertThat(a.getKey()).isEqualTo(bs("a"));
    assertThat(a.getValue()).isEqualTo(bs("1"));
    assertThat(a.getCreateRevision()).isEqualTo(2);
    assertThat(a.getModRevision()).isEqualTo(2);
    assertThat(a.getVersion()).isEqualTo(1);
    assertThat(a.getLease()).isZero();
  }

  @Test
  void eachPutOfAKeyKeepsItsCreateRevisionAndBumpsItsVersionAndModRevision() {
    store.put(put("a", "1"));
    store.put(put("other", "x"));
    store.put(put("a", "2"));
    store.put(put("a", "3"));

    KeyValue a = only(store.range(get("a")));
    assertThat(a.getValue()).isEqualTo(bs("3"));
    assertThat(a.getCreateRevision()).isEqualTo(1);
    assertThat(a.getModRevision()).isEqualTo(4);
    assertThat(a.getVersion()).isEqualTo(3);
  }

  @Test
  void putWithPrevKvReturnsTheVersionItReplaced() {
    store.put(put("a", "1"));

    PutResponse response = store.put(putWithPrev("a", "2"));

    assertThat(response.getHeader().getRevision()).isEqualTo(2);
    assertThat(response.hasPrevKv()).isTrue();
    assertThat(response.getPrevKv().getValue()).isEqualTo(bs("1"));
    assertThat(response.getPrevKv().getModRevision()).isEqualTo(1);
    assertThat(response.getPrevKv().getVersion()).isEqualTo(1);
  }

  @Test
  void putWithPrevKvOfANewKeyHasNoPrevKv() {
    store.put(put("a", "1"));
    store.deleteRange(delete("a"));

    assertThat(store.put(putWithPrev("a", "2")).hasPrevKv()).isFalse();
    assertThat(store.put(putWithPrev("c", "1")).hasPrevKv()).isFalse();
  }

  @Test
  void putWithoutPrevKvDoesNotReturnIt() {
    store.put(put("a", "1"));

    assertThat(store.put(put("a", "2")).hasPrevKv()).isFalse();
  }

  @Test
  void putWithAnEmptyKeyIsRefusedAndChangesNothing() {
    store.put(put("a", "1"));
    Observed before = Observed.of(store);

    Error error = refusal(() -> store.put(put("", "x")));

    assertThat(error.getCode()).isEqualTo(Error.Code.INVALID_ARGUMENT);
    assertThat(Observed.of(store)).isEqualTo(before);
  }

  @Test
  void aPutOfTheSameValueIsStillANewVersion() {
    store.put(put("a", "1"));
    store.put(put("a", "1"));

    assertThat(store.revision()).isEqualTo(2);
    assertThat(only(store.range(get("a"))).getVersion()).isEqualTo(2);
  }

  @Test
  void deletingAKeyBumpsTheRevisionAndHidesTheKey() {
    store.put(put("a", "1"));

    DeleteRangeResponse response = store.deleteRange(delete("a"));

    assertThat(response.getDeleted()).isEqualTo(1);
    assertThat(response.getHeader().getRevision()).isEqualTo(2);
    assertThat(store.revision()).isEqualTo(2);
    assertThat(store.range(get("a")).getKvsList()).isEmpty();
    assertThat(store.range(get("a")).getCount()).isZero();
  }

  @Test
  void aDeleteThatDeletesNothingDoesNotBumpTheRevision() {
    store.put(put("a", "1"));
    store.deleteRange(delete("a"));

    DeleteRangeResponse missing = store.deleteRange(delete("never"));
    DeleteRangeResponse again = store.deleteRange(delete("a"));
    DeleteRangeResponse emptyRange = store.deleteRange(deleteRange("x", "z"));

    assertThat(store.revision()).isEqualTo(2);
    assertThat(missing.getDeleted()).isZero();
    assertThat(again.getDeleted()).isZero();
    assertThat(emptyRange.getDeleted()).isZero();
    assertThat(missing.getHeader().getRevision()).isEqualTo(2);
    assertThat(store.eventsSince(3, Requests.ALL, Requests.ALL, false, 100)).isEmpty();
  }

  @Test
  void deletingARangeDeletesEveryLiveKeyInItInOneRevisionWithPrevKvsInKeyOrder() {
    store.put(put("a", "1"));
    store.put(put("b", "1"));
    store.put(put("c", "1"));
    store.put(put("b", "2"));
    store.put(put("d", "1"));
    store.deleteRange(delete("c"));

    DeleteRangeResponse response = store.deleteRange(
        deleteRange("b", "d").toBuilder().setPrevKv(true).build());

    assertThat(response.getDeleted()).isEqualTo(1);
    assertThat(response.getPrevKvsList()).extracting(kv -> kv.getValue().toStringUtf8()).containsExactly("2");
    assertThat(store.revision()).isEqualTo(7);
    assertThat(keys(store.range(Requests.all(0)))).containsExactly("a", "d");

    DeleteRangeResponse rest = store.deleteRange(
        deleteRange("a", "z").toBuilder().setPrevKv(true).build());
    assertThat(rest.getDeleted()).isEqualTo(2);
    assertThat(rest.getPrevKvsList()).extracting(kv -> kv.getKey().toStringUtf8()).containsExactly("a", "d");
    assertThat(rest.getHeader().getRevision()).isEqualTo(8);
    assertThat(store.revision()).isEqualTo(8);
  }

  @Test
  void deleteWithoutPrevKvReturnsNoPrevKvs() {
    store.put(put("a", "1"));

    DeleteRangeResponse response = store.deleteRange(delete("a"));

    assertThat(response.getDeleted()).isEqualTo(1);
    assertThat(response.getPrevKvsList()).isEmpty();
  }

  @Test
  void deleteWithNulRangeEndDeletesEveryKeyAtOrAfterTheKey() {
    store.put(put("a", "1"));
    store.put(put("b", "1"));
    store.put(put("zz", "1"));

    DeleteRangeResponse response = store.deleteRange(
        DeleteRangeRequest.newBuilder().setKey(bs("b")).setRangeEnd(Requests.ALL).build());

    assertThat(response.getDeleted()).isEqualTo(2);
    assertThat(keys(store.range(fromKey("a")))).containsExactly("a");
  }

  @Test
  void deleteOfOneKeyDoesNotDeleteKeysItIsAPrefixOf() {
    store.put(put("a", "1"));
    store.put(put("ab", "1"));

    store.deleteRange(delete("a"));

    assertThat(keys(store.range(fromKey("a")))).containsExactly("ab");
  }

  @Test
  void recreatingADeletedKeyStartsAtVersionOneWithANewCreateRevision() {
    store.put(put("a", "1"));
    store.put(put("a", "2"));
    store.deleteRange(delete("a"));
    store.put(put("a", "3"));

    KeyValue a = only(store.range(get("a")));
    assertThat(a.getVersion()).isEqualTo(1);
    assertThat(a.getCreateRevision()).isEqualTo(4);
    assertThat(a.getModRevision()).isEqualTo(4);
  }

  @Test
  void liveKeysCountsTheKeysThatExistNow() {
    store.put(put("a", "1"));
    store.put(put("a", "2"));
    store.put(put("b", "1"));
    assertThat(store.liveKeys()).isEqualTo(2);

    store.deleteRange(delete("a"));
    assertThat(store.liveKeys()).isEqualTo(1);

    store.put(put("a", "3"));
    assertThat(store.liveKeys()).isEqualTo(2);

    store.deleteRange(deleteRange("a", "z"));
    assertThat(store.liveKeys()).isZero();
  }

  @Test
  void retainedBytesCountsKeysAndValuesOfEveryRetainedVersionIncludingTombstones() {
    store.put(put("a", "xyz"));   // 1 + 3
    store.put(put("a", "q"));     // 1 + 1
    store.put(put("bb", ""));     // 2 + 0
    store.deleteRange(delete("a")); // tombstone: 1

    assertThat(store.retainedBytes()).isEqualTo(4 + 2 + 2 + 1);
  }

  @Test
  void aPastVersionOfAKeyStaysReadableAfterItIsOverwrittenAndDeleted() {
    store.put(put("a", "1"));
    store.put(put("a", "2"));
    store.deleteRange(delete("a"));

    assertThat(only(store.range(get("a", 1))).getValue()).isEqualTo(bs("1"));
    assertThat(only(store.range(get("a", 2))).getValue()).isEqualTo(bs("2"));
    assertThat(store.range(get("a", 3)).getKvsList()).isEmpty();
  }
}
