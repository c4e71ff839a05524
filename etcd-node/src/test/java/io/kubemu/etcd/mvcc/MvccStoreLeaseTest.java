package io.kubemu.etcd.mvcc;

import static io.kubemu.etcd.mvcc.Requests.ALL;
import static io.kubemu.etcd.mvcc.Requests.bs;
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

import com.google.protobuf.ByteString;
import io.kubemu.etcd.api.Error;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Leases: grant, attaching keys, keep-alive, expiry as the leader decides it, and revoke. */
class MvccStoreLeaseTest {
  private static final long T0 = 1_000_000;
  private final MvccStore store = new MvccStore();

  private List<String> keysOf(long lease) {
    return store.leases().get(lease).keys().stream().map(ByteString::toStringUtf8).toList();
  }

  // ---- grant ----

  @Test
  void grantWithoutAnIdPicksTheNextFreeOne() {
    assertThat(store.grantLease(0, 10, T0)).isEqualTo(1);
    assertThat(store.grantLease(0, 10, T0)).isEqualTo(2);
  }

  @Test
  void grantWithAnExplicitIdUsesItAndLaterChosenIdsComeAfterIt() {
    assertThat(store.grantLease(100, 10, T0)).isEqualTo(100);
    assertThat(store.grantLease(0, 10, T0)).isEqualTo(101);
    assertThat(store.leases().nextId()).isEqualTo(102);
  }

  @Test
  void aChosenIdSkipsIdsThatAreAlreadyGranted() {
    store.grantLease(5, 10, T0);
    store.leases().restoreNextId(4); // as a snapshot may hold it
    assertThat(store.grantLease(0, 10, T0)).isEqualTo(4);
    assertThat(store.grantLease(0, 10, T0)).isEqualTo(6);
  }

  @Test
  void grantingAnIdThatExistsIsRefusedWithLeaseExists() {
    store.grantLease(5, 10, T0);

    Error error = refusal(() -> store.grantLease(5, 20, T0 + 1));

    assertThat(error.getCode()).isEqualTo(Error.Code.LEASE_EXISTS);
    assertThat(store.leases().get(5).ttlSeconds()).isEqualTo(10);
    assertThat(store.leases().get(5).refreshedMillis()).isEqualTo(T0);
  }

  @Test
  void grantWithATtlThatIsNotPositiveIsRefused() {
    assertThat(refusal(() -> store.grantLease(0, 0, T0)).getCode()).isEqualTo(Error.Code.INVALID_ARGUMENT);
    assertThat(refusal(() -> store.grantLease(3, -1, T0)).getCode()).isEqualTo(Error.Code.INVALID_ARGUMENT);
    assertThat(store.leases().all()).isEmpty();
  }

  @Test
  void grantRecordsTheTtlAndTheGrantTimeButDoesNotBumpTheRevision() {
    long id = store.grantLease(0, 30, T0);

    assertThat(store.leases().get(id).ttlSeconds()).isEqualTo(30);
    assertThat(store.leases().get(id).refreshedMillis()).isEqualTo(T0);
    assertThat(store.revision()).isZero();
  }

  // ---- attaching keys ----

  @Test
  void aPutWithAMissingLeaseIsRefusedAndChangesNothing() {
    store.put(put("a", "1"));
    Observed before = Observed.of(store);

    Error error = refusal(() -> store.put(put("b", "1", 42)));

    assertThat(error.getCode()).isEqualTo(Error.Code.LEASE_NOT_FOUND);
    assertThat(Observed.of(store)).isEqualTo(before);
  }

  @Test
  void aPutWithALeaseAttachesTheKeyAndRecordsTheLeaseOnIt() {
    long lease = store.grantLease(0, 10, T0);

    store.put(put("b", "1", lease));
    store.put(put("a", "1", lease));

    assertThat(keysOf(lease)).containsExactly("a", "b");
    assertThat(only(store.range(get("a"))).getLease()).isEqualTo(lease);
  }

