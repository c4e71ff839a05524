package io.kubemu.scheduler.queue;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;

/**
 * A pod waiting in the scheduling queue, with how often it has been tried (its backoff grows
 * with that) and when it last entered the queue.
 *
 * @param attempts scheduling attempts so far
 * @param timestamp when the pod was last added to or moved within the queue
 */
public record QueuedPodInfo(Pod pod, int attempts, Instant timestamp) {
  public String key() {
    return SchedulingQueue.key(pod);
  }

  QueuedPodInfo withPod(Pod newer) {
    return new QueuedPodInfo(newer, attempts, timestamp);
  }

  int priority() {
    Integer priority = pod.getSpec().getPriority();
    return priority == null ? 0 : priority;
  }
}
