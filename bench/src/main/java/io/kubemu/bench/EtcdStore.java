package io.kubemu.bench;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.options.GetOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A real etcd through jetcd, one client (one gRPC connection per member) for all loops. */
final class EtcdStore implements Store {
  private final Client client;
  private final KV kv;
  private final ByteSequence[] keys;
  private final ByteSequence value;
  /** Linearizable, etcd's default; said out loud so that nobody wonders. */
  private final GetOption linearizable = GetOption.builder().withSerializable(false).build();

  EtcdStore(List<String> endpoints, int keyCount, byte[] value) {
    this.client = Client.builder().endpoints(endpoints.toArray(String[]::new)).build();
    this.kv = client.getKVClient();
    this.keys = new ByteSequence[keyCount];
    for (int i = 0; i < keyCount; i++) {
      keys[i] = ByteSequence.from(Store.keyBytes(i));
    }
    this.value = ByteSequence.from(value);
  }

  @Override
  public String name() {
    return "etcd";
  }

  @Override
  public CompletableFuture<?> put(int key) {
    return kv.put(keys[key], value);
  }

  @Override
  public CompletableFuture<?> get(int key) {
    return kv.get(keys[key], linearizable);
  }

  @Override
  public void close() {
    client.close();
  }
}
