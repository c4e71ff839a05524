package io.kubemu.etcd.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.kubemu.etcd.api.CompactionRequest;
import io.kubemu.etcd.api.DeleteRangeRequest;
import io.kubemu.etcd.api.PutRequest;
import io.kubemu.etcd.api.RangeRequest;
import io.kubemu.etcd.api.RequestOp;
import io.kubemu.etcd.api.TxnRequest;
import io.kubemu.etcd.mvcc.Leases;
import io.kubemu.etcd.mvcc.MvccStore;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store written to a snapshot file and read back answers like the original. */
class SnapshotFileTest {
  private static final ByteString ALL = ByteString.copyFrom(new byte[] {0});

  @TempDir
  File dir;

  @Test
  void aStoreReadBackFromItsSnapshotFileAnswersLikeTheOriginal() throws Exception {
    MvccStore store = new MvccStore();
    long lease = store.grantLease(0, 10, 1_000);
    store.grantLease(77, 20, 2_000);
    store.put(put("a", "1", 0));
    store.put(put("b", "1", lease));
    store.txn(TxnRequest.newBuilder()
        .addSuccess(RequestOp.newBuilder().setRequestPut(put("a", "2", 0)))
        .addSuccess(RequestOp.newBuilder().setRequestDeleteRange(
            DeleteRangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("b"))))
        .build());
    store.put(put("c", "1", lease));
    store.compact(CompactionRequest.newBuilder().setRevision(3).build());
    store.put(put("a", "3", 0));
    File file = new File(dir, "snapshot");

    SnapshotFile.write(file, store);
    MvccStore read = SnapshotFile.read(file);

    assertThat(describe(read)).isEqualTo(describe(store));
    assertThat(new File(dir, "snapshot.tmp")).doesNotExist();
  }

  private static PutRequest put(String key, String value, long lease) {
    return PutRequest.newBuilder()
        .setKey(ByteString.copyFromUtf8(key)).setValue(ByteString.copyFromUtf8(value)).setLease(lease).build();
  }

  /** What clients and the snapshot code can see of a store. */
  private static List<Object> describe(MvccStore store) {
    List<Object> seen = new ArrayList<>(List.of(
        store.revision(), store.compactRevision(), store.liveKeys(), store.retainedBytes(),
        store.retainedChanges(), store.leases().nextId()));
    for (long at = Math.max(1, store.compactRevision()); at <= store.revision(); at++) {
      seen.add(store.range(RangeRequest.newBuilder().setKey(ALL).setRangeEnd(ALL).setRevision(at).build()));
    }
    seen.add(store.eventsSince(store.compactRevision(), ALL, ALL, true, Integer.MAX_VALUE));
    for (Leases.Lease lease : store.leases().all()) {
      seen.add(List.of(lease.id(), lease.ttlSeconds(), lease.refreshedMillis(),
          lease.keys().stream().map(ByteString::toStringUtf8).toList()));
    }
    return seen;
  }
}
