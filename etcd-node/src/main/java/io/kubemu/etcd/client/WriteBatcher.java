package io.kubemu.etcd.client;

import io.kubemu.etcd.api.Batch;
import io.kubemu.etcd.api.LogEntry;
import io.kubemu.etcd.api.Response;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * Group commit for a client's writes. One entry is on its way to the group at a time; the
 * writes that arrive meanwhile wait for it, then go together as one Raft entry, the way etcd's
 * Raft loop proposes together whatever arrived while it was persisting the entries before. A
 * write that finds nothing on its way goes at once, alone and as it is; under load, one log
 * append, one replication round and one fsync on each member carry many writes. Each write of
 * a batch is still applied at its own revision and answered on its own, its error its own.
 */
final class WriteBatcher {
  /** At most this many writes in one entry. */
  static final int MAX_WRITES = 128;
  /** Nor more than this many bytes (a lone write may be bigger; etcd takes requests up to 1.5 MiB). */
  static final int MAX_BYTES = 1 << 20;

  private final Function<LogEntry, CompletableFuture<Response>> transport;
  private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
  /** Whether an entry is on its way: then new writes wait for it. */
  private boolean sending;

  /** {@code transport} sends one entry through the Raft log and answers its response. */
  WriteBatcher(Function<LogEntry, CompletableFuture<Response>> transport) {
    this.transport = transport;
  }

  /** Writes {@code entry}, with the writes that go at the same time; answers its own response. */
  CompletableFuture<Response> write(LogEntry entry) {
    Pending pending = new Pending(entry);
    List<Pending> batch;
    synchronized (this) {
      waiting.add(pending);
      if (sending) {
        return pending.response;
      }
      sending = true;
      batch = next();
    }
    send(batch);
    return pending.response;
  }

  /** The writes that go next: the longest-waiting ones, as many as one entry takes. Holds the lock. */
  private List<Pending> next() {
    List<Pending> batch = new ArrayList<>();
    long bytes = 0;
    while (!waiting.isEmpty() && batch.size() < MAX_WRITES) {
      Pending first = waiting.peek();
      if (!batch.isEmpty() && bytes + first.size > MAX_BYTES) {
        break;
      }
      batch.add(waiting.poll());
      bytes += first.size;
    }
    return batch;
  }

  /** The writes that go next, or none, and then nothing is on its way any more. */
  private synchronized List<Pending> nextOrIdle() {
    if (waiting.isEmpty()) {
      sending = false;
      return null;
    }
    return next();
  }

  private void send(List<Pending> batch) {
    while (batch != null) {
      CompletableFuture<Response> sent;
      try {
        sent = transport.apply(batch.size() == 1 ? batch.get(0).entry : LogEntry.newBuilder()
            .setBatch(Batch.newBuilder().addAllEntries(batch.stream().map(pending -> pending.entry).toList()))
            .build());
      } catch (RuntimeException e) {
        sent = CompletableFuture.failedFuture(e);
      }
      if (!sent.isDone()) {
        List<Pending> onItsWay = batch;
        sent.whenComplete((response, error) -> {
          send(nextOrIdle()); // the writes that waited go now; then this entry's answers
          answer(onItsWay, response, error);
        });
        return;
      }
      // Answered at once (a client being closed, say): on with the next, without growing the stack.
      List<Pending> done = batch;
      batch = nextOrIdle();
      sent.whenComplete((response, error) -> answer(done, response, error));
    }
  }

  private static void answer(List<Pending> batch, Response response, Throwable error) {
    if (batch.size() == 1) {
      complete(batch.get(0), response, error);
      return;
    }
    if (error == null && response.getBatch().getResponsesCount() != batch.size()) {
      error = new CompletionException(new IOException("the store answered " + response.getBatch().getResponsesCount()
          + " responses to a batch of " + batch.size() + " writes"));
    }
    for (int i = 0; i < batch.size(); i++) {
      Response own = error == null ? response.getBatch().getResponses(i) : null;
      complete(batch.get(i), own, error != null ? error
          : own.hasError() ? new CompletionException(new KvException(own.getError())) : null);
    }
  }

  private static void complete(Pending pending, Response response, Throwable error) {
    if (error != null) {
      pending.response.completeExceptionally(error);
    } else {
      pending.response.complete(response);
    }
  }

  /** A write waiting to go, and its answer. */
  private static final class Pending {
    final LogEntry entry;
    final int size;
    final CompletableFuture<Response> response = new CompletableFuture<>();

    Pending(LogEntry entry) {
      this.entry = entry;
      this.size = entry.getSerializedSize();
    }
  }
}
