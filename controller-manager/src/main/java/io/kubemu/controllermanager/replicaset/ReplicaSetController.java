package io.kubemu.controllermanager.replicaset;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.kubemu.component.client.ApiErrors;
import io.kubemu.component.client.Creates;
import io.kubemu.component.client.OwnerReferences;
import io.kubemu.component.client.Patches;
import io.kubemu.component.events.EventRecorder;
import io.kubemu.component.workqueue.WorkQueue;
import io.kubemu.component.workqueue.Workers;
import io.kubemu.controllermanager.Controller;
import io.kubemu.controllermanager.ControllerContext;
import io.kubemu.controllermanager.ControllerRefs;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes' ReplicaSetController: keeps {@code spec.replicas} active pods for every
 * ReplicaSet. It claims the pods its selector matches (adopting orphans, releasing pods whose
 * labels no longer match), creates missing pods from the template in slow-start batches, deletes
 * the least valuable surplus pods, and writes the status. It does not act on a ReplicaSet again
 * until its own creates and deletes have come back through the informers (expectations). Keys
 * are "namespace/name" of ReplicaSets.
 */
public final class ReplicaSetController implements Controller {
  static final String COMPONENT = "replicaset-controller";
  /** Kubernetes' BurstReplicas: at most this many creates or deletes per sync. */
  static final int BURST_REPLICAS = 500;
  /** Kubernetes' SlowStartInitialBatchSize. */
  static final int SLOW_START_INITIAL_BATCH_SIZE = 1;
  private static final Logger LOG = LoggerFactory.getLogger(ReplicaSetController.class);

  private final KubernetesClient client;
  private final SharedIndexInformer<ReplicaSet> replicaSets;
  private final SharedIndexInformer<Pod> pods;
  private final EventRecorder events;
  private final Clock clock = Clock.systemUTC();
  private final ControllerExpectations expectations = new ControllerExpectations(clock);
  private final WorkQueue<String> queue = new WorkQueue<>("replicaset");
  private final Workers<String> workers;

  public ReplicaSetController(ControllerContext context) {
    this.client = context.client();
    this.workers = new Workers<>(queue, context.config().concurrentReplicaSetSyncs(), this::syncReplicaSet);
    this.replicaSets = context.informers().informerFor(ReplicaSet.class);
    this.pods = context.informers().informerFor(Pod.class);
    this.events = new EventRecorder(client, COMPONENT, clock);
    replicaSets.addEventHandler(new ReplicaSetHandler());
    pods.addEventHandler(new PodHandler());
  }

  @Override
  public void run() {
    workers.start();
  }

  @Override
  public void close() {
    workers.close();
  }

  /** The ReplicaSet a controller reference names, if it is one this informer knows by that uid. */
  private ReplicaSet resolve(String namespace, OwnerReference reference) {
    return ControllerRefs.resolve(replicaSets, "ReplicaSet", namespace, reference);
  }

  /** The ReplicaSets whose selector matches an orphan pod: they may adopt it. */
  private List<ReplicaSet> matching(Pod pod) {
    return replicaSets.getIndexer().byIndex(Cache.NAMESPACE_INDEX, pod.getMetadata().getNamespace()).stream()
        .filter(replicaSet -> LabelSelectors.matches(replicaSet.getSpec().getSelector(), pod.getMetadata().getLabels()))
        .toList();
  }

  private final class ReplicaSetHandler implements ResourceEventHandler<ReplicaSet> {
    @Override
    public void onAdd(ReplicaSet replicaSet) {
      queue.add(ControllerRefs.key(replicaSet));
    }

    @Override
    public void onUpdate(ReplicaSet old, ReplicaSet replicaSet) {
      queue.add(ControllerRefs.key(replicaSet));
    }

    @Override
    public void onDelete(ReplicaSet replicaSet, boolean finalStateUnknown) {
      expectations.delete(ControllerRefs.key(replicaSet));
      queue.add(ControllerRefs.key(replicaSet));
    }
  }

  private final class PodHandler implements ResourceEventHandler<Pod> {
    @Override
    public void onAdd(Pod pod) {
      if (pod.getMetadata().getDeletionTimestamp() != null) {
        onDelete(pod, false); // seen first while already terminating: it will not count
        return;
      }
      ReplicaSet owner = resolve(pod.getMetadata().getNamespace(), OwnerReferences.controllerOf(pod));
      if (owner != null) {
        expectations.creationObserved(ControllerRefs.key(owner));
        queue.add(ControllerRefs.key(owner));
      } else if (OwnerReferences.controllerOf(pod) == null) {
        matching(pod).forEach(replicaSet -> queue.add(ControllerRefs.key(replicaSet)));
      }
    }

