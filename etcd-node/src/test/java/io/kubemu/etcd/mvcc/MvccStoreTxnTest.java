package io.kubemu.etcd.mvcc;

import static io.kubemu.etcd.api.Compare.CompareResult.EQUAL;
import static io.kubemu.etcd.api.Compare.CompareResult.GREATER;
import static io.kubemu.etcd.api.Compare.CompareResult.LESS;
import static io.kubemu.etcd.api.Compare.CompareResult.NOT_EQUAL;
import static io.kubemu.etcd.api.Compare.CompareTarget.CREATE;
import static io.kubemu.etcd.api.Compare.CompareTarget.LEASE;
import static io.kubemu.etcd.api.Compare.CompareTarget.MOD;
import static io.kubemu.etcd.api.Compare.CompareTarget.VERSION;
import static io.kubemu.etcd.mvcc.Requests.bs;
import static io.kubemu.etcd.mvcc.Requests.compaction;
import static io.kubemu.etcd.mvcc.Requests.compare;
import static io.kubemu.etcd.mvcc.Requests.delete;
import static io.kubemu.etcd.mvcc.Requests.deleteRange;
import static io.kubemu.etcd.mvcc.Requests.describe;
import static io.kubemu.etcd.mvcc.Requests.get;
import static io.kubemu.etcd.mvcc.Requests.keys;
import static io.kubemu.etcd.mvcc.Requests.modRevisionIs;
import static io.kubemu.etcd.mvcc.Requests.only;
import static io.kubemu.etcd.mvcc.Requests.op;
import static io.kubemu.etcd.mvcc.Requests.put;
import static io.kubemu.etcd.mvcc.Requests.refusal;
import static io.kubemu.etcd.mvcc.Requests.txn;
import static io.kubemu.etcd.mvcc.Requests.valueCompare;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubemu.etcd.api.Compare;
import io.kubemu.etcd.api.Error;
import io.kubemu.etcd.api.KeyValue;
import io.kubemu.etcd.api.RangeResponse;
import io.kubemu.etcd.api.RequestOp;
import io.kubemu.etcd.api.TxnRequest;
import io.kubemu.etcd.api.TxnResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Transactions: compares, branches, one revision per txn, refusals that change nothing, reads of own writes. */
class MvccStoreTxnTest {
  private static final long LEASE_ID = 7;
  private final MvccStore store = new MvccStore();

  // ---- revisions ----

  @Test
  void aTxnBumpsTheRevisionOnceForAllItsWrites() {
    store.put(put("c", "old"));

    TxnResponse response = store.txn(txn(op(put("a", "1")), op(put("b", "1")), op(delete("c"))));

    assertThat(store.revision()).isEqualTo(2);
    assertThat(response.getHeader().getRevision()).isEqualTo(2);
    assertThat(only(store.range(get("a"))).getModRevision()).isEqualTo(2);
    assertThat(only(store.range(get("b"))).getModRevision()).isEqualTo(2);
    assertThat(store.range(get("c")).getKvsList()).isEmpty();
  }

  @Test
  void aReadOnlyTxnDoesNotBumpTheRevision() {
    store.put(put("a", "1"));

    TxnResponse response = store.txn(txn(op(get("a")), op(get("missing"))));

    assertThat(store.revision()).isEqualTo(1);
    assertThat(response.getHeader().getRevision()).isEqualTo(1);
    assertThat(keys(response.getResponses(0).getResponseRange())).containsExactly("a");
  }

  @Test
  void aTxnWhoseOnlyWriteIsADeleteOfNothingDoesNotBumpTheRevision() {
    store.put(put("a", "1"));

    TxnResponse response = store.txn(txn(op(delete("missing"))));

    assertThat(store.revision()).isEqualTo(1);
    assertThat(response.getHeader().getRevision()).isEqualTo(1);
    assertThat(response.getResponses(0).getResponseDeleteRange().getDeleted()).isZero();
  }

