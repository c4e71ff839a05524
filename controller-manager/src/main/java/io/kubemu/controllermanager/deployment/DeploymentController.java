package io.kubemu.controllermanager.deployment;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kubemu.component.client.OwnerReferences;
import io.kubemu.component.client.Patches;
import io.kubemu.component.events.EventRecorder;
import io.kubemu.component.workqueue.WorkQueue;
import io.kubemu.component.workqueue.Workers;
import io.kubemu.controllermanager.Controller;
import io.kubemu.controllermanager.ControllerContext;
import io.kubemu.controllermanager.ControllerRefs;
import io.kubemu.controllermanager.replicaset.LabelSelectors;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes' DeploymentController: rolls a Deployment's pod template out through
 * ReplicaSets. The ReplicaSet whose template is the Deployment's is the new one (created as
 * {@code <deployment>-<pod-template-hash>} when missing), every other one it owns is old; a
 * rolling update grows the new one and shrinks the old ones within maxSurge and
 * maxUnavailable, Recreate scales the old ones to zero first and waits for their pods to go.
 * Scaling the Deployment mid-rollout spreads the change over the ReplicaSets in proportion;
 * a paused Deployment is only scaled. The status counts the ReplicaSets' pods and carries the
 * Available and Progressing conditions that {@code kubectl rollout status} reads. Keys are
 * "namespace/name" of Deployments. The ReplicaSet controller makes the pods.
 */
public final class DeploymentController implements Controller {
  static final String COMPONENT = "deployment-controller";
  private static final Logger LOG = LoggerFactory.getLogger(DeploymentController.class);

  private final KubernetesClient client;
  private final KubernetesSerialization serialization;
  private final SharedIndexInformer<Deployment> deployments;
  private final SharedIndexInformer<ReplicaSet> replicaSets;
  private final SharedIndexInformer<Pod> pods;
  private final EventRecorder events;
  private final Clock clock;
  private final WorkQueue<String> queue = new WorkQueue<>("deployment");
  private final Workers<String> workers;

  public DeploymentController(ControllerContext context) {
    this(context, Clock.systemUTC());
  }

