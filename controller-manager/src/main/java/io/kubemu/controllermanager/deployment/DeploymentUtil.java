package io.kubemu.controllermanager.deployment;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDeployment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The arithmetic of a rollout, as Kubernetes' {@code deployment/util/deployment_util.go}: how
 * many pods above and below the desired count a rolling update may go (maxSurge rounds up,
 * maxUnavailable down), how far the new ReplicaSet may grow, how extra replicas are spread over
 * the ReplicaSets when a Deployment is scaled mid-rollout, and the revision and replica
 * annotations a Deployment keeps on its ReplicaSets. Pure functions over the API objects.
 */
final class DeploymentUtil {
  static final String REVISION = "deployment.kubernetes.io/revision";
  static final String REVISION_HISTORY = "deployment.kubernetes.io/revision-history";
  static final String DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas";
  static final String MAX_REPLICAS = "deployment.kubernetes.io/max-replicas";
  static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
  static final String DEPRECATED_ROLLBACK_TO = "deprecated.deployment.rollback.to";
  static final String RECREATE = "Recreate";
  static final String ROLLING_UPDATE = "RollingUpdate";
  /** Kubernetes' MaxRevHistoryLengthInChars. */
  static final int MAX_REVISION_HISTORY_LENGTH = 2000;

  /** Annotations of a Deployment that are not copied to its ReplicaSets. */
  private static final Set<String> NOT_COPIED = Set.of(LAST_APPLIED, REVISION, REVISION_HISTORY, DESIRED_REPLICAS,
      MAX_REPLICAS, DEPRECATED_ROLLBACK_TO);
  private static final Pattern PERCENT = Pattern.compile("(\\d+)%");

  private DeploymentUtil() {}

  static int replicas(Deployment deployment) {
    Integer replicas = deployment.getSpec().getReplicas();
    return replicas == null ? 1 : replicas;
  }

  static int replicas(ReplicaSet replicaSet) {
    Integer replicas = replicaSet.getSpec().getReplicas();
    return replicas == null ? 1 : replicas;
  }

  static String strategy(Deployment deployment) {
    return deployment.getSpec().getStrategy() == null || deployment.getSpec().getStrategy().getType() == null
        ? ROLLING_UPDATE : deployment.getSpec().getStrategy().getType();
  }

  static boolean isRollingUpdate(Deployment deployment) {
    return ROLLING_UPDATE.equals(strategy(deployment));
  }

  /**
   * Kubernetes' GetScaledValueFromIntOrPercent: an int as it is, "N%" of {@code total} rounded
   * up or down.
   *
   * @throws IllegalArgumentException for a string that is not a percentage
   */
  static int scaledValue(IntOrString value, int total, boolean roundUp) {
    if (value == null) {
      return 0;
    }
    if (value.getStrVal() == null) {
      return value.getIntVal() == null ? 0 : value.getIntVal();
    }
    Matcher percent = PERCENT.matcher(value.getStrVal());
    if (!percent.matches()) {
      throw new IllegalArgumentException("invalid value for IntOrString: invalid value \"" + value.getStrVal()
          + "\": must be an integer or a percentage (e.g. 25%)");
    }
    long scaled = Long.parseLong(percent.group(1)) * total;
    return (int) (roundUp ? (scaled + 99) / 100 : scaled / 100);
  }

  /** A rolling update's resolved bounds: pods above, and pods below, the desired count. */
  record Fenceposts(int maxSurge, int maxUnavailable) {}

  /**
   * Kubernetes' ResolveFenceposts: maxSurge rounds up, maxUnavailable down; if both come to
   * zero, one pod may be unavailable, so that the rollout can move at all.
   */
  static Fenceposts resolveFenceposts(IntOrString maxSurge, IntOrString maxUnavailable, int desired) {
    int surge = scaledValue(maxSurge, desired, true);
    int unavailable = scaledValue(maxUnavailable, desired, false);
    if (surge == 0 && unavailable == 0) {
      unavailable = 1;
    }
    return new Fenceposts(surge, unavailable);
  }

