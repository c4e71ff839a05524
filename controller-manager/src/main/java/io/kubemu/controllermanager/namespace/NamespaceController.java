package io.kubemu.controllermanager.namespace;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kubemu.component.workqueue.ItemExponentialFailureRateLimiter;
import io.kubemu.component.workqueue.WorkQueue;
import io.kubemu.component.workqueue.Workers;
import io.kubemu.controllermanager.Controller;
import io.kubemu.controllermanager.ControllerContext;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * Kubernetes' NamespaceController: when a namespace is deleted it goes Terminating (the
 * apiserver sees to that) and this controller empties it, pods first, then every other
 * namespaced resource the apiserver serves ({@link NamespacedResourcesDeleter}), and finally
 * removes the {@code kubernetes} finalizer through {@code PUT /api/v1/namespaces/NAME/finalize},
 * upon which the apiserver deletes the namespace and {@code kubectl delete namespace} returns.
 */
public final class NamespaceController implements Controller {
  /**
   * Kubernetes' namespaceDeletionGracePeriod: every namespace event is looked at this much later,
   * so that creates racing the deletion (admitted against a cached, still active namespace) have
   * landed before the namespace is emptied.
   */
  static final Duration NAMESPACE_DELETION_GRACE_PERIOD = Duration.ofSeconds(5);

  private final SharedIndexInformer<Namespace> namespaces;
  private final NamespacedResourcesDeleter deleter;
  private final WorkQueue<String> queue = new WorkQueue<>("namespace",
      new ItemExponentialFailureRateLimiter<>(Duration.ofMillis(5), Duration.ofSeconds(60)));
  private final Workers<String> workers;

  public NamespaceController(ControllerContext context) {
    this.namespaces = context.informers().informerFor(Namespace.class);
    this.deleter = new NamespacedResourcesDeleter(context.client(), context.resources());
    this.workers = new Workers<>(queue, context.config().concurrentNamespaceSyncs(), this::syncNamespaceFromKey);
    namespaces.addEventHandlerWithResyncPeriod(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Namespace namespace) {
        enqueue(namespace);
      }

      @Override
      public void onUpdate(Namespace old, Namespace namespace) {
        enqueue(namespace);
      }

      @Override
      public void onDelete(Namespace namespace, boolean finalStateUnknown) {}
    }, context.config().namespaceSyncPeriod().toMillis());
  }

  private void enqueue(Namespace namespace) {
    queue.addAfter(namespace.getMetadata().getName(), NAMESPACE_DELETION_GRACE_PERIOD);
  }

  @Override
  public void run() {
    workers.start();
  }

  /**
   * Empties a terminating namespace and finalizes it; while pods are still stopping, looks again
   * after about half their grace period, as Kubernetes does.
   */
  void syncNamespaceFromKey(String name) {
    if (namespaces.getIndexer().getByKey(name) == null) {
      return;
    }
    OptionalLong estimate = deleter.delete(name);
    if (estimate.isPresent()) {
      queue.addAfter(name, Duration.ofSeconds(estimate.getAsLong() / 2 + 1));
    }
  }

  @Override
  public void close() {
    workers.close();
  }
}