    @Override
    public void onUpdate(Pod old, Pod pod) {
      if (Objects.equals(old.getMetadata().getResourceVersion(), pod.getMetadata().getResourceVersion())) {
        return; // a resync: nothing changed
      }
      String namespace = pod.getMetadata().getNamespace();
      if (pod.getMetadata().getDeletionTimestamp() != null && old.getMetadata().getDeletionTimestamp() == null) {
        onDelete(pod, false); // terminating: it no longer counts, and its delete was observed
      }
      OwnerReference oldReference = OwnerReferences.controllerOf(old);
      OwnerReference reference = OwnerReferences.controllerOf(pod);
      if (!Objects.equals(oldReference, reference)) {
        ReplicaSet previous = resolve(namespace, oldReference);
        if (previous != null) {
          queue.add(ControllerRefs.key(previous));
        }
      }
      ReplicaSet owner = resolve(namespace, reference);
      if (owner != null) {
        queue.add(ControllerRefs.key(owner));
        int minReadySeconds = minReadySeconds(owner);
        if (minReadySeconds > 0 && !PodStates.isReady(old) && PodStates.isReady(pod)) {
          queue.addAfter(ControllerRefs.key(owner), Duration.ofSeconds(minReadySeconds + 1)); // to count it available
        }
      } else if (reference == null) {
        matching(pod).forEach(replicaSet -> queue.add(ControllerRefs.key(replicaSet)));
      }
    }

    @Override
    public void onDelete(Pod pod, boolean finalStateUnknown) {
      ReplicaSet owner = resolve(pod.getMetadata().getNamespace(), OwnerReferences.controllerOf(pod));
      if (owner != null) {
        expectations.deletionObserved(ControllerRefs.key(owner), ControllerRefs.key(pod));
        queue.add(ControllerRefs.key(owner));
      }
    }
  }

  private static int minReadySeconds(ReplicaSet replicaSet) {
    Integer seconds = replicaSet.getSpec().getMinReadySeconds();
    return seconds == null ? 0 : seconds;
  }

  private static int replicas(ReplicaSet replicaSet) {
    Integer replicas = replicaSet.getSpec().getReplicas();
    return replicas == null ? 1 : replicas;
  }

  /** Brings one ReplicaSet's pods to its replicas (unless expectations are pending), then writes its status. */
  void syncReplicaSet(String key) {
    ReplicaSet replicaSet = replicaSets.getIndexer().getByKey(key);
    if (replicaSet == null) {
      expectations.delete(key);
      return;
    }
    boolean needsSync = expectations.satisfied(key);
    List<Pod> claimed = claimPods(replicaSet,
        pods.getIndexer().byIndex(Cache.NAMESPACE_INDEX, replicaSet.getMetadata().getNamespace()));
    List<Pod> active = claimed.stream().filter(ActivePods::isActive).collect(Collectors.toCollection(ArrayList::new));
    RuntimeException manageFailure = null;
    if (needsSync && replicaSet.getMetadata().getDeletionTimestamp() == null) {
      try {
        manageReplicas(replicaSet, active);
      } catch (RuntimeException e) {
        manageFailure = e;
      }
    }
    ReplicaSetStatus status = calculateStatus(replicaSet, active, claimed);
    updateStatus(replicaSet, status);
    if (manageFailure != null) {
      throw manageFailure;
    }
    int minReadySeconds = minReadySeconds(replicaSet);
    if (minReadySeconds > 0 && status.getReadyReplicas() == replicas(replicaSet)
        && !Objects.equals(status.getAvailableReplicas(), status.getReadyReplicas())) {
      queue.addAfter(key, Duration.ofSeconds(minReadySeconds));
    }
  }

  /**
   * Kubernetes' PodControllerRefManager.ClaimPods: the pods this ReplicaSet controls and still
   * selects, plus the orphans it selects (adopted now); controlled pods it no longer selects are
   * released.
   */
  private List<Pod> claimPods(ReplicaSet replicaSet, List<Pod> candidates) {
    String uid = replicaSet.getMetadata().getUid();
    boolean deleting = replicaSet.getMetadata().getDeletionTimestamp() != null;
    List<Pod> claimed = new ArrayList<>();
    for (Pod pod : candidates) {
      OwnerReference reference = OwnerReferences.controllerOf(pod);
      boolean selected = LabelSelectors.matches(replicaSet.getSpec().getSelector(), pod.getMetadata().getLabels());
      if (reference != null) {
        if (!uid.equals(reference.getUid())) {
          continue; // someone else's
        }
        if (selected) {
          claimed.add(pod);
        } else if (!deleting) {
          release(replicaSet, pod);
        }
      } else if (selected && !deleting && pod.getMetadata().getDeletionTimestamp() == null) {
        Pod adopted = adopt(replicaSet, pod);
        if (adopted != null) {
          claimed.add(adopted);
        }
      }
    }
    return claimed;
  }

