package io.kubemu.kubelet.kuberuntime;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * What one sync of a pod did (Kubernetes' PodSyncResult): the containers it started, the ones it
 * could not start and why (the reason their status waits with), and when the pod should sync
 * again because a backoff ends then (null: no need).
 */
public final class PodSyncResult {
  /** Why a container waits: CrashLoopBackOff, ErrImagePull, ... and Kubernetes' message. */
  public record Waiting(String reason, String message) {}

  private final Set<String> started = new LinkedHashSet<>();
  private final Map<String, Waiting> failed = new LinkedHashMap<>();
  private Duration retryAfter;

  void started(String container) {
    started.add(container);
  }

  void failed(String container, String reason, String message) {
    failed.put(container, new Waiting(reason, message));
  }

  void retryAfter(Duration delay) {
    if (retryAfter == null || delay.compareTo(retryAfter) < 0) {
      retryAfter = delay;
    }
  }

  public Set<String> started() {
    return started;
  }

  public Map<String, Waiting> failed() {
    return failed;
  }

  public Duration retryAfter() {
    return retryAfter;
  }
}
