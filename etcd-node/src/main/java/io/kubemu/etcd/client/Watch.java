package io.kubemu.etcd.client;

import io.kubemu.etcd.api.Event;
import io.kubemu.etcd.api.Query;
import io.kubemu.etcd.api.Response;
import io.kubemu.etcd.api.WatchRequest;
import java.io.Closeable;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A watch on a key or prefix: a loop of long-polls, each asking for the events from the
 * revision after the last one delivered. Whatever happens between polls (a leader change, a
 * member restart), the next poll asks again from that revision, so no event is lost or
 * delivered twice. It ends when closed, or with {@link Listener#onError} when the revision it
 * needs was compacted.
 */
public final class Watch implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(Watch.class);
  static final long POLL_WAIT_MILLIS = 1_000;
  private static final long MAX_BACKOFF_MILLIS = 1_000;

  /** Receives events in revision order, one call at a time. */
  public interface Listener {
    void onEvents(List<Event> events);

    /** Nothing in range changed up to {@code revision} (etcd's progress notification). */
    default void onProgress(long revision) {}

    /** The watch ended: the revision it needed was compacted, or it was refused. */
    default void onError(KvException error) {}
  }

  private final KvClient client;
  private final WatchRequest template;
  private final Listener listener;
  private volatile long nextRevision;
  private volatile boolean closed;
  private long backoffMillis;

  Watch(KvClient client, WatchRequest request, Listener listener) {
    this.client = client;
    this.template = request.toBuilder().setMaxWaitMillis(POLL_WAIT_MILLIS).build();
    this.listener = listener;
    this.nextRevision = request.getStartRevision();
  }

  Watch start() {
    poll();
    return this;
  }

  /** The revision the next event delivered will have at least. */
  public long nextRevision() {
    return nextRevision;
  }

  private void poll() {
    if (closed) {
      return;
    }
    Query query = Query.newBuilder().setWatch(template.toBuilder().setStartRevision(nextRevision)).build();
    client.readApplied(query).whenComplete((response, error) -> {
      if (closed) {
        return;
      }
      if (error != null) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof KvException refused) {
          closed = true;
          listener.onError(refused);
          return;
        }
        retryLater(cause);
        return;
      }
      backoffMillis = 0;
      deliver(response);
      poll();
    });
  }

  private void deliver(Response response) {
    List<Event> events = response.getWatch().getEventsList();
    try {
      if (events.isEmpty()) {
        // Nothing in range up to the member's revision: the next event, if any, comes after it.
        long seen = response.getWatch().getHeader().getRevision();
        if (seen >= nextRevision) {
          nextRevision = seen + 1;
          listener.onProgress(seen);
        }
        return;
      }
      nextRevision = events.get(events.size() - 1).getKv().getModRevision() + 1;
      listener.onEvents(events);
    } catch (RuntimeException e) {
      LOG.warn("A watch listener failed; the watch goes on: {}", e.toString());
    }
  }

  private void retryLater(Throwable cause) {
    backoffMillis = backoffMillis == 0 ? 50 : Math.min(backoffMillis * 2, MAX_BACKOFF_MILLIS);
    LOG.debug("Watch poll from revision {} failed ({}); retrying in {} ms", nextRevision, cause.toString(), backoffMillis);
    try {
      client.timer().schedule(this::poll, backoffMillis, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      closed = true; // the client was closed
    }
  }

  @Override
  public void close() {
    closed = true;
  }
}
