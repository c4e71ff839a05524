package io.kubemu.controllermanager.replicaset;

import io.kubemu.component.client.ApiErrors;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Kubernetes' {@code slowStartBatch}: calls an action {@code count} times in batches that double
 * in size (1, 2, 4, ...), the calls of one batch in parallel. The first batch with a failure is
 * the last one, so a quota or admission error costs one call rather than hundreds.
 *
 * <p>Where Go starts a goroutine for each call, an action here starts its call and returns the
 * stage that completes with it (a request sent without waiting for its answer): a batch of 256
 * creates is 256 requests on their way, not 256 threads each blocked on one.
 */
final class SlowStartBatch {
  /** Starts one call; the stage completes when it is done, exceptionally when it failed. */
  interface Action {
    CompletionStage<?> start() throws Exception;
  }

  /** How it went: the calls that succeeded, and the first failure if any. */
  record Result(int successes, Exception firstFailure) {}

  private SlowStartBatch() {}

  static Result run(int count, int initialBatchSize, Action action) {
    int successes = 0;
    int remaining = count;
    for (int batch = Math.min(remaining, initialBatchSize); batch > 0; batch = Math.min(2 * batch, remaining)) {
      List<CompletableFuture<Exception>> calls = new ArrayList<>();
      for (int i = 0; i < batch; i++) {
        calls.add(start(action));
      }
      Exception firstFailure = null;
      for (CompletableFuture<Exception> call : calls) {
        Exception failure = call.join();
        if (failure == null) {
          successes++;
        } else if (firstFailure == null) {
          firstFailure = failure;
        }
      }
      remaining -= batch;
      if (firstFailure != null) {
        return new Result(successes, firstFailure);
      }
    }
    return new Result(successes, null);
  }

  /** The call, completing with null when it succeeded and with why when it failed, never exceptionally. */
  private static CompletableFuture<Exception> start(Action action) {
    try {
      return action.start().toCompletableFuture().handle((ignored, error) -> error == null ? null : unwrap(error));
    } catch (Exception e) {
      return CompletableFuture.completedFuture(e);
    }
  }

  private static Exception unwrap(Throwable error) {
    Throwable cause = ApiErrors.cause(error);
    return cause instanceof Exception exception ? exception : new CompletionException(cause);
  }
}
