package io.kubemu.scheduler;

import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kubemu.component.client.ApiErrors;
import io.kubemu.component.client.Creates;
import io.kubemu.component.informers.InformerFactory;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.kubemu.scheduler.cache.SchedulerCache;
import io.kubemu.scheduler.framework.Framework;
import io.kubemu.scheduler.framework.NodeInfo;
import io.kubemu.scheduler.plugins.DefaultPlugins;
import io.kubemu.scheduler.queue.QueuedPodInfo;
import io.kubemu.scheduler.queue.SchedulingQueue;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler, as kube-scheduler runs: informers keep the {@link SchedulerCache} (nodes, and pods
 * with a node) and the {@link SchedulingQueue} (pending pods naming this scheduler) current; one
 * loop takes the next pod, runs the {@link Framework}'s filters and scores over a snapshot of the
 * cache, assumes the pod on the chosen node and binds it in the background through the binding
 * subresource, so that the next pod already sees it there. A pod that fits nowhere gets a
 * FailedScheduling event and waits in the queue until the cluster changes.
 */
public final class Scheduler implements AutoCloseable {
  public static final String DEFAULT_SCHEDULER_NAME = "default-scheduler";
  private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
  private static final Duration POP_TIMEOUT = Duration.ofSeconds(1);
  /** kube-scheduler's metrics, with its names and labels. */
  private static final Counter SCHEDULE_ATTEMPTS = Counter.builder().name("scheduler_schedule_attempts_total")
      .help("Number of attempts to schedule pods, by the result. 'unschedulable' means a pod could not be "
          + "scheduled, while 'error' means an internal scheduler problem.")
      .labelNames("result", "profile").register();
  private static final Gauge PENDING_PODS = Gauge.builder().name("scheduler_pending_pods")
      .help("Number of pending pods, by the queue type. 'active' means number of pods in activeQ; 'backoff' means "
          + "number of pods in backoffQ; 'unschedulable' means number of pods in unschedulablePods.")
      .labelNames("queue").register();

  private final KubernetesClient client;
  private final Clock clock = Clock.systemUTC();
  private final SchedulerCache cache = new SchedulerCache();
  private final SchedulingQueue queue = new SchedulingQueue(clock);
  private final Framework framework = DefaultPlugins.framework(new Random());
  private final SchedulingReporter reporter;
  private final InformerFactory informers;
  private final SharedIndexInformer<Pod> pods;
  private final SharedIndexInformer<Node> nodes;
  // kube-scheduler binds every pod in a goroutine of its own. Here a binder thread sends a bind
  // (after the client's rate limit) without waiting for its answer, so that as many binds are on
  // their way as the rate limit lets through: with a thread blocked per bind, 16 threads bound
  // 16 pods per apiserver round trip at most (130-160 pods/s while the apiserver was busy). The
  // answers are handled on these threads too, and pods that fit nowhere are reported from them.
  // A goroutine costs nothing once it is done, a thread its stack: a binder idle for 30 s ends.
  private final ExecutorService binder = binder(16, Duration.ofSeconds(30));
  private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(daemon("queue-flush"));
  private volatile boolean running;
  private Thread loop;

  public Scheduler(KubernetesClient client, String identity) {
    this.client = client;
    this.reporter = new SchedulingReporter(client, clock, identity);
    this.informers = new InformerFactory(client, Duration.ZERO); // kube-scheduler's informers never resync
    this.pods = informers.informerFor(Pod.class);
    this.nodes = informers.informerFor(Node.class);
  }

  /**
   * Starts the informers and waits until they have listed: from then on the cache and the queue
   * follow the cluster. A standby does this before it leads, as kube-scheduler does. The informers
   * list until the apiserver answers, so this may wait long, without holding this object: a
   * {@link #close} meanwhile (at SIGTERM) is not held up.
   */
  public void startInformers() {
    CompletableFuture<Void> synced;
    synchronized (this) {
      pods.addEventHandler(new PodHandler());
      nodes.addEventHandler(new NodeHandler());
      synced = informers.start();
    }
    synced.join();
    LOG.info("informers synced: {} nodes, {} pods", nodes.getStore().list().size(), pods.getStore().list().size());
  }