  @Test
  void anEmptyTxnSucceedsAndChangesNothing() {
    store.put(put("a", "1"));

    TxnResponse response = store.txn(TxnRequest.getDefaultInstance());

    assertThat(response.getSucceeded()).isTrue();
    assertThat(response.getResponsesList()).isEmpty();
    assertThat(store.revision()).isEqualTo(1);
  }

  @Test
  void writesInsideATxnAnswerWithTheTxnsRevision() {
    store.put(put("a", "1"));
    store.put(put("b", "1"));

    TxnResponse response = store.txn(txn(
        op(delete("missing")),
        op(put("a", "2").toBuilder().setPrevKv(true).build()),
        op(delete("b").toBuilder().setPrevKv(true).build())));

    assertThat(response.getHeader().getRevision()).isEqualTo(3);
    // As in etcd: a delete that has nothing to delete before any write answers at the old revision.
    assertThat(response.getResponses(0).getResponseDeleteRange().getHeader().getRevision()).isEqualTo(2);
    assertThat(response.getResponses(1).getResponsePut().getHeader().getRevision()).isEqualTo(3);
    assertThat(response.getResponses(1).getResponsePut().getPrevKv().getValue()).isEqualTo(bs("1"));
    assertThat(response.getResponses(2).getResponseDeleteRange().getHeader().getRevision()).isEqualTo(3);
    assertThat(response.getResponses(2).getResponseDeleteRange().getPrevKvs(0).getKey()).isEqualTo(bs("b"));
  }

  // ---- branches ----

  @Test
  void aTxnWhoseComparesAllHoldRunsTheSuccessBranch() {
    store.put(put("a", "1"));

    TxnResponse response = store.txn(txn(
        List.of(valueCompare("a", EQUAL, "1"), compare("a", VERSION, EQUAL, 1)),
        List.of(op(put("ok", "1"))),
        List.of(op(put("ko", "1")))));

    assertThat(response.getSucceeded()).isTrue();
    assertThat(response.getResponsesList()).hasSize(1);
    assertThat(response.getResponses(0).hasResponsePut()).isTrue();
    assertThat(keys(store.range(Requests.all(0)))).containsExactly("a", "ok");
  }

  @Test
  void aTxnWithOneFalseCompareRunsTheFailureBranch() {
    store.put(put("a", "1"));

    TxnResponse response = store.txn(txn(
        List.of(valueCompare("a", EQUAL, "1"), compare("a", VERSION, EQUAL, 2)),
        List.of(op(put("ok", "1"))),
        List.of(op(put("ko", "1")), op(get("a")))));

    assertThat(response.getSucceeded()).isFalse();
    assertThat(response.getResponsesList()).hasSize(2);
    assertThat(response.getResponses(0).hasResponsePut()).isTrue();
    assertThat(keys(response.getResponses(1).getResponseRange())).containsExactly("a");
    assertThat(keys(store.range(Requests.all(0)))).containsExactly("a", "ko");
    assertThat(store.revision()).isEqualTo(2);
  }

  @Test
  void aFailedTxnWithAnEmptyFailureBranchChangesNothing() {
    store.put(put("a", "1"));

    TxnResponse response = store.txn(txn(List.of(valueCompare("a", EQUAL, "2")), List.of(op(put("a", "3"))), List.of()));

    assertThat(response.getSucceeded()).isFalse();
    assertThat(response.getResponsesList()).isEmpty();
    assertThat(response.getHeader().getRevision()).isEqualTo(1);
    assertThat(only(store.range(get("a"))).getValue()).isEqualTo(bs("1"));
  }

  // ---- the Kubernetes patterns ----

  /** How Kubernetes creates: put only if the key does not exist (mod_revision 0). */
  private static TxnRequest createIfAbsent(String key, String value) {
    return txn(List.of(modRevisionIs(key, 0)), List.of(op(put(key, value))), List.of());
  }