  private static OwnerReference ownerReference(ReplicaSet replicaSet) {
    return new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("ReplicaSet")
        .withName(replicaSet.getMetadata().getName()).withUid(replicaSet.getMetadata().getUid())
        .withController(true).withBlockOwnerDeletion(true).build();
  }

  /** Patches the ReplicaSet's controller reference onto an orphan; null if the pod changed or went meanwhile. */
  private Pod adopt(ReplicaSet replicaSet, Pod pod) {
    List<OwnerReference> references = new ArrayList<>(
        pod.getMetadata().getOwnerReferences() == null ? List.of() : pod.getMetadata().getOwnerReferences());
    references.add(ownerReference(replicaSet));
    Pod adopted = patchOwnerReferences(pod, references);
    if (adopted != null) {
      LOG.info("ReplicaSet {} adopted pod {}", ControllerRefs.key(replicaSet), ControllerRefs.key(pod));
    }
    return adopted;
  }

  /** Removes the ReplicaSet's reference from a pod its selector no longer matches. */
  private void release(ReplicaSet replicaSet, Pod pod) {
    List<OwnerReference> references = pod.getMetadata().getOwnerReferences().stream()
        .filter(reference -> !replicaSet.getMetadata().getUid().equals(reference.getUid())).toList();
    if (patchOwnerReferences(pod, references) != null) {
      LOG.info("ReplicaSet {} released pod {}", ControllerRefs.key(replicaSet), ControllerRefs.key(pod));
    }
  }