  DeploymentController(ControllerContext context, Clock clock) {
    this.client = context.client();
    this.serialization = client.getKubernetesSerialization();
    this.clock = clock;
    this.deployments = context.informers().informerFor(Deployment.class);
    this.replicaSets = context.informers().informerFor(ReplicaSet.class);
    this.pods = context.informers().informerFor(Pod.class);
    this.events = new EventRecorder(client, COMPONENT, clock);
    this.workers = new Workers<>(queue, context.config().concurrentDeploymentSyncs(), this::syncDeployment);
    deployments.addEventHandler(new DeploymentHandler());
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

  /** The Deployment a controller reference names, if this informer knows it by that uid. */
  private Deployment resolve(String namespace, OwnerReference reference) {
    return ControllerRefs.resolve(deployments, "Deployment", namespace, reference);
  }

  /** The Deployments whose selector matches an orphan ReplicaSet: they may adopt it. */
  private List<Deployment> matching(ReplicaSet replicaSet) {
    return deployments.getIndexer().byIndex(Cache.NAMESPACE_INDEX, replicaSet.getMetadata().getNamespace()).stream()
        .filter(d -> !isEmpty(d.getSpec().getSelector()))
        .filter(d -> LabelSelectors.matches(d.getSpec().getSelector(), replicaSet.getMetadata().getLabels()))
        .toList();
  }

  private static boolean isEmpty(LabelSelector selector) {
    return selector == null || (selector.getMatchLabels() == null || selector.getMatchLabels().isEmpty())
        && (selector.getMatchExpressions() == null || selector.getMatchExpressions().isEmpty());
  }

  private final class DeploymentHandler implements ResourceEventHandler<Deployment> {
    @Override
    public void onAdd(Deployment deployment) {
      queue.add(ControllerRefs.key(deployment));
    }

    @Override
    public void onUpdate(Deployment old, Deployment deployment) {
      queue.add(ControllerRefs.key(deployment));
    }

    @Override
    public void onDelete(Deployment deployment, boolean finalStateUnknown) {
      queue.add(ControllerRefs.key(deployment));
    }
  }

  private final class ReplicaSetHandler implements ResourceEventHandler<ReplicaSet> {
    @Override
    public void onAdd(ReplicaSet replicaSet) {
      if (replicaSet.getMetadata().getDeletionTimestamp() != null) {
        onDelete(replicaSet, false);
        return;
      }
      OwnerReference reference = OwnerReferences.controllerOf(replicaSet);
      Deployment owner = resolve(replicaSet.getMetadata().getNamespace(), reference);
      if (owner != null) {
        queue.add(ControllerRefs.key(owner));
      } else if (reference == null) {
        matching(replicaSet).forEach(d -> queue.add(ControllerRefs.key(d)));
      }
    }

    @Override
    public void onUpdate(ReplicaSet old, ReplicaSet replicaSet) {
      if (Objects.equals(old.getMetadata().getResourceVersion(), replicaSet.getMetadata().getResourceVersion())) {
        return; // a resync
      }
      String namespace = replicaSet.getMetadata().getNamespace();
      OwnerReference oldReference = OwnerReferences.controllerOf(old);
      OwnerReference reference = OwnerReferences.controllerOf(replicaSet);
      boolean referenceChanged = !Objects.equals(oldReference, reference);
      if (referenceChanged) {
        Deployment previous = resolve(namespace, oldReference);
        if (previous != null) {
          queue.add(ControllerRefs.key(previous));
        }
      }
      Deployment owner = resolve(namespace, reference);
      if (owner != null) {
        queue.add(ControllerRefs.key(owner));
      } else if (reference == null
          && (referenceChanged || !Objects.equals(old.getMetadata().getLabels(), replicaSet.getMetadata().getLabels()))) {
        matching(replicaSet).forEach(d -> queue.add(ControllerRefs.key(d)));
      }
    }

    @Override
    public void onDelete(ReplicaSet replicaSet, boolean finalStateUnknown) {
      Deployment owner = resolve(replicaSet.getMetadata().getNamespace(), OwnerReferences.controllerOf(replicaSet));
      if (owner != null) {
        queue.add(ControllerRefs.key(owner));
      }
    }
  }

  /** A Recreate rollout waits for the old pods to go: their deletion wakes it. */
  private final class PodHandler implements ResourceEventHandler<Pod> {
    @Override
    public void onAdd(Pod pod) {}

    @Override
    public void onUpdate(Pod old, Pod pod) {}

    @Override
    public void onDelete(Pod pod, boolean finalStateUnknown) {
      OwnerReference reference = OwnerReferences.controllerOf(pod);
      if (reference == null || !"ReplicaSet".equals(reference.getKind())) {
        return;
      }
      ReplicaSet replicaSet = replicaSets.getIndexer().getByKey(ControllerRefs.key(pod.getMetadata().getNamespace(),
          reference.getName()));
      if (replicaSet == null) {
        return;
      }
      Deployment owner = resolve(replicaSet.getMetadata().getNamespace(), OwnerReferences.controllerOf(replicaSet));
      if (owner != null && DeploymentUtil.RECREATE.equals(DeploymentUtil.strategy(owner))) {
        queue.add(ControllerRefs.key(owner));
      }
    }
  }

  // ---------------------------------------------------------------------------------------
  // syncDeployment: the one entry point (deployment_controller.go)

  void syncDeployment(String key) {
    Deployment cached = deployments.getIndexer().getByKey(key);
    if (cached == null) {
      return; // deleted: the garbage collector takes its ReplicaSets
    }
    Deployment d = serialization.clone(cached);
    if (isEmpty(d.getSpec().getSelector()) && d.getSpec().getSelector() != null) {
      events.warning(d, "SelectingAll", "This deployment is selecting all pods. A non-empty selector is required.");
      if (observedGeneration(d) < generation(d)) {
        status(d).setObservedGeneration(generation(d));
        updateStatus(d);
      }
      return;
    }
    List<ReplicaSet> rsList = claimReplicaSets(d);
    if (d.getMetadata().getDeletionTimestamp() != null) {
      syncStatusOnly(d, rsList);
      return;
    }
    checkPausedConditions(d);
    if (Boolean.TRUE.equals(d.getSpec().getPaused())) {
      sync(d, rsList);
      return;
    }
    if (isScalingEvent(d, rsList)) {
      sync(d, rsList);
      return;
    }
    switch (DeploymentUtil.strategy(d)) {
      case DeploymentUtil.RECREATE -> rolloutRecreate(d, rsList, podsByReplicaSet(d, rsList));
      case DeploymentUtil.ROLLING_UPDATE -> rolloutRolling(d, rsList);
      default -> throw new IllegalStateException("unexpected deployment strategy type: " + DeploymentUtil.strategy(d));
    }
  }

  private static long generation(Deployment d) {
    return d.getMetadata().getGeneration() == null ? 0 : d.getMetadata().getGeneration();
  }

  private static long observedGeneration(Deployment d) {
    return d.getStatus() == null || d.getStatus().getObservedGeneration() == null
        ? 0 : d.getStatus().getObservedGeneration();
  }

  private static DeploymentStatus status(Deployment d) {
    if (d.getStatus() == null) {
      d.setStatus(new DeploymentStatus());
    }
    return d.getStatus();
  }

  // ---------------------------------------------------------------------------------------
  // Claiming ReplicaSets (ReplicaSetControllerRefManager)

  /**
   * The ReplicaSets this Deployment controls and still selects, plus the orphans it selects
   * (adopted now, unless the Deployment is going); controlled ones it no longer selects are
   * released.
   */
  private List<ReplicaSet> claimReplicaSets(Deployment d) {
    String uid = d.getMetadata().getUid();
    boolean deleting = d.getMetadata().getDeletionTimestamp() != null;
    List<ReplicaSet> claimed = new ArrayList<>();
    Boolean canAdopt = null;
    for (ReplicaSet rs : replicaSets.getIndexer().byIndex(Cache.NAMESPACE_INDEX, d.getMetadata().getNamespace())) {
      OwnerReference reference = OwnerReferences.controllerOf(rs);
      boolean selected = LabelSelectors.matches(d.getSpec().getSelector(), rs.getMetadata().getLabels());
      if (reference != null) {
        if (!uid.equals(reference.getUid())) {
          continue;
        }
        if (selected) {
          claimed.add(rs);
        } else if (!deleting) {
          List<OwnerReference> kept = rs.getMetadata().getOwnerReferences().stream()
              .filter(r -> !uid.equals(r.getUid())).toList();
          if (patchOwnerReferences(rs, kept) != null) {
            LOG.info("Deployment {} released ReplicaSet {}", ControllerRefs.key(d), ControllerRefs.key(rs));
          }
        }
      } else if (selected && !deleting && rs.getMetadata().getDeletionTimestamp() == null) {
        if (canAdopt == null) {
          canAdopt = canAdopt(d); // a fresh read: the cache may not show the Deployment going
        }
        if (!canAdopt) {
          continue;
        }
        List<OwnerReference> references = new ArrayList<>(
            rs.getMetadata().getOwnerReferences() == null ? List.of() : rs.getMetadata().getOwnerReferences());
        references.add(ownerReference(d));
        ReplicaSet adopted = patchOwnerReferences(rs, references);
        if (adopted != null) {
          LOG.info("Deployment {} adopted ReplicaSet {}", ControllerRefs.key(d), ControllerRefs.key(rs));
          claimed.add(adopted);
        }
      }
    }
    return claimed;
  }

  private boolean canAdopt(Deployment d) {
    Deployment fresh = client.apps().deployments().inNamespace(d.getMetadata().getNamespace())
        .withName(d.getMetadata().getName()).get();
    return fresh != null && fresh.getMetadata().getUid().equals(d.getMetadata().getUid())
        && fresh.getMetadata().getDeletionTimestamp() == null;
  }

  private static OwnerReference ownerReference(Deployment d) {
    return new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("Deployment")
        .withName(d.getMetadata().getName()).withUid(d.getMetadata().getUid())
        .withController(true).withBlockOwnerDeletion(true).build();
  }

  /**
   * A merge patch of the ownerReferences, conditional on the resourceVersion read; null if the
   * ReplicaSet is gone. If it changed meanwhile the sync is retried on the newer one: going on
   * without it could create a new ReplicaSet while an adoptable one exists.
   */
  private ReplicaSet patchOwnerReferences(ReplicaSet rs, List<OwnerReference> references) {
    Map<String, Object> metadata = new HashMap<>();
    metadata.put("resourceVersion", rs.getMetadata().getResourceVersion());
    metadata.put("ownerReferences", references);
    try {
      return Patches.patch(client, ReplicaSet.class, rs.getMetadata().getNamespace(), rs.getMetadata().getName(), null,
          PatchType.JSON_MERGE, serialization.asJson(Map.of("metadata", metadata)));
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return null;
      }
      if (e.getCode() == 409) {
        throw new Workers.RetryLater("ReplicaSet " + ControllerRefs.key(rs) + " changed while being claimed");
      }
      throw e;
    }
  }

