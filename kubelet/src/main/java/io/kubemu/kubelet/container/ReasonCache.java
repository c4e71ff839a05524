package io.kubemu.kubelet.container;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Why the latest start of a container failed, by pod UID and container name (the kubelet's
 * reasonCache): the pod's status shows the container waiting with this reason and message until a
 * start succeeds.
 */
public final class ReasonCache {
  /** A container's waiting reason and message, e.g. CreateContainerConfigError. */
  public record Reason(String reason, String message) {}

  private record Key(String uid, String container) {}

  private final Map<Key, Reason> reasons = new ConcurrentHashMap<>();

  public void add(String uid, String container, Reason reason) {
    reasons.put(new Key(uid, container), reason);
  }

  /** The container started: its last failure no longer counts. */
  public void remove(String uid, String container) {
    reasons.remove(new Key(uid, container));
  }

  /** The pod is gone. */
  public void forget(String uid) {
    reasons.keySet().removeIf(key -> key.uid().equals(uid));
  }

  /** The pod's failed containers: name → reason. */
  public Map<String, Reason> forPod(String uid) {
    return reasons.entrySet().stream().filter(entry -> entry.getKey().uid().equals(uid))
        .collect(Collectors.toUnmodifiableMap(entry -> entry.getKey().container(), Map.Entry::getValue));
  }
}
