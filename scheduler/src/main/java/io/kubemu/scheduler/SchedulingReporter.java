package io.kubemu.scheduler;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
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
  private final String instance;
  private final AtomicLong lastSuffix = new AtomicLong();

  SchedulingReporter(KubernetesClient client, Clock clock, String instance) {
    this.client = client;
    this.clock = clock;
    this.instance = instance;
  }

  void scheduled(Pod pod, String nodeName) {
    String namespace = pod.getMetadata().getNamespace();
    record(pod, "Normal", "Scheduled",
        "Successfully assigned " + namespace + "/" + pod.getMetadata().getName() + " to " + nodeName);
  }

  void failed(Pod pod, String message) {
    record(pod, "Warning", "FailedScheduling", message);
    if (!hasUnschedulableCondition(pod, message)) {
      patchCondition(pod, message);
    }
  }

  private void record(Pod pod, String type, String reason, String message) {
    String now = DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS));
    Event event = new EventBuilder()
        .withNewMetadata()
          .withName(pod.getMetadata().getName() + "." + Long.toHexString(eventSuffix()))
          .withNamespace(pod.getMetadata().getNamespace())
        .endMetadata()
        .withNewInvolvedObject()
          .withApiVersion("v1").withKind("Pod")
          .withNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
          .withUid(pod.getMetadata().getUid()).withResourceVersion(pod.getMetadata().getResourceVersion())
        .endInvolvedObject()
        .withType(type).withReason(reason).withMessage(message)
        .withNewSource().withComponent(COMPONENT).endSource()
        .withReportingComponent(COMPONENT).withReportingInstance(instance).withAction("Scheduling")
        .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
        .build();
    try {
      client.v1().events().inNamespace(pod.getMetadata().getNamespace()).resource(event).create();
    } catch (KubernetesClientException e) {
      LOG.warn("could not record event {} for pod {}/{}: {}", reason, pod.getMetadata().getNamespace(),
          pod.getMetadata().getName(), e.getMessage());
    }
  }

  /** Like Kubernetes' event names, pod name dot hex nanoseconds; unique across this scheduler's events. */
  private long eventSuffix() {
    long now = clock.millis() * 1_000_000;
    return lastSuffix.updateAndGet(last -> Math.max(last + 1, now));
  }

  private void patchCondition(Pod pod, String message) {
    PodCondition condition = new PodConditionBuilder().withType("PodScheduled").withStatus("False")
        .withReason("Unschedulable").withMessage(message)
        .withLastTransitionTime(DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS)))
        .build();
    Map<String, Object> patch = Map.of("status", Map.of("conditions", List.of(condition)));
    try {
      client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
          .subresource("status")
          .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), client.getKubernetesSerialization().asJson(patch));
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
