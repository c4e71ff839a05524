package io.kubemu.etcd.mvcc;

import static io.kubemu.etcd.mvcc.Requests.bs;
import static io.kubemu.etcd.mvcc.Requests.compaction;
import static io.kubemu.etcd.mvcc.Requests.delete;
import static io.kubemu.etcd.mvcc.Requests.fromKey;
import static io.kubemu.etcd.mvcc.Requests.get;
import static io.kubemu.etcd.mvcc.Requests.keys;
import static io.kubemu.etcd.mvcc.Requests.only;
import static io.kubemu.etcd.mvcc.Requests.prefix;
import static io.kubemu.etcd.mvcc.Requests.put;
import static io.kubemu.etcd.mvcc.Requests.range;
import static io.kubemu.etcd.mvcc.Requests.refusal;
import static io.kubemu.etcd.mvcc.Requests.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.google.protobuf.ByteString;
import io.kubemu.etcd.api.Error;
import io.kubemu.etcd.api.KeyValue;
import io.kubemu.etcd.api.RangeRequest;
import io.kubemu.etcd.api.RangeResponse;
import java.util.Comparator;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Range by key, by [key, range_end), by prefix and from a key; at past revisions; limit, keys_only, count_only. */
class MvccStoreRangeTest {
  private final MvccStore store = new MvccStore();

  @BeforeEach
  void someKeys() {
    store.put(put("a", "1"));          // 1
    store.put(put("ab", "1"));         // 2
    store.put(put("b", "1"));          // 3
    store.put(put("pods/ns/x", "1"));  // 4
    store.put(put("pods/ns/y", "1"));  // 5
    store.put(put("pods/nt/z", "1"));  // 6
    store.put(put("pods0", "1"));      // 7
    store.put(put("c", "1"));          // 8
  }

  @Test
  void aRangeWithoutRangeEndReturnsOnlyThatKey() {
    RangeResponse response = store.range(get("a"));

    assertThat(keys(response)).containsExactly("a");
    assertThat(response.getCount()).isEqualTo(1);
    assertThat(response.getMore()).isFalse();
  }

  @Test
  void aRangeOfAMissingKeyIsEmptyWithCountZero() {
    RangeResponse response = store.range(get("nope"));

    assertThat(response.getKvsList()).isEmpty();
    assertThat(response.getCount()).isZero();
    assertThat(response.getMore()).isFalse();
  }

  @Test
  void aRangeFromKeyToRangeEndIncludesKeyAndExcludesRangeEnd() {
    assertThat(keys(store.range(range("a", "b")))).containsExactly("a", "ab");
    assertThat(keys(store.range(range("ab", "pods0"))))
        .containsExactly("ab", "b", "c", "pods/ns/x", "pods/ns/y", "pods/nt/z");
  }

  @Test
  void aRangeWhoseKeyIsNotBeforeItsRangeEndIsEmpty() {
    assertThat(store.range(range("c", "a")).getKvsList()).isEmpty();
    assertThat(store.range(range("b", "b")).getKvsList()).isEmpty();
  }

  @Test
  void aPrefixRangeReturnsExactlyTheKeysStartingWithThePrefix() {
    assertThat(keys(store.range(prefix("pods/")))).containsExactly("pods/ns/x", "pods/ns/y", "pods/nt/z");
    assertThat(keys(store.range(prefix("pods/ns/")))).containsExactly("pods/ns/x", "pods/ns/y");
  }

  @Test
  void aNulRangeEndMeansEveryKeyAtOrAfterTheKey() {
    assertThat(keys(store.range(fromKey("pods/nt/z")))).containsExactly("pods/nt/z", "pods0");
    assertThat(keys(store.range(fromKey("\0"))))
        .containsExactly("a", "ab", "b", "c", "pods/ns/x", "pods/ns/y", "pods/nt/z", "pods0");
  }

  @Test
  void keysAreOrderedAsUnsignedBytes() {
    store.put(put("z", "1"));
    store.put(put("\u00e9", "1")); // UTF-8 0xC3 0xA9: after every ASCII key, though negative as a Java byte

    assertThat(keys(store.range(fromKey("pods0")))).containsExactly("pods0", "z", "\u00e9");
    assertThat(keys(store.range(range("pods0", "\u00e9")))).containsExactly("pods0", "z");
  }

  @Test
  void theKeyOrderIsProtobufsUnsignedOrderOnAnyBytes() {
    Random random = new Random(7);
    Comparator<ByteString> protobuf = ByteString.unsignedLexicographicalComparator();
    for (int i = 0; i < 20_000; i++) {
      byte[] common = bytes(random, random.nextInt(4));
      ByteString a = ByteString.copyFrom(common).concat(ByteString.copyFrom(bytes(random, random.nextInt(3))));
      ByteString b = ByteString.copyFrom(common).concat(ByteString.copyFrom(bytes(random, random.nextInt(3))));
      assertThat(Integer.signum(MvccStore.KEY_ORDER.compare(a, b)))
          .as("%s against %s", a, b)
          .isEqualTo(Integer.signum(protobuf.compare(a, b)));
    }
  }

