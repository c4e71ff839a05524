package io.kubemu.controllermanager.endpoint;

import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.kubemu.component.workqueue.WorkQueue;
import io.kubemu.component.workqueue.Workers;
import io.kubemu.controllermanager.Controller;
import io.kubemu.controllermanager.ControllerContext;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Kubernetes' endpoints controller: keeps an Endpoints object, named as its Service, listing the
 * pods every Service with a selector selects ({@link EndpointSubsets}). Services without a
 * selector are left alone (their Endpoints are the user's); an Endpoints this controller wrote
 * is deleted with its Service. Keys are "namespace/name" of Services.
 */
public final class EndpointsController implements Controller {
  static final String COMPONENT = "endpoint-controller";
  /** The label marking the Endpoints this controller manages (Kubernetes 1.33's LabelManagedBy). */
  public static final String MANAGED_BY = "endpoints.kubernetes.io/managed-by";
  public static final String LAST_CHANGE_TRIGGER_TIME = "endpoints.kubernetes.io/last-change-trigger-time";
  public static final String OVER_CAPACITY = "endpoints.kubernetes.io/over-capacity";
  public static final String HEADLESS = "service.kubernetes.io/headless";

  private final KubernetesClient client;
  private final SharedIndexInformer<Service> services;
  private final SharedIndexInformer<Pod> pods;
  private final SharedIndexInformer<Endpoints> endpoints;
  private final TriggerTimeTracker triggerTimes = new TriggerTimeTracker();
  private final WorkQueue<String> queue = new WorkQueue<>("endpoint");
  private final Workers<String> workers;

  public EndpointsController(ControllerContext context) {
    this.client = context.client();
    this.services = context.informers().informerFor(Service.class);
    this.pods = context.informers().informerFor(Pod.class);
    this.endpoints = context.informers().informerFor(Endpoints.class);
    this.workers = new Workers<>(queue, context.config().concurrentEndpointSyncs(), this::syncService);
    ServiceTriggers.register(services, pods, queue::add);
    endpoints.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Endpoints object) {}

      @Override
      public void onUpdate(Endpoints old, Endpoints object) {}

      @Override
      public void onDelete(Endpoints object, boolean finalStateUnknown) {
        queue.add(ServiceTriggers.key(object)); // someone deleted it: write it again if its Service wants it
      }
    });
  }

  @Override
  public void run() {
    // Kubernetes' checkLeftoverEndpoints: Endpoints of ours whose Service went while we were away.
    for (Endpoints object : endpoints.getStore().list()) {
      Map<String, String> labels = object.getMetadata().getLabels();
      if (labels != null && COMPONENT.equals(labels.get(MANAGED_BY))) {
        queue.add(ServiceTriggers.key(object));
      }
    }
    workers.start();
  }

  @Override
  public void close() {
    workers.close();
  }

  void syncService(String key) {
    int slash = key.indexOf('/');
    String namespace = key.substring(0, slash);
    String name = key.substring(slash + 1);
    Service service = services.getIndexer().getByKey(key);
    if (service == null) {
      triggerTimes.forget(key);
      try { // as Kubernetes does: the Endpoints of a deleted Service go with it, whoever wrote them
        client.endpoints().inNamespace(namespace).withName(name).delete();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 404) {
          throw e;
        }
      }
      return;
    }
    Map<String, String> selector = EndpointPods.selector(service);
    if (selector == null || "ExternalName".equals(service.getSpec().getType())) {
      return; // its endpoints, if any, are written by the user
    }
    if (service.getMetadata().getDeletionTimestamp() != null) {
      return;
    }
    List<Pod> selected = pods.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace).stream()
        .filter(pod -> EndpointPods.selects(selector, pod)).toList();
    Instant triggerTime = triggerTimes.compute(key, service, selected);
    List<EndpointSubset> subsets = EndpointSubsets.build(service, selected);
    boolean overCapacity = EndpointSubsets.count(subsets) > EndpointSubsets.MAX_CAPACITY;
    if (overCapacity) {
      subsets = EndpointSubsets.truncate(subsets);
    }
    Endpoints current = endpoints.getIndexer().getByKey(key);
    Map<String, String> labels = labels(service);
    if (current != null && Objects.equals(normalized(current.getSubsets()), normalized(subsets))
        && Objects.equals(current.getMetadata().getLabels(), labels)
        && overCapacity == hasAnnotation(current, OVER_CAPACITY)) {
      return; // nothing to write
    }
    Map<String, String> annotations = new LinkedHashMap<>();
    if (current != null && current.getMetadata().getAnnotations() != null) {
      annotations.putAll(current.getMetadata().getAnnotations());
    }
    if (triggerTime != null) {
      annotations.put(LAST_CHANGE_TRIGGER_TIME, triggerTime.truncatedTo(ChronoUnit.SECONDS).toString());
    } else {
      annotations.remove(LAST_CHANGE_TRIGGER_TIME);
    }
    if (overCapacity) {
      annotations.put(OVER_CAPACITY, "truncated");
    } else {
      annotations.remove(OVER_CAPACITY);
    }
    try {
      if (current == null) {
        client.endpoints().inNamespace(namespace).resource(new EndpointsBuilder()
            .withNewMetadata().withName(name).withNamespace(namespace).withLabels(labels)
              .withAnnotations(annotations.isEmpty() ? null : annotations).endMetadata()
            .withSubsets(subsets).build()).create();
      } else {
        Endpoints updated = new EndpointsBuilder(current).editMetadata().withLabels(labels)
            .withAnnotations(annotations.isEmpty() ? null : annotations).endMetadata()
            .withSubsets(subsets).build();
        client.endpoints().inNamespace(namespace).resource(updated).update();
      }
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404 && current != null) {
        return; // deleted meanwhile: the delete event brings the key back
      }
      if (e.getCode() == 403 && isTerminating(e)) {
        return; // its namespace is being deleted
      }
      throw e; // a conflict: the informer brings the newer object, and the key is retried
    }
  }

  private static boolean isTerminating(KubernetesClientException e) {
    return e.getMessage() != null && e.getMessage().contains("being terminated");
  }

  private static boolean hasAnnotation(HasMetadata object, String name) {
    return object.getMetadata().getAnnotations() != null && object.getMetadata().getAnnotations().containsKey(name);
  }

  /** The Service's labels, marked headless when it is, and as managed by this controller. */
  private static Map<String, String> labels(Service service) {
    Map<String, String> labels = new HashMap<>();
    if (service.getMetadata().getLabels() != null) {
      labels.putAll(service.getMetadata().getLabels());
    }
    if ("None".equals(service.getSpec().getClusterIP())) {
      labels.put(HEADLESS, "");
    } else {
      labels.remove(HEADLESS);
    }
    labels.put(MANAGED_BY, COMPONENT);
    return labels;
  }

  /** Subsets compared as the apiserver stores them: no subsets is an empty list. */
  private static List<EndpointSubset> normalized(List<EndpointSubset> subsets) {
    return subsets == null ? List.of() : subsets;
  }
}
