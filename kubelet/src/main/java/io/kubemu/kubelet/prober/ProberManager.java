package io.kubemu.kubelet.prober;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Probe;
import io.kubemu.kubelet.events.Events;
import io.kubemu.kubelet.events.PodEventRecorder;
import io.kubemu.kubelet.kuberuntime.LivenessCheck;
import io.kubemu.kubelet.kuberuntime.RuntimeManager;
import io.kubemu.kubelet.prober.ProbeResult.Result;
import io.kubemu.kubelet.runtime.ContainerState;
import io.kubemu.kubelet.runtime.ContainerStatus;
import io.kubemu.kubelet.status.ContainerProbeStatus;
import io.kubemu.kubelet.status.PodStatusGenerator.RuntimePodState;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet's prober manager: one worker per probe of each container of the node's pods, each a
 * periodic task (every periodSeconds) on one small shared scheduler, not a thread. A worker probes the
 * container's current instance after initialDelaySeconds, turns failureThreshold failures or
 * successThreshold successes in a row into a result, and keeps the result per container id. A
 * startup probe holds the others back until it succeeds. A changed readiness or startup result, and
 * a failed liveness or startup probe, make the pod sync: its status shows the readiness, and the sync
 * kills and restarts the container that failed ({@link LivenessCheck}).
 */
public final class ProberManager implements ContainerProbeStatus, LivenessCheck {
  private static final Logger LOG = LoggerFactory.getLogger(ProberManager.class);

  private final Prober prober;
  private final ScheduledExecutorService executor;
  private final Clock clock;
  private final PodEventRecorder events;
  private final Consumer<String> podChanged;
  /** The pods' latest specs and runtime states, as their last sync saw them. */
  private final Map<String, PodView> pods = new ConcurrentHashMap<>();
  private final Map<String, Worker> workers = new ConcurrentHashMap<>();
  private final Map<ProbeType, Map<String, Result>> results = Map.of(ProbeType.LIVENESS, new ConcurrentHashMap<>(),
      ProbeType.READINESS, new ConcurrentHashMap<>(), ProbeType.STARTUP, new ConcurrentHashMap<>());

  private record PodView(Pod pod, RuntimePodState state) {}

  /** @param podChanged told the UID of a pod whose probe results changed, to sync it */
  public ProberManager(Prober prober, ScheduledExecutorService executor, Clock clock, PodEventRecorder events,
      Consumer<String> podChanged) {
    this.prober = prober;
    this.executor = executor;
    this.clock = clock;
    this.events = events;
    this.podChanged = podChanged;
  }

  /** The pod as its sync left it: its probes get workers (once), which probe its containers as they now are. */
  public void updatePod(Pod pod, RuntimePodState state) {
    String uid = pod.getMetadata().getUid();
    pods.put(uid, new PodView(pod, state));
    for (Container container : pod.getSpec().getContainers()) {
      addWorker(pod, container, ProbeType.LIVENESS, container.getLivenessProbe());
      addWorker(pod, container, ProbeType.READINESS, container.getReadinessProbe());
      addWorker(pod, container, ProbeType.STARTUP, container.getStartupProbe());
    }
  }

  private void addWorker(Pod pod, Container container, ProbeType type, Probe probe) {
    if (probe == null) {
      return;
    }
    String key = key(pod.getMetadata().getUid(), container.getName(), type);
    workers.computeIfAbsent(key, k -> {
      Worker worker = new Worker(pod.getMetadata().getUid(), container.getName(), type, probe);
      long period = Math.max(1, probe.getPeriodSeconds() == null ? 10 : probe.getPeriodSeconds()) * 1000L;
      worker.task = executor.scheduleWithFixedDelay(worker::run, 0, period, TimeUnit.MILLISECONDS);
      return worker;
    });
  }

  /** The pod is stopping or gone: its probes stop and their results go. */
  public void removePod(String uid) {
    pods.remove(uid);
    workers.entrySet().removeIf(entry -> {
      if (entry.getValue().podUid.equals(uid)) {
        entry.getValue().stop();
        return true;
      }
      return false;
    });
  }

  @Override
  public boolean started(String podUid, Container container, String containerId) {
    return container.getStartupProbe() == null
        || results.get(ProbeType.STARTUP).get(containerId) == Result.SUCCESS;
  }

  @Override
  public boolean ready(String podUid, Container container, String containerId) {
    return container.getReadinessProbe() == null
        || results.get(ProbeType.READINESS).get(containerId) == Result.SUCCESS;
  }