  @Test
  void puttingAKeyUnderAnotherLeaseMovesIt() {
    long first = store.grantLease(0, 10, T0);
    long second = store.grantLease(0, 10, T0);
    store.put(put("a", "1", first));

    store.put(put("a", "2", second));

    assertThat(keysOf(first)).isEmpty();
    assertThat(keysOf(second)).containsExactly("a");
  }

  @Test
  void puttingAKeyWithoutALeaseDetachesIt() {
    long lease = store.grantLease(0, 10, T0);
    store.put(put("a", "1", lease));

    store.put(put("a", "2"));

    assertThat(keysOf(lease)).isEmpty();
    assertThat(only(store.range(get("a"))).getLease()).isZero();
  }

  @Test
  void puttingAKeyAgainUnderTheSameLeaseKeepsItAttached() {
    long lease = store.grantLease(0, 10, T0);
    store.put(put("a", "1", lease));

    store.put(put("a", "2", lease));

    assertThat(keysOf(lease)).containsExactly("a");
  }

  @Test
  void deletingAKeyDetachesIt() {
    long lease = store.grantLease(0, 10, T0);
    store.put(put("a", "1", lease));
    store.put(put("b", "1", lease));

    store.deleteRange(delete("a"));

    assertThat(keysOf(lease)).containsExactly("b");
  }

  @Test
  void aTxnAttachesAndDetachesLikeSinglePutsAndDeletes() {
    long lease = store.grantLease(0, 10, T0);
    store.put(put("a", "1", lease));

    store.txn(txn(op(delete("a")), op(put("b", "1", lease))));

    assertThat(keysOf(lease)).containsExactly("b");
  }

  // ---- keep-alive and expiry ----

  @Test
  void keepAliveRefreshesTheLeaseAndReturnsItsTtl() {
    long lease = store.grantLease(0, 10, T0);

    assertThat(store.leases().keepAlive(lease, T0 + 4_000)).isEqualTo(10);
    assertThat(store.leases().get(lease).refreshedMillis()).isEqualTo(T0 + 4_000);
  }

  @Test
  void keepAliveNeverMovesTheRefreshTimeBackwards() {
    long lease = store.grantLease(0, 10, T0);

    store.leases().keepAlive(lease, T0 - 5_000);

    assertThat(store.leases().get(lease).refreshedMillis()).isEqualTo(T0);
  }

  @Test
  void keepAliveOfAMissingLeaseIsRefused() {
    assertThat(refusal(() -> store.leases().keepAlive(9, T0)).getCode()).isEqualTo(Error.Code.LEASE_NOT_FOUND);
  }

  @Test
  void aLeaseExpiresItsTtlAfterItsLastRefresh() {
    long lease = store.grantLease(0, 10, T0);

    assertThat(store.leases().expired(T0 + 9_999, 0)).isEmpty();
    assertThat(store.leases().expired(T0 + 10_000, 0)).containsExactly(lease);
  }

  @Test
  void keepAlivePostponesExpiry() {
    long lease = store.grantLease(0, 10, T0);

    store.leases().keepAlive(lease, T0 + 8_000);

    assertThat(store.leases().expired(T0 + 17_999, 0)).isEmpty();
    assertThat(store.leases().expired(T0 + 18_000, 0)).containsExactly(lease);
  }

  @Test
  void expiredListsOnlyTheLeasesThatRanOutInIdOrder() {
    long late = store.grantLease(9, 10, T0 + 5_000);
    long shortOne = store.grantLease(3, 1, T0);
    long longOne = store.grantLease(4, 100, T0);
    store.grantLease(1, 5, T0);

    assertThat(store.leases().expired(T0 + 15_000, 0)).containsExactly(1L, shortOne, late);
    assertThat(store.leases().expired(T0 + 15_000, 0)).doesNotContain(longOne);
  }