  /** Schedules pods, in a thread of its own, until closed; the informers must have started. */
  public synchronized void startScheduling() {
    running = true;
    flusher.scheduleWithFixedDelay(this::flushQueue, 1, 1, TimeUnit.SECONDS);
    loop = daemon("scheduling-loop").newThread(this::scheduleUntilClosed);
    loop.start();
    LOG.info("scheduling pods");
  }

  /** Whether the informers have listed: the scheduler's health. */
  public boolean hasSynced() {
    return pods.hasSynced() && nodes.hasSynced();
  }

  private void scheduleUntilClosed() {
    while (running) {
      try {
        QueuedPodInfo info = queue.pop(POP_TIMEOUT);
        if (info != null) {
          scheduleOrRequeue(info);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void flushQueue() {
    queue.flush();
    int[] sizes = queue.sizes();
    PENDING_PODS.labelValues("active").set(sizes[0]);
    PENDING_PODS.labelValues("backoff").set(sizes[1]);
    PENDING_PODS.labelValues("unschedulable").set(sizes[2]);
  }

  /** A cycle that fails unexpectedly sends its pod to backoff rather than losing it. */
  private void scheduleOrRequeue(QueuedPodInfo info) {
    try {
      scheduleOne(info);
    } catch (RuntimeException e) {
      LOG.error("scheduling pod {} failed", info.key(), e);
      attempt("error");
      queue.requeueAfterError(info);
    }
  }

  /** One scheduling cycle: filter, score, assume, and bind in the background. */
  void scheduleOne(QueuedPodInfo info) {
    Pod pod = pods.getStore().getByKey(info.key());
    if (pod == null || !isPendingHere(pod) || cache.isAssumed(pod)) {
      queue.done(info.pod());
      return;
    }
    Framework.Result result = framework.schedule(pod, cache.snapshot());
    if (result instanceof Framework.Selected selected) {
      cache.assume(pod, selected.nodeName());
      binder.execute(() -> bind(info, pod, selected.nodeName()));
    } else if (result instanceof Framework.Unschedulable unschedulable) {
      String message = unschedulable.error().message();
      LOG.info("unable to schedule pod {}: {}", info.key(), message);
      attempt("unschedulable");
      queue.addUnschedulable(info);
      binder.execute(() -> reporter.failed(pod, message));
    }
  }

  private void bind(QueuedPodInfo info, Pod pod, String nodeName) {
    Binding binding = new BindingBuilder()
        .withNewMetadata()
          .withName(pod.getMetadata().getName()).withNamespace(pod.getMetadata().getNamespace())
          .withUid(pod.getMetadata().getUid())
        .endMetadata()
        .withNewTarget().withApiVersion("v1").withKind("Node").withName(nodeName).endTarget()
        .build();
    CompletableFuture<Void> sent;
    try {
      // answered with a Status, not parsed
      sent = Creates.sendAsync(client, pod.getMetadata().getNamespace(), binding);
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    sent.whenComplete((ok, error) -> {
      Runnable answered = () -> bound(info, pod, nodeName, error);
      try {
        binder.execute(answered);
      } catch (RejectedExecutionException closing) {
        answered.run(); // the binder is shut down: a few lock-guarded updates, on the client's thread
      }
    });
  }

  /** What a bind's answer leaves: the pod done and reported, or forgotten by the cache and queued again. */
  private void bound(QueuedPodInfo info, Pod pod, String nodeName, Throwable error) {
    if (error == null) {
      queue.done(pod);
      attempt("scheduled");
      LOG.debug("bound pod {} to {}", info.key(), nodeName);
      reporter.scheduled(pod, nodeName);
    } else {
      LOG.warn("binding pod {} to {} failed: {}", info.key(), nodeName, ApiErrors.message(error));
      attempt("error");
      cache.forget(pod);
      queue.requeueAfterError(info);
    }
  }

  private static void attempt(String result) {
    SCHEDULE_ATTEMPTS.labelValues(result, DEFAULT_SCHEDULER_NAME).inc();
  }

  private static boolean isPendingHere(Pod pod) {
    String nodeName = pod.getSpec().getNodeName();
    return (nodeName == null || nodeName.isEmpty()) && pod.getMetadata().getDeletionTimestamp() == null
        && DEFAULT_SCHEDULER_NAME.equals(Objects.requireNonNullElse(pod.getSpec().getSchedulerName(),
            DEFAULT_SCHEDULER_NAME));
  }

  private static boolean isAssigned(Pod pod) {
    return pod.getSpec().getNodeName() != null && !pod.getSpec().getNodeName().isEmpty();
  }

  /** Pods with a node go to the cache, pending ones of this scheduler to the queue. */
  private final class PodHandler implements ResourceEventHandler<Pod> {
    @Override
    public void onAdd(Pod pod) {
      if (isAssigned(pod)) {
        cache.addOrUpdatePod(pod);
      } else if (isPendingHere(pod)) {
        queue.add(pod);
      }
    }

    @Override
    public void onUpdate(Pod old, Pod pod) {
      if (isAssigned(pod)) {
        cache.addOrUpdatePod(pod);
        queue.delete(pod);
      } else if (isPendingHere(pod)) {
        if (!onlyStatusChanged(old, pod)) {
          queue.update(pod);
        }
      } else {
        queue.delete(pod);
      }
    }

    @Override
    public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
      queue.delete(pod);
      if (isAssigned(pod) || cache.isAssumed(pod)) {
        cache.removePod(pod);
        // The pod's node has room now.
        queue.moveAllToActiveOrBackoff();
      }
    }
  }

  /**
   * A pending pod whose spec, labels and annotations stayed as they were (its status changed, e.g.
   * the scheduler's own PodScheduled condition) fits no better than before; it is not retried early.
   */
  private static boolean onlyStatusChanged(Pod old, Pod pod) {
    return Objects.equals(old.getSpec(), pod.getSpec())
        && Objects.equals(old.getMetadata().getLabels(), pod.getMetadata().getLabels())
        && Objects.equals(old.getMetadata().getAnnotations(), pod.getMetadata().getAnnotations());
  }

  /** Nodes go to the cache; a new node, or one whose schedulable shape changed, may fit waiting pods. */
  private final class NodeHandler implements ResourceEventHandler<Node> {
    @Override
    public void onAdd(Node node) {
      cache.addOrUpdateNode(node);
      queue.moveAllToActiveOrBackoff();
    }

    @Override
    public void onUpdate(Node old, Node node) {
      cache.addOrUpdateNode(node);
      if (schedulingRelevantChange(old, node)) {
        queue.moveAllToActiveOrBackoff();
      }
    }

    @Override
    public void onDelete(Node node, boolean deletedFinalStateUnknown) {
      cache.removeNode(node);
    }

    /** Status heartbeats do not wake waiting pods; allocatable, labels, taints or cordoning do. */
    private static boolean schedulingRelevantChange(Node old, Node node) {
      NodeInfo before = new NodeInfo(old);
      NodeInfo after = new NodeInfo(node);
      return !Objects.equals(old.getMetadata().getLabels(), node.getMetadata().getLabels())
          || !before.taints().equals(after.taints()) || before.unschedulable() != after.unschedulable()
          || !before.allocatable().equals(after.allocatable()) || before.allowedPods() != after.allowedPods();
    }
  }

  @Override
  public synchronized void close() {
    running = false;
    queue.close();
    flusher.shutdownNow();
    binder.shutdown();
    try {
      binder.awaitTermination(5, TimeUnit.SECONDS);
      if (loop != null) {
        loop.join(TimeUnit.SECONDS.toMillis(5));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    informers.close();
  }

  /** Up to {@code threads} binds at once, on threads that end once they had nothing to do for {@code idle}. */
  static ThreadPoolExecutor binder(int threads, Duration idle) {
    ThreadPoolExecutor binder = new ThreadPoolExecutor(threads, threads, idle.toMillis(), TimeUnit.MILLISECONDS,
        new LinkedBlockingQueue<>(), daemon("binder"));
    binder.allowCoreThreadTimeOut(true);
    return binder;
  }

  private static ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
