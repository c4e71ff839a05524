package io.kubemu.kubelet.pod;

import io.fabric8.kubernetes.api.model.Pod;
import io.kubemu.component.workqueue.WorkQueue;
import io.kubemu.component.workqueue.Workers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The kubelet's pod workers and pod manager in one: the pods the apiserver says this node runs,
 * by UID (their latest version), and a work queue of UIDs drained by a few worker threads, so that
 * one pod is synced by one worker at a time while different pods sync in parallel. Kubernetes runs
 * a goroutine per pod; kubemu keeps no thread per pod, so a kubelet with a hundred pods stays small.
 * An update that arrives while its pod syncs makes the pod sync once more afterwards.
 */
public final class PodWorkers implements AutoCloseable {
  /** What a worker does for one pod: {@code pod} is its latest version, or null once it left this node. */
  @FunctionalInterface
  public interface SyncPodFn {
    void sync(String uid, Pod pod) throws Exception;
  }

  private final Map<String, Pod> pods = new ConcurrentHashMap<>();
  private final WorkQueue<String> queue = new WorkQueue<>("pod-workers");
  private final Workers<String> workers;

  public PodWorkers(int count, SyncPodFn sync) {
    this.workers = new Workers<>(queue, count, uid -> sync.sync(uid, pods.get(uid)));
  }

  /** The pod (new or changed) is this node's: sync it. */
  public void updatePod(Pod pod) {
    pods.put(pod.getMetadata().getUid(), pod);
    queue.add(pod.getMetadata().getUid());
  }

  /** The newest copy of a pod whose change needs no sync: the next sync works on it. An unknown pod syncs. */
  public void refresh(Pod pod) {
    if (pods.replace(pod.getMetadata().getUid(), pod) == null) {
      updatePod(pod);
    }
  }

  /** The pod is no longer this node's (deleted for good, or bound elsewhere): its containers go. */
  public void removePod(Pod pod) {
    pods.remove(pod.getMetadata().getUid());
    queue.add(pod.getMetadata().getUid());
  }

  /** Syncs a pod the kubelet knows only from its runtime (left over from before a restart). */
  public void syncOrphan(String uid) {
    if (!pods.containsKey(uid)) {
      queue.add(uid);
    }
  }

  /**
   * The pod with this UID syncs again: the runtime says one of its containers changed (the relist), or a
   * probe's result did. A UID the kubelet has no pod for is cleaned up.
   */
  public void syncPod(String uid) {
    queue.add(uid);
  }

  /** The pod syncs again once {@code delay} has passed (a backoff ends then); no thread waits for it. */
  public void syncPodAfter(String uid, Duration delay) {
    queue.addAfter(uid, delay);
  }

  /** Every pod syncs again (e.g. the node's network just became ready). */
  public void syncAll() {
    pods.keySet().forEach(queue::add);
  }

  public Pod pod(String uid) {
    return pods.get(uid);
  }

  /** The pod with this namespace and name this node runs, or null. */
  public Pod pod(String namespace, String name) {
    for (Pod pod : pods.values()) {
      if (pod.getMetadata().getNamespace().equals(namespace) && pod.getMetadata().getName().equals(name)) {
        return pod;
      }
    }
    return null;
  }

  /** The node's pods, oldest first (the order the kubelet admits them in). */
  public List<Pod> pods() {
    List<Pod> list = new ArrayList<>(pods.values());
    list.sort(Comparator.comparing((Pod pod) -> String.valueOf(pod.getMetadata().getCreationTimestamp()))
        .thenComparing(pod -> pod.getMetadata().getUid()));
    return list;
  }

  public void start() {
    workers.start();
  }

  @Override
  public void close() {
    workers.close();
  }
}