  /** The pods of each of the Deployment's ReplicaSets, by the ReplicaSet's uid (Recreate waits for old ones). */
  private Map<String, List<Pod>> podsByReplicaSet(Deployment d, List<ReplicaSet> rsList) {
    Map<String, List<Pod>> byUid = new LinkedHashMap<>();
    rsList.forEach(rs -> byUid.put(rs.getMetadata().getUid(), new ArrayList<>()));
    for (Pod pod : pods.getIndexer().byIndex(Cache.NAMESPACE_INDEX, d.getMetadata().getNamespace())) {
      if (!LabelSelectors.matches(d.getSpec().getSelector(), pod.getMetadata().getLabels())) {
        continue;
      }
      OwnerReference reference = OwnerReferences.controllerOf(pod);
      if (reference != null && byUid.containsKey(reference.getUid())) {
        byUid.get(reference.getUid()).add(pod);
      }
    }
    return byUid;
  }

  // ---------------------------------------------------------------------------------------
  // sync.go

  private record Split(ReplicaSet newReplicaSet, List<ReplicaSet> old) {
    List<ReplicaSet> all() {
      List<ReplicaSet> all = new ArrayList<>(old);
      if (newReplicaSet != null) {
        all.add(newReplicaSet);
      }
      return all;
    }
  }

  private void syncStatusOnly(Deployment d, List<ReplicaSet> rsList) {
    Split split = getAllReplicaSetsAndSyncRevision(d, rsList, false);
    syncDeploymentStatus(split.all(), split.newReplicaSet(), d);
  }

  /** Scaling only: a paused Deployment, or one whose replicas changed. */
  private void sync(Deployment d, List<ReplicaSet> rsList) {
    Split split = getAllReplicaSetsAndSyncRevision(d, rsList, false);
    scale(d, split.newReplicaSet(), split.old());
    if (Boolean.TRUE.equals(d.getSpec().getPaused())) {
      cleanupDeployment(split.old(), d);
    }
    syncDeploymentStatus(split.all(), split.newReplicaSet(), d);
  }

  /** Kubernetes' checkPausedConditions: Progressing says DeploymentPaused or DeploymentResumed. */
  private void checkPausedConditions(Deployment d) {
    if (!DeploymentUtil.hasProgressDeadline(d)) {
      return;
    }
    DeploymentCondition current = DeploymentConditions.get(d, DeploymentConditions.PROGRESSING);
    if (current != null && DeploymentConditions.TIMED_OUT.equals(current.getReason())) {
      return; // a reported lack of progress is not overwritten
    }
    boolean pausedConditionExists = current != null && DeploymentConditions.PAUSED.equals(current.getReason());
    boolean paused = Boolean.TRUE.equals(d.getSpec().getPaused());
    if (paused && !pausedConditionExists) {
      DeploymentConditions.set(status(d), DeploymentConditions.condition(DeploymentConditions.PROGRESSING, "Unknown",
          DeploymentConditions.PAUSED, "Deployment is paused", clock.instant()));
    } else if (!paused && pausedConditionExists) {
      DeploymentConditions.set(status(d), DeploymentConditions.condition(DeploymentConditions.PROGRESSING, "Unknown",
          DeploymentConditions.RESUMED, "Deployment is resumed", clock.instant()));
    } else {
      return;
    }
    updateStatus(d);
  }

  /** Kubernetes' isScalingEvent: an active ReplicaSet was sized for another replica count. */
  private boolean isScalingEvent(Deployment d, List<ReplicaSet> rsList) {
    Split split = getAllReplicaSetsAndSyncRevision(d, rsList, false);
    for (ReplicaSet rs : ReplicaSets.active(split.all())) {
      OptionalInt desired = DeploymentUtil.desiredReplicas(rs);
      if (desired.isPresent() && desired.getAsInt() != DeploymentUtil.replicas(d)) {
        return true;
      }
    }
    return false;
  }

  private Split getAllReplicaSetsAndSyncRevision(Deployment d, List<ReplicaSet> rsList, boolean createIfNotExisted) {
    List<ReplicaSet> old = ReplicaSets.findOld(d, rsList);
    ReplicaSet newReplicaSet = getNewReplicaSet(d, rsList, old, createIfNotExisted);
    return new Split(newReplicaSet, old);
  }

