package io.kubemu.kubelet.events;

import io.fabric8.kubernetes.api.model.Pod;
import io.kubemu.component.events.EventRecorder;

/**
 * Where the kubelet's parts record what they did to a pod's containers ({@code kubectl describe pod}
 * shows it): the kubelet's {@link EventRecorder} in a running kubelet, a list in tests.
 */
public interface PodEventRecorder {
  void event(Pod pod, String type, String reason, String message);

  default void normal(Pod pod, String reason, String message) {
    event(pod, "Normal", reason, message);
  }

  default void warning(Pod pod, String reason, String message) {
    event(pod, "Warning", reason, message);
  }

  /** Records nothing. */
  PodEventRecorder NONE = (pod, type, reason, message) -> { };

  static PodEventRecorder of(EventRecorder recorder) {
    return (pod, type, reason, message) -> {
      if (type.equals("Warning")) {
        recorder.warning(pod, reason, message);
      } else {
        recorder.normal(pod, reason, message);
      }
    };
  }

  /** The pod as Kubernetes' format.Pod writes it in messages: {@code name_namespace(uid)}. */
  static String format(Pod pod) {
    return pod.getMetadata().getName() + "_" + pod.getMetadata().getNamespace() + "(" + pod.getMetadata().getUid()
        + ")";
  }
}
