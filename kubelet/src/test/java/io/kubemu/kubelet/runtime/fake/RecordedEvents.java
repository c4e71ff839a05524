package io.kubemu.kubelet.runtime.fake;

import io.fabric8.kubernetes.api.model.Pod;
import io.kubemu.kubelet.events.PodEventRecorder;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The events recorded about pods, as {@code type reason: message} lines. */
public final class RecordedEvents implements PodEventRecorder {
  private final List<String> events = new CopyOnWriteArrayList<>();

  @Override
  public void event(Pod pod, String type, String reason, String message) {
    events.add(type + " " + reason + ": " + message);
  }

  public List<String> all() {
    return List.copyOf(events);
  }

  public void clear() {
    events.clear();
  }
}
