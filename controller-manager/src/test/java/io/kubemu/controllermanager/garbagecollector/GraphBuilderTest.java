package io.kubemu.controllermanager.garbagecollector;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.kubemu.component.workqueue.WorkQueue;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GraphBuilderTest {
  private final WorkQueue<GraphNode> attemptToDelete = new WorkQueue<>("test_attempt_to_delete");
  private final WorkQueue<GraphNode> attemptToOrphan = new WorkQueue<>("test_attempt_to_orphan");
  private final ReferenceCache absentOwnerCache = new ReferenceCache(10);
  private final GraphBuilder graph = new GraphBuilder(attemptToDelete, attemptToOrphan, absentOwnerCache);

  private static final ObjectIdentity DEPLOYMENT = new ObjectIdentity("apps/v1", "Deployment", "default", "web", "d-1");
  private static final ObjectIdentity REPLICA_SET = new ObjectIdentity("apps/v1", "ReplicaSet", "default", "web-1", "r-1");
  private static final ObjectIdentity POD = new ObjectIdentity("v1", "Pod", "default", "web-1-a", "p-1");

  private static OwnerReference ownedBy(ObjectIdentity owner, boolean blockOwnerDeletion) {
    return new OwnerReference(owner.apiVersion(), blockOwnerDeletion, true, owner.kind(), owner.name(), owner.uid());
  }

  private static ObjectState object(ObjectIdentity identity, OwnerReference... owners) {
    return new ObjectState(identity, List.of(owners), false, List.of());
  }

  private static ObjectState deleting(ObjectIdentity identity, String finalizer) {
    return new ObjectState(identity, List.of(), true, List.of(finalizer));
  }

  private void add(ObjectState object) {
    graph.processGraphChanges(new GraphEvent(GraphEvent.Type.ADD, false, object, null));
  }

  private void update(ObjectState old, ObjectState object) {
    graph.processGraphChanges(new GraphEvent(GraphEvent.Type.UPDATE, false, object, old));
  }

  private void delete(ObjectState object) {
    graph.processGraphChanges(new GraphEvent(GraphEvent.Type.DELETE, false, object, null));
  }

  /** The names of what a queue holds, emptying it. */
  private static List<String> drain(WorkQueue<GraphNode> queue) throws InterruptedException {
    List<String> names = new ArrayList<>();
    while (queue.len() > 0) {
      GraphNode node = queue.get();
      names.add(node.identity().name());
      queue.done(node);
    }
    return names;
  }

  @Test
  void aDependentOfAnOwnerNotSeenYetMakesAVirtualOwnerWhoseExistenceIsChecked() throws Exception {
    add(object(REPLICA_SET, ownedBy(DEPLOYMENT, true)));

    GraphNode owner = graph.node(DEPLOYMENT.uid());
    assertThat(owner.isObserved()).isFalse();
    assertThat(owner.identity()).isEqualTo(DEPLOYMENT);
    assertThat(owner.dependents()).extracting(GraphNode::identity).containsExactly(REPLICA_SET);
    assertThat(drain(attemptToDelete)).containsExactly("web");
  }

  @Test
  void anOwnerReportedLaterIsTheSameNodeNowObserved() throws Exception {
    add(object(REPLICA_SET, ownedBy(DEPLOYMENT, true)));
    GraphNode virtual = graph.node(DEPLOYMENT.uid());
    drain(attemptToDelete);

    add(object(DEPLOYMENT));

    assertThat(graph.node(DEPLOYMENT.uid())).isSameAs(virtual);
    assertThat(virtual.isObserved()).isTrue();
    assertThat(drain(attemptToDelete)).as("nothing became garbage").isEmpty();
  }

  @Test
  void whenAnOwnerIsDeletedItsDependentsAreQueuedAndTheOwnerIsKnownAbsent() throws Exception {
    add(object(DEPLOYMENT));
    add(object(REPLICA_SET, ownedBy(DEPLOYMENT, true)));
    assertThat(drain(attemptToDelete)).isEmpty();

    delete(object(DEPLOYMENT));

    assertThat(graph.node(DEPLOYMENT.uid())).isNull();
    assertThat(drain(attemptToDelete)).containsExactly("web-1");
    assertThat(absentOwnerCache.has(DEPLOYMENT)).isTrue();
  }

  @Test
  void anOwnerDeletedWithTheOrphanFinalizerIsQueuedForOrphaning() throws Exception {
    add(object(DEPLOYMENT));
    add(object(REPLICA_SET, ownedBy(DEPLOYMENT, true)));

    update(object(DEPLOYMENT), deleting(DEPLOYMENT, ObjectState.ORPHAN));

    assertThat(drain(attemptToOrphan)).containsExactly("web");
    assertThat(drain(attemptToDelete)).isEmpty();
    update(deleting(DEPLOYMENT, ObjectState.ORPHAN), deleting(DEPLOYMENT, ObjectState.ORPHAN));
    assertThat(drain(attemptToOrphan)).as("only when the deletion starts").isEmpty();
  }

  @Test
  void anOwnerDeletedInTheForegroundWaitsForItsDependentsWhichAreQueuedWithIt() throws Exception {
    add(object(DEPLOYMENT));
    add(object(REPLICA_SET, ownedBy(DEPLOYMENT, true)));

    update(object(DEPLOYMENT), deleting(DEPLOYMENT, ObjectState.FOREGROUND_DELETION));

    GraphNode owner = graph.node(DEPLOYMENT.uid());
    assertThat(owner.isDeletingDependents()).isTrue();
    assertThat(drain(attemptToDelete)).containsExactlyInAnyOrder("web-1", "web");
  }

  @Test
  void onlyDependentsWithBlockOwnerDeletionBlockAForegroundDeletion() {
    add(object(DEPLOYMENT));
    add(object(REPLICA_SET, ownedBy(DEPLOYMENT, true)));
    add(object(POD, ownedBy(DEPLOYMENT, false)));

    assertThat(graph.node(DEPLOYMENT.uid()).blockingDependents()).extracting(GraphNode::identity)
        .containsExactly(REPLICA_SET);
  }

  @Test
  void aDependentGoneFromAnOwnerDeletingInTheForegroundQueuesTheOwnerAgain() throws Exception {
    add(object(DEPLOYMENT));
    add(object(REPLICA_SET, ownedBy(DEPLOYMENT, true)));
    update(object(DEPLOYMENT), deleting(DEPLOYMENT, ObjectState.FOREGROUND_DELETION));
    drain(attemptToDelete);

    delete(object(REPLICA_SET, ownedBy(DEPLOYMENT, true)));

    assertThat(drain(attemptToDelete)).containsExactly("web");
    assertThat(graph.node(DEPLOYMENT.uid()).blockingDependents()).isEmpty();
  }

  @Test
  void aBlockingReferenceDroppedOrMadeNonBlockingQueuesTheOwner() throws Exception {
    add(object(DEPLOYMENT));
    add(object(REPLICA_SET, ownedBy(DEPLOYMENT, true)));
    drain(attemptToDelete);

    update(object(REPLICA_SET, ownedBy(DEPLOYMENT, true)), object(REPLICA_SET, ownedBy(DEPLOYMENT, false)));
    assertThat(drain(attemptToDelete)).containsExactly("web");

    update(object(REPLICA_SET, ownedBy(DEPLOYMENT, false)), object(REPLICA_SET));
    assertThat(graph.node(DEPLOYMENT.uid()).dependents()).isEmpty();
    assertThat(drain(attemptToDelete)).as("a non-blocking reference blocked nothing").isEmpty();
  }

  @Test
  void aVirtualDeleteRemovesAGuessedOwnerAndQueuesItsDependents() throws Exception {
    add(object(REPLICA_SET, ownedBy(DEPLOYMENT, true)));
    drain(attemptToDelete);

    graph.processGraphChanges(GraphEvent.virtualDelete(DEPLOYMENT));

    assertThat(graph.node(DEPLOYMENT.uid())).isNull();
    assertThat(drain(attemptToDelete)).containsExactly("web-1");
  }

  @Test
  void aVirtualDeleteUnderOtherCoordinatesLeavesAnObservedObjectAlone() {
    add(object(DEPLOYMENT));

    graph.processGraphChanges(GraphEvent.virtualDelete(DEPLOYMENT.inNamespace("other")));

    assertThat(graph.node(DEPLOYMENT.uid())).isNotNull();
  }
}
