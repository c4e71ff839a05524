package io.kubemu.controllermanager.garbagecollector;

import io.fabric8.kubernetes.api.model.OwnerReference;

/**
 * Which object a graph node stands for, as Kubernetes' GC names it (its objectReference): the
 * coordinates an owner reference gives (apiVersion, kind, name, uid) and the namespace.
 */
record ObjectIdentity(String apiVersion, String kind, String namespace, String name, String uid) {
  /** The owner an owner reference points to, seen from a dependent in {@code namespace}. */
  static ObjectIdentity ofOwner(OwnerReference owner, String namespace) {
    return new ObjectIdentity(owner.getApiVersion(), owner.getKind(), namespace, owner.getName(), owner.getUid());
  }

  /** The same coordinates in another namespace ("" for a cluster-scoped owner). */
  ObjectIdentity inNamespace(String other) {
    return new ObjectIdentity(apiVersion, kind, other, name, uid);
  }

  @Override
  public String toString() {
    return "[" + apiVersion + "/" + kind + ", namespace: " + namespace + ", name: " + name + ", uid: " + uid + "]";
  }
}
