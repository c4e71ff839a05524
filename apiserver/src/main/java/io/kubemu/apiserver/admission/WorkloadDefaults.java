package io.kubemu.apiserver.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Kubernetes' SetDefaults_Deployment and SetDefaults_ReplicaSet (apps/v1): one replica, and
 * for Deployments a rolling update of 25% / 25%, ten old ReplicaSets kept and ten minutes to
 * make progress; the pod template gets the PodSpec defaults.
 */
final class WorkloadDefaults {
  static final String ROLLING_UPDATE_PERCENT = "25%";
  static final int REVISION_HISTORY_LIMIT = 10;
  static final int PROGRESS_DEADLINE_SECONDS = 600;

  private WorkloadDefaults() {}

  static void deployment(ObjectNode deployment) {
    ObjectNode spec = replicasAndTemplate(deployment, "Deployment");
    if (spec == null) {
      return;
    }
    ObjectNode strategy = Fields.object(spec, "strategy");
    if (strategy != null) {
      Fields.defaultText(strategy, "type", "RollingUpdate");
      if (Fields.text(strategy, "type").equals("RollingUpdate")) {
        ObjectNode rollingUpdate = Fields.object(strategy, "rollingUpdate");
        if (rollingUpdate != null) {
          defaultPercent(rollingUpdate, "maxUnavailable");
          defaultPercent(rollingUpdate, "maxSurge");
        }
      }
    }
    Fields.defaultNumber(spec, "revisionHistoryLimit", REVISION_HISTORY_LIMIT);
    Fields.defaultNumber(spec, "progressDeadlineSeconds", PROGRESS_DEADLINE_SECONDS);
  }

  static void replicaSet(ObjectNode replicaSet) {
    replicasAndTemplate(replicaSet, "ReplicaSet");
  }

  private static ObjectNode replicasAndTemplate(ObjectNode workload, String kind) {
    ObjectNode spec = Fields.object(workload, "spec");
    if (spec == null) {
      return null;
    }
    Fields.defaultNumber(spec, "replicas", 1);
    ObjectNode template = Fields.object(spec, "template");
    ObjectNode podSpec = template == null ? null : Fields.object(template, "spec");
    if (podSpec != null) {
      PodSpecDefaults.apply(podSpec, kind);
    }
    return spec;
  }

  private static void defaultPercent(ObjectNode rollingUpdate, String field) {
    if (Fields.isNull(rollingUpdate.get(field))) {
      rollingUpdate.put(field, ROLLING_UPDATE_PERCENT);
    }
  }
}
