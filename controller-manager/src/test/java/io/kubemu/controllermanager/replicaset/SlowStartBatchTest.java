package io.kubemu.controllermanager.replicaset;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SlowStartBatchTest {
  @Test
  void callsTheActionCountTimesInDoublingBatches() {
    AtomicInteger calls = new AtomicInteger();

    SlowStartBatch.Result result = SlowStartBatch.run(10, 1, calls::incrementAndGet);

    assertThat(result.successes()).isEqualTo(10);
    assertThat(result.firstFailure()).isNull();
    assertThat(calls).hasValue(10); // batches of 1, 2, 4, then the 3 left
  }

  @Test
  void theBatchWithAFailureIsTheLast() {
    AtomicInteger calls = new AtomicInteger();

    SlowStartBatch.Result result = SlowStartBatch.run(20, 1, () -> {
      if (calls.incrementAndGet() > 4) {
        throw new IllegalStateException("quota exceeded");
      }
    });

    // batches 1 and 2 succeed (3 calls); in the batch of 4, one succeeds and three fail; no batch of 8
    assertThat(calls).hasValue(7);
    assertThat(result.successes()).isEqualTo(4);
    assertThat(result.firstFailure()).hasMessage("quota exceeded");
  }

  @Test
  void nothingToDoCallsNothing() {
    AtomicInteger calls = new AtomicInteger();
    assertThat(SlowStartBatch.run(0, 1, calls::incrementAndGet).successes()).isZero();
    assertThat(calls).hasValue(0);
  }
}
