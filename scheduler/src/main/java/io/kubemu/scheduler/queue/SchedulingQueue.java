package io.kubemu.scheduler.queue;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * kube-scheduler's PriorityQueue of pods to schedule, in three parts:
 * <ul>
 * <li>activeQ: pods to try now, the highest priority first, then the longest waiting;
 * <li>backoffQ: pods that failed and wait out their backoff, 1 s doubling per attempt up to 10 s;
 * <li>unschedulable pods: pods that fit no node, parked until the cluster changes (a node is added
 * or changed, an assigned pod goes away: {@link #moveAllToActiveOrBackoff}) or for at most
 * {@code maxUnschedulableDuration} (60 s).
 * </ul>
 * A pod is in at most one part at a time, or in none while it is being scheduled. A cluster change
 * during a pod's scheduling cycle sends the pod to backoff rather than parking it, so that the
 * change is not missed. {@link #flush} moves the pods whose time has come; the scheduler calls it
 * every second.
 */
public final class SchedulingQueue {
  static final Duration INITIAL_BACKOFF = Duration.ofSeconds(1);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
  static final Duration MAX_UNSCHEDULABLE_DURATION = Duration.ofSeconds(60);

  private final Clock clock;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final PriorityQueue<QueuedPodInfo> activeQ = new PriorityQueue<>(
      Comparator.comparingInt(QueuedPodInfo::priority).reversed().thenComparing(QueuedPodInfo::timestamp));
  private final Map<String, QueuedPodInfo> backoffQ = new LinkedHashMap<>();
  private final Map<String, QueuedPodInfo> unschedulable = new LinkedHashMap<>();
  /** Pods being scheduled now (popped, not yet done), and whether the cluster moved meanwhile. */
  private final Map<String, Boolean> inFlight = new HashMap<>();
  private boolean closed;

  public SchedulingQueue(Clock clock) {
    this.clock = clock;
  }

  public static String key(Pod pod) {
    return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
  }

  /** A new pending pod: to activeQ. */
  public void add(Pod pod) {
    withLock(() -> {
      String key = key(pod);
      if (!inFlight.containsKey(key) && !contains(key)) {
        activate(new QueuedPodInfo(pod, 0, clock.instant()));
      }
    });
  }

  /**
   * A pending pod changed: wherever it waits it now waits as the newer pod; an unschedulable one
   * is tried again (the change may make it fit), after its backoff; one being scheduled goes to
   * backoff rather than wait, should it not fit.
   */
  public void update(Pod pod) {
    withLock(() -> {
      String key = key(pod);
      if (inFlight.containsKey(key)) {
        inFlight.put(key, true);
        return;
      }
      QueuedPodInfo parked = unschedulable.remove(key);
      if (parked != null) {
        moveOut(parked.withPod(pod));
      } else if (backoffQ.containsKey(key)) {
        backoffQ.put(key, backoffQ.get(key).withPod(pod));
      } else if (!replaceInActiveQ(key, pod)) {
        add(pod);
      }
    });
  }

  /** The pod is gone or assigned: it leaves the queue. */
  public void delete(Pod pod) {
    withLock(() -> {
      String key = key(pod);
      unschedulable.remove(key);
      backoffQ.remove(key);
      activeQ.removeIf(info -> info.key().equals(key));
    });
  }

  /**
   * The next pod to schedule, waiting up to {@code timeout} for one; null if none came or the
   * queue is closed. The pod is in flight until {@link #done} or {@link #addUnschedulable}.
   */
  public QueuedPodInfo pop(Duration timeout) throws InterruptedException {
    lock.lock();
    try {
      long nanos = timeout.toNanos();
      while (activeQ.isEmpty() && !closed && nanos > 0) {
        nanos = notEmpty.awaitNanos(nanos);
      }
      QueuedPodInfo info = closed ? null : activeQ.poll();
      if (info == null) {
        return null;
      }
      inFlight.put(info.key(), false);
      return new QueuedPodInfo(info.pod(), info.attempts() + 1, info.timestamp());
    } finally {
      lock.unlock();
    }
  }

  /** The in-flight pod was scheduled (assumed on a node). */
  public void done(Pod pod) {
    withLock(() -> inFlight.remove(key(pod)));
  }

  /**
   * The in-flight pod could not be scheduled: it is parked with the unschedulable pods, or goes
   * to backoff if the cluster changed while it was being scheduled.
   */
  public void addUnschedulable(QueuedPodInfo info) {
    park(info, false);
  }

  /** Scheduling the in-flight pod failed for another reason (its binding failed): it backs off and is retried. */
  public void requeueAfterError(QueuedPodInfo info) {
    park(info, true);
  }

  private void park(QueuedPodInfo info, boolean backoff) {
    withLock(() -> {
      Boolean moved = inFlight.remove(info.key());
      if (moved == null) {
        return; // deleted or assigned meanwhile
      }
      QueuedPodInfo parked = new QueuedPodInfo(info.pod(), info.attempts(), clock.instant());
      if (moved || backoff) {
        backoffQ.put(parked.key(), parked);
      } else {
        unschedulable.put(parked.key(), parked);
      }
    });
  }

  /**
   * The cluster changed so that unschedulable pods may fit now: each goes to activeQ, or to
   * backoffQ while its backoff lasts; pods in flight will go to backoff rather than be parked.
   */
  public void moveAllToActiveOrBackoff() {
    withLock(() -> {
      inFlight.replaceAll((key, moved) -> true);
      for (Iterator<QueuedPodInfo> it = unschedulable.values().iterator(); it.hasNext(); ) {
        QueuedPodInfo info = it.next();
        it.remove();
        moveOut(info);
      }
    });
  }

  /** Moves backed-off pods to activeQ, and pods parked for too long out of the unschedulable ones. */
  public void flush() {
    withLock(() -> {
      Instant now = clock.instant();
      for (Iterator<QueuedPodInfo> it = backoffQ.values().iterator(); it.hasNext(); ) {
        QueuedPodInfo info = it.next();
        if (!backoffExpiry(info).isAfter(now)) {
          it.remove();
          activate(info);
        }
      }
      for (Iterator<QueuedPodInfo> it = unschedulable.values().iterator(); it.hasNext(); ) {
        QueuedPodInfo info = it.next();
        if (!info.timestamp().plus(MAX_UNSCHEDULABLE_DURATION).isAfter(now)) {
          it.remove();
          moveOut(info);
        }
      }
    });
  }

  /** Wakes and ends every {@link #pop}. */
  public void close() {
    withLock(() -> {
      closed = true;
      notEmpty.signalAll();
    });
  }

  /** How many pods wait in each part: active, backoff, unschedulable; for tests and metrics. */
  public int[] sizes() {
    lock.lock();
    try {
      return new int[] {activeQ.size(), backoffQ.size(), unschedulable.size()};
    } finally {
      lock.unlock();
    }
  }

  /** 1 s for the first failure, doubling with every further one, at most 10 s. */
  static Duration backoff(int attempts) {
    Duration backoff = INITIAL_BACKOFF;
    for (int i = 1; i < attempts && backoff.compareTo(MAX_BACKOFF) < 0; i++) {
      backoff = backoff.multipliedBy(2);
    }
    return backoff.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff;
  }

  private static Instant backoffExpiry(QueuedPodInfo info) {
    return info.timestamp().plus(backoff(info.attempts()));
  }

  private void moveOut(QueuedPodInfo info) {
    if (backoffExpiry(info).isAfter(clock.instant())) {
      backoffQ.put(info.key(), info);
    } else {
      activate(info);
    }
  }

  private void activate(QueuedPodInfo info) {
    activeQ.add(info);
    notEmpty.signal();
  }

  private boolean replaceInActiveQ(String key, Pod pod) {
    for (QueuedPodInfo info : activeQ) {
      if (info.key().equals(key)) {
        activeQ.remove(info);
        activeQ.add(info.withPod(pod));
        return true;
      }
    }
    return false;
  }

  private boolean contains(String key) {
    return unschedulable.containsKey(key) || backoffQ.containsKey(key)
        || activeQ.stream().anyMatch(info -> info.key().equals(key));
  }

  private void withLock(Runnable action) {
    lock.lock();
    try {
      action.run();
    } finally {
      lock.unlock();
    }
  }
}
