package io.kubemu.controllermanager.garbagecollector;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.kubemu.component.workqueue.WorkQueue;
import io.kubemu.component.workqueue.Workers;
import io.kubemu.controllermanager.Controller;
import io.kubemu.controllermanager.ControllerContext;
import io.kubemu.controllermanager.discovery.ServerResources.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes' garbage collector: deletes objects whose owners are gone, and carries out the
 * cascading deletions the apiserver only starts. {@link GraphBuilder} keeps a graph of owner
 * references over every deletable resource; two queues of graph nodes are worked here:
 * <ul>
 *   <li>{@code attemptToDelete}: an object whose owners may all be gone is deleted (background
 *   cascading); a dependent of an owner deleted in the foreground is deleted, and such an owner
 *   loses its {@code foregroundDeletion} finalizer once no dependent blocks it any more;</li>
 *   <li>{@code attemptToOrphan}: an owner deleted with propagationPolicy Orphan has its
 *   dependents' owner references to it removed, then its {@code orphan} finalizer.</li>
 * </ul>
 * The apiserver deletes an object whose last finalizer goes.
 */
public final class GarbageCollector implements Controller {
  private static final Logger LOG = LoggerFactory.getLogger(GarbageCollector.class);
  /** Kubernetes' DefaultIgnoredResources: events are never watched for owners. */
  private static final Set<String> IGNORED_RESOURCES = Set.of("events.", "events.events.k8s.io");
  /** Kubernetes' absentOwnerCache size. */
  private static final int ABSENT_OWNER_CACHE_SIZE = 500;

  private final ObjectOperations operations;
  private final WorkQueue<GraphNode> attemptToDelete = new WorkQueue<>("garbage_collector_attempt_to_delete");
  private final WorkQueue<GraphNode> attemptToOrphan = new WorkQueue<>("garbage_collector_attempt_to_orphan");
  private final ReferenceCache absentOwnerCache = new ReferenceCache(ABSENT_OWNER_CACHE_SIZE);
  private final GraphBuilder dependencyGraphBuilder;
  private final Workers<GraphNode> deleteWorkers;
  private final Workers<GraphNode> orphanWorkers;

  public GarbageCollector(ControllerContext context) {
    this.operations = new ObjectOperations(context.client(), context.resources());
    this.dependencyGraphBuilder = new GraphBuilder(attemptToDelete, attemptToOrphan, absentOwnerCache);
    for (Resource resource : context.resources().all()) {
      if (resource.supports("delete") && resource.supports("list") && resource.supports("watch")
          && !IGNORED_RESOURCES.contains(resource.groupResource())) {
        dependencyGraphBuilder.monitor(resource, context.informers().metadataInformerFor(resource.context()));
      }
    }
    int workers = context.config().concurrentGcSyncs();
    this.deleteWorkers = new Workers<>(attemptToDelete, workers, this::attemptToDeleteWorker);
    this.orphanWorkers = new Workers<>(attemptToOrphan, workers, this::attemptToOrphanWorker);
  }

  @Override
  public void run() {
    dependencyGraphBuilder.start();
    deleteWorkers.start();
    orphanWorkers.start();
  }

  private void attemptToDeleteWorker(GraphNode node) {
    if (!node.isObserved() && dependencyGraphBuilder.node(node.identity().uid()) != node) {
      return; // the guessed owner left the graph, or was replaced by a real one, meanwhile
    }
    boolean gone = attemptToDeleteItem(node);
    if (!gone && !node.isObserved()) {
      // It exists, but no informer reported it yet: look again, lest a virtual node stay for ever.
      throw new Workers.RetryLater(node + " has not been observed by an informer yet");
    }
  }