  @Test
  void aNewLeadersNotBeforeTimeExtendsEveryLeaseByAFullTtl() {
    long lease = store.grantLease(0, 10, T0);
    long leaderSince = T0 + 30_000; // the old leader died; nobody could keep the lease alive meanwhile

    assertThat(store.leases().expired(T0 + 35_000, leaderSince)).isEmpty();
    assertThat(store.leases().expired(leaderSince + 9_999, leaderSince)).isEmpty();
    assertThat(store.leases().expired(leaderSince + 10_000, leaderSince)).containsExactly(lease);
    assertThat(store.leases().get(lease).expiresAtMillis(leaderSince)).isEqualTo(leaderSince + 10_000);
  }

  @Test
  void aNotBeforeTimeEarlierThanTheLastRefreshChangesNothing() {
    long lease = store.grantLease(0, 10, T0);

    assertThat(store.leases().get(lease).expiresAtMillis(T0 - 60_000)).isEqualTo(T0 + 10_000);
    assertThat(store.leases().expired(T0 + 10_000, T0 - 60_000)).containsExactly(lease);
  }

  @Test
  void expiryAloneDeletesNothing() {
    long lease = store.grantLease(0, 1, T0);
    store.put(put("a", "1", lease));

    assertThat(store.leases().expired(T0 + 60_000, 0)).containsExactly(lease);
    assertThat(keys(store.range(get("a")))).containsExactly("a");
    assertThat(store.leases().get(lease)).isNotNull();
  }

  // ---- revoke ----

  @Test
  void revokeDeletesEveryAttachedKeyInOneRevision() {
    long lease = store.grantLease(0, 10, T0);
    store.put(put("b", "1", lease));   // 1
    store.put(put("keep", "1"));       // 2
    store.put(put("a", "1", lease));   // 3
    store.put(put("c", "1", lease));   // 4
    store.put(put("c", "2"));          // 5: c leaves the lease

    store.revokeLease(lease);

    assertThat(store.revision()).isEqualTo(6);
    assertThat(keys(store.range(Requests.all(0)))).containsExactly("c", "keep");
    assertThat(describe(store.eventsSince(6, ALL, ALL, false, 100))).containsExactly("DELETE a@6", "DELETE b@6");
    assertThat(store.leases().get(lease)).isNull();
    assertThat(store.liveKeys()).isEqualTo(2);
  }

  @Test
  void revokeDeleteEventsCarryTheDeletedVersionsWithPrevKv() {
    long lease = store.grantLease(0, 10, T0);
    store.put(put("a", "1", lease));

    store.revokeLease(lease);

    assertThat(store.eventsSince(2, ALL, ALL, true, 10).get(0).getPrevKv().getLease()).isEqualTo(lease);
  }

  @Test
  void revokingALeaseWithoutKeysRemovesItWithoutBumpingTheRevision() {
    store.put(put("a", "1"));
    long lease = store.grantLease(0, 10, T0);

    store.revokeLease(lease);

    assertThat(store.revision()).isEqualTo(1);
    assertThat(store.leases().get(lease)).isNull();
  }

  @Test
  void revokingAMissingLeaseIsRefusedWithLeaseNotFound() {
    store.put(put("a", "1"));
    Observed before = Observed.of(store);

    assertThat(refusal(() -> store.revokeLease(3)).getCode()).isEqualTo(Error.Code.LEASE_NOT_FOUND);
    assertThat(Observed.of(store)).isEqualTo(before);
  }

  @Test
  void aRevokedLeaseCannotBeUsedByALaterPut() {
    long lease = store.grantLease(0, 10, T0);
    store.revokeLease(lease);

    assertThat(refusal(() -> store.put(put("a", "1", lease))).getCode()).isEqualTo(Error.Code.LEASE_NOT_FOUND);
  }

  @Test
  void aKeyOfARevokedLeaseCanBeCreatedAgain() {
    long lease = store.grantLease(0, 10, T0);
    store.put(put("a", "1", lease));
    store.revokeLease(lease);

    store.put(put("a", "2"));

    assertThat(only(store.range(get("a"))).getVersion()).isEqualTo(1);
    assertThat(only(store.range(get("a"))).getCreateRevision()).isEqualTo(3);
    assertThat(only(store.range(get("a"))).getValue()).isEqualTo(bs("2"));
  }
}
