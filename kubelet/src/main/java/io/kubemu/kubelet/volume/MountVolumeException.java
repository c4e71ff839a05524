package io.kubemu.kubelet.volume;

import java.util.List;

/**
 * Some of a pod's volumes could not be set up, so its containers cannot start yet: the pod waits
 * in ContainerCreating and the kubelet retries. {@link #failures()} holds one message per volume,
 * Kubernetes' FailedMount event text: {@code MountVolume.SetUp failed for volume "config" : configmap "app" not found}.
 */
public final class MountVolumeException extends Exception {
  private final List<String> failures;

  public MountVolumeException(List<String> volumes, List<String> failures) {
    super("unmounted volumes=[" + String.join(" ", volumes) + "]: " + String.join("; ", failures));
    this.failures = List.copyOf(failures);
  }

  public List<String> failures() {
    return failures;
  }
}
