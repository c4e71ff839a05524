package io.kubemu.component.informers;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.informers.ExceptionHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The shared informers of one component, as client-go's SharedInformerFactory: however many
 * controllers ask for pods, there is one list+watch of pods and one cache of them; every
 * controller adds its own event handlers. Informers for typed kinds ({@code Pod.class}) and for
 * any served resource as generic objects (the garbage collector's, found through discovery).
 * Every handler is handed all objects again each resync period (a handler may ask for a shorter
 * one), as a safety net for events a controller missed. A controller waits only for the informers
 * it asked for ({@link #tracking}, {@link #synced}), as client-go's WaitForNamedCacheSync.
 */
public final class InformerFactory implements AutoCloseable {
  private final KubernetesClient client;
  private final long resyncMillis;
  private final Map<String, SharedIndexInformer<?>> informers = new LinkedHashMap<>();
  private final Map<SharedIndexInformer<?>, CompletableFuture<Void>> started = new IdentityHashMap<>();
  /** The informers asked for while {@link #tracking} runs a constructor; null otherwise. */
  private Set<SharedIndexInformer<?>> asked;

  /** @param defaultResync how often handlers get every object again; zero: never */
  public InformerFactory(KubernetesClient client, Duration defaultResync) {
    this.client = client;
    this.resyncMillis = defaultResync.toMillis();
  }

  /** The informer of a typed kind over all namespaces, created on first use and not started yet. */
  @SuppressWarnings("unchecked")
  public synchronized <T extends HasMetadata> SharedIndexInformer<T> informerFor(Class<T> type) {
    return (SharedIndexInformer<T>) noted(informers.computeIfAbsent(type.getName(), key -> {
      client.getKubernetesSerialization().registerKubernetesResource(type); // its watch events read as T
      return retrying(client.resources(type).inAnyNamespace().runnableInformer(resyncMillis));
    }));
  }

  /** The informer of any served resource, its objects generic. */
  @SuppressWarnings("unchecked")
  public synchronized SharedIndexInformer<GenericKubernetesResource> informerFor(ResourceDefinitionContext resource) {
    String key = resource.getGroup() + "/" + resource.getVersion() + "/" + resource.getPlural();
    return (SharedIndexInformer<GenericKubernetesResource>) noted(informers.computeIfAbsent(key, ignored ->
        retrying(client.genericKubernetesResources(resource).inAnyNamespace().runnableInformer(resyncMillis))));
  }

  /**
   * An informer that lists again until its first list succeeds, as client-go's reflector does: a
   * component may start before the apiserver answers (they start together in the compose cluster)
   * and its informers sync once it does, where fabric8's would fail their start at the first error.
   * A list whose objects cannot be read is not retried (it would fail again). Once started, fabric8's
   * own rule: reconnect after any error but a watch's.
   */
  private static <T extends HasMetadata> SharedIndexInformer<T> retrying(SharedIndexInformer<T> informer) {
    return informer.exceptionHandler((started, error) -> started
        ? !(error instanceof WatcherException)
        : !ExceptionHandler.isDeserializationException(error));
  }

  /**
   * The informer of any served resource for a handler that reads only the objects' metadata (the
   * garbage collector's): the typed informer of its kind when the client has a model class for it,
   * shared with the controllers that inform on that kind, else a generic one. One watch and one
   * parse of each change instead of two, as kube-controller-manager's garbage collector shares its
   * informers through the same factory as the other controllers.
   */
  public synchronized SharedIndexInformer<? extends HasMetadata> metadataInformerFor(
      ResourceDefinitionContext resource) {
    String group = resource.getGroup();
    String apiVersion = group == null || group.isEmpty() ? resource.getVersion() : group + "/" + resource.getVersion();
    Class<? extends KubernetesResource> type =
        client.getKubernetesSerialization().getRegisteredKubernetesResource(apiVersion, resource.getKind());
    if (type != null && type != GenericKubernetesResource.class && HasMetadata.class.isAssignableFrom(type)
        && HasMetadata.getPlural(type.asSubclass(HasMetadata.class)).equals(resource.getPlural())) {
      return informerFor(type.asSubclass(HasMetadata.class));
    }
    return informerFor(resource);
  }

  private SharedIndexInformer<?> noted(SharedIndexInformer<?> informer) {
    if (asked != null) {
      asked.add(informer);
    }
    return informer;
  }

  /** What {@code build} made, and the informers it asked for while it ran. */
  public record Tracked<C>(C built, List<SharedIndexInformer<?>> informers) {}

  /** Runs {@code build} (a controller's constructor), noting the informers it asks for. */
  public synchronized <C> Tracked<C> tracking(Supplier<C> build) {
    asked = new LinkedHashSet<>();
    try {
      C built = build.get();
      return new Tracked<>(built, List.copyOf(asked));
    } finally {
      asked = null;
    }
  }

  /** Starts the informers not started yet; completes once every informer has listed its resource (synced). */
  public synchronized CompletableFuture<Void> start() {
    for (SharedIndexInformer<?> informer : informers.values()) {
      started.computeIfAbsent(informer, notYet -> informer.start().toCompletableFuture());
    }
    return synced(informers.values());
  }

  /** Completes once each of these informers, started by {@link #start}, has synced. */
  public synchronized CompletableFuture<Void> synced(Collection<? extends SharedIndexInformer<?>> these) {
    List<CompletableFuture<Void>> synced = new ArrayList<>();
    for (SharedIndexInformer<?> informer : these) {
      CompletableFuture<Void> sync = started.get(informer);
      if (sync == null) {
        throw new IllegalStateException("an informer that was not started cannot sync");
      }
      synced.add(sync);
    }
    return CompletableFuture.allOf(synced.toArray(CompletableFuture[]::new));
  }

  @Override
  public synchronized void close() {
    started.keySet().forEach(SharedIndexInformer::stop);
  }
}