  /**
   * Kubernetes' getNewReplicaSet: the new ReplicaSet with its annotations brought up to date
   * (and the Deployment's revision with it); created, if asked to, when there is none.
   */
  private ReplicaSet getNewReplicaSet(Deployment d, List<ReplicaSet> rsList, List<ReplicaSet> old,
      boolean createIfNotExisted) {
    ReplicaSet existing = ReplicaSets.findNew(d, rsList);
    long newRevision = DeploymentUtil.maxRevision(old) + 1;
    if (existing != null) {
      ReplicaSet copy = serialization.clone(existing);
      boolean annotationsUpdated = DeploymentUtil.setNewReplicaSetAnnotations(d, copy, newRevision, true,
          DeploymentUtil.MAX_REVISION_HISTORY_LENGTH);
      int minReadySeconds = minReadySeconds(d);
      boolean minReadySecondsNeedsUpdate = !Objects.equals(copy.getSpec().getMinReadySeconds(), minReadySeconds)
          && !(copy.getSpec().getMinReadySeconds() == null && minReadySeconds == 0);
      if (annotationsUpdated || minReadySecondsNeedsUpdate) {
        copy.getSpec().setMinReadySeconds(minReadySeconds);
        return updateReplicaSet(copy);
      }
      setDeploymentRevision(d, copy.getMetadata().getAnnotations().get(DeploymentUtil.REVISION));
      DeploymentCondition condition = DeploymentConditions.get(d, DeploymentConditions.PROGRESSING);
      if (DeploymentUtil.hasProgressDeadline(d) && condition == null) {
        DeploymentConditions.set(status(d), DeploymentConditions.condition(DeploymentConditions.PROGRESSING, "True",
            DeploymentConditions.FOUND_NEW_RS, "Found new replica set \"" + copy.getMetadata().getName() + "\"",
            clock.instant()));
        updateStatus(d);
      }
      return copy;
    }
    if (!createIfNotExisted) {
      return null;
    }
    return createNewReplicaSet(d, old, newRevision);
  }

