package io.kubemu.apiserver.watch;

import java.util.concurrent.CompletableFuture;

/** Where an HTTP watch's events come from: a type's watch cache, or the store itself for a type without one. */
public interface WatchSource {
  /** Completes once events can be served. */
  CompletableFuture<Void> ready();

  /**
   * Starts delivering to {@code watcher} every event after {@code fromRevision}; with
   * {@code initialState}, first the current objects as ADDED (a watch without a resourceVersion).
   *
   * @throws io.kubemu.apiserver.http.ApiException 410 Expired when {@code fromRevision} is known to be too old
   */
  void subscribe(long fromRevision, boolean initialState, Cacher.Watcher watcher);

  void unsubscribe(Cacher.Watcher watcher);

  /** The revision the source has seen up to (a bookmark's resourceVersion). */
  long revision();
}