  /** Decides what becomes of one object; returns whether it turned out gone (the graph is told). */
  boolean attemptToDeleteItem(GraphNode item) {
    if (item.isBeingDeleted() && !item.isDeletingDependents()) {
      return false; // its deletion is under way and waits for nothing of ours
    }
    ObjectIdentity identity = item.identity();
    GenericKubernetesResource latest = operations.get(identity);
    if (latest == null || !latest.getMetadata().getUid().equals(identity.uid())) {
      dependencyGraphBuilder.enqueueVirtualDeleteEvent(identity);
      return true;
    }
    if (item.isDeletingDependents()) {
      processDeletingDependentsItem(item);
      return false;
    }
    List<OwnerReference> ownerReferences = latest.getMetadata().getOwnerReferences();
    if (ownerReferences.isEmpty()) {
      return false;
    }
    References references = classifyReferences(item, ownerReferences);
    if (references == null) {
      return false;
    }
    if (!references.solid.isEmpty()) {
      // Some owner still stands: only references to owners gone, or waiting for their dependents, go.
      List<String> remove = new ArrayList<>();
      references.dangling.forEach(owner -> remove.add(owner.getUid()));
      references.waitingForDependentsDeletion.forEach(owner -> remove.add(owner.getUid()));
      if (!remove.isEmpty()) {
        LOG.info("removing owner references {} from {}, which has other owners", remove, identity);
        operations.deleteOwnerReferences(identity, remove);
      }
      return false;
    }
    if (!references.waitingForDependentsDeletion.isEmpty() && item.dependentsLength() > 0) {
      // An owner deleted in the foreground waits for this one, which has dependents of its own.
      for (GraphNode dependent : item.dependents()) {
        if (dependent.isDeletingDependents()) {
          // A cycle may block both for ever: stop this object from blocking its owners.
          LOG.info("{} and a dependent of it both wait for their dependents; its owner references stop blocking", identity);
          operations.unblockOwnerReferences(identity, ownerReferences);
          break;
        }
      }
      delete(identity, DeletionPropagation.FOREGROUND);
      return false;
    }
    // No owner stands: garbage. Deleted as its own finalizers ask, in the background otherwise.
    List<String> finalizers = latest.getMetadata().getFinalizers();
    DeletionPropagation policy = finalizers.contains(ObjectState.ORPHAN) ? DeletionPropagation.ORPHAN
        : finalizers.contains(ObjectState.FOREGROUND_DELETION) ? DeletionPropagation.FOREGROUND
        : DeletionPropagation.BACKGROUND;
    delete(identity, policy);
    return false;
  }

  private void delete(ObjectIdentity identity, DeletionPropagation policy) {
    LOG.info("Deleting item {}, propagationPolicy={}", identity, policy);
    operations.delete(identity, policy);
  }

  /** An owner deleted in the foreground: its blocking dependents go first, then its finalizer. */
  private void processDeletingDependentsItem(GraphNode item) {
    List<GraphNode> blocking = item.blockingDependents();
    if (blocking.isEmpty()) {
      LOG.info("remove foregroundDeletion finalizer for item {}", item);
      operations.removeFinalizer(item.identity(), ObjectState.FOREGROUND_DELETION);
      return;
    }
    for (GraphNode dependent : blocking) {
      if (!dependent.isDeletingDependents()) {
        attemptToDelete.add(dependent);
      }
    }
  }

  /** An owner deleted with propagationPolicy Orphan: its dependents are let go, then the owner. */
  private void attemptToOrphanWorker(GraphNode owner) {
    for (GraphNode dependent : owner.dependents()) {
      operations.deleteOwnerReferences(dependent.identity(), List.of(owner.identity().uid()));
    }
    LOG.info("orphaned the dependents of {}; removing its orphan finalizer", owner);
    operations.removeFinalizer(owner.identity(), ObjectState.ORPHAN);
  }

  /** An object's owner references, sorted by what became of the owners. */
  private record References(List<OwnerReference> solid, List<OwnerReference> dangling,
      List<OwnerReference> waitingForDependentsDeletion) {}

  /** Asks after every owner; null when the references are invalid and nothing is to be done. */
  private References classifyReferences(GraphNode item, List<OwnerReference> ownerReferences) {
    References references = new References(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    String namespace = item.identity().namespace();
    for (OwnerReference reference : ownerReferences) {
      ObjectIdentity owner = ObjectIdentity.ofOwner(reference, namespace);
      Resource resource = operations.resourceOf(owner);
      if (!resource.namespaced()) {
        owner = owner.inNamespace("");
      } else if (namespace.isEmpty()) {
        LOG.info("{} is cluster-scoped, but refers to a namespaced owner of kind {}", item, reference.getKind());
        return null;
      }
      if (absentOwnerCache.has(owner)) {
        references.dangling.add(reference);
        continue;
      }
      GenericKubernetesResource found = operations.get(owner);
      if (found == null || !found.getMetadata().getUid().equals(reference.getUid())) {
        absentOwnerCache.add(owner);
        references.dangling.add(reference);
      } else if (found.getMetadata().getDeletionTimestamp() != null
          && found.getMetadata().getFinalizers().contains(ObjectState.FOREGROUND_DELETION)) {
        references.waitingForDependentsDeletion.add(reference);
      } else {
        references.solid.add(reference);
      }
    }
    return references;
  }

  @Override
  public void close() {
    dependencyGraphBuilder.close();
    deleteWorkers.close();
    orphanWorkers.close();
  }
}
