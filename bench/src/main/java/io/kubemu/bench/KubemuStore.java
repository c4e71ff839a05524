package io.kubemu.bench;

import com.google.protobuf.ByteString;
import io.kubemu.component.HostPort;
import io.kubemu.etcd.api.RangeRequest;
import io.kubemu.etcd.client.KvClient;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** kubemu's store through {@link KvClient}, the client the apiserver uses. */
final class KubemuStore implements Store {
  private final KvClient client;
  private final ByteString[] keys;
  private final RangeRequest[] reads;
  private final ByteString value;

  KubemuStore(List<HostPort> endpoints, int keyCount, byte[] value) throws IOException {
    this.client = KvClient.connect(endpoints, Duration.ofSeconds(30));
    this.keys = new ByteString[keyCount];
    this.reads = new RangeRequest[keyCount];
    for (int i = 0; i < keyCount; i++) {
      keys[i] = ByteString.copyFrom(Store.keyBytes(i));
      reads[i] = RangeRequest.newBuilder().setKey(keys[i]).build();
    }
    this.value = ByteString.copyFrom(value);
  }

  @Override
  public String name() {
    return "kubemu";
  }

  @Override
  public CompletableFuture<?> put(int key) {
    return client.put(keys[key], value);
  }

  @Override
  public CompletableFuture<?> get(int key) {
    return client.range(reads[key]);
  }

  @Override
  public void close() throws IOException {
    client.close();
  }
}
