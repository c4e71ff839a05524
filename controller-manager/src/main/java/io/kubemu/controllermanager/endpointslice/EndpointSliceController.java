package io.kubemu.controllermanager.endpointslice;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.kubemu.component.workqueue.WorkQueue;
import io.kubemu.component.workqueue.Workers;
import io.kubemu.controllermanager.Controller;
import io.kubemu.controllermanager.ControllerContext;
import io.kubemu.controllermanager.endpoint.EndpointPods;
import io.kubemu.controllermanager.endpoint.ServiceTriggers;
import io.kubemu.controllermanager.endpoint.TriggerTimeTracker;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Kubernetes' EndpointSlice controller: the discovery.k8s.io/v1 EndpointSlices of every Service
 * with a selector ({@link SliceReconciler}), labelled with the Service's name and this
 * controller as their manager, owned by the Service (so they go with it). Services without a
 * selector are left alone. It does not sync a Service again before the informer has seen its
 * own last writes to that Service's slices (Kubernetes' EndpointSliceTracker), so a slice it just
 * created is not created twice. Keys are "namespace/name" of Services.
 */
public final class EndpointSliceController implements Controller {
  private final KubernetesClient client;
  private final SharedIndexInformer<Service> services;
  private final SharedIndexInformer<Pod> pods;
  private final SharedIndexInformer<Node> nodes;
  private final SharedIndexInformer<EndpointSlice> slices;
  private final int maxEndpointsPerSlice;
  private final TriggerTimeTracker triggerTimes = new TriggerTimeTracker();
  /** Per Service: the slices written (name to resourceVersion) and deleted, not yet seen by the informer. */
  private final Map<String, Map<String, Long>> written = new HashMap<>();
  private final Map<String, Set<String>> deleted = new HashMap<>();
  private final WorkQueue<String> queue = new WorkQueue<>("endpoint_slice");
  private final Workers<String> workers;

