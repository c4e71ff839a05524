package io.kubemu.etcd.mvcc;

import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import io.kubemu.etcd.api.Compare;
import io.kubemu.etcd.api.CompactionRequest;
import io.kubemu.etcd.api.DeleteRangeRequest;
import io.kubemu.etcd.api.Error;
import io.kubemu.etcd.api.Event;
import io.kubemu.etcd.api.KeyValue;
import io.kubemu.etcd.api.PutRequest;
import io.kubemu.etcd.api.RangeRequest;
import io.kubemu.etcd.api.RangeResponse;
import io.kubemu.etcd.api.RequestOp;
import io.kubemu.etcd.api.TxnRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Short builders for the store's requests, so that tests read like the etcd calls they make. */
final class Requests {
  static final ByteString ALL = ByteString.copyFrom(new byte[] {0});

  private Requests() {}

  static ByteString bs(String s) {
    return ByteString.copyFromUtf8(s);
  }

  static PutRequest put(String key, String value) {
    return PutRequest.newBuilder().setKey(bs(key)).setValue(bs(value)).build();
  }

  static PutRequest put(String key, String value, long lease) {
    return put(key, value).toBuilder().setLease(lease).build();
  }

  static PutRequest putWithPrev(String key, String value) {
    return put(key, value).toBuilder().setPrevKv(true).build();
  }

  static RangeRequest get(String key) {
    return RangeRequest.newBuilder().setKey(bs(key)).build();
  }

  static RangeRequest get(String key, long revision) {
    return get(key).toBuilder().setRevision(revision).build();
  }

  static RangeRequest range(String key, String rangeEnd) {
    return RangeRequest.newBuilder().setKey(bs(key)).setRangeEnd(bs(rangeEnd)).build();
  }

  static RangeRequest fromKey(String key) {
    return RangeRequest.newBuilder().setKey(bs(key)).setRangeEnd(ALL).build();
  }

  /** Every key, at {@code revision} (0 = latest). */
  static RangeRequest all(long revision) {
    return RangeRequest.newBuilder().setKey(ALL).setRangeEnd(ALL).setRevision(revision).build();
  }

  static RangeRequest prefix(String prefix) {
    return RangeRequest.newBuilder().setKey(bs(prefix)).setRangeEnd(prefixEnd(bs(prefix))).build();
  }

  /** The range end that makes [key, end) the keys starting with {@code prefix}, as etcd's clients compute it. */
  static ByteString prefixEnd(ByteString prefix) {
    byte[] end = prefix.toByteArray();
    for (int i = end.length - 1; i >= 0; i--) {
      if (end[i] != (byte) 0xff) {
        end[i]++;
        return ByteString.copyFrom(end, 0, i + 1);
      }
    }
    return ALL;
  }

  static DeleteRangeRequest delete(String key) {
    return DeleteRangeRequest.newBuilder().setKey(bs(key)).build();
  }

  static DeleteRangeRequest deleteRange(String key, String rangeEnd) {
    return DeleteRangeRequest.newBuilder().setKey(bs(key)).setRangeEnd(bs(rangeEnd)).build();
  }

  static CompactionRequest compaction(long revision) {
    return CompactionRequest.newBuilder().setRevision(revision).build();
  }

  static RequestOp op(PutRequest put) {
    return RequestOp.newBuilder().setRequestPut(put).build();
  }

  static RequestOp op(RangeRequest range) {
    return RequestOp.newBuilder().setRequestRange(range).build();
  }

  static RequestOp op(DeleteRangeRequest delete) {
    return RequestOp.newBuilder().setRequestDeleteRange(delete).build();
  }

  static TxnRequest txn(List<Compare> compares, List<RequestOp> success, List<RequestOp> failure) {
    return TxnRequest.newBuilder().addAllCompare(compares).addAllSuccess(success).addAllFailure(failure).build();
  }

  static TxnRequest txn(RequestOp... success) {
    return TxnRequest.newBuilder().addAllSuccess(List.of(success)).build();
  }

  static Compare compare(String key, Compare.CompareTarget target, Compare.CompareResult result, long number) {
    Compare.Builder compare = Compare.newBuilder().setKey(bs(key)).setTarget(target).setResult(result);
    switch (target) {
      case VERSION -> compare.setVersion(number);
      case CREATE -> compare.setCreateRevision(number);
      case MOD -> compare.setModRevision(number);
      case LEASE -> compare.setLease(number);
      default -> throw new IllegalArgumentException(target.toString());
    }
    return compare.build();
  }

  static Compare valueCompare(String key, Compare.CompareResult result, String value) {
    return Compare.newBuilder()
        .setKey(bs(key)).setTarget(Compare.CompareTarget.VALUE).setResult(result).setValue(bs(value)).build();
  }

  static Compare modRevisionIs(String key, long modRevision) {
    return compare(key, Compare.CompareTarget.MOD, Compare.CompareResult.EQUAL, modRevision);
  }

  // ---- reading results ----

  static List<String> keys(RangeResponse response) {
    return response.getKvsList().stream().map(kv -> kv.getKey().toStringUtf8()).toList();
  }

  /** key -> value of every kv in the response. */
  static Map<String, String> values(RangeResponse response) {
    Map<String, String> values = new TreeMap<>();
    response.getKvsList().forEach(kv -> values.put(kv.getKey().toStringUtf8(), kv.getValue().toStringUtf8()));
    return values;
  }

  static KeyValue only(RangeResponse response) {
    if (response.getKvsCount() != 1) {
      throw new AssertionError("expected exactly one kv, got " + response.getKvsList());
    }
    return response.getKvs(0);
  }

  /** "PUT a=1@5" / "DELETE a@6", enough to compare event streams at a glance. */
  static List<String> describe(List<Event> events) {
    List<String> described = new ArrayList<>();
    for (Event event : events) {
      KeyValue kv = event.getKv();
      String what = event.getType() == Event.EventType.PUT
          ? kv.getKey().toStringUtf8() + "=" + kv.getValue().toStringUtf8()
          : kv.getKey().toStringUtf8();
      described.add(event.getType() + " " + what + "@" + kv.getModRevision());
    }
    return described;
  }

  /** The store's refusal of {@code call}; fails the test if it is not refused. */
  static Error refusal(ThrowingCallable call) {
    StoreException e = catchThrowableOfType(StoreException.class, call);
    if (e == null) {
      throw new AssertionError("expected the store to refuse the request");
    }
    return e.error();
  }

  /** A store rebuilt exactly as the snapshot code rebuilds one: from its retained changes and leases. */
  static MvccStore restored(MvccStore store) {
    List<MvccStore.SnapshotEntry> records = store.retainedChanges().stream()
        .map(change -> new MvccStore.SnapshotEntry(change.kv(), change.sub()))
        .toList();
    Leases leases = new Leases();
    store.leases().all().forEach(lease -> leases.restore(lease.id(), lease.ttlSeconds(), lease.refreshedMillis()));
    leases.restoreNextId(store.leases().nextId());
    return MvccStore.restore(store.revision(), store.compactRevision(), records, leases);
  }
}
