package io.kubemu.controllermanager.replicaset;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Kubernetes' {@code slowStartBatch}: calls an action {@code count} times in batches that double
 * in size (1, 2, 4, ...), the calls of one batch in parallel. The first batch with a failure is
 * the last one, so a quota or admission error costs one call rather than hundreds.
 */
final class SlowStartBatch {
  /** One call of the action; throws when it failed. */
  interface Action {
    void call() throws Exception;
  }

  /** How it went: the calls that succeeded, and the first failure if any. */
  record Result(int successes, Exception firstFailure) {}

  private SlowStartBatch() {}

  static Result run(int count, int initialBatchSize, Action action) {
    int successes = 0;
    int remaining = count;
    ExecutorService executor = Executors.newCachedThreadPool();
    try {
      for (int batch = Math.min(remaining, initialBatchSize); batch > 0; batch = Math.min(2 * batch, remaining)) {
        List<CompletableFuture<Exception>> calls = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
          calls.add(CompletableFuture.supplyAsync(() -> {
            try {
              action.call();
              return null;
            } catch (Exception e) {
              return e;
            }
          }, executor));
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
    } finally {
      executor.shutdown();
    }
    return new Result(successes, null);
  }
}