  @Override
  public String failedProbe(String containerId) {
    if (results.get(ProbeType.LIVENESS).get(containerId) == Result.FAILURE) {
      return "liveness";
    }
    return results.get(ProbeType.STARTUP).get(containerId) == Result.FAILURE ? "startup" : null;
  }

  /** Probes the container until told to stop (Kubernetes' prober worker, as a periodic task). */
  private final class Worker {
    private final String podUid;
    private final String containerName;
    private final ProbeType type;
    private final Probe probe;
    private volatile ScheduledFuture<?> task;
    private String containerId;
    private Result lastResult = Result.UNKNOWN;
    private int resultRun;
    /** A liveness or startup failure was reported: nothing more to probe until the container is replaced. */
    private boolean onHold;

    Worker(String podUid, String containerName, ProbeType type, Probe probe) {
      this.podUid = podUid;
      this.containerName = containerName;
      this.type = type;
      this.probe = probe;
    }

    void stop() {
      if (task != null) {
        task.cancel(false);
      }
      if (containerId != null) {
        results.get(type).remove(containerId);
      }
    }

    synchronized void run() {
      try {
        doProbe();
      } catch (RuntimeException e) {
        LOG.warn("{} probe of container {} of pod {} failed to run: {}", type.title(), containerName, podUid,
            e.toString());
      }
    }

    private void doProbe() {
      PodView view = pods.get(podUid);
      if (view == null) {
        return;
      }
      ContainerStatus container = RuntimeManager.latestByName(view.state().containers()).get(containerName);
      if (container == null) {
        return;
      }
      if (!container.id().equals(containerId)) {
        if (containerId != null) {
          results.get(type).remove(containerId);
        }
        containerId = container.id();
        results.get(type).put(containerId, initialResult());
        lastResult = Result.UNKNOWN;
        resultRun = 0;
        onHold = false;
      }
      if (onHold) {
        return;
      }
      if (container.state() != ContainerState.CONTAINER_RUNNING) {
        set(Result.FAILURE, view.pod());
        return;
      }
      long initialDelay = probe.getInitialDelaySeconds() == null ? 0 : probe.getInitialDelaySeconds();
      if (container.startedAt() != null
          && Duration.between(container.startedAt(), clock.instant()).getSeconds() < initialDelay) {
        return;
      }
      Container spec = view.pod().getSpec().getContainers().stream()
          .filter(c -> c.getName().equals(containerName)).findFirst().orElse(null);
      if (spec == null) {
        return;
      }
      boolean started = started(podUid, spec, containerId);
      if (type == ProbeType.STARTUP ? started : !started) {
        return; // a startup probe that succeeded is done; the others wait for it
      }
      String podIP = view.state().sandbox() == null ? null : view.state().sandbox().ip();
      ProbeResult outcome = prober.probe(probe, spec, containerId, podIP);
      if (outcome.result() == Result.FAILURE) {
        events.warning(view.pod(), Events.CONTAINER_UNHEALTHY, type.title() + " probe failed: " + outcome.output());
      } else if (outcome.result() == Result.UNKNOWN) {
        events.warning(view.pod(), Events.CONTAINER_UNHEALTHY, type.title() + " probe errored: " + outcome.output());
        return;
      }
      if (outcome.result() == lastResult) {
        resultRun++;
      } else {
        lastResult = outcome.result();
        resultRun = 1;
      }
      int failureThreshold = probe.getFailureThreshold() == null ? 3 : probe.getFailureThreshold();
      int successThreshold = probe.getSuccessThreshold() == null ? 1 : probe.getSuccessThreshold();
      if ((lastResult == Result.FAILURE && resultRun < failureThreshold)
          || (lastResult == Result.SUCCESS && resultRun < successThreshold)) {
        return;
      }
      set(lastResult, view.pod());
      if (lastResult == Result.FAILURE && type != ProbeType.READINESS) {
        onHold = true; // the sync restarts the container; its successor is probed afresh
        resultRun = 0;
      }
    }

    private Result initialResult() {
      return switch (type) {
        case LIVENESS -> Result.SUCCESS;
        case READINESS -> Result.FAILURE;
        case STARTUP -> Result.UNKNOWN;
      };
    }

    private void set(Result result, Pod pod) {
      Result previous = results.get(type).put(containerId, result);
      if (previous != result) {
        LOG.debug("{} probe of container {} of pod {}/{}: {}", type.title(), containerName,
            pod.getMetadata().getNamespace(), pod.getMetadata().getName(), result);
        podChanged.accept(podUid);
      }
    }
  }

  private static String key(String uid, String container, ProbeType type) {
    return uid + "/" + container + "/" + type;
  }

  /** The workers running now (for tests). */
  List<String> workerKeys() {
    return List.copyOf(workers.keySet());
  }
}
