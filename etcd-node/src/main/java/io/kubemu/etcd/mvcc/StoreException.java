package io.kubemu.etcd.mvcc;

import io.kubemu.etcd.api.Error;

/**
 * A request the store refuses, such as a read at a compacted revision. It is thrown before
 * anything changes, so every member refuses the same request the same way and keeps going.
 */
public final class StoreException extends RuntimeException {
  private final Error error;

  public StoreException(Error error) {
    super(error.getMessage(), null, false, false);
    this.error = error;
  }

  public static StoreException of(Error.Code code, String message) {
    return new StoreException(Error.newBuilder().setCode(code).setMessage(message).build());
  }

  public static StoreException compacted(long compactRevision) {
    return new StoreException(Error.newBuilder()
        .setCode(Error.Code.COMPACTED)
        .setMessage("mvcc: required revision has been compacted")
        .setCompactRevision(compactRevision)
        .build());
  }

  public Error error() {
    return error;
  }
}
