package io.kubemu.kubelet.volume;

/** A volume could not be set up; the message says why, in Kubernetes' words (e.g. {@code configmap "app" not found}). */
public final class SetUpException extends Exception {
  public SetUpException(String message) {
    super(message);
  }
}
