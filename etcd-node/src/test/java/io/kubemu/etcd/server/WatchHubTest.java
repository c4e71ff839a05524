package io.kubemu.etcd.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.kubemu.etcd.api.CompactionRequest;
import io.kubemu.etcd.api.PutRequest;
import io.kubemu.etcd.api.Response;
import io.kubemu.etcd.api.WatchRequest;
import io.kubemu.etcd.mvcc.MvccStore;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The member's long-polls: answered at once, when a change in their range is applied, or empty
 * when their wait ends.
 */
class WatchHubTest {
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final MvccStore store = new MvccStore();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final WatchHub hub = new WatchHub(lock, () -> store, timer);

  @AfterEach
  void stop() {
    hub.close();
    timer.shutdownNow();
  }

  private void put(String key, String value) {
    lock.writeLock().lock();
    try {
      store.put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(key)).setValue(ByteString.copyFromUtf8(value))
          .build());
    } finally {
      lock.writeLock().unlock();
    }
    hub.notifyChanged();
  }

  /** A poll of /a/ from revision 2, parked while {@code others} changes of /b/ follow the first (revisions 2 on). */
  private CompletableFuture<Response> quietPollBehind(int others) {
    put("/b/0", "0"); // 1
    CompletableFuture<Response> quiet = poll("/a/", 2, 2_000);
    for (int i = 1; i <= others; i++) {
      put("/b/" + i, Integer.toString(i));
      assertThat(quiet).isNotDone();
    }
    return quiet;
  }

  private void compact(long revision) {
    lock.writeLock().lock();
    try {
      store.compact(CompactionRequest.newBuilder().setRevision(revision).build());
    } finally {
      lock.writeLock().unlock();
    }
  }

  private CompletableFuture<Response> poll(String prefix, long fromRevision, long maxWaitMillis) {
    return hub.poll(WatchRequest.newBuilder().setKey(ByteString.copyFromUtf8(prefix))
        .setRangeEnd(ByteString.copyFromUtf8(prefix.substring(0, prefix.length() - 1)
            + (char) (prefix.charAt(prefix.length() - 1) + 1)))
        .setStartRevision(fromRevision).setMaxWaitMillis(maxWaitMillis).build());
  }

  private static String describe(Response response) {
    return response.getWatch().getEventsList().stream()
        .map(event -> event.getType() + " " + event.getKv().getKey().toStringUtf8() + "="
            + event.getKv().getValue().toStringUtf8() + "@" + event.getKv().getModRevision())
        .reduce((a, b) -> a + ", " + b).orElse("none") + " at " + response.getWatch().getHeader().getRevision();
  }

  @Test
  void aPollWithEventsAlreadyThereIsAnsweredAtOnce() {
    put("/a/1", "x"); // 1
    put("/b/1", "y"); // 2

    assertThat(poll("/a/", 1, 1_000)).isCompletedWithValueMatching(
        response -> describe(response).equals("PUT /a/1=x@1 at 2"));
  }

  @Test
  void aParkedPollOfAQuietPrefixGetsOnlyItsOwnChangeAfterManyOthers() throws Exception {
    CompletableFuture<Response> quiet = quietPollBehind(50); // revisions 1..51
    put("/a/1", "x"); // 52

    assertThat(describe(quiet.get(1, TimeUnit.SECONDS))).isEqualTo("PUT /a/1=x@52 at 52");
  }

  @Test
  void aPollWithNothingInItsRangeIsAnsweredEmptyAtTheCurrentRevisionWhenItsWaitEnds() throws Exception {
    put("/b/1", "y"); // 1
    CompletableFuture<Response> quiet = poll("/a/", 2, 1_000);
    put("/b/2", "y"); // 2

    assertThat(describe(quiet.get(5, TimeUnit.SECONDS))).isEqualTo("none at 2");
  }

  @Test
  void aParkedPollThatFoundNothingBeforeACompactionStillGetsItsNextEvent() throws Exception {
    CompletableFuture<Response> quiet = quietPollBehind(5); // revisions 1..6
    compact(5);
    put("/a/1", "x"); // 7

    // Nothing of its range was compacted away unseen: it had looked up to 6 and found nothing.
    assertThat(describe(quiet.get(1, TimeUnit.SECONDS))).isEqualTo("PUT /a/1=x@7 at 7");
  }

  @Test
  void aPollFromACompactedRevisionIsRefused() {
    put("/a/1", "x"); // 1
    put("/a/1", "y"); // 2
    put("/a/1", "z"); // 3
    compact(3);

    assertThat(poll("/a/", 2, 1_000)).isCompletedWithValueMatching(response -> response.hasError()
        && response.getError().getCompactRevision() == 3);
  }
}