  /** How Kubernetes updates: put only at the resourceVersion it read, else get the current object. */
  private static TxnRequest updateAt(String key, long modRevision, String value) {
    return txn(List.of(modRevisionIs(key, modRevision)), List.of(op(put(key, value))), List.of(op(get(key))));
  }

  @Test
  void txnCreateIfAbsentPutsWhenTheKeyIsMissing() {
    TxnResponse response = store.txn(createIfAbsent("pods/a", "v1"));

    assertThat(response.getSucceeded()).isTrue();
    assertThat(response.getResponses(0).getResponsePut().getHeader().getRevision()).isEqualTo(1);
    assertThat(only(store.range(get("pods/a"))).getValue()).isEqualTo(bs("v1"));
  }

  @Test
  void txnCreateIfAbsentFailsWhenTheKeyExists() {
    store.put(put("pods/a", "v1"));

    TxnResponse response = store.txn(createIfAbsent("pods/a", "v2"));

    assertThat(response.getSucceeded()).isFalse();
    assertThat(store.revision()).isEqualTo(1);
    assertThat(only(store.range(get("pods/a"))).getValue()).isEqualTo(bs("v1"));
  }

  @Test
  void txnCreateIfAbsentSucceedsAgainOnceTheKeyIsDeleted() {
    store.put(put("pods/a", "v1"));
    store.deleteRange(delete("pods/a"));

    TxnResponse response = store.txn(createIfAbsent("pods/a", "v2"));

    assertThat(response.getSucceeded()).isTrue();
    KeyValue a = only(store.range(get("pods/a")));
    assertThat(a.getCreateRevision()).isEqualTo(3);
    assertThat(a.getVersion()).isEqualTo(1);
  }

  @Test
  void txnUpdateAtTheCurrentModRevisionPuts() {
    store.put(put("pods/a", "v1"));
    store.put(put("other", "x"));

    TxnResponse response = store.txn(updateAt("pods/a", 1, "v2"));

    assertThat(response.getSucceeded()).isTrue();
    assertThat(response.getResponses(0).getResponsePut().getHeader().getRevision()).isEqualTo(3);
    KeyValue a = only(store.range(get("pods/a")));
    assertThat(a.getValue()).isEqualTo(bs("v2"));
    assertThat(a.getModRevision()).isEqualTo(3);
    assertThat(a.getVersion()).isEqualTo(2);
  }

  @Test
  void txnUpdateAtAStaleModRevisionReturnsTheCurrentObjectInstead() {
    store.put(put("pods/a", "v1"));
    store.put(put("pods/a", "v2"));

    TxnResponse response = store.txn(updateAt("pods/a", 1, "v3"));

    assertThat(response.getSucceeded()).isFalse();
    KeyValue current = only(response.getResponses(0).getResponseRange());
    assertThat(current.getValue()).isEqualTo(bs("v2"));
    assertThat(current.getModRevision()).isEqualTo(2);
    assertThat(store.revision()).isEqualTo(2);
  }

  @Test
  void txnUpdateOfADeletedKeyFails() {
    store.put(put("pods/a", "v1"));
    store.deleteRange(delete("pods/a"));

    TxnResponse response = store.txn(updateAt("pods/a", 1, "v2"));

    assertThat(response.getSucceeded()).isFalse();
    assertThat(response.getResponses(0).getResponseRange().getKvsList()).isEmpty();
  }

  // ---- compares ----

