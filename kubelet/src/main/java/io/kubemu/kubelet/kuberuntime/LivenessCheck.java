package io.kubemu.kubelet.kuberuntime;

/** The prober's verdict on a running container, which the sync acts on: restart it or leave it. */
@FunctionalInterface
public interface LivenessCheck {
  /**
   * The probe ({@code liveness} or {@code startup}) the container with this id failed, so that it must
   * be killed and restarted, or null.
   */
  String failedProbe(String containerId);

  LivenessCheck NONE = containerId -> null;
}