  private ReplicaSet createNewReplicaSet(Deployment d, List<ReplicaSet> old, long newRevision) {
    Integer collisionCount = d.getStatus() == null ? null : d.getStatus().getCollisionCount();
    PodTemplateSpec template = serialization.clone(d.getSpec().getTemplate());
    String hash = PodTemplateHash.compute(template, collisionCount);
    if (template.getMetadata() == null) {
      template.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMeta());
    }
    template.getMetadata().setLabels(PodTemplateHash.withHashLabel(template.getMetadata().getLabels(), hash));
    LabelSelector selector = new LabelSelectorBuilder(serialization.clone(d.getSpec().getSelector()))
        .addToMatchLabels(PodTemplateHash.LABEL, hash).build();
    ReplicaSet rs = new ReplicaSetBuilder()
        .withNewMetadata()
          .withName(d.getMetadata().getName() + "-" + hash)
          .withNamespace(d.getMetadata().getNamespace())
          .withOwnerReferences(ownerReference(d))
          .withLabels(template.getMetadata().getLabels())
        .endMetadata()
        .withNewSpec()
          .withReplicas(0).withMinReadySeconds(minReadySeconds(d)).withSelector(selector).withTemplate(template)
        .endSpec()
        .build();
    List<ReplicaSet> all = new ArrayList<>(old);
    all.add(rs);
    int newReplicas = DeploymentUtil.newReplicaSetReplicas(d, all, rs);
    rs.getSpec().setReplicas(newReplicas);
    DeploymentUtil.setNewReplicaSetAnnotations(d, rs, newRevision, false, DeploymentUtil.MAX_REVISION_HISTORY_LENGTH);
    ReplicaSet created;
    boolean alreadyExists = false;
    try {
      created = client.apps().replicaSets().inNamespace(d.getMetadata().getNamespace()).resource(rs).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409 && "AlreadyExists".equals(reason(e))) {
        alreadyExists = true;
        ReplicaSet found = replicaSets.getIndexer().getByKey(ControllerRefs.key(rs));
        if (found == null) {
          throw e; // not in the cache yet: retried
        }
        OwnerReference reference = OwnerReferences.controllerOf(found);
        if (reference == null || !reference.getUid().equals(d.getMetadata().getUid())
            || !PodTemplateHash.equalIgnoreHash(d.getSpec().getTemplate(), found.getSpec().getTemplate())) {
          // A hash collision: another template has this name. The next attempt hashes with a higher count.
          status(d).setCollisionCount(collisionCount == null ? 1 : collisionCount + 1);
          updateStatus(d);
          LOG.info("Found a hash collision for deployment {}: bumping collisionCount to {}", ControllerRefs.key(d),
              status(d).getCollisionCount());
          throw e;
        }
        created = found;
      } else {
        String message = "Failed to create new replica set \"" + rs.getMetadata().getName() + "\": " + e.getMessage();
        if (DeploymentUtil.hasProgressDeadline(d)) {
          DeploymentConditions.set(status(d), DeploymentConditions.condition(DeploymentConditions.PROGRESSING,
              "False", DeploymentConditions.FAILED_RS_CREATE, message, clock.instant()));
          try {
            updateStatus(d);
          } catch (KubernetesClientException ignored) {
            // the failure to create is the bigger news
          }
        }
        events.warning(d, DeploymentConditions.FAILED_RS_CREATE, message);
        throw e;
      }
    }
    if (!alreadyExists && newReplicas > 0) {
      events.normal(d, "ScalingReplicaSet", "Scaled up replica set " + created.getMetadata().getName()
          + " from 0 to " + newReplicas);
    }
    setDeploymentRevision(d, String.valueOf(newRevision));
    if (!alreadyExists && DeploymentUtil.hasProgressDeadline(d)) {
      DeploymentConditions.set(status(d), DeploymentConditions.condition(DeploymentConditions.PROGRESSING, "True",
          DeploymentConditions.NEW_RS_CREATED, "Created new replica set \"" + created.getMetadata().getName() + "\"",
          clock.instant()));
      updateStatus(d);
    }
    return created;
  }

  private static String reason(KubernetesClientException e) {
    return e.getStatus() == null ? null : e.getStatus().getReason();
  }

  private static int minReadySeconds(Deployment d) {
    return d.getSpec().getMinReadySeconds() == null ? 0 : d.getSpec().getMinReadySeconds();
  }

  /**
   * Kubernetes' SetDeploymentRevision. Kubernetes writes the annotation with the status; this
   * apiserver keeps status writes to the status, so the annotation is patched on its own,
   * conditional on the resourceVersion read.
   */
  private void setDeploymentRevision(Deployment d, String revision) {
    Map<String, String> annotations = d.getMetadata().getAnnotations();
    if (revision == null || annotations != null && revision.equals(annotations.get(DeploymentUtil.REVISION))) {
      return;
    }
    Map<String, Object> metadata = new HashMap<>();
    metadata.put("resourceVersion", d.getMetadata().getResourceVersion());
    metadata.put("annotations", Map.of(DeploymentUtil.REVISION, revision));
    Deployment saved = Patches.patch(client, Deployment.class, d.getMetadata().getNamespace(),
        d.getMetadata().getName(), null, PatchType.JSON_MERGE, serialization.asJson(Map.of("metadata", metadata)));
    d.getMetadata().setResourceVersion(saved.getMetadata().getResourceVersion());
    d.getMetadata().setAnnotations(saved.getMetadata().getAnnotations());
  }

  /** Writes the Deployment's status; a conflict fails the sync, which is retried on the newer object. */
  private void updateStatus(Deployment d) {
    Deployment saved = client.apps().deployments().inNamespace(d.getMetadata().getNamespace()).resource(d)
        .updateStatus();
    d.getMetadata().setResourceVersion(saved.getMetadata().getResourceVersion());
  }

  private ReplicaSet updateReplicaSet(ReplicaSet rs) {
    return client.apps().replicaSets().inNamespace(rs.getMetadata().getNamespace()).resource(rs).update();
  }

  /**
   * Kubernetes' scale: one active ReplicaSet (or none) gets the Deployment's replicas; a
   * saturated new one leaves the old ones nothing; otherwise, in a rolling update, what the
   * Deployment gained or lost (up to maxSurge above its replicas) is spread over the active
   * ReplicaSets in proportion to their size, leftovers to the largest.
   */
  private void scale(Deployment d, ReplicaSet newReplicaSet, List<ReplicaSet> old) {
    int wanted = DeploymentUtil.replicas(d);
    ReplicaSet activeOrLatest = ReplicaSets.findActiveOrLatest(newReplicaSet, old);
    if (activeOrLatest != null) {
      if (DeploymentUtil.replicas(activeOrLatest) != wanted) {
        scaleReplicaSetAndRecordEvent(activeOrLatest, wanted, d);
      }
      return;
    }
    if (DeploymentUtil.isSaturated(d, newReplicaSet)) {
      for (ReplicaSet rs : ReplicaSets.active(old)) {
        scaleReplicaSetAndRecordEvent(rs, 0, d);
      }
      return;
    }
    if (!DeploymentUtil.isRollingUpdate(d)) {
      return;
    }
    List<ReplicaSet> all = new ArrayList<>(old);
    all.add(newReplicaSet);
    List<ReplicaSet> active = new ArrayList<>(ReplicaSets.active(all));
    int allowedSize = wanted > 0 ? wanted + DeploymentUtil.maxSurge(d) : 0;
    List<Integer> sizes = proportionalSizes(d, active, allowedSize);
    String operation = allowedSize > DeploymentUtil.specReplicas(active) ? "up" : "down";
    for (int i = 0; i < active.size(); i++) {
      scaleReplicaSet(active.get(i), sizes.get(i), d, operation);
    }
  }

  /**
   * The new sizes of the active ReplicaSets for a total of {@code allowedSize}, in the order the
   * list is sorted to (largest first; of equal size the newer first when growing, the older
   * first when shrinking).
   */
  static List<Integer> proportionalSizes(Deployment d, List<ReplicaSet> active, int allowedSize) {
    int toAdd = allowedSize - DeploymentUtil.specReplicas(active);
    if (toAdd > 0) {
      active.sort(ReplicaSets.BY_SIZE_NEWER);
    } else if (toAdd < 0) {
      active.sort(ReplicaSets.BY_SIZE_OLDER);
    }
    List<Integer> sizes = new ArrayList<>();
    int added = 0;
    for (ReplicaSet rs : active) {
      if (toAdd != 0) {
        int proportion = DeploymentUtil.proportion(rs, d, toAdd, added);
        sizes.add(DeploymentUtil.replicas(rs) + proportion);
        added += proportion;
      } else {
        sizes.add(DeploymentUtil.replicas(rs));
      }
    }
    if (toAdd != 0 && !sizes.isEmpty()) {
      sizes.set(0, Math.max(0, sizes.get(0) + toAdd - added)); // leftovers to the largest
    }
    return sizes;
  }

  private ReplicaSet scaleReplicaSetAndRecordEvent(ReplicaSet rs, int newScale, Deployment d) {
    int current = DeploymentUtil.replicas(rs);
    if (current == newScale) {
      return null;
    }
    return scaleReplicaSet(rs, newScale, d, current < newScale ? "up" : "down");
  }

  /** Sets the ReplicaSet's replicas and replica annotations; returns it when its size changed, else null. */
  private ReplicaSet scaleReplicaSet(ReplicaSet rs, int newScale, Deployment d, String operation) {
    int oldScale = DeploymentUtil.replicas(rs);
    boolean sizeNeedsUpdate = oldScale != newScale;
    int desired = DeploymentUtil.replicas(d);
    int max = desired + DeploymentUtil.maxSurge(d);
    if (!sizeNeedsUpdate && !DeploymentUtil.replicasAnnotationsNeedUpdate(rs, desired, max)) {
      return null;
    }
    ReplicaSet copy = serialization.clone(rs);
    copy.getSpec().setReplicas(newScale);
    DeploymentUtil.setReplicasAnnotations(copy, desired, max);
    ReplicaSet saved = updateReplicaSet(copy);
    if (!sizeNeedsUpdate) {
      return null;
    }
    events.normal(d, "ScalingReplicaSet", "Scaled " + operation + " replica set " + rs.getMetadata().getName()
        + " from " + oldScale + " to " + newScale);
    return saved;
  }

  /** Kubernetes' cleanupDeployment: old ReplicaSets beyond revisionHistoryLimit go, oldest first, if empty. */
  private void cleanupDeployment(List<ReplicaSet> old, Deployment d) {
    Integer limit = d.getSpec().getRevisionHistoryLimit();
    if (limit == null) {
      return;
    }
    List<ReplicaSet> cleanable = new ArrayList<>(old.stream()
        .filter(rs -> rs.getMetadata().getDeletionTimestamp() == null).toList());
    int diff = cleanable.size() - limit;
    if (diff <= 0) {
      return;
    }
    cleanable.sort(ReplicaSets.BY_REVISION);
    for (int i = 0; i < diff; i++) {
      ReplicaSet rs = cleanable.get(i);
      long rsGeneration = rs.getMetadata().getGeneration() == null ? 0 : rs.getMetadata().getGeneration();
      long rsObserved = rs.getStatus() == null || rs.getStatus().getObservedGeneration() == null
          ? 0 : rs.getStatus().getObservedGeneration();
      if (DeploymentUtil.status(rs, DeploymentUtil.Count.REPLICAS) != 0 || DeploymentUtil.replicas(rs) != 0
          || rsGeneration > rsObserved) {
        continue;
      }
      LOG.info("Deployment {}: deleting old ReplicaSet {} beyond revisionHistoryLimit {}", ControllerRefs.key(d), ControllerRefs.key(rs), limit);
      try {
        client.apps().replicaSets().inNamespace(rs.getMetadata().getNamespace()).withName(rs.getMetadata().getName())
            .delete();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 404) {
          throw e;
        }
      }
    }
  }

  private void syncDeploymentStatus(List<ReplicaSet> all, ReplicaSet newReplicaSet, Deployment d) {
    DeploymentStatus status = calculateStatus(all, newReplicaSet, d, clock.instant());
    if (sameStatus(d.getStatus(), status)) {
      return;
    }
    d.setStatus(status);
    updateStatus(d);
  }

  private boolean sameStatus(DeploymentStatus a, DeploymentStatus b) {
    return serialization.convertValue(a == null ? new DeploymentStatus() : a, Map.class)
        .equals(serialization.convertValue(b, Map.class));
  }

  /** Kubernetes' calculateStatus: counts over the ReplicaSets, and the Available condition. */
  static DeploymentStatus calculateStatus(List<ReplicaSet> all, ReplicaSet newReplicaSet, Deployment d, Instant now) {
    int available = DeploymentUtil.availableReplicas(all);
    int unavailable = Math.max(0, DeploymentUtil.specReplicas(all) - available);
    List<ReplicaSet> newOnly = new ArrayList<>();
    newOnly.add(newReplicaSet);
    DeploymentStatus old = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
    DeploymentStatus status = new DeploymentStatusBuilder()
        .withObservedGeneration(d.getMetadata().getGeneration())
        .withReplicas(DeploymentUtil.actualReplicas(all))
        .withUpdatedReplicas(DeploymentUtil.actualReplicas(newOnly))
        .withReadyReplicas(DeploymentUtil.readyReplicas(all))
        .withAvailableReplicas(available)
        .withUnavailableReplicas(unavailable)
        .withCollisionCount(old.getCollisionCount())
        .withConditions(old.getConditions() == null ? new ArrayList<>() : new ArrayList<>(old.getConditions()))
        .build();
    if (available >= DeploymentUtil.replicas(d) - DeploymentUtil.maxUnavailable(d)) {
      DeploymentConditions.set(status, DeploymentConditions.condition(DeploymentConditions.AVAILABLE, "True",
          DeploymentConditions.MINIMUM_REPLICAS_AVAILABLE, "Deployment has minimum availability.", now));
    } else {
      DeploymentConditions.set(status, DeploymentConditions.condition(DeploymentConditions.AVAILABLE, "False",
          DeploymentConditions.MINIMUM_REPLICAS_UNAVAILABLE, "Deployment does not have minimum availability.", now));
    }
    return status;
  }

  // ---------------------------------------------------------------------------------------
  // rolling.go

  private void rolloutRolling(Deployment d, List<ReplicaSet> rsList) {
    Split split = getAllReplicaSetsAndSyncRevision(d, rsList, true);
    ReplicaSet newReplicaSet = split.newReplicaSet();
    List<ReplicaSet> all = split.all();
    if (reconcileNewReplicaSet(all, newReplicaSet, d)) {
      syncRolloutStatus(all, newReplicaSet, d);
      return;
    }
    if (reconcileOldReplicaSets(all, new ArrayList<>(ReplicaSets.active(split.old())), newReplicaSet, d)) {
      syncRolloutStatus(all, newReplicaSet, d);
      return;
    }
    if (DeploymentUtil.deploymentComplete(d, status(d))) {
      cleanupDeployment(split.old(), d);
    }
    syncRolloutStatus(all, newReplicaSet, d);
  }

  private boolean reconcileNewReplicaSet(List<ReplicaSet> all, ReplicaSet newReplicaSet, Deployment d) {
    int wanted = DeploymentUtil.replicas(d);
    int current = DeploymentUtil.replicas(newReplicaSet);
    if (current == wanted) {
      return false;
    }
    if (current > wanted) {
      return scaleReplicaSetAndRecordEvent(newReplicaSet, wanted, d) != null;
    }
    return scaleReplicaSetAndRecordEvent(newReplicaSet, DeploymentUtil.newReplicaSetReplicas(d, all, newReplicaSet), d)
        != null;
  }

  /**
   * Kubernetes' reconcileOldReplicaSets: old ReplicaSets shrink by as much as keeps at least
   * replicas - maxUnavailable pods available, counting the new ReplicaSet's unavailable pods
   * against it; unhealthy old pods go first, as removing them costs no availability.
   */
  private boolean reconcileOldReplicaSets(List<ReplicaSet> all, List<ReplicaSet> old, ReplicaSet newReplicaSet,
      Deployment d) {
    int oldPods = DeploymentUtil.specReplicas(old);
    if (oldPods == 0) {
      return false;
    }
    int maxScaledDown = maxScaledDown(d, DeploymentUtil.specReplicas(all), newReplicaSet);
    if (maxScaledDown <= 0) {
      return false;
    }
    int cleanedUp = cleanupUnhealthyReplicas(old, d, maxScaledDown);
    List<ReplicaSet> allNow = new ArrayList<>(old);
    allNow.add(newReplicaSet);
    int scaledDown = scaleDownOldReplicaSetsForRollingUpdate(allNow, old, d);
    return cleanedUp + scaledDown > 0;
  }

  /** How many old pods may go now: all pods, less the minimum available, less the new ones not yet available. */
  static int maxScaledDown(Deployment d, int allPods, ReplicaSet newReplicaSet) {
    int minAvailable = DeploymentUtil.replicas(d) - DeploymentUtil.maxUnavailable(d);
    int newUnavailable = DeploymentUtil.replicas(newReplicaSet)
        - DeploymentUtil.status(newReplicaSet, DeploymentUtil.Count.AVAILABLE);
    return allPods - minAvailable - newUnavailable;
  }

  /** Scales old ReplicaSets down by their unavailable pods, oldest first, at most {@code max}; updates the list. */
  private int cleanupUnhealthyReplicas(List<ReplicaSet> old, Deployment d, int max) {
    old.sort(ReplicaSets.BY_CREATION);
    int total = 0;
    for (int i = 0; i < old.size(); i++) {
      if (total >= max) {
        break;
      }
      ReplicaSet rs = old.get(i);
      int replicas = DeploymentUtil.replicas(rs);
      int available = DeploymentUtil.status(rs, DeploymentUtil.Count.AVAILABLE);
      if (replicas == 0 || replicas == available) {
        continue;
      }
      int count = Math.min(max - total, replicas - available);
      if (count < 0) {
        // The ReplicaSet's status still counts pods it has been asked to give up (more available
        // than its replicas): a scale "down" by a negative count would scale it up. Kubernetes
        // refuses it too, and the next sync sees the newer status.
        throw new Workers.RetryLater("when cleaning up unhealthy replicas, got invalid request to scale down "
            + ControllerRefs.key(rs) + " " + replicas + " -> " + (replicas - count));
      }
      ReplicaSet updated = scaleReplicaSetAndRecordEvent(rs, replicas - count, d);
      total += count;
      if (updated != null) {
        old.set(i, updated);
      }
    }
    return total;
  }

  private int scaleDownOldReplicaSetsForRollingUpdate(List<ReplicaSet> all, List<ReplicaSet> old, Deployment d) {
    int minAvailable = DeploymentUtil.replicas(d) - DeploymentUtil.maxUnavailable(d);
    int available = DeploymentUtil.availableReplicas(all);
    if (available <= minAvailable) {
      return 0;
    }
    old.sort(ReplicaSets.BY_CREATION);
    int total = 0;
    int toScaleDown = available - minAvailable;
    for (ReplicaSet rs : old) {
      if (total >= toScaleDown) {
        break;
      }
      int replicas = DeploymentUtil.replicas(rs);
      if (replicas == 0) {
        continue;
      }
      int count = Math.min(replicas, toScaleDown - total);
      scaleReplicaSetAndRecordEvent(rs, replicas - count, d);
      total += count;
    }
    return total;
  }

  // ---------------------------------------------------------------------------------------
  // recreate.go

  private void rolloutRecreate(Deployment d, List<ReplicaSet> rsList, Map<String, List<Pod>> podMap) {
    Split split = getAllReplicaSetsAndSyncRevision(d, rsList, false); // no new pods before the old are gone
    ReplicaSet newReplicaSet = split.newReplicaSet();
    List<ReplicaSet> all = split.all();
    boolean scaledDown = false;
    for (ReplicaSet rs : ReplicaSets.active(split.old())) {
      scaledDown |= scaleReplicaSetAndRecordEvent(rs, 0, d) != null;
    }
    if (scaledDown || oldPodsRunning(newReplicaSet, split.old(), podMap)) {
      syncRolloutStatus(all, newReplicaSet, d);
      return;
    }
    if (newReplicaSet == null) {
      split = getAllReplicaSetsAndSyncRevision(d, rsList, true);
      newReplicaSet = split.newReplicaSet();
      all = split.all();
    }
    scaleReplicaSetAndRecordEvent(newReplicaSet, DeploymentUtil.replicas(d), d);
    if (DeploymentUtil.deploymentComplete(d, status(d))) {
      cleanupDeployment(split.old(), d);
    }
    syncRolloutStatus(all, newReplicaSet, d);
  }

  /** Whether pods of old ReplicaSets still run (or may: anything not Succeeded or Failed counts). */
  static boolean oldPodsRunning(ReplicaSet newReplicaSet, List<ReplicaSet> old, Map<String, List<Pod>> podMap) {
    if (DeploymentUtil.actualReplicas(old) > 0) {
      return true;
    }
    for (Map.Entry<String, List<Pod>> entry : podMap.entrySet()) {
      if (newReplicaSet != null && newReplicaSet.getMetadata().getUid().equals(entry.getKey())) {
        continue;
      }
      for (Pod pod : entry.getValue()) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if (!"Failed".equals(phase) && !"Succeeded".equals(phase)) {
          return true;
        }
      }
    }
    return false;
  }

  // ---------------------------------------------------------------------------------------
  // progress.go

  /**
   * Kubernetes' syncRolloutStatus: the status, and the Progressing condition: NewReplicaSetAvailable
   * once complete, ReplicaSetUpdated while pods move, ProgressDeadlineExceeded when they have
   * not for progressDeadlineSeconds.
   */
  private void syncRolloutStatus(List<ReplicaSet> all, ReplicaSet newReplicaSet, Deployment d) {
    Instant now = clock.instant();
    DeploymentStatus status = calculateStatus(all, newReplicaSet, d, now);
    updateProgressing(d, status, newReplicaSet, now);
    ReplicaSetCondition failure = replicaFailure(all, newReplicaSet);
    if (failure != null) {
      DeploymentConditions.set(status, DeploymentConditions.condition(DeploymentConditions.REPLICA_FAILURE,
          failure.getStatus(), failure.getReason(), failure.getMessage(), now));
    } else {
      DeploymentConditions.remove(status, DeploymentConditions.REPLICA_FAILURE);
    }
    if (sameStatus(d.getStatus(), status)) {
      requeueStuckDeployment(d, status, now);
      return;
    }
    d.setStatus(status);
    updateStatus(d);
  }

  /** The Progressing condition of {@code status}, computed against the Deployment's last status. */
  static void updateProgressing(Deployment d, DeploymentStatus status, ReplicaSet newReplicaSet, Instant now) {
    if (!DeploymentUtil.hasProgressDeadline(d)) {
      DeploymentConditions.remove(status, DeploymentConditions.PROGRESSING);
      return;
    }
    DeploymentCondition current = DeploymentConditions.get(d, DeploymentConditions.PROGRESSING);
    boolean complete = Objects.equals(status.getReplicas(), status.getUpdatedReplicas()) && current != null
        && DeploymentConditions.NEW_RS_AVAILABLE.equals(current.getReason());
    if (complete) {
      return;
    }
    String subject = newReplicaSet != null ? "ReplicaSet \"" + newReplicaSet.getMetadata().getName() + "\""
        : "Deployment \"" + d.getMetadata().getName() + "\"";
    if (DeploymentUtil.deploymentComplete(d, status)) {
      DeploymentConditions.set(status, DeploymentConditions.condition(DeploymentConditions.PROGRESSING, "True",
          DeploymentConditions.NEW_RS_AVAILABLE, subject + " has successfully progressed.", now));
    } else if (DeploymentUtil.deploymentProgressing(d, status)) {
      DeploymentCondition condition = DeploymentConditions.condition(DeploymentConditions.PROGRESSING, "True",
          DeploymentConditions.RS_UPDATED, subject + " is progressing.", now);
      if (current != null) {
        if ("True".equals(current.getStatus())) {
          condition.setLastTransitionTime(current.getLastTransitionTime());
        }
        DeploymentConditions.remove(status, DeploymentConditions.PROGRESSING);
      }
      DeploymentConditions.set(status, condition);
    } else if (DeploymentConditions.timedOut(d, status, now)) {
      DeploymentConditions.set(status, DeploymentConditions.condition(DeploymentConditions.PROGRESSING, "False",
          DeploymentConditions.TIMED_OUT, subject + " has timed out progressing.", now));
    }
  }

  /** The ReplicaFailure condition of the new ReplicaSet, else of any. */
  private static ReplicaSetCondition replicaFailure(List<ReplicaSet> all, ReplicaSet newReplicaSet) {
    List<ReplicaSet> ordered = new ArrayList<>();
    if (newReplicaSet != null) {
      ordered.add(newReplicaSet);
    }
    ordered.addAll(all);
    for (ReplicaSet rs : ordered) {
      if (rs == null || rs.getStatus() == null || rs.getStatus().getConditions() == null) {
        continue;
      }
      for (ReplicaSetCondition condition : rs.getStatus().getConditions()) {
        if (DeploymentConditions.REPLICA_FAILURE.equals(condition.getType())) {
          return condition;
        }
      }
    }
    return null;
  }

  /** Kubernetes' requeueStuckDeployment: look again when the progress deadline would pass. */
  private void requeueStuckDeployment(Deployment d, DeploymentStatus status, Instant now) {
    DeploymentCondition current = DeploymentConditions.get(d, DeploymentConditions.PROGRESSING);
    if (!DeploymentUtil.hasProgressDeadline(d) || current == null || current.getLastUpdateTime() == null) {
      return;
    }
    if (DeploymentUtil.deploymentComplete(d, status) || DeploymentConditions.TIMED_OUT.equals(current.getReason())) {
      return;
    }
    Duration after = Duration.between(now, Instant.parse(current.getLastUpdateTime())
        .plusSeconds(d.getSpec().getProgressDeadlineSeconds()));
    if (after.compareTo(Duration.ofSeconds(1)) < 0) {
      queue.addRateLimited(ControllerRefs.key(d));
    } else {
      queue.addAfter(ControllerRefs.key(d), after.plusSeconds(1));
    }
  }
}
