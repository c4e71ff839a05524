package io.kubemu.controllermanager.deployment;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Which of a Deployment's ReplicaSets is the new one and which are old, and the orders in
 * which Kubernetes looks at them ({@code controller_utils.go}'s ReplicaSetsByCreationTimestamp,
 * ReplicaSetsBySizeOlder/Newer, {@code deployment_util.go}'s FindNewReplicaSet,
 * FindOldReplicaSets, FindActiveOrLatest).
 */
final class ReplicaSets {
  /** Oldest first; the name breaks ties. */
  static final Comparator<ReplicaSet> BY_CREATION = Comparator
      .comparing((ReplicaSet rs) -> created(rs))
      .thenComparing(rs -> rs.getMetadata().getName());
  /** Largest first; of equal size the older first (scaling down). */
  static final Comparator<ReplicaSet> BY_SIZE_OLDER = Comparator
      .comparingInt((ReplicaSet rs) -> -DeploymentUtil.replicas(rs)).thenComparing(BY_CREATION);
  /** Largest first; of equal size the newer first (scaling up). */
  static final Comparator<ReplicaSet> BY_SIZE_NEWER = Comparator
      .comparingInt((ReplicaSet rs) -> -DeploymentUtil.replicas(rs)).thenComparing(BY_CREATION.reversed());
  /** Lowest revision first; creation breaks ties. */
  static final Comparator<ReplicaSet> BY_REVISION = Comparator
      .comparingLong(DeploymentUtil::revision).thenComparing(BY_CREATION);

  private ReplicaSets() {}

  private static Instant created(ReplicaSet replicaSet) {
    String timestamp = replicaSet.getMetadata().getCreationTimestamp();
    return timestamp == null ? Instant.EPOCH : Instant.parse(timestamp);
  }

  /** The ReplicaSets that want pods. */
  static List<ReplicaSet> active(List<ReplicaSet> replicaSets) {
    return replicaSets.stream().filter(Objects::nonNull).filter(rs -> DeploymentUtil.replicas(rs) > 0).toList();
  }

  /** The oldest ReplicaSet whose template is the Deployment's (ignoring the hash label); null if none. */
  static ReplicaSet findNew(Deployment deployment, List<ReplicaSet> replicaSets) {
    return replicaSets.stream().sorted(BY_CREATION)
        .filter(rs -> PodTemplateHash.equalIgnoreHash(rs.getSpec().getTemplate(), deployment.getSpec().getTemplate()))
        .findFirst().orElse(null);
  }

  /** Every ReplicaSet but the new one. */
  static List<ReplicaSet> findOld(Deployment deployment, List<ReplicaSet> replicaSets) {
    ReplicaSet newReplicaSet = findNew(deployment, replicaSets);
    List<ReplicaSet> old = new ArrayList<>();
    for (ReplicaSet rs : replicaSets) {
      if (newReplicaSet == null || !rs.getMetadata().getUid().equals(newReplicaSet.getMetadata().getUid())) {
        old.add(rs);
      }
    }
    return old;
  }

  /**
   * Kubernetes' FindActiveOrLatest: the one ReplicaSet with pods, or, when none has any, the
   * new one (else the newest old one); null while several have pods.
   */
  static ReplicaSet findActiveOrLatest(ReplicaSet newReplicaSet, List<ReplicaSet> old) {
    if (newReplicaSet == null && old.isEmpty()) {
      return null;
    }
    List<ReplicaSet> newestFirst = new ArrayList<>(old);
    newestFirst.sort(BY_CREATION.reversed());
    List<ReplicaSet> all = new ArrayList<>(newestFirst);
    all.add(newReplicaSet);
    List<ReplicaSet> active = active(all);
    return switch (active.size()) {
      case 0 -> newReplicaSet != null ? newReplicaSet : newestFirst.get(0);
      case 1 -> active.get(0);
      default -> null;
    };
  }
}
