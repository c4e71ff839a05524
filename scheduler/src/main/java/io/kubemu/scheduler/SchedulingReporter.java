package io.kubemu.scheduler;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.kubemu.component.client.Patches;
import io.kubemu.component.events.EventRecorder;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells users what the scheduler decided, as kube-scheduler does: a Normal "Scheduled" event
 * when a pod is bound; a Warning "FailedScheduling" event and the pod condition
 * PodScheduled=False, reason Unschedulable, with the same message when it fits no node.
 */
final class SchedulingReporter {
  private static final Logger LOG = LoggerFactory.getLogger(SchedulingReporter.class);
  static final String COMPONENT = Scheduler.DEFAULT_SCHEDULER_NAME;

  private final KubernetesClient client;
  private final Clock clock;
  private final EventRecorder events;

  SchedulingReporter(KubernetesClient client, Clock clock, String instance) {
    this.client = client;
    this.clock = clock;
    this.events = new EventRecorder(client, COMPONENT, instance, "Scheduling", clock);
  }

  void scheduled(Pod pod, String nodeName) {
    String namespace = pod.getMetadata().getNamespace();
    events.normal(pod, "Scheduled",
        "Successfully assigned " + namespace + "/" + pod.getMetadata().getName() + " to " + nodeName);
  }

  void failed(Pod pod, String message) {
    events.warning(pod, "FailedScheduling", message);
    if (!hasUnschedulableCondition(pod, message)) {
      patchCondition(pod, message);
    }
  }

  private void patchCondition(Pod pod, String message) {
    PodCondition condition = new PodConditionBuilder().withType("PodScheduled").withStatus("False")
        .withReason("Unschedulable").withMessage(message)
        .withLastTransitionTime(DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS)))
        .build();
    Map<String, Object> patch = Map.of("status", Map.of("conditions", List.of(condition)));
    try {
      Patches.send(client, Pod.class, pod.getMetadata().getNamespace(), pod.getMetadata().getName(), "status",
          PatchType.STRATEGIC_MERGE, client.getKubernetesSerialization().asJson(patch));
    } catch (KubernetesClientException e) {
      LOG.warn("could not update the PodScheduled condition of pod {}/{}: {}", pod.getMetadata().getNamespace(),
          pod.getMetadata().getName(), e.getMessage());
    }
  }

  private static boolean hasUnschedulableCondition(Pod pod, String message) {
    return pod.getStatus() != null && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream().anyMatch(condition -> "PodScheduled".equals(condition.getType())
            && "False".equals(condition.getStatus()) && "Unschedulable".equals(condition.getReason())
            && message.equals(condition.getMessage()));
  }
}