  private static Fenceposts fenceposts(Deployment deployment) {
    RollingUpdateDeployment rollingUpdate = deployment.getSpec().getStrategy() == null
        ? null : deployment.getSpec().getStrategy().getRollingUpdate();
    IntOrString surge = rollingUpdate == null ? null : rollingUpdate.getMaxSurge();
    IntOrString unavailable = rollingUpdate == null ? null : rollingUpdate.getMaxUnavailable();
    return resolveFenceposts(surge, unavailable, replicas(deployment));
  }

  /** Kubernetes' MaxSurge: zero unless rolling. */
  static int maxSurge(Deployment deployment) {
    return isRollingUpdate(deployment) ? fenceposts(deployment).maxSurge() : 0;
  }

  /** Kubernetes' MaxUnavailable: zero unless rolling (or scaled to zero), never above the replicas. */
  static int maxUnavailable(Deployment deployment) {
    if (!isRollingUpdate(deployment) || replicas(deployment) == 0) {
      return 0;
    }
    return Math.min(fenceposts(deployment).maxUnavailable(), replicas(deployment));
  }

  static int specReplicas(List<ReplicaSet> replicaSets) {
    return replicaSets.stream().filter(Objects::nonNull).mapToInt(DeploymentUtil::replicas).sum();
  }

  static int actualReplicas(List<ReplicaSet> replicaSets) {
    return replicaSets.stream().filter(Objects::nonNull).mapToInt(rs -> status(rs, Count.REPLICAS)).sum();
  }

  static int readyReplicas(List<ReplicaSet> replicaSets) {
    return replicaSets.stream().filter(Objects::nonNull).mapToInt(rs -> status(rs, Count.READY)).sum();
  }

  static int availableReplicas(List<ReplicaSet> replicaSets) {
    return replicaSets.stream().filter(Objects::nonNull).mapToInt(rs -> status(rs, Count.AVAILABLE)).sum();
  }

  enum Count { REPLICAS, READY, AVAILABLE }

  static int status(ReplicaSet replicaSet, Count count) {
    if (replicaSet.getStatus() == null) {
      return 0;
    }
    Integer value = switch (count) {
      case REPLICAS -> replicaSet.getStatus().getReplicas();
      case READY -> replicaSet.getStatus().getReadyReplicas();
      case AVAILABLE -> replicaSet.getStatus().getAvailableReplicas();
    };
    return value == null ? 0 : value;
  }

  /**
   * Kubernetes' NewRSNewReplicas: a rolling update grows the new ReplicaSet up to maxSurge
   * above the desired count in total, never past the desired count itself; Recreate at once.
   */
  static int newReplicaSetReplicas(Deployment deployment, List<ReplicaSet> all, ReplicaSet newReplicaSet) {
    if (!isRollingUpdate(deployment)) {
      return replicas(deployment);
    }
    int maxTotal = replicas(deployment) + maxSurge(deployment);
    int current = specReplicas(all);
    if (current >= maxTotal) {
      return replicas(newReplicaSet);
    }
    int scaleUp = Math.min(maxTotal - current, replicas(deployment) - replicas(newReplicaSet));
    return replicas(newReplicaSet) + scaleUp;
  }

  /** Kubernetes' IsSaturated: the new ReplicaSet runs all the Deployment wants, all available. */
  static boolean isSaturated(Deployment deployment, ReplicaSet replicaSet) {
    if (replicaSet == null) {
      return false;
    }
    OptionalInt desired = desiredReplicas(replicaSet);
    int wanted = replicas(deployment);
    return desired.isPresent() && replicas(replicaSet) == wanted && desired.getAsInt() == wanted
        && status(replicaSet, Count.AVAILABLE) == wanted;
  }

  /**
   * Kubernetes' GetProportion: this ReplicaSet's share of the replicas being added (or removed,
   * when negative) in a proportional scale, bounded by what is left to add.
   */
  static int proportion(ReplicaSet replicaSet, Deployment deployment, int toAdd, int added) {
    if (replicaSet == null || replicas(replicaSet) == 0 || toAdd == 0 || toAdd == added) {
      return 0;
    }
    int fraction = fraction(replicaSet, deployment);
    int allowed = toAdd - added;
    return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
  }

