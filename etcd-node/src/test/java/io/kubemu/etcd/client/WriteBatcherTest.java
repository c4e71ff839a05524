package io.kubemu.etcd.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.kubemu.etcd.api.BatchResponse;
import io.kubemu.etcd.api.Error;
import io.kubemu.etcd.api.LogEntry;
import io.kubemu.etcd.api.PutRequest;
import io.kubemu.etcd.api.PutResponse;
import io.kubemu.etcd.api.Response;
import io.kubemu.etcd.api.ResponseHeader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class WriteBatcherTest {
  /** The entries sent, and their answers, to be given by the test. */
  private final List<LogEntry> sent = new ArrayList<>();
  private final List<CompletableFuture<Response>> answers = new ArrayList<>();
  private final WriteBatcher batcher = new WriteBatcher(entry -> {
    sent.add(entry);
    CompletableFuture<Response> answer = new CompletableFuture<>();
    answers.add(answer);
    return answer;
  });

  @Test
  void aWriteThatFindsNothingOnItsWayGoesAtOnceAndAsItIs() {
    CompletableFuture<Response> first = batcher.write(put("a", 10));

    assertThat(sent).containsExactly(put("a", 10));
    answers.get(0).complete(answered(7));
    assertThat(first.join()).isEqualTo(answered(7));

    batcher.write(put("b", 10));
    assertThat(sent).hasSize(2).last().isEqualTo(put("b", 10));
  }

  @Test
  void writesThatArriveMeanwhileGoTogetherOnceTheEntryBeforeIsAnswered() {
    CompletableFuture<Response> first = batcher.write(put("a", 10));
    CompletableFuture<Response> second = batcher.write(put("b", 10));
    CompletableFuture<Response> third = batcher.write(put("c", 10));
    assertThat(sent).hasSize(1);

    answers.get(0).complete(answered(7));

    assertThat(first.join()).isEqualTo(answered(7));
    assertThat(sent).hasSize(2);
    assertThat(sent.get(1).getBatch().getEntriesList()).containsExactly(put("b", 10), put("c", 10));
    Response refused = Response.newBuilder().setError(Error.newBuilder()
        .setCode(Error.Code.INVALID_ARGUMENT).setMessage("etcdserver: key is not provided")).build();
    answers.get(1).complete(Response.newBuilder()
        .setBatch(BatchResponse.newBuilder().addResponses(refused).addResponses(answered(8))).build());

    assertThatThrownBy(second::join).hasCauseInstanceOf(KvException.class).hasMessageContaining("key is not provided");
    assertThat(third.join()).isEqualTo(answered(8)); // its neighbour's error is not its own
  }

  @Test
  void anEntryTakesAtMostItsShareOfWritesAndBytesTheRestGoNext() {
    batcher.write(put("first", 10));
    for (int i = 0; i < WriteBatcher.MAX_WRITES + 5; i++) {
      batcher.write(put("k" + i, 10));
    }
    batcher.write(put("big", WriteBatcher.MAX_BYTES));

    answers.get(0).complete(answered(1));
    assertThat(sent.get(1).getBatch().getEntriesCount()).isEqualTo(WriteBatcher.MAX_WRITES);
    answers.get(1).complete(batchOf(WriteBatcher.MAX_WRITES));
    assertThat(sent.get(2).getBatch().getEntriesCount()).isEqualTo(5); // the big one would not fit beside them
    answers.get(2).complete(batchOf(5));
    assertThat(sent.get(3).getPut().getKey().toStringUtf8()).isEqualTo("big"); // alone, however big
  }

  @Test
  void whenAnEntryFailsEachOfItsWritesFailsAndTheWritesAfterItStillGo() {
    batcher.write(put("a", 10));
    CompletableFuture<Response> second = batcher.write(put("b", 10));
    CompletableFuture<Response> third = batcher.write(put("c", 10));
    answers.get(0).complete(answered(1));

    CompletableFuture<Response> fourth = batcher.write(put("d", 10));
    answers.get(1).completeExceptionally(new CompletionException(new IOException("the store did not answer within 30 s")));

    assertThatThrownBy(second::join).hasMessageContaining("did not answer");
    assertThatThrownBy(third::join).hasMessageContaining("did not answer");
    assertThat(sent.get(2)).isEqualTo(put("d", 10));
    answers.get(2).complete(answered(2));
    assertThat(fourth.join()).isEqualTo(answered(2));
  }

  private static LogEntry put(String key, int valueBytes) {
    return LogEntry.newBuilder().setPut(PutRequest.newBuilder()
        .setKey(ByteString.copyFromUtf8(key)).setValue(ByteString.copyFrom(new byte[valueBytes]))).build();
  }

  private static Response answered(long revision) {
    return Response.newBuilder().setPut(PutResponse.newBuilder()
        .setHeader(ResponseHeader.newBuilder().setRevision(revision))).build();
  }

  private static Response batchOf(int writes) {
    BatchResponse.Builder batch = BatchResponse.newBuilder();
    for (int i = 0; i < writes; i++) {
      batch.addResponses(answered(100 + i));
    }
    return Response.newBuilder().setBatch(batch).build();
  }
}
