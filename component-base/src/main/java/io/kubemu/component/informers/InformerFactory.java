package io.kubemu.component.informers;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The shared informers of one component, as client-go's SharedInformerFactory: however many
 * controllers ask for pods, there is one list+watch of pods and one cache of them; every
 * controller adds its own event handlers. Informers for typed kinds ({@code Pod.class}) and for
 * any served resource as generic objects (the garbage collector's, found through discovery).
 * Every handler is handed all objects again each resync period (a handler may ask for a shorter
 * one), as a safety net for events a controller missed.
 */
public final class InformerFactory implements AutoCloseable {
  private final KubernetesClient client;
  private final long resyncMillis;
  private final Map<String, SharedIndexInformer<?>> informers = new LinkedHashMap<>();
  private final List<SharedIndexInformer<?>> started = new ArrayList<>();

  /** @param defaultResync how often handlers get every object again; zero: never */
  public InformerFactory(KubernetesClient client, Duration defaultResync) {
    this.client = client;
    this.resyncMillis = defaultResync.toMillis();
  }

  /** The informer of a typed kind over all namespaces, created on first use and not started yet. */
  @SuppressWarnings("unchecked")
  public synchronized <T extends HasMetadata> SharedIndexInformer<T> informerFor(Class<T> type) {
    return (SharedIndexInformer<T>) informers.computeIfAbsent(type.getName(),
        key -> client.resources(type).inAnyNamespace().runnableInformer(resyncMillis));
  }

  /** The informer of any served resource, its objects generic. */
  @SuppressWarnings("unchecked")
  public synchronized SharedIndexInformer<GenericKubernetesResource> informerFor(ResourceDefinitionContext resource) {
    String key = resource.getGroup() + "/" + resource.getVersion() + "/" + resource.getPlural();
    return (SharedIndexInformer<GenericKubernetesResource>) informers.computeIfAbsent(key,
        ignored -> client.genericKubernetesResources(resource).inAnyNamespace().runnableInformer(resyncMillis));
  }

  /** Starts the informers not started yet; completes once each has listed its resource (synced). */
  public synchronized CompletableFuture<Void> start() {
    List<CompletableFuture<Void>> synced = new ArrayList<>();
    for (SharedIndexInformer<?> informer : informers.values()) {
      if (!started.contains(informer)) {
        started.add(informer);
        synced.add(informer.start().toCompletableFuture());
      }
    }
    return CompletableFuture.allOf(synced.toArray(CompletableFuture[]::new));
  }

  @Override
  public synchronized void close() {
    started.forEach(SharedIndexInformer::stop);
  }
}
