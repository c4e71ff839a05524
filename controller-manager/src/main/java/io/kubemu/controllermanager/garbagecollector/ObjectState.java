package io.kubemu.controllermanager.garbagecollector;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.kubemu.controllermanager.discovery.ServerResources.Resource;
import java.util.List;

/** What the garbage collector keeps of an object an informer reported: who it is, its owners, its deletion. */
record ObjectState(ObjectIdentity identity, List<OwnerReference> owners, boolean beingDeleted, List<String> finalizers) {
  /** The finalizer an owner deleted with propagationPolicy Orphan carries until its dependents are orphaned. */
  static final String ORPHAN = "orphan";
  /** The finalizer an owner deleted with propagationPolicy Foreground carries until its blocking dependents are gone. */
  static final String FOREGROUND_DELETION = "foregroundDeletion";

  static ObjectState of(Resource resource, HasMetadata object) {
    ObjectMeta metadata = object.getMetadata();
    return new ObjectState(
        new ObjectIdentity(resource.apiVersion(), resource.kind(), metadata.getNamespace() == null ? "" : metadata.getNamespace(),
            metadata.getName(), metadata.getUid()),
        List.copyOf(metadata.getOwnerReferences()), metadata.getDeletionTimestamp() != null,
        List.copyOf(metadata.getFinalizers()));
  }

  boolean hasFinalizer(String finalizer) {
    return finalizers.contains(finalizer);
  }

  /** Being deleted and held back by {@code finalizer}: its deletion waits for the GC. */
  boolean isDeletingWith(String finalizer) {
    return beingDeleted && hasFinalizer(finalizer);
  }
}
