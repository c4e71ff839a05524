package io.kubemu.controllermanager.endpoint;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Kubernetes' TriggerTimeTracker, behind the {@code endpoints.kubernetes.io/last-change-trigger-time}
 * annotation: per Service it remembers the trigger times of its pods (and of itself) seen at the
 * last sync; a sync's trigger time is the earliest of those that changed since, so the
 * annotation says when the oldest change this write reflects happened. Null: nothing changed.
 */
public final class TriggerTimeTracker {
  private record State(Instant service, Map<String, Instant> pods) {}

  private final Map<String, State> states = new HashMap<>();

  public synchronized Instant compute(String serviceKey, Service service, List<Pod> pods) {
    State old = states.get(serviceKey);
    Map<String, Instant> podTimes = new HashMap<>();
    Instant min = null;
    for (Pod pod : pods) {
      Instant time = EndpointPods.triggerTime(pod);
      if (time == null) {
        continue;
      }
      podTimes.put(pod.getMetadata().getName(), time);
      if (old == null || !time.equals(old.pods().get(pod.getMetadata().getName()))) {
        min = min == null || time.isBefore(min) ? time : min;
      }
    }
    Instant serviceTime = EndpointPods.parse(service.getMetadata().getCreationTimestamp());
    if (serviceTime != null && (old == null || !serviceTime.equals(old.service()))) {
      min = min == null || serviceTime.isBefore(min) ? serviceTime : min;
    }
    states.put(serviceKey, new State(serviceTime, podTimes));
    return min;
  }

  public synchronized void forget(String serviceKey) {
    states.remove(serviceKey);
  }
}
