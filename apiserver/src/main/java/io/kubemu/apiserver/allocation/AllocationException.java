package io.kubemu.apiserver.allocation;

/**
 * Why a ClusterIP or NodePort could not be allocated, worded as Kubernetes' allocators word
 * it; the service registry turns it into the 422 (or, for a full range, the 500) a client sees.
 */
public final class AllocationException extends RuntimeException {
  /** What went wrong. */
  public enum Reason { NOT_IN_RANGE, ALREADY_ALLOCATED, FULL }

  private final Reason reason;

  AllocationException(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  static AllocationException full() {
    return new AllocationException(Reason.FULL, "range is full");
  }

  public Reason reason() {
    return reason;
  }
}