  /** Bytes from a small alphabet with both signs, so that keys often share prefixes or are equal. */
  private static byte[] bytes(Random random, int length) {
    byte[] alphabet = {0, 1, 'a', 0x7f, (byte) 0x80, (byte) 0xff};
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = alphabet[random.nextInt(alphabet.length)];
    }
    return bytes;
  }

  @Test
  void revisionZeroReadsTheLatestRevision() {
    store.put(put("a", "2"));

    RangeResponse response = store.range(get("a", 0));

    assertThat(only(response).getValue()).isEqualTo(bs("2"));
    assertThat(response.getHeader().getRevision()).isEqualTo(9);
  }

  @Test
  void aRangeAtAPastRevisionSeesTheStoreAsItWasThen() {
    store.put(put("a", "2"));          // 9
    store.deleteRange(delete("b"));    // 10
    store.put(put("d", "1"));          // 11

    RangeResponse atEight = store.range(range("a", "e").toBuilder().setRevision(8).build());

    assertThat(values(atEight)).containsOnly(entry("a", "1"), entry("ab", "1"), entry("b", "1"), entry("c", "1"));
    assertThat(atEight.getCount()).isEqualTo(4);
    assertThat(values(store.range(range("a", "e").toBuilder().setRevision(10).build())))
        .containsOnly(entry("a", "2"), entry("ab", "1"), entry("c", "1"));
    assertThat(keys(store.range(range("a", "e").toBuilder().setRevision(2).build()))).containsExactly("a", "ab");
  }

  @Test
  void aPastVersionKeepsTheRevisionsAndVersionItHadThen() {
    store.put(put("a", "2")); // 9
    store.put(put("a", "3")); // 10

    KeyValue a = only(store.range(get("a", 9)));

    assertThat(a.getValue()).isEqualTo(bs("2"));
    assertThat(a.getCreateRevision()).isEqualTo(1);
    assertThat(a.getModRevision()).isEqualTo(9);
    assertThat(a.getVersion()).isEqualTo(2);
  }

  @Test
  void aRangeHeaderCarriesTheCurrentRevisionEvenForAPastRead() {
    assertThat(store.range(get("a", 3)).getHeader().getRevision()).isEqualTo(8);
  }

  @Test
  void aRangeAtAFutureRevisionIsRefusedWithFutureRevision() {
    Error error = refusal(() -> store.range(get("a", 9)));

    assertThat(error.getCode()).isEqualTo(Error.Code.FUTURE_REVISION);
  }

  @Test
  void aRangeAtTheCurrentRevisionIsNotAFutureRevision() {
    assertThat(keys(store.range(get("c", 8)))).containsExactly("c");
  }

  @Test
  void aRangeBelowTheCompactRevisionIsRefusedWithCompactedCarryingTheCompactRevision() {
    store.compact(compaction(5));

    Error error = refusal(() -> store.range(get("a", 4)));

    assertThat(error.getCode()).isEqualTo(Error.Code.COMPACTED);
    assertThat(error.getCompactRevision()).isEqualTo(5);
  }

  @Test
  void aLimitReturnsTheFirstKeysInKeyOrderWithMoreAndTheFullCount() {
    RangeResponse response = store.range(fromKey("a").toBuilder().setLimit(3).build());

    assertThat(keys(response)).containsExactly("a", "ab", "b");
    assertThat(response.getMore()).isTrue();
    assertThat(response.getCount()).isEqualTo(8);
  }

  @Test
  void aLimitOfExactlyTheNumberOfKeysHasNoMore() {
    RangeResponse response = store.range(prefix("pods/").toBuilder().setLimit(3).build());

    assertThat(response.getKvsCount()).isEqualTo(3);
    assertThat(response.getMore()).isFalse();
    assertThat(response.getCount()).isEqualTo(3);
  }

  @Test
  void aLimitCountsOnlyKeysLiveAtTheRevisionRead() {
    store.deleteRange(delete("a"));  // 9
    store.deleteRange(delete("ab")); // 10

    RangeResponse now = store.range(range("a", "c").toBuilder().setLimit(1).build());
    RangeResponse before = store.range(range("a", "c").toBuilder().setLimit(1).setRevision(8).build());

    assertThat(keys(now)).containsExactly("b");
    assertThat(now.getMore()).isFalse();
    assertThat(now.getCount()).isEqualTo(1);
    assertThat(keys(before)).containsExactly("a");
    assertThat(before.getMore()).isTrue();
    assertThat(before.getCount()).isEqualTo(3);
  }

  @Test
  void keysOnlyOmitsValuesButKeepsKeysAndRevisions() {
    RangeResponse response = store.range(prefix("pods/ns/").toBuilder().setKeysOnly(true).build());

    assertThat(keys(response)).containsExactly("pods/ns/x", "pods/ns/y");
    assertThat(response.getKvsList()).allSatisfy(kv -> assertThat(kv.getValue().isEmpty()).isTrue());
    assertThat(response.getKvs(0).getModRevision()).isEqualTo(4);
    assertThat(response.getKvs(0).getVersion()).isEqualTo(1);
  }

  @Test
  void countOnlyReturnsTheCountAndNoKvs() {
    RangeResponse response = store.range(prefix("pods/").toBuilder().setCountOnly(true).build());

    assertThat(response.getKvsList()).isEmpty();
    assertThat(response.getCount()).isEqualTo(3);
    assertThat(response.getMore()).isFalse();
  }

  @Test
  void countOnlyWithALimitStillCountsEveryKey() {
    RangeResponse response = store.range(fromKey("a").toBuilder().setCountOnly(true).setLimit(2).build());

    assertThat(response.getKvsList()).isEmpty();
    assertThat(response.getCount()).isEqualTo(8);
  }

  @Test
  void aRangeOverAllKeysWithAnEmptyKeyAndNulRangeEndReturnsEverything() {
    RangeResponse response = store.range(RangeRequest.newBuilder().setRangeEnd(Requests.ALL).build());

    assertThat(response.getCount()).isEqualTo(8);
  }
}