  public EndpointSliceController(ControllerContext context) {
    this.client = context.client();
    this.services = context.informers().informerFor(Service.class);
    this.pods = context.informers().informerFor(Pod.class);
    this.nodes = context.informers().informerFor(Node.class);
    this.slices = context.informers().informerFor(EndpointSlice.class);
    this.maxEndpointsPerSlice = context.config().maxEndpointsPerSlice();
    this.workers = new Workers<>(queue, context.config().concurrentServiceEndpointSyncs(), this::syncService);
    ServiceTriggers.register(services, pods, queue::add);
    slices.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(EndpointSlice slice) {}

      @Override
      public void onUpdate(EndpointSlice old, EndpointSlice slice) {}

      @Override
      public void onDelete(EndpointSlice slice, boolean finalStateUnknown) {
        if (managed(slice)) {
          deletionObserved(slice.getMetadata().getNamespace() + "/"
              + slice.getMetadata().getLabels().get(SliceReconciler.SERVICE_NAME), slice.getMetadata().getName());
        }
        enqueueOwner(slice);
      }
    });
  }

  @Override
  public void run() {
    workers.start();
  }

  @Override
  public void close() {
    workers.close();
  }

  private static boolean managed(EndpointSlice slice) {
    Map<String, String> labels = slice.getMetadata().getLabels();
    return labels != null && SliceReconciler.CONTROLLER_NAME.equals(labels.get(SliceReconciler.MANAGED_BY))
        && labels.get(SliceReconciler.SERVICE_NAME) != null;
  }

  /** A slice of ours went: its Service is synced again (a slice deleted by hand comes back). */
  private void enqueueOwner(EndpointSlice slice) {
    if (managed(slice)) {
      queue.add(slice.getMetadata().getNamespace() + "/" + slice.getMetadata().getLabels().get(SliceReconciler.SERVICE_NAME));
    }
  }

  private List<EndpointSlice> managedSlices(String namespace, String serviceName) {
    return slices.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace).stream()
        .filter(EndpointSliceController::managed)
        .filter(slice -> serviceName.equals(slice.getMetadata().getLabels().get(SliceReconciler.SERVICE_NAME)))
        .toList();
  }

  /** The informer has seen every write this controller made to the Service's slices. */
  private synchronized boolean cacheCaughtUp(String key, List<EndpointSlice> cached) {
    Map<String, Long> expected = written.getOrDefault(key, Map.of());
    Set<String> gone = deleted.getOrDefault(key, Set.of());
    Map<String, Long> seen = new HashMap<>();
    for (EndpointSlice slice : cached) {
      seen.put(slice.getMetadata().getName(), resourceVersion(slice));
    }
    for (Map.Entry<String, Long> entry : expected.entrySet()) {
      Long version = seen.get(entry.getKey());
      if (version == null || version < entry.getValue()) {
        return false;
      }
    }
    for (String name : gone) {
      if (seen.containsKey(name)) {
        return false;
      }
    }
    written.remove(key);
    deleted.remove(key);
    return true;
  }

  private synchronized void wrote(String key, EndpointSlice slice) {
    written.computeIfAbsent(key, ignored -> new HashMap<>()).put(slice.getMetadata().getName(), resourceVersion(slice));
  }

  /** A slice is gone, whoever deleted it: no write to it is awaited any more. */
  private synchronized void deletionObserved(String key, String name) {
    Map<String, Long> expected = written.get(key);
    if (expected != null) {
      expected.remove(name);
    }
    Set<String> gone = deleted.get(key);
    if (gone != null) {
      gone.remove(name);
    }
  }

  private synchronized void removed(String key, EndpointSlice slice) {
    deleted.computeIfAbsent(key, ignored -> new HashSet<>()).add(slice.getMetadata().getName());
  }

  private static long resourceVersion(EndpointSlice slice) {
    try {
      return Long.parseLong(slice.getMetadata().getResourceVersion());
    } catch (RuntimeException e) {
      return 0;
    }
  }

  private String zoneOf(String nodeName) {
    Node node = nodes.getIndexer().getByKey(nodeName);
    return node == null || node.getMetadata().getLabels() == null ? null
        : node.getMetadata().getLabels().get(SliceReconciler.ZONE);
  }

  void syncService(String key) {
    int slash = key.indexOf('/');
    String namespace = key.substring(0, slash);
    String name = key.substring(slash + 1);
    Service service = services.getIndexer().getByKey(key);
    if (service == null) {
      triggerTimes.forget(key);
      synchronized (this) {
        written.remove(key);
        deleted.remove(key);
      }
      return; // its slices are the garbage collector's: they are owned by the Service
    }
    if (EndpointPods.selector(service) == null || service.getMetadata().getDeletionTimestamp() != null) {
      return; // no selector: the user's (or the mirroring controller's) slices
    }
    List<EndpointSlice> existing = managedSlices(namespace, name);
    if (!cacheCaughtUp(key, existing)) {
      throw new Workers.RetryLater("the informer has not seen this controller's last EndpointSlice writes yet");
    }
    if ("ExternalName".equals(service.getSpec().getType())) {
      for (EndpointSlice slice : existing) {
        delete(key, slice);
      }
      return;
    }
    var selector = EndpointPods.selector(service);
    List<Pod> selected = pods.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace).stream()
        .filter(pod -> EndpointPods.selects(selector, pod)).toList();
    Instant triggerTime = triggerTimes.compute(key, service, selected);
    SliceReconciler.Plan plan = SliceReconciler.reconcile(service, selected, this::zoneOf, existing,
        maxEndpointsPerSlice, triggerTime);
    try {
      for (EndpointSlice slice : plan.create()) {
        wrote(key, client.discovery().v1().endpointSlices().inNamespace(namespace).resource(slice).create());
      }
      for (EndpointSlice slice : plan.update()) {
        wrote(key, client.discovery().v1().endpointSlices().inNamespace(namespace).resource(slice).update());
      }
      for (EndpointSlice slice : plan.delete()) {
        delete(key, slice);
      }
    } catch (KubernetesClientException e) {
      if (e.getCode() == 403 && e.getMessage() != null && e.getMessage().contains("being terminated")) {
        return; // its namespace is being deleted
      }
      throw e; // a conflict or a slice gone: the informer brings the news, and the key is retried
    }
  }

  private void delete(String key, EndpointSlice slice) {
    try {
      client.discovery().v1().endpointSlices().inNamespace(slice.getMetadata().getNamespace())
          .withName(slice.getMetadata().getName()).delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
    removed(key, slice);
  }
}
