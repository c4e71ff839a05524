package io.kubemu.controllermanager.endpoint;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.kubemu.component.informers.EventHandlers;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What makes the Endpoints and the EndpointSlice controllers look at a Service again, the same
 * for both as in Kubernetes: the Service itself changing, and a pod it selects (or selected,
 * before the pod's labels changed) being added, changed or deleted. The Service's key
 * ({@code namespace/name}) goes to {@code enqueue}.
 */
public final class ServiceTriggers {
  private ServiceTriggers() {}

  public static String key(HasMetadata object) {
    return object.getMetadata().getNamespace() + "/" + object.getMetadata().getName();
  }

  /** Adds the handlers to the informers. */
  public static void register(SharedIndexInformer<Service> services, SharedIndexInformer<Pod> pods,
      Consumer<String> enqueue) {
    services.addEventHandler(EventHandlers.onEvery(service -> enqueue.accept(key(service))));
    pods.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod pod) {
        enqueueServicesOf(services, pod, enqueue);
      }

      @Override
      public void onUpdate(Pod old, Pod pod) {
        if (Objects.equals(old.getMetadata().getResourceVersion(), pod.getMetadata().getResourceVersion())) {
          return;
        }
        enqueueServicesOf(services, pod, enqueue);
        if (!Objects.equals(old.getMetadata().getLabels(), pod.getMetadata().getLabels())) {
          enqueueServicesOf(services, old, enqueue);
        }
      }

      @Override
      public void onDelete(Pod pod, boolean finalStateUnknown) {
        enqueueServicesOf(services, pod, enqueue);
      }
    });
  }

  private static void enqueueServicesOf(SharedIndexInformer<Service> services, Pod pod, Consumer<String> enqueue) {
    for (Service service : services.getIndexer().byIndex(Cache.NAMESPACE_INDEX, pod.getMetadata().getNamespace())) {
      if (EndpointPods.selects(EndpointPods.selector(service), pod)) {
        enqueue.accept(key(service));
      }
    }
  }
}