  /**
   * Kubernetes' getReplicaSetFraction: the ReplicaSet grows with the Deployment, from the size
   * the Deployment had (its max-replicas annotation) to the size it has now, rounded half away
   * from zero.
   */
  static int fraction(ReplicaSet replicaSet, Deployment deployment) {
    if (replicas(deployment) == 0) {
      return -replicas(replicaSet);
    }
    int deploymentReplicas = replicas(deployment) + maxSurge(deployment);
    OptionalInt annotated = intAnnotation(replicaSet, MAX_REPLICAS);
    int before = annotated.isPresent() ? annotated.getAsInt()
        : deployment.getStatus() == null || deployment.getStatus().getReplicas() == null
            ? 0 : deployment.getStatus().getReplicas();
    if (before == 0) {
      return 0; // never scale up proportionally from zero
    }
    double size = (double) replicas(replicaSet) * deploymentReplicas / before;
    return (int) Math.round(size) - replicas(replicaSet);
  }

  static OptionalInt desiredReplicas(ReplicaSet replicaSet) {
    return intAnnotation(replicaSet, DESIRED_REPLICAS);
  }

  private static OptionalInt intAnnotation(ReplicaSet replicaSet, String name) {
    Map<String, String> annotations = replicaSet.getMetadata().getAnnotations();
    String value = annotations == null ? null : annotations.get(name);
    if (value == null) {
      return OptionalInt.empty();
    }
    try {
      return OptionalInt.of(Integer.parseInt(value));
    } catch (NumberFormatException e) {
      return OptionalInt.empty();
    }
  }

