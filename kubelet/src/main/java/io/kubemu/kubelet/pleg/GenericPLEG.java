package io.kubemu.kubelet.pleg;

import io.kubemu.kubelet.runtime.ContainerStatus;
import io.kubemu.kubelet.runtime.Labels;
import io.kubemu.kubelet.runtime.PodSandboxStatus;
import io.kubemu.kubelet.runtime.RuntimeService;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet's pod lifecycle event generator (Kubernetes' GenericPLEG): every relist period it lists
 * the runtime's sandboxes and containers, compares them with the previous list, and for each pod
 * whose containers or sandbox changed state (started, exited, removed behind the kubelet's back)
 * asks for that pod to be synced. This is how a container that died, or was {@code docker kill}ed,
 * gets noticed and restarted without anyone telling the kubelet.
 */
public final class GenericPLEG {
  private static final Logger LOG = LoggerFactory.getLogger(GenericPLEG.class);

  private final RuntimeService runtime;
  private final Consumer<String> podChanged;
  /** Per sandbox or container id: its pod's UID and state, as of the last relist; null before the first. */
  private Map<String, Record> last;
  private ScheduledFuture<?> relisting;

  private record Record(String podUid, String state) {}

  /** @param podChanged told the UID of each pod that changed, once per relist */
  public GenericPLEG(RuntimeService runtime, Consumer<String> podChanged) {
    this.runtime = runtime;
    this.podChanged = podChanged;
  }

  /** Relists every {@code period} on the executor (one task, not a thread of its own). */
  public synchronized void start(ScheduledExecutorService executor, Duration period) {
    relist();
    relisting = executor.scheduleWithFixedDelay(this::relistLogged, period.toMillis(), period.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  public synchronized void stop() {
    if (relisting != null) {
      relisting.cancel(false);
    }
  }

  private void relistLogged() {
    try {
      relist();
    } catch (RuntimeException e) {
      LOG.warn("PLEG: unable to relist the runtime's pods, will retry: {}", e.toString());
    }
  }

  /** One relist: the pods that changed since the previous one are synced. Returns their UIDs. */
  public synchronized Set<String> relist() {
    Map<String, Record> current = new HashMap<>();
    Map<String, String> sandboxPods = new HashMap<>();
    for (PodSandboxStatus sandbox : runtime.listPodSandbox()) {
      sandboxPods.put(sandbox.id(), sandbox.metadata().uid());
      current.put(sandbox.id(), new Record(sandbox.metadata().uid(), sandbox.state().name()));
    }
    for (ContainerStatus container : runtime.listAllContainers()) {
      String uid = sandboxPods.getOrDefault(container.podSandboxId(), container.labels().get(Labels.POD_UID));
      if (uid != null) {
        current.put(container.id(), new Record(uid, container.state().name()));
      }
    }
    Set<String> changed = new LinkedHashSet<>();
    if (last != null) {
      for (Map.Entry<String, Record> entry : current.entrySet()) {
        if (!Objects.equals(last.get(entry.getKey()), entry.getValue())) {
          changed.add(entry.getValue().podUid());
        }
      }
      for (Map.Entry<String, Record> entry : last.entrySet()) {
        if (!current.containsKey(entry.getKey())) {
          changed.add(entry.getValue().podUid());
        }
      }
    }
    last = current;
    for (String uid : changed) {
      LOG.debug("PLEG: pod {} changed in the runtime", uid);
      podChanged.accept(uid);
    }
    return changed;
  }
}
