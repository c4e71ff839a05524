package io.kubemu.etcd.server;

import io.kubemu.etcd.api.Event;
import io.kubemu.etcd.api.Response;
import io.kubemu.etcd.api.ResponseHeader;
import io.kubemu.etcd.api.WatchRequest;
import io.kubemu.etcd.api.WatchResponse;
import io.kubemu.etcd.mvcc.MvccStore;
import io.kubemu.etcd.mvcc.StoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.function.Supplier;

/**
 * The member's side of a watch: a long-poll that is answered at once when events at or
 * after its start revision exist, or parked until the next applied change brings some, or
 * answered empty when its wait runs out. An empty answer still carries the current revision,
 * which tells the watcher that nothing in its range changed up to there (etcd's progress
 * notification), so it can move on without ever falling behind a compaction.
 */
final class WatchHub {
  static final long MAX_WAIT_MILLIS = 2_000;
  private static final int DEFAULT_MAX_EVENTS = 1_000;

  private final ReadWriteLock lock;
  private final Supplier<MvccStore> store;
  private final ScheduledExecutorService timer;
  private final List<Poll> parked = new ArrayList<>();

  /** A parked long-poll; {@code from} is where its next look starts, past the revisions already found empty. */
  private static final class Poll {
    final WatchRequest request;
    final CompletableFuture<Response> reply = new CompletableFuture<>();
    /** Raised by the apply thread, read by the timer's: both hold only the read lock. */
    volatile long from;

    Poll(WatchRequest request) {
      this.request = request;
      this.from = request.getStartRevision();
    }
  }

  WatchHub(ReadWriteLock lock, Supplier<MvccStore> store, ScheduledExecutorService timer) {
    this.lock = lock;
    this.store = store;
    this.timer = timer;
  }

  CompletableFuture<Response> poll(WatchRequest request) {
    lock.readLock().lock();
    try {
      if (request.getStartRevision() <= 0) {
        // As in etcd, no start revision means "from the next change on".
        request = request.toBuilder().setStartRevision(store.get().revision() + 1).build();
      }
      Poll poll = new Poll(request);
      // Checked and parked under the read lock, so no applied change can slip in between.
      if (answer(poll, false)) {
        return poll.reply;
      }
      synchronized (parked) {
        parked.add(poll);
      }
      long wait = Math.min(Math.max(request.getMaxWaitMillis(), 1), MAX_WAIT_MILLIS);
      timer.schedule(() -> timeout(poll), wait, TimeUnit.MILLISECONDS);
      return poll.reply;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Called after the apply thread changed the store. */
  void notifyChanged() {
    List<Poll> waiting;
    synchronized (parked) {
      if (parked.isEmpty()) {
        return;
      }
      waiting = new ArrayList<>(parked);
    }
    List<Poll> answered = new ArrayList<>();
    lock.readLock().lock();
    try {
      for (Poll poll : waiting) {
        if (answer(poll, false)) {
          answered.add(poll);
        }
      }
    } finally {
      lock.readLock().unlock();
    }
    synchronized (parked) {
      parked.removeAll(answered);
    }
  }

  private void timeout(Poll poll) {
    synchronized (parked) {
      if (!parked.remove(poll)) {
        return;
      }
    }
    lock.readLock().lock();
    try {
      answer(poll, true);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Answers the poll if it has events (or {@code evenIfEmpty}); must hold the read lock. A poll
   * with none yet looks next time only at the changes after the current revision: a parked watch
   * of a quiet prefix is not read through every change of a busy one again each time one is applied.
   */
  private boolean answer(Poll poll, boolean evenIfEmpty) {
    WatchRequest request = poll.request;
    MvccStore current = store.get();
    try {
      int max = request.getMaxEvents() > 0 ? request.getMaxEvents() : DEFAULT_MAX_EVENTS;
      List<Event> events = current.eventsSince(
          poll.from, request.getKey(), request.getRangeEnd(), request.getPrevKv(), max);
      if (events.isEmpty() && !evenIfEmpty) {
        poll.from = Math.max(poll.from, current.revision() + 1);
        return false;
      }
      poll.reply.complete(Response.newBuilder().setWatch(WatchResponse.newBuilder()
          .setHeader(ResponseHeader.newBuilder().setRevision(current.revision()))
          .addAllEvents(events)).build());
    } catch (StoreException e) {
      poll.reply.complete(Response.newBuilder().setError(e.error()).build());
    }
    return true;
  }

  void close() {
    List<Poll> waiting;
    synchronized (parked) {
      waiting = new ArrayList<>(parked);
      parked.clear();
    }
    waiting.forEach(poll -> poll.reply.cancel(false));
  }
}
