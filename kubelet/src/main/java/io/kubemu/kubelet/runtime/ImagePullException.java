package io.kubemu.kubelet.runtime;

/** An image could not be pulled; the message is the runtime's reason, shown in ErrImagePull. */
public final class ImagePullException extends Exception {
  public ImagePullException(String message) {
    super(message);
  }
}
