package io.kubemu.controllermanager;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

/**
 * Work-queue keys and controller references, as Kubernetes' controllers share them
 * (cache.MetaNamespaceKeyFunc, resolveControllerRef; the controller reference itself is
 * {@link io.kubemu.component.client.OwnerReferences#controllerOf}).
 */
public final class ControllerRefs {
  private ControllerRefs() {}

  /** {@code namespace/name}, the key of a namespaced object in a work queue. */
  public static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  public static String key(HasMetadata object) {
    return key(object.getMetadata().getNamespace(), object.getMetadata().getName());
  }

  /**
   * The object of {@code kind} that a controller reference names, if the informer knows it by that
   * uid (a controller of the same name that was deleted and created again is another one).
   */
  public static <T extends HasMetadata> T resolve(SharedIndexInformer<T> informer, String kind, String namespace,
      OwnerReference reference) {
    if (reference == null || !kind.equals(reference.getKind())) {
      return null;
    }
    T owner = informer.getIndexer().getByKey(key(namespace, reference.getName()));
    return owner != null && owner.getMetadata().getUid().equals(reference.getUid()) ? owner : null;
  }
}