  /**
   * A merge patch of the pod's ownerReferences, conditional on the resourceVersion it was read
   * at; null when the pod changed (the informer brings the change and the key comes back) or is gone.
   */
  private Pod patchOwnerReferences(Pod pod, List<OwnerReference> references) {
    Map<String, Object> metadata = new HashMap<>();
    metadata.put("resourceVersion", pod.getMetadata().getResourceVersion());
    metadata.put("ownerReferences", references);
    try {
      return Patches.patch(client, Pod.class, pod.getMetadata().getNamespace(), pod.getMetadata().getName(), null,
          PatchType.JSON_MERGE, client.getKubernetesSerialization().asJson(Map.of("metadata", metadata)));
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404 || e.getCode() == 409) {
        return null;
      }
      throw e;
    }
  }

  private void manageReplicas(ReplicaSet replicaSet, List<Pod> active) {
    String key = ControllerRefs.key(replicaSet);
    int diff = active.size() - replicas(replicaSet);
    if (diff < 0) {
      int count = Math.min(-diff, BURST_REPLICAS);
      // Every pod of the sync is the same request (the apiserver names each): built and written once.
      Pod pod = podFromTemplate(replicaSet);
      String body = client.getKubernetesSerialization().asJson(pod);
      expectations.expectCreations(key, count);
      SlowStartBatch.Result result = SlowStartBatch.run(count, SLOW_START_INITIAL_BATCH_SIZE,
          () -> createPod(replicaSet, pod, body));
      for (int notCreated = count - result.successes(); notCreated > 0; notCreated--) {
        expectations.creationObserved(key); // never coming: don't wait for it
      }
      if (result.firstFailure() != null) {
        throw new IllegalStateException("creating pods for ReplicaSet " + key + ": " + result.firstFailure().getMessage(),
            result.firstFailure());
      }
    } else if (diff > 0) {
      active.sort(ActivePods.LEAST_VALUABLE_FIRST);
      List<Pod> doomed = active.subList(0, Math.min(diff, BURST_REPLICAS));
      Set<String> doomedKeys = doomed.stream().map(ControllerRefs::key)
          .collect(Collectors.toCollection(LinkedHashSet::new));
      expectations.expectDeletions(key, doomedKeys);
      List<RuntimeException> failures = new ArrayList<>();
      doomed.parallelStream().forEach(pod -> {
        try {
          deletePod(replicaSet, pod);
        } catch (RuntimeException e) {
          expectations.deletionObserved(key, ControllerRefs.key(pod));
          synchronized (failures) {
            failures.add(e);
          }
        }
      });
      if (!failures.isEmpty()) {
        throw failures.get(0);
      }
    }
  }

  /** The pod the ReplicaSet's template makes: named by generateName, owned by the ReplicaSet. */
  private Pod podFromTemplate(ReplicaSet replicaSet) {
    PodTemplateSpec template = replicaSet.getSpec().getTemplate();
    return new PodBuilder()
        .withNewMetadata()
          .withGenerateName(replicaSet.getMetadata().getName() + "-")
          .withNamespace(replicaSet.getMetadata().getNamespace())
          .withLabels(template.getMetadata() == null ? null : template.getMetadata().getLabels())
          .withAnnotations(template.getMetadata() == null ? null : template.getMetadata().getAnnotations())
          .withFinalizers(template.getMetadata() == null ? null : template.getMetadata().getFinalizers())
          .withOwnerReferences(ownerReference(replicaSet))
        .endMetadata()
        .withSpec(template.getSpec())
        .build();
  }

  /** Sends the create of {@code pod}, written as {@code body}; completes with the name it was given. */
  private CompletableFuture<String> createPod(ReplicaSet replicaSet, Pod pod, String body) {
    CompletableFuture<String> created;
    try {
      created = Creates.createAsync(client, replicaSet.getMetadata().getNamespace(), pod, body);
    } catch (RuntimeException e) {
      created = CompletableFuture.failedFuture(e); // not even sent: a failed create all the same
    }
    return created.whenComplete((name, error) -> {
      if (error == null) {
        events.normal(replicaSet, "SuccessfulCreate", "Created pod: "
            + (name != null ? name : pod.getMetadata().getGenerateName()));
      } else {
        events.warning(replicaSet, "FailedCreate", "Error creating: " + ApiErrors.message(error));
      }
    });
  }

  private void deletePod(ReplicaSet replicaSet, Pod pod) {
    try {
      client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).delete();
      events.normal(replicaSet, "SuccessfulDelete", "Deleted pod: " + pod.getMetadata().getName());
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        expectations.deletionObserved(ControllerRefs.key(replicaSet), ControllerRefs.key(pod)); // gone already: no event will come
        return;
      }
      events.warning(replicaSet, "FailedDelete", "Error deleting: " + e.getMessage());
      throw e;
    }
  }

  /** Kubernetes' calculateStatus: counts over the active claimed pods (fullyLabeled over the template's labels). */
  private ReplicaSetStatus calculateStatus(ReplicaSet replicaSet, List<Pod> active, List<Pod> claimed) {
    Map<String, String> templateLabels = replicaSet.getSpec().getTemplate().getMetadata() == null
        ? null : replicaSet.getSpec().getTemplate().getMetadata().getLabels();
    Instant now = clock.instant();
    int minReadySeconds = minReadySeconds(replicaSet);
    int fullyLabeled = 0;
    int ready = 0;
    int available = 0;
    for (Pod pod : active) {
      Map<String, String> labels = pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
      if (templateLabels == null || labels.entrySet().containsAll(templateLabels.entrySet())) {
        fullyLabeled++;
      }
      if (PodStates.isReady(pod)) {
        ready++;
        if (PodStates.isAvailable(pod, minReadySeconds, now)) {
          available++;
        }
      }
    }
    ReplicaSetStatus old = replicaSet.getStatus();
    return new ReplicaSetStatusBuilder()
        .withReplicas(active.size()).withFullyLabeledReplicas(fullyLabeled).withReadyReplicas(ready)
        .withAvailableReplicas(available).withObservedGeneration(replicaSet.getMetadata().getGeneration())
        .withConditions(old == null ? null : old.getConditions())
        .build();
  }

  /** Writes the status through the status subresource, only when it changed. */
  private void updateStatus(ReplicaSet replicaSet, ReplicaSetStatus status) {
    ReplicaSetStatus old = replicaSet.getStatus() == null ? new ReplicaSetStatus() : replicaSet.getStatus();
    if (zeroIfNull(old.getReplicas()) == status.getReplicas()
        && zeroIfNull(old.getFullyLabeledReplicas()) == status.getFullyLabeledReplicas()
        && zeroIfNull(old.getReadyReplicas()) == status.getReadyReplicas()
        && zeroIfNull(old.getAvailableReplicas()) == status.getAvailableReplicas()
        && Objects.equals(old.getObservedGeneration(), status.getObservedGeneration())) {
      return;
    }
    // Kubernetes' updateReplicaSetStatus: on a conflict, the ReplicaSet is read again and the
    // status written once more (statusUpdateRetries = 1) instead of the whole sync backing off.
    ReplicaSet current = replicaSet;
    for (int attempt = 0; ; attempt++) {
      ReplicaSet updated = new ReplicaSetBuilder(current).withStatus(status).build();
      try {
        client.apps().replicaSets().inNamespace(replicaSet.getMetadata().getNamespace()).resource(updated).updateStatus();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404) {
          return;
        }
        if (e.getCode() != 409 || attempt >= 1) {
          throw e; // the newer ReplicaSet comes through the informer, and the key is retried
        }
        current = client.apps().replicaSets().inNamespace(replicaSet.getMetadata().getNamespace())
            .withName(replicaSet.getMetadata().getName()).get();
        if (current == null) {
          return;
        }
      }
    }
  }

  private static int zeroIfNull(Integer value) {
    return value == null ? 0 : value;
  }
}
