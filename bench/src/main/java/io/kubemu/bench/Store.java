package io.kubemu.bench;

import java.util.concurrent.CompletableFuture;

/**
 * One store under load, seen through its own client library. Keys are numbered 0..keys-1 and
 * every implementation encodes them the same way, so both stores get byte-for-byte the same
 * requests.
 */
interface Store extends AutoCloseable {
  /** A short name for the report: "kubemu" or "etcd". */
  String name();

  /** Writes {@code value} under key number {@code key}. */
  CompletableFuture<?> put(int key);

  /** A linearizable read of key number {@code key}. */
  CompletableFuture<?> get(int key);

  @Override
  void close() throws Exception;

  static byte[] keyBytes(int key) {
    return String.format("/bench/key-%08d", key).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }
}
