package io.kubemu.kubelet.kuberuntime;

import java.time.Duration;

/**
 * A container could not be started this sync, with the reason its status waits with
 * (ErrImagePull, ImagePullBackOff, ErrImageNeverPull, CreateContainerError, RunContainerError,
 * CrashLoopBackOff) and the message shown with it.
 */
public final class ContainerStartException extends Exception {
  private final String reason;
  private final Duration retryAfter;

  public ContainerStartException(String reason, String message) {
    this(reason, message, null);
  }

  /** @param retryAfter when trying again may succeed (a backoff ends), or null */
  public ContainerStartException(String reason, String message, Duration retryAfter) {
    super(message);
    this.reason = reason;
    this.retryAfter = retryAfter;
  }

  public Duration retryAfter() {
    return retryAfter;
  }

  public String reason() {
    return reason;
  }
}
