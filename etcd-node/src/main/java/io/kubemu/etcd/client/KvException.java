package io.kubemu.etcd.client;

import io.kubemu.etcd.api.Error;

/** The store refused a request: the reason is in {@link #error()}, e.g. a compacted revision. */
public final class KvException extends RuntimeException {
  private final Error error;

  public KvException(Error error) {
    super(error.getMessage());
    this.error = error;
  }

  public Error error() {
    return error;
  }

  public boolean isCompacted() {
    return error.getCode() == Error.Code.COMPACTED;
  }
}
