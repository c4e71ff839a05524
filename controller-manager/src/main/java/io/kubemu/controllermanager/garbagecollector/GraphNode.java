package io.kubemu.controllermanager.garbagecollector;

import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One object in the garbage collector's dependency graph (Kubernetes' GC node): its owners as its
 * owner references name them, and its dependents, the nodes that name it as an owner. A node is
 * "virtual" when only a dependent has named it so far and no informer has reported the object.
 * Nodes are compared by identity: the work queues hold nodes.
 */
final class GraphNode {
  private ObjectIdentity identity;
  private List<OwnerReference> owners;
  private final Set<GraphNode> dependents = new HashSet<>();
  private boolean beingDeleted;
  private boolean deletingDependents;
  private boolean virtual;

  GraphNode(ObjectIdentity identity, List<OwnerReference> owners, boolean virtual) {
    this.identity = identity;
    this.owners = owners;
    this.virtual = virtual;
  }

  synchronized ObjectIdentity identity() {
    return identity;
  }

  synchronized List<OwnerReference> owners() {
    return owners;
  }

  synchronized void setOwners(List<OwnerReference> owners) {
    this.owners = owners;
  }

  /** An informer reported the object: the node is no longer a guess. */
  synchronized void markObserved(ObjectIdentity observed) {
    virtual = false;
    identity = observed;
  }

  synchronized boolean isObserved() {
    return !virtual;
  }

  synchronized void markBeingDeleted() {
    beingDeleted = true;
  }

  synchronized boolean isBeingDeleted() {
    return beingDeleted;
  }

  /** Deleted in the foreground: it waits for its dependents to go. */
  synchronized void markDeletingDependents() {
    beingDeleted = true;
    deletingDependents = true;
  }

  synchronized boolean isDeletingDependents() {
    return deletingDependents;
  }

  synchronized void addDependent(GraphNode dependent) {
    dependents.add(dependent);
  }

  synchronized void removeDependent(GraphNode dependent) {
    dependents.remove(dependent);
  }

  synchronized List<GraphNode> dependents() {
    return new ArrayList<>(dependents);
  }

  synchronized int dependentsLength() {
    return dependents.size();
  }

  /** The dependents whose owner reference to this node blocks its (foreground) deletion. */
  List<GraphNode> blockingDependents() {
    String uid = identity().uid();
    List<GraphNode> blocking = new ArrayList<>();
    for (GraphNode dependent : dependents()) {
      for (OwnerReference owner : dependent.owners()) {
        if (owner.getUid().equals(uid) && Boolean.TRUE.equals(owner.getBlockOwnerDeletion())) {
          blocking.add(dependent);
        }
      }
    }
    return blocking;
  }

  @Override
  public String toString() {
    return identity().toString();
  }
}
