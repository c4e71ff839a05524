package io.kubemu.controllermanager.garbagecollector;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kubemu.component.workqueue.WorkQueue;
import io.kubemu.controllermanager.discovery.ServerResources.Resource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the garbage collector's dependency graph, as Kubernetes' GraphBuilder: informers on
 * every deletable resource ("monitors") report changes, and one thread applies them in order
 * ({@link #processGraphChanges}): nodes come and go, owner references become edges, and whatever
 * the change may have made garbage, or unblocked, goes to the {@code attemptToDelete} queue;
 * an owner that starts an orphaning deletion goes to {@code attemptToOrphan}.
 */
final class GraphBuilder implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GraphBuilder.class);

  private final Map<String, GraphNode> uidToNode = new ConcurrentHashMap<>();
  private final BlockingQueue<GraphEvent> graphChanges = new LinkedBlockingQueue<>();
  private final WorkQueue<GraphNode> attemptToDelete;
  private final WorkQueue<GraphNode> attemptToOrphan;
  private final ReferenceCache absentOwnerCache;
  private Thread processor;

  GraphBuilder(WorkQueue<GraphNode> attemptToDelete, WorkQueue<GraphNode> attemptToOrphan,
      ReferenceCache absentOwnerCache) {
    this.attemptToDelete = attemptToDelete;
    this.attemptToOrphan = attemptToOrphan;
    this.absentOwnerCache = absentOwnerCache;
  }

  /** Feeds the informer's changes of {@code resource} into the graph; only the objects' metadata is read. */
  <T extends HasMetadata> void monitor(Resource resource, SharedIndexInformer<T> informer) {
    informer.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(T object) {
        graphChanges.add(new GraphEvent(GraphEvent.Type.ADD, false, ObjectState.of(resource, object), null));
      }

      @Override
      public void onUpdate(T old, T object) {
        graphChanges.add(new GraphEvent(GraphEvent.Type.UPDATE, false, ObjectState.of(resource, object),
            ObjectState.of(resource, old)));
      }

      @Override
      public void onDelete(T object, boolean finalStateUnknown) {
        graphChanges.add(new GraphEvent(GraphEvent.Type.DELETE, false, ObjectState.of(resource, object), null));
      }
    });
  }

  /** The GC found the object gone (or replaced): the graph forgets it as if an informer said so. */
  void enqueueVirtualDeleteEvent(ObjectIdentity identity) {
    graphChanges.add(GraphEvent.virtualDelete(identity));
  }

  void start() {
    processor = new Thread(() -> {
      try {
        while (true) {
          processGraphChanges(graphChanges.take());
        }
      } catch (InterruptedException e) {
        // closed
      }
    }, "garbage-collector-graph-builder");
    processor.setDaemon(true);
    processor.start();
  }

  GraphNode node(String uid) {
    return uidToNode.get(uid);
  }

  /** Applies one change to the graph and queues whatever it may concern. */
  void processGraphChanges(GraphEvent event) {
    ObjectState object = event.object();
    GraphNode existing = uidToNode.get(object.identity().uid());
    if (existing != null && !event.virtual() && !existing.isObserved()) {
      observe(existing, object.identity());
    }
    switch (event.type()) {
      case ADD, UPDATE -> {
        if (existing == null) {
          GraphNode node = new GraphNode(object.identity(), object.owners(), false);
          if (object.beingDeleted()) {
            node.markBeingDeleted();
          }
          insertNode(node);
          processTransitions(event.old(), object, node);
        } else {
          updateOwners(existing, object.owners());
          if (object.beingDeleted()) {
            existing.markBeingDeleted();
          }
          processTransitions(event.old(), object, existing);
        }
      }
      case DELETE -> {
        if (existing == null) {
          return;
        }
        if (event.virtual() && existing.isObserved() && !existing.identity().equals(object.identity())) {
          return; // the object the GC found gone is not the one the informers report under this uid
        }
        removeNode(existing);
        if (existing.dependentsLength() > 0) {
          absentOwnerCache.add(existing.identity());
        }
        existing.dependents().forEach(attemptToDelete::add); // they may have lost their last owner
        for (OwnerReference owner : existing.owners()) {
          GraphNode ownerNode = uidToNode.get(owner.getUid());
          if (ownerNode != null && ownerNode.isDeletingDependents()) {
            attemptToDelete.add(ownerNode); // it may have waited for this dependent only
          }
        }
      }
    }
  }

  /**
   * A virtual node's object was reported: it is real now. Dependents that named it under other
   * coordinates are looked at again (their reference may be wrong).
   */
  private void observe(GraphNode node, ObjectIdentity observed) {
    ObjectIdentity guessed = node.identity();
    node.markObserved(observed);
    if (!guessed.equals(observed)) {
      node.dependents().forEach(attemptToDelete::add);
    }
  }

  /** Kubernetes' processTransitions: an owner starts an orphaning or a foreground deletion. */
  private void processTransitions(ObjectState old, ObjectState object, GraphNode node) {
    if (startsDeletingWith(old, object, ObjectState.ORPHAN)) {
      LOG.debug("add {} to attemptToOrphan", node);
      attemptToOrphan.add(node);
      return;
    }
    if (startsDeletingWith(old, object, ObjectState.FOREGROUND_DELETION)) {
      LOG.debug("add {} to attemptToDelete, because it's waiting for its dependents to be deleted", node);
      node.markDeletingDependents();
      node.dependents().forEach(attemptToDelete::add);
      attemptToDelete.add(node);
    }
  }

  private static boolean startsDeletingWith(ObjectState old, ObjectState object, String finalizer) {
    return object.isDeletingWith(finalizer) && (old == null || !old.isDeletingWith(finalizer));
  }

  private void insertNode(GraphNode node) {
    uidToNode.put(node.identity().uid(), node);
    addDependentToOwners(node, node.owners());
  }

  private void removeNode(GraphNode node) {
    uidToNode.remove(node.identity().uid());
    removeDependentFromOwners(node, node.owners());
  }

  /**
   * Makes the node a dependent of each owner; an owner the graph does not know yet gets a virtual
   * node, queued so that the GC asks the apiserver whether it exists.
   */
  private void addDependentToOwners(GraphNode node, List<OwnerReference> owners) {
    for (OwnerReference owner : owners) {
      GraphNode ownerNode = uidToNode.get(owner.getUid());
      if (ownerNode == null) {
        ownerNode = new GraphNode(ObjectIdentity.ofOwner(owner, node.identity().namespace()), List.of(), true);
        uidToNode.put(owner.getUid(), ownerNode);
        ownerNode.addDependent(node);
        attemptToDelete.add(ownerNode);
      } else {
        ownerNode.addDependent(node);
      }
    }
  }

  private void removeDependentFromOwners(GraphNode node, List<OwnerReference> owners) {
    for (OwnerReference owner : owners) {
      GraphNode ownerNode = uidToNode.get(owner.getUid());
      if (ownerNode != null) {
        ownerNode.removeDependent(node);
      }
    }
  }

  /** The object's owner references changed: edges follow, and owners no longer blocked are looked at. */
  private void updateOwners(GraphNode node, List<OwnerReference> owners) {
    Map<String, OwnerReference> before = byUid(node.owners());
    Map<String, OwnerReference> after = byUid(owners);
    List<OwnerReference> added = new ArrayList<>();
    List<OwnerReference> removed = new ArrayList<>();
    List<OwnerReference> unblocked = new ArrayList<>();
    after.forEach((uid, reference) -> {
      OwnerReference previous = before.get(uid);
      if (previous == null) {
        added.add(reference);
      } else if (blocks(previous) && !blocks(reference)) {
        unblocked.add(reference);
      }
    });
    before.forEach((uid, reference) -> {
      if (!after.containsKey(uid)) {
        removed.add(reference);
        if (blocks(reference)) {
          unblocked.add(reference);
        }
      }
    });
    if (added.isEmpty() && removed.isEmpty() && Objects.equals(node.owners(), owners)) {
      return;
    }
    for (OwnerReference reference : unblocked) {
      GraphNode owner = uidToNode.get(reference.getUid());
      if (owner != null) {
        attemptToDelete.add(owner); // a foreground deletion may have waited for this reference only
      }
    }
    node.setOwners(owners);
    addDependentToOwners(node, added);
    removeDependentFromOwners(node, removed);
  }

  private static boolean blocks(OwnerReference reference) {
    return Boolean.TRUE.equals(reference.getBlockOwnerDeletion());
  }

  private static Map<String, OwnerReference> byUid(List<OwnerReference> references) {
    Map<String, OwnerReference> byUid = new HashMap<>();
    references.forEach(reference -> byUid.put(reference.getUid(), reference));
    return byUid;
  }

  @Override
  public void close() {
    if (processor != null) {
      processor.interrupt();
    }
  }
}
