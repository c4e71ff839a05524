package io.kubemu.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.kubemu.etcd.api.Compare;
import io.kubemu.etcd.api.Event;
import io.kubemu.etcd.api.KeyValue;
import io.kubemu.etcd.api.PutRequest;
import io.kubemu.etcd.api.PutResponse;
import io.kubemu.etcd.api.RangeRequest;
import io.kubemu.etcd.api.RangeResponse;
import io.kubemu.etcd.api.RequestOp;
import io.kubemu.etcd.api.StatusResponse;
import io.kubemu.etcd.api.TxnRequest;
import io.kubemu.etcd.api.TxnResponse;
import io.kubemu.etcd.api.WatchRequest;
import io.kubemu.etcd.client.KeyRange;
import io.kubemu.etcd.client.KvClient;
import io.kubemu.etcd.client.KvException;
import io.kubemu.etcd.client.Watch;
import io.kubemu.etcd.server.EtcdNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.util.TimeDuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real three-member store, each member its own process, and what users of etcd rely on. */
class EtcdNodeIT {
  @TempDir
  Path dir;

  @Test
  void writesResumeWithinTwoSecondsOfKillingTheLeaderAndNoAcknowledgedWriteIsLost() throws Exception {
    try (EtcdCluster cluster = new EtcdCluster(dir, 3).start(); KvClient client = cluster.client()) {
      int leader = cluster.awaitLeader(client);
      long startRevision = KvClient.await(client.get(bytes("/it"))).getHeader().getRevision() + 1;
      List<Event> seen = new CopyOnWriteArrayList<>();
      Watch watch = client.watch(WatchRequest.newBuilder().setKey(bytes("/it/")).setRangeEnd(bytes("/it0"))
          .setStartRevision(startRevision).build(), seen::addAll);

      AtomicBoolean running = new AtomicBoolean(true);
      AtomicReference<Long> killedAt = new AtomicReference<>(Long.MAX_VALUE);
      Set<String> acknowledged = ConcurrentHashMap.newKeySet();
      Map<Integer, Long> firstAckAfterKill = new ConcurrentHashMap<>();
      List<Thread> writers = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        int writer = w;
        Thread thread = new Thread(() -> {
          for (int seq = 0; running.get(); seq++) {
            String key = "/it/w" + writer + "/" + seq;
            try {
              KvClient.await(client.put(bytes(key), bytes("v" + seq)));
              acknowledged.add(key);
              long now = System.nanoTime();
              if (now > killedAt.get()) {
                firstAckAfterKill.putIfAbsent(writer, now);
              }
            } catch (Exception e) {
              // not acknowledged: the client gave up on it; it may or may not be stored
            }
          }
        });
        thread.start();
        writers.add(thread);
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> acknowledged.size() >= 20);

      killedAt.set(System.nanoTime());
      cluster.kill(leader);
      await().atMost(Duration.ofSeconds(10)).until(() -> firstAckAfterKill.size() == 4);
      running.set(false);
      for (Thread writer : writers) {
        writer.join();
      }

      for (long ackedAt : firstAckAfterKill.values()) {
        assertThat(Duration.ofNanos(ackedAt - killedAt.get())).isLessThan(Duration.ofSeconds(2));
      }
      cluster.start(leader);
      RangeResponse stored = KvClient.await(client.range(prefix("/it/")));
      Set<String> storedKeys = new HashSet<>();
      stored.getKvsList().forEach(kv -> storedKeys.add(kv.getKey().toStringUtf8()));
      assertThat(storedKeys).containsAll(acknowledged);

      // The watch opened before the kill saw every stored write exactly once, in revision order.
      long lastRevision = stored.getHeader().getRevision();
      await().atMost(Duration.ofSeconds(10)).until(() -> watch.nextRevision() > lastRevision);
      watch.close();
      List<String> watchedKeys = seen.stream().map(event -> event.getKv().getKey().toStringUtf8()).toList();
      assertThat(watchedKeys).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(storedKeys);
      assertThat(seen.stream().mapToLong(event -> event.getKv().getModRevision()).toArray()).isSorted();
    }
  }

  @Test
  void followerThatMissedTenThousandWritesCatchesUpFromTheLeadersSnapshot() throws Exception {
    // Small segments and a low snapshot count, so the leader purges the entries the follower misses. The
    // writes go 64 at a time, mostly 63 to a log entry (group commit): some 160 entries for 10,000 writes.
    try (EtcdCluster cluster = new EtcdCluster(dir, 3, "--snapshot-count", "40", "--raft-log-segment-bytes", "65536").start();
         KvClient client = cluster.client()) {
      int leader = cluster.awaitLeader(client);
      int follower = (leader + 1) % 3;
      KvClient.await(client.put(bytes("/catch-up/before"), bytes("x")));
      cluster.stop(follower);

      Semaphore inFlight = new Semaphore(64);
      List<CompletableFuture<?>> writes = new ArrayList<>();
      for (int i = 0; i < 10_000; i++) {
        inFlight.acquire();
        writes.add(client.put(bytes(String.format("/catch-up/%05d", i)), bytes("value-" + i))
            .whenComplete((response, error) -> inFlight.release()));
      }
      CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
      StatusResponse leaderStatus = KvClient.await(client.status(cluster.name(leader)));

      cluster.start(follower);
      await().atMost(Duration.ofSeconds(60)).until(() -> {
        try {
          return KvClient.await(client.status(cluster.name(follower))).getHeader().getRevision()
              >= leaderStatus.getHeader().getRevision();
        } catch (Exception e) {
          return false;
        }
      });
      StatusResponse followerStatus = KvClient.await(client.status(cluster.name(follower)));
      assertThat(followerStatus.getKeys()).isEqualTo(leaderStatus.getKeys()).isEqualTo(10_001);
      assertThat(followerStatus.getDbSize()).isEqualTo(leaderStatus.getDbSize());
      assertThat(cluster.log(follower)).contains("Installed the leader's snapshot");
    }
  }

  @Test
  void killingAndRestartingEveryMemberKeepsAllDataAndTheRevision() throws Exception {
    Map<String, String> written = new TreeMap<>();
    long revision;
    // A snapshot every 100 entries: members come back from their snapshot plus the log after it.
    try (EtcdCluster cluster = new EtcdCluster(dir, 3, "--snapshot-count", "100").start()) {
      try (KvClient client = cluster.client()) {
        for (int i = 0; i < 300; i++) {
          written.put("/restart/" + i, "value-" + i);
          KvClient.await(client.put(bytes("/restart/" + i), bytes("value-" + i)));
        }
        KvClient.await(client.deleteRange(io.kubemu.etcd.api.DeleteRangeRequest.newBuilder().setKey(bytes("/restart/0")).build()));
        written.remove("/restart/0");
        revision = KvClient.await(client.get(bytes("/restart/1"))).getHeader().getRevision();
      }
      for (int i = 0; i < 3; i++) {
        cluster.kill(i);
      }
      cluster.start();
      try (KvClient client = cluster.client()) {
        cluster.awaitLeader(client);
        RangeResponse stored = KvClient.await(client.range(prefix("/restart/")));
        Map<String, String> read = new TreeMap<>();
        stored.getKvsList().forEach(kv -> read.put(kv.getKey().toStringUtf8(), kv.getValue().toStringUtf8()));
        assertThat(read).isEqualTo(written);
        assertThat(stored.getHeader().getRevision()).isEqualTo(revision);
        KeyValue one = KvClient.await(client.get(bytes("/restart/1"))).getKvs(0);
        assertThat(one.getVersion()).isEqualTo(1);
        assertThat(one.getCreateRevision()).isEqualTo(one.getModRevision());
      }
      assertThat(cluster.log(0)).contains("Restored a snapshot");
    }
  }

  @Test
  void anExpiredLeaseDeletesItsKeysAndWatchersSeeTheDelete() throws Exception {
    try (EtcdCluster cluster = new EtcdCluster(dir, 3).start(); KvClient client = cluster.client()) {
      long lease = KvClient.await(client.leaseGrant(1)).getId();
      KvClient.await(client.put(PutRequest.newBuilder().setKey(bytes("/events/e1")).setValue(bytes("x")).setLease(lease).build()));
      KvClient.await(client.put(bytes("/events/kept"), bytes("y")));
      List<Event> seen = new CopyOnWriteArrayList<>();
      client.watch(WatchRequest.newBuilder().setKey(bytes("/events/e1")).setPrevKv(true).build(), seen::addAll);

      await().atMost(Duration.ofSeconds(10)).until(() -> KvClient.await(client.get(bytes("/events/e1"))).getCount() == 0);
      assertThat(KvClient.await(client.get(bytes("/events/kept"))).getCount()).isEqualTo(1);
      assertThat(KvClient.await(client.leaseTimeToLive(lease, false)).getTtl()).isEqualTo(-1);
      await().atMost(Duration.ofSeconds(5)).until(() -> !seen.isEmpty());
      assertThat(seen.get(0).getType()).isEqualTo(Event.EventType.DELETE);
      assertThat(seen.get(0).getPrevKv().getValue().toStringUtf8()).isEqualTo("x");
    }
  }

  @Test
  void readsAndWatchesAtACompactedRevisionFailWithTheCompactRevision() throws Exception {
    try (EtcdCluster cluster = new EtcdCluster(dir, 3).start(); KvClient client = cluster.client()) {
      long first = KvClient.await(client.put(bytes("/c/a"), bytes("1"))).getHeader().getRevision();
      long second = KvClient.await(client.put(bytes("/c/a"), bytes("2"))).getHeader().getRevision();
      KvClient.await(client.compact(second));

      assertThatThrownBy(() -> KvClient.await(client.range(RangeRequest.newBuilder().setKey(bytes("/c/a")).setRevision(first).build())))
          .isInstanceOfSatisfying(KvException.class, e -> {
            assertThat(e.isCompacted()).isTrue();
            assertThat(e.error().getCompactRevision()).isEqualTo(second);
          });
      assertThat(KvClient.await(client.range(RangeRequest.newBuilder().setKey(bytes("/c/a")).setRevision(second).build()))
          .getKvs(0).getValue().toStringUtf8()).isEqualTo("2");

      CompletableFuture<KvException> watchError = new CompletableFuture<>();
      client.watch(WatchRequest.newBuilder().setKey(bytes("/c/a")).setStartRevision(first).build(), new Watch.Listener() {
        @Override
        public void onEvents(List<Event> events) {
          watchError.completeExceptionally(new AssertionError("events from a compacted revision: " + events));
        }

        @Override
        public void onError(KvException error) {
          watchError.complete(error);
        }
      });
      KvException error = watchError.get(10, TimeUnit.SECONDS);
      assertThat(error.isCompacted()).isTrue();
      assertThat(error.error().getCompactRevision()).isEqualTo(second);
    }
  }

  @Test
  void malformedRequestsAreRefusedAndNoMemberDies() throws Exception {
    try (EtcdCluster cluster = new EtcdCluster(dir, 3).start(); KvClient client = cluster.client()) {
      cluster.awaitLeader(client);
      List<RaftPeer> peers = new ArrayList<>();
      client.members().forEach(m -> peers.add(RaftPeer.newBuilder().setId(m.getName())
          .setAddress(m.getPeerAddress()).setClientAddress(m.getClientAddress()).build()));
      try (RaftClient raw = RaftClient.newBuilder().setRaftGroup(RaftGroup.valueOf(EtcdNode.GROUP_ID, peers))
          .setProperties(new RaftProperties())
          .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(20, TimeDuration.valueOf(100, TimeUnit.MILLISECONDS)))
          .build()) {
        Message garbage = Message.valueOf("this is not a store request");
        assertThatThrownBy(() -> raw.io().send(garbage)).hasMessageContaining("not a kubemu store request");
        assertThatThrownBy(() -> raw.io().sendReadOnly(garbage)).hasMessageContaining("not a kubemu store query");
        assertThatThrownBy(() -> raw.io().send(Message.EMPTY)).hasMessageContaining("empty kubemu store request");
      }
      assertThatThrownBy(() -> KvClient.await(client.put(bytes(""), bytes("no key"))))
          .isInstanceOfSatisfying(KvException.class,
              e -> assertThat(e.error().getCode()).isEqualTo(io.kubemu.etcd.api.Error.Code.INVALID_ARGUMENT));
      assertThatThrownBy(() -> KvClient.await(client.put(PutRequest.newBuilder().setKey(bytes("/k")).setLease(424242).build())))
          .isInstanceOfSatisfying(KvException.class,
              e -> assertThat(e.error().getCode()).isEqualTo(io.kubemu.etcd.api.Error.Code.LEASE_NOT_FOUND));

      assertThat(List.of(cluster.isAlive(0), cluster.isAlive(1), cluster.isAlive(2))).containsOnly(true);
      assertThat(KvClient.await(client.put(bytes("/still/works"), bytes("yes"))).getHeader().getRevision()).isPositive();
      for (int i = 0; i < 3; i++) {
        String member = cluster.name(i);
        await().atMost(Duration.ofSeconds(10)).until(() -> KvClient.await(client.status(member)).getKeys() == 1);
      }
    }
  }

  @Test
  void writesSentTogetherShareRaftEntriesYetEachIsAppliedAndAnsweredOnItsOwn() throws Exception {
    try (EtcdCluster cluster = new EtcdCluster(dir, 3).start(); KvClient client = cluster.client()) {
      int leader = cluster.awaitLeader(client);
      StatusResponse before = KvClient.await(client.status(cluster.name(leader)));

      // All sent at once: while the first is on its way, the others wait and then go together.
      List<CompletableFuture<PutResponseOrError>> puts = new ArrayList<>();
      List<CompletableFuture<PutResponseOrError>> refused = new ArrayList<>();
      List<CompletableFuture<TxnResponse>> claims = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        puts.add(PutResponseOrError.of(client.put(bytes("/batch/k" + i), bytes("v" + i))));
        if (i % 6 == 0) {
          claims.add(client.txn(TxnRequest.newBuilder()
              .addCompare(Compare.newBuilder().setKey(bytes("/batch/owner"))
                  .setTarget(Compare.CompareTarget.CREATE).setResult(Compare.CompareResult.EQUAL).setCreateRevision(0))
              .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder()
                  .setKey(bytes("/batch/owner")).setValue(bytes("claim" + i))))
              .build()));
        }
        if (i % 15 == 0) {
          refused.add(PutResponseOrError.of(client.put(bytes(""), bytes("no key"))));
        }
      }

      Set<Long> revisions = new HashSet<>();
      for (CompletableFuture<PutResponseOrError> put : puts) {
        assertThat(put.join().error()).isNull();
        revisions.add(put.join().revision());
      }
      assertThat(revisions).hasSize(300); // each at its own revision
      assertThat(refused).allSatisfy(put ->
          assertThat(put.join().error()).isEqualTo(io.kubemu.etcd.api.Error.Code.INVALID_ARGUMENT));
      List<TxnResponse> won = claims.stream().map(CompletableFuture::join).filter(TxnResponse::getSucceeded).toList();
      assertThat(won).hasSize(1);
      RangeResponse owner = KvClient.await(client.get(bytes("/batch/owner")));
      assertThat(owner.getKvs(0).getModRevision()).isEqualTo(won.get(0).getHeader().getRevision());
      assertThat(KvClient.await(client.range(prefix("/batch/k"))).getCount()).isEqualTo(300);

      // 301 new revisions (the refused writes and the claims that lost change nothing) ...
      StatusResponse after = KvClient.await(client.status(cluster.name(leader)));
      assertThat(after.getHeader().getRevision() - before.getHeader().getRevision()).isEqualTo(301);
      // ... in far fewer Raft entries than the 370 writes.
      assertThat(after.getRaftAppliedIndex() - before.getRaftAppliedIndex()).isLessThan(370 / 4);
      for (int i = 0; i < 3; i++) {
        String member = cluster.name(i);
        await().atMost(Duration.ofSeconds(10)).until(() ->
            KvClient.await(client.status(member)).getHeader().getRevision() == after.getHeader().getRevision());
      }
    }
  }

  /** A put's revision, or the code of the error that refused it. */
  private record PutResponseOrError(long revision, io.kubemu.etcd.api.Error.Code error) {
    static CompletableFuture<PutResponseOrError> of(CompletableFuture<PutResponse> put) {
      return put.handle((response, failure) -> {
        if (failure == null) {
          return new PutResponseOrError(response.getHeader().getRevision(), null);
        }
        Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
        assertThat(cause).isInstanceOf(KvException.class);
        return new PutResponseOrError(0, ((KvException) cause).error().getCode());
      });
    }
  }

  static ByteString bytes(String text) {
    return ByteString.copyFrom(text, StandardCharsets.UTF_8);
  }

  static RangeRequest prefix(String prefix) {
    return RangeRequest.newBuilder().setKey(bytes(prefix)).setRangeEnd(KeyRange.prefixEnd(bytes(prefix))).build();
  }
}