  /** The revision a ReplicaSet carries; 0 when it has none (or not a number). */
  static long revision(ReplicaSet replicaSet) {
    Map<String, String> annotations = replicaSet.getMetadata().getAnnotations();
    String value = annotations == null ? null : annotations.get(REVISION);
    if (value == null) {
      return 0;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  static long maxRevision(List<ReplicaSet> replicaSets) {
    return replicaSets.stream().filter(Objects::nonNull).mapToLong(DeploymentUtil::revision).max().orElse(0);
  }

  /** Kubernetes' ReplicasAnnotationsNeedUpdate. */
  static boolean replicasAnnotationsNeedUpdate(ReplicaSet replicaSet, int desired, int max) {
    Map<String, String> annotations = replicaSet.getMetadata().getAnnotations();
    return annotations == null || !String.valueOf(desired).equals(annotations.get(DESIRED_REPLICAS))
        || !String.valueOf(max).equals(annotations.get(MAX_REPLICAS));
  }

  /** Kubernetes' SetReplicasAnnotations; true when they changed. */
  static boolean setReplicasAnnotations(ReplicaSet replicaSet, int desired, int max) {
    Map<String, String> annotations = annotations(replicaSet);
    boolean changed = !String.valueOf(desired).equals(annotations.put(DESIRED_REPLICAS, String.valueOf(desired)));
    changed |= !String.valueOf(max).equals(annotations.put(MAX_REPLICAS, String.valueOf(max)));
    return changed;
  }

  private static Map<String, String> annotations(ReplicaSet replicaSet) {
    if (replicaSet.getMetadata().getAnnotations() == null) {
      replicaSet.getMetadata().setAnnotations(new HashMap<>());
    }
    return replicaSet.getMetadata().getAnnotations();
  }

  /**
   * Kubernetes' SetNewReplicaSetAnnotations: copies the Deployment's own annotations (such as
   * kubernetes.io/change-cause) to its new ReplicaSet, raises the ReplicaSet's revision to
   * {@code newRevision} (keeping the revisions it had before in revision-history: it was rolled
   * back to), and gives a ReplicaSet about to be created its replica annotations. Returns
   * whether anything changed.
   */
  static boolean setNewReplicaSetAnnotations(Deployment deployment, ReplicaSet replicaSet, long newRevision,
      boolean exists, int historyLimitChars) {
    boolean changed = copyDeploymentAnnotations(deployment, replicaSet);
    Map<String, String> annotations = annotations(replicaSet);
    String oldRevision = annotations.get(REVISION);
    long oldRevisionNumber = 0;
    if (oldRevision != null && !oldRevision.isEmpty()) {
      try {
        oldRevisionNumber = Long.parseLong(oldRevision);
      } catch (NumberFormatException e) {
        return false;
      }
    }
    if (oldRevisionNumber < newRevision) {
      annotations.put(REVISION, String.valueOf(newRevision));
      changed = true;
      if (oldRevision != null) {
        annotations.put(REVISION_HISTORY, appendHistory(annotations.get(REVISION_HISTORY), oldRevision,
            historyLimitChars));
      }
    }
    if (!exists && setReplicasAnnotations(replicaSet, replicas(deployment),
        replicas(deployment) + maxSurge(deployment))) {
      changed = true;
    }
    return changed;
  }

  /** The revision history with {@code revision} appended, dropping the oldest to stay within the limit. */
  static String appendHistory(String history, String revision, int limitChars) {
    if (history == null || history.isEmpty()) {
      return revision;
    }
    List<String> revisions = new ArrayList<>(List.of(history.split(",")));
    int total = history.length() + revision.length() + 1;
    int start = 0;
    while (total > limitChars && start < revisions.size()) {
      total -= revisions.get(start).length() + 1;
      start++;
    }
    if (total > limitChars) {
      return history;
    }
    List<String> kept = new ArrayList<>(revisions.subList(start, revisions.size()));
    kept.add(revision);
    return String.join(",", kept);
  }

  private static boolean copyDeploymentAnnotations(Deployment deployment, ReplicaSet replicaSet) {
    Map<String, String> from = deployment.getMetadata().getAnnotations();
    if (from == null) {
      return false;
    }
    Map<String, String> to = annotations(replicaSet);
    boolean changed = false;
    for (Map.Entry<String, String> annotation : from.entrySet()) {
      if (NOT_COPIED.contains(annotation.getKey()) || annotation.getValue().equals(to.get(annotation.getKey()))) {
        continue;
      }
      to.put(annotation.getKey(), annotation.getValue());
      changed = true;
    }
    return changed;
  }

  static boolean hasProgressDeadline(Deployment deployment) {
    Integer seconds = deployment.getSpec().getProgressDeadlineSeconds();
    return seconds != null && seconds != Integer.MAX_VALUE;
  }

  private static int zeroIfNull(Integer value) {
    return value == null ? 0 : value;
  }

  /** Kubernetes' DeploymentComplete: all replicas updated and available, and this generation observed. */
  static boolean deploymentComplete(Deployment deployment, DeploymentStatus status) {
    int wanted = replicas(deployment);
    long generation = deployment.getMetadata().getGeneration() == null ? 0 : deployment.getMetadata().getGeneration();
    long observed = status.getObservedGeneration() == null ? 0 : status.getObservedGeneration();
    return zeroIfNull(status.getUpdatedReplicas()) == wanted && zeroIfNull(status.getReplicas()) == wanted
        && zeroIfNull(status.getAvailableReplicas()) == wanted && observed >= generation;
  }

  /**
   * Kubernetes' DeploymentProgressing: since the last status, more pods were updated, fewer old
   * ones remain, or more became ready or available.
   */
  static boolean deploymentProgressing(Deployment deployment, DeploymentStatus status) {
    DeploymentStatus old = deployment.getStatus() == null ? new DeploymentStatus() : deployment.getStatus();
    int oldOld = zeroIfNull(old.getReplicas()) - zeroIfNull(old.getUpdatedReplicas());
    int newOld = zeroIfNull(status.getReplicas()) - zeroIfNull(status.getUpdatedReplicas());
    return zeroIfNull(status.getUpdatedReplicas()) > zeroIfNull(old.getUpdatedReplicas()) || newOld < oldOld
        || zeroIfNull(status.getReadyReplicas()) > zeroIfNull(old.getReadyReplicas())
        || zeroIfNull(status.getAvailableReplicas()) > zeroIfNull(old.getAvailableReplicas());
  }
}