  /**
   * Key "k" has version 2, create_revision 1, mod_revision 3 and lease 7. Each compare holds
   * exactly when k's field stands in the compare's relation to the operand.
   */
  static Stream<Arguments> numericCompares() {
    List<Arguments> cases = new ArrayList<>();
    long[][] targets = {{VERSION.getNumber(), 2}, {CREATE.getNumber(), 1}, {MOD.getNumber(), 3}, {LEASE.getNumber(), LEASE_ID}};
    for (long[] target : targets) {
      long actual = target[1];
      for (long operand : new long[] {actual - 1, actual, actual + 1}) {
        Compare.CompareTarget t = Compare.CompareTarget.forNumber((int) target[0]);
        cases.add(Arguments.of(t, EQUAL, operand, actual == operand));
        cases.add(Arguments.of(t, NOT_EQUAL, operand, actual != operand));
        cases.add(Arguments.of(t, GREATER, operand, actual > operand));
        cases.add(Arguments.of(t, LESS, operand, actual < operand));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} {1} {2} holds: {3}")
  @MethodSource("numericCompares")
  void aNumericCompareHoldsWhenTheKeysFieldStandsInThatRelationToTheOperand(
      Compare.CompareTarget target, Compare.CompareResult result, long operand, boolean holds) {
    store.grantLease(LEASE_ID, 60, 0);
    store.put(put("k", "v1"));           // 1
    store.put(put("other", "x"));        // 2
    store.put(put("k", "v2", LEASE_ID)); // 3

    TxnResponse response = store.txn(txn(List.of(compare("k", target, result, operand)), List.of(), List.of()));

    assertThat(response.getSucceeded()).isEqualTo(holds);
  }

  @Test
  void aCompareOnAMissingKeySeesVersionCreateModAndLeaseAsZero() {
    store.put(put("other", "x"));

    for (Compare.CompareTarget target : List.of(VERSION, CREATE, MOD, LEASE)) {
      assertThat(store.txn(txn(List.of(compare("missing", target, EQUAL, 0)), List.of(), List.of())).getSucceeded())
          .as("%s == 0", target).isTrue();
      assertThat(store.txn(txn(List.of(compare("missing", target, LESS, 1)), List.of(), List.of())).getSucceeded())
          .as("%s < 1", target).isTrue();
    }
  }

  @Test
  void aCompareOnADeletedKeySeesItAsMissing() {
    store.put(put("a", "1"));
    store.deleteRange(delete("a"));

    assertThat(store.txn(txn(List.of(compare("a", VERSION, EQUAL, 0)), List.of(), List.of())).getSucceeded()).isTrue();
    assertThat(store.txn(txn(List.of(compare("a", MOD, EQUAL, 0)), List.of(), List.of())).getSucceeded()).isTrue();
  }

  @Test
  void aValueCompareOnAMissingKeyIsAlwaysFalse() {
    for (Compare.CompareResult result : List.of(EQUAL, NOT_EQUAL, GREATER, LESS)) {
      TxnResponse response = store.txn(txn(List.of(valueCompare("missing", result, "")), List.of(), List.of()));
      assertThat(response.getSucceeded()).as("value %s \"\"", result).isFalse();
    }
  }

  @Test
  void aValueCompareComparesBytesAsUnsigned() {
    store.put(put("a", "\u00e9")); // 0xC3 0xA9

    assertThat(store.txn(txn(List.of(valueCompare("a", GREATER, "z")), List.of(), List.of())).getSucceeded()).isTrue();
    assertThat(store.txn(txn(List.of(valueCompare("a", LESS, "z")), List.of(), List.of())).getSucceeded()).isFalse();
  }

  @Test
  void aValueCompareMatchesTheCurrentValueExactly() {
    store.put(put("a", "ab"));

    assertThat(store.txn(txn(List.of(valueCompare("a", EQUAL, "ab")), List.of(), List.of())).getSucceeded()).isTrue();
    assertThat(store.txn(txn(List.of(valueCompare("a", EQUAL, "a")), List.of(), List.of())).getSucceeded()).isFalse();
    assertThat(store.txn(txn(List.of(valueCompare("a", GREATER, "a")), List.of(), List.of())).getSucceeded()).isTrue();
    assertThat(store.txn(txn(List.of(valueCompare("a", NOT_EQUAL, "ab")), List.of(), List.of())).getSucceeded()).isFalse();
  }

  // ---- refusals: nothing changes ----

  @Test
  void twoPutsOfOneKeyInATxnAreRefusedAndChangeNothing() {
    store.put(put("a", "1"));
    Observed before = Observed.of(store);

    Error error = refusal(() -> store.txn(txn(op(put("b", "1")), op(put("a", "2")), op(put("a", "3")))));

    assertThat(error.getCode()).isEqualTo(Error.Code.INVALID_ARGUMENT);
    assertThat(Observed.of(store)).isEqualTo(before);
  }

  @Test
  void aPutOfAKeyThatTheSameTxnDeletesIsRefused() {
    store.put(put("b", "1"));
    Observed before = Observed.of(store);

    Error putThenDelete = refusal(() -> store.txn(txn(op(put("b", "2")), op(deleteRange("a", "c")))));
    Error deleteThenPut = refusal(() -> store.txn(txn(op(delete("b")), op(put("b", "2")))));

    assertThat(putThenDelete.getCode()).isEqualTo(Error.Code.INVALID_ARGUMENT);
    assertThat(deleteThenPut.getCode()).isEqualTo(Error.Code.INVALID_ARGUMENT);
    assertThat(Observed.of(store)).isEqualTo(before);
  }

  @Test
  void duplicateKeysInTheBranchNotTakenAreRefusedToo() {
    store.put(put("a", "1"));
    Observed before = Observed.of(store);

    Error error = refusal(() -> store.txn(txn(
        List.of(valueCompare("a", EQUAL, "1")),
        List.of(op(put("b", "1"))),
        List.of(op(put("c", "1")), op(put("c", "2"))))));

    assertThat(error.getCode()).isEqualTo(Error.Code.INVALID_ARGUMENT);
    assertThat(Observed.of(store)).isEqualTo(before);
  }

  @Test
  void overlappingDeletesInOneTxnAreAllowed() {
    store.put(put("a", "1"));
    store.put(put("b", "1"));

    TxnResponse response = store.txn(txn(op(deleteRange("a", "c")), op(delete("b"))));

    assertThat(response.getResponses(0).getResponseDeleteRange().getDeleted()).isEqualTo(2);
    assertThat(response.getResponses(1).getResponseDeleteRange().getDeleted()).isZero();
    assertThat(store.revision()).isEqualTo(3);
  }

  @Test
  void aPutWithAMissingLeaseInATxnIsRefusedBeforeAnyEarlierPutApplies() {
    store.put(put("a", "1"));
    Observed before = Observed.of(store);

    Error error = refusal(() -> store.txn(txn(op(put("b", "1")), op(put("c", "1", 99)))));

    assertThat(error.getCode()).isEqualTo(Error.Code.LEASE_NOT_FOUND);
    assertThat(Observed.of(store)).isEqualTo(before);
  }

  @Test
  void aPutWithAMissingLeaseInTheBranchNotTakenDoesNotFailTheTxn() {
    TxnResponse response = store.txn(txn(List.of(), List.of(op(put("a", "1"))), List.of(op(put("b", "1", 99)))));

    assertThat(response.getSucceeded()).isTrue();
    assertThat(store.revision()).isEqualTo(1);
  }

  @Test
  void aPutWithAnEmptyKeyInATxnIsRefusedBeforeAnyEarlierPutApplies() {
    store.put(put("a", "1"));
    Observed before = Observed.of(store);

    Error error = refusal(() -> store.txn(txn(op(put("b", "1")), op(put("", "1")))));

    assertThat(error.getCode()).isEqualTo(Error.Code.INVALID_ARGUMENT);
    assertThat(Observed.of(store)).isEqualTo(before);
    store.put(put("c", "1"));
    assertThat(store.retainedChanges()).extracting(change -> change.kv().getModRevision()).containsExactly(1L, 2L);
  }

  @Test
  void aRangeAtAFutureRevisionInATxnIsRefusedBeforeAnyEarlierPutApplies() {
    store.put(put("a", "1"));
    Observed before = Observed.of(store);

    // Judged against the store before the txn, as etcd does: revision 2 is in the future even
    // though the txn's own put would write it.
    Error error = refusal(() -> store.txn(txn(op(put("b", "1")), op(get("a", 2)))));

    assertThat(error.getCode()).isEqualTo(Error.Code.FUTURE_REVISION);
    assertThat(Observed.of(store)).isEqualTo(before);
  }

  @Test
  void aRangeAtACompactedRevisionInATxnIsRefusedBeforeAnyEarlierPutApplies() {
    store.put(put("a", "1"));
    store.put(put("a", "2"));
    store.compact(compaction(2));
    Observed before = Observed.of(store);

    Error error = refusal(() -> store.txn(txn(op(put("b", "1")), op(get("a", 1)))));

    assertThat(error.getCode()).isEqualTo(Error.Code.COMPACTED);
    assertThat(error.getCompactRevision()).isEqualTo(2);
    assertThat(Observed.of(store)).isEqualTo(before);
  }

  @Test
  void anEmptyRequestOpIsRefused() {
    Error error = refusal(() -> store.txn(txn(op(put("a", "1")), RequestOp.getDefaultInstance())));

    assertThat(error.getCode()).isEqualTo(Error.Code.INVALID_ARGUMENT);
    assertThat(store.revision()).isZero();
  }

  // ---- reads inside a txn ----

  @Test
  void aRangeInsideATxnSeesTheTxnsOwnEarlierWrites() {
    store.put(put("a", "1"));
    store.put(put("b", "1"));

    TxnResponse response = store.txn(txn(
        op(get("a")),
        op(put("a", "2")),
        op(get("a")),
        op(delete("b")),
        op(Requests.range("a", "z"))));

    RangeResponse before = response.getResponses(0).getResponseRange();
    RangeResponse afterPut = response.getResponses(2).getResponseRange();
    RangeResponse afterDelete = response.getResponses(4).getResponseRange();
    assertThat(only(before).getValue()).isEqualTo(bs("1"));
    assertThat(before.getHeader().getRevision()).isEqualTo(2);
    assertThat(only(afterPut).getValue()).isEqualTo(bs("2"));
    assertThat(only(afterPut).getModRevision()).isEqualTo(3);
    assertThat(only(afterPut).getVersion()).isEqualTo(2);
    assertThat(afterPut.getHeader().getRevision()).isEqualTo(3);
    assertThat(keys(afterDelete)).containsExactly("a");
  }

  @Test
  void aRangeInsideATxnAtAnExplicitPastRevisionSeesThatRevision() {
    store.put(put("a", "1"));
    store.put(put("a", "2"));

    TxnResponse response = store.txn(txn(op(put("a", "3")), op(get("a", 1))));

    RangeResponse past = response.getResponses(1).getResponseRange();
    assertThat(only(past).getValue()).isEqualTo(bs("1"));
    assertThat(past.getHeader().getRevision()).isEqualTo(3);
  }

  @Test
  void theTxnsWritesAreVisibleOnlyOnceItIsApplied() {
    store.put(put("a", "1"));

    store.txn(txn(op(put("a", "2")), op(put("b", "2"))));

    assertThat(keys(store.range(Requests.all(1)))).containsExactly("a");
    assertThat(Requests.values(store.range(Requests.all(2)))).containsEntry("a", "2").containsEntry("b", "2");
  }

  // ---- order of changes within one txn ----

  @Test
  void theChangesOfATxnAreOrderedByOpAndDeletedKeysByKey() {
    store.put(put("x1", "1"));
    store.put(put("x2", "1"));

    store.txn(txn(op(put("c", "1")), op(Requests.deleteRange("x", "y")), op(put("a", "1"))));

    assertThat(describe(store.eventsSince(3, Requests.ALL, Requests.ALL, false, 100)))
        .containsExactly("PUT c=1@3", "DELETE x1@3", "DELETE x2@3", "PUT a=1@3");
    assertThat(store.retainedChanges().subList(2, 6))
        .extracting(change -> change.kv().getKey().toStringUtf8() + "#" + change.sub())
        .containsExactly("c#0", "x1#1", "x2#2", "a#3");
  }
}
