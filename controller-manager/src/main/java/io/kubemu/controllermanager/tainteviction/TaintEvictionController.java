package io.kubemu.controllermanager.tainteviction;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kubemu.component.client.ApiErrors;
import io.kubemu.component.client.Patches;
import io.kubemu.component.events.EventRecorder;
import io.kubemu.controllermanager.Controller;
import io.kubemu.controllermanager.ControllerContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes' taint eviction controller (the former taint manager): a pod on a Node with
 * NoExecute taints is deleted at once when it does not tolerate one of them, else once the
 * least tolerationSeconds of the tolerations it uses have passed since the taint was seen; a pod
 * tolerating without a time limit stays. The deletion is cancelled when the taints go. Each
 * deletion is a TaintManagerEviction event on the pod, and the pod gets the DisruptionTarget
 * condition first.
 */
public final class TaintEvictionController implements Controller {
  static final String COMPONENT = "taint-eviction-controller";
  private static final int RETRIES = 5;
  private static final Logger LOG = LoggerFactory.getLogger(TaintEvictionController.class);

  private record Scheduled(Instant createdAt, Instant fireAt, ScheduledFuture<?> future) {}

  private final KubernetesClient client;
  private final SharedIndexInformer<Node> nodes;
  private final SharedIndexInformer<Pod> pods;
  private final EventRecorder events;
  private final Clock clock = Clock.systemUTC();
  private final Map<String, Scheduled> scheduled = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2, runnable -> {
    Thread thread = new Thread(runnable, "taint-eviction");
    thread.setDaemon(true);
    return thread;
  });
  private volatile boolean running;

  public TaintEvictionController(ControllerContext context) {
    this.client = context.client();
    this.nodes = context.informers().informerFor(Node.class);
    this.pods = context.informers().informerFor(Pod.class);
    this.events = new EventRecorder(client, COMPONENT, clock);
    nodes.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Node node) {
        nodeChanged(node);
      }

      @Override
      public void onUpdate(Node old, Node node) {
        if (!noExecuteTaints(old).equals(noExecuteTaints(node))) {
          nodeChanged(node);
        }
      }

      @Override
      public void onDelete(Node node, boolean finalStateUnknown) {
        nodeChanged(node);
      }
    });
    pods.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod pod) {
        podChanged(pod);
      }

      @Override
      public void onUpdate(Pod old, Pod pod) {
        if (!Objects.equals(old.getMetadata().getResourceVersion(), pod.getMetadata().getResourceVersion())) {
          podChanged(pod);
        }
      }

      @Override
      public void onDelete(Pod pod, boolean finalStateUnknown) {
        cancel(key(pod), null);
      }
    });
  }

  @Override
  public void run() {
    running = true;
    for (Node node : nodes.getStore().list()) {
      nodeChanged(node);
    }
  }

  @Override
  public void close() {
    running = false;
    timers.shutdownNow();
  }

  private static String key(Pod pod) {
    return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
  }

  static List<Taint> noExecuteTaints(Node node) {
    if (node == null || node.getSpec() == null || node.getSpec().getTaints() == null) {
      return List.of();
    }
    return node.getSpec().getTaints().stream().filter(t -> "NoExecute".equals(t.getEffect()))
        .map(t -> new TaintBuilder().withKey(t.getKey()).withValue(t.getValue()).withEffect(t.getEffect()).build())
        .toList();
  }

  private void nodeChanged(Node node) {
    if (!running) {
      return;
    }
    String name = node.getMetadata().getName();
    for (Pod pod : pods.getStore().list()) {
      if (pod.getSpec() != null && name.equals(pod.getSpec().getNodeName())) {
        podChanged(pod);
      }
    }
  }

  private synchronized void podChanged(Pod pod) {
    if (!running) {
      return;
    }
    String nodeName = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
    if (nodeName == null || nodeName.isEmpty()) {
      return;
    }
    String key = key(pod);
    if (pod.getMetadata().getDeletionTimestamp() != null) {
      Scheduled existing = scheduled.remove(key); // being deleted already: nothing left to do
      if (existing != null) {
        existing.future().cancel(false);
      }
      return;
    }
    List<Taint> taints = noExecuteTaints(nodes.getIndexer().getByKey(nodeName));
    if (taints.isEmpty()) {
      cancel(key, pod);
      return;
    }
    List<Toleration> tolerations = pod.getSpec().getTolerations() == null ? List.of() : pod.getSpec().getTolerations();
    Duration min = Tolerations.minTolerationTime(taints, tolerations);
    if (min.isNegative()) {
      cancel(key, pod); // tolerated forever
      return;
    }
    Instant now = clock.instant();
    Scheduled existing = scheduled.get(key);
    if (existing != null) {
      return; // already counting down since the taint was first seen
    }
    Instant fireAt = now.plus(min);
    String namespace = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    ScheduledFuture<?> future = timers.schedule(() -> evict(key, namespace, name), min.toMillis(),
        TimeUnit.MILLISECONDS);
    scheduled.put(key, new Scheduled(now, fireAt, future));
    if (!min.isZero()) {
      LOG.info("Pod {} on node {} is to be deleted at {} (it tolerates the taints {} for {})", key, nodeName, fireAt,
          taints.stream().map(Taint::getKey).toList(), min);
    }
  }

  private synchronized void cancel(String key, Pod pod) {
    Scheduled existing = scheduled.remove(key);
    if (existing != null && existing.future().cancel(false) && pod != null) {
      LOG.info("Cancelling deletion of pod {}", key);
      events.normal(pod, "TaintManagerEviction", "Cancelling deletion of Pod " + key);
    }
  }

  /** Kubernetes' addConditionAndDeletePod, retried a few times. */
  private void evict(String key, String namespace, String name) {
    try {
      deletePod(key, namespace, name);
    } finally {
      synchronized (this) {
        scheduled.remove(key); // kept while deleting: the pod's updates meanwhile do not schedule it again
      }
    }
  }

  private void deletePod(String key, String namespace, String name) {
    Pod pod = pods.getIndexer().getByKey(key);
    if (pod == null || !running || pod.getMetadata().getDeletionTimestamp() != null) {
      return;
    }
    events.normal(pod, "TaintManagerEviction", "Marking for deletion Pod " + key);
    for (int attempt = 0; attempt < RETRIES; attempt++) {
      try {
        try {
          addDisruptionTarget(namespace, name);
        } catch (KubernetesClientException e) {
          if (e.getCode() == 404) {
            return;
          }
          LOG.warn("could not add the DisruptionTarget condition to pod {}: {}", key, ApiErrors.message(e));
        }
        client.pods().inNamespace(namespace).withName(name).delete();
        LOG.info("Deleted pod {} (NoExecute taint not tolerated any longer)", key);
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404) {
          return;
        }
        LOG.warn("could not delete pod {}: {}", key, ApiErrors.message(e));
        try {
          Thread.sleep(10);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private void addDisruptionTarget(String namespace, String name) {
    String now = DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS));
    Map<String, Object> condition = Map.of("type", "DisruptionTarget", "status", "True",
        "reason", "DeletionByTaintManager", "message", "Taint manager: deleting due to NoExecute taint",
        "lastTransitionTime", now);
    Map<String, Object> patch = Map.of("status", Map.of("conditions", List.of(condition)));
    Patches.send(client, Pod.class, namespace, name, "status", PatchType.STRATEGIC_MERGE,
        client.getKubernetesSerialization().asJson(patch));
  }
}
