package io.kubemu.component.events;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A minimal client-go EventRecorder: writes one core/v1 Event per call about an object, with the
 * component as its source, so {@code kubectl describe} and {@code kubectl get events} show what a
 * controller did. An event that cannot be written is logged and dropped, as Kubernetes does.
 */
public final class EventRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);

  private final KubernetesClient client;
  private final String component;
  private final String instance;
  private final String action;
  private final Clock clock;
  private final AtomicLong lastSuffix = new AtomicLong();

  /** @param component the source component, e.g. {@code replicaset-controller} */
  public EventRecorder(KubernetesClient client, String component, Clock clock) {
    this(client, component, null, null, clock);
  }

  /**
   * @param instance the reporting instance (e.g. the leader's holder identity), or null
   * @param action what the component was doing (e.g. {@code Scheduling}), or null
   */
  public EventRecorder(KubernetesClient client, String component, String instance, String action, Clock clock) {
    this.client = client;
    this.component = component;
    this.instance = instance;
    this.action = action;
    this.clock = clock;
  }

  /** Records a {@code Normal} event. */
  public void normal(HasMetadata object, String reason, String message) {
    record(object, "Normal", reason, message);
  }

  /** Records a {@code Warning} event. */
  public void warning(HasMetadata object, String reason, String message) {
    record(object, "Warning", reason, message);
  }

  private void record(HasMetadata object, String type, String reason, String message) {
    String namespace = object.getMetadata().getNamespace() == null ? "default" : object.getMetadata().getNamespace();
    String now = DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS));
    Event event = new EventBuilder()
        .withNewMetadata()
          .withName(object.getMetadata().getName() + "." + Long.toHexString(suffix()))
          .withNamespace(namespace)
        .endMetadata()
        .withNewInvolvedObject()
          .withApiVersion(object.getApiVersion()).withKind(object.getKind())
          .withNamespace(object.getMetadata().getNamespace()).withName(object.getMetadata().getName())
          .withUid(object.getMetadata().getUid()).withResourceVersion(object.getMetadata().getResourceVersion())
        .endInvolvedObject()
        .withType(type).withReason(reason).withMessage(message)
        .withNewSource().withComponent(component).endSource()
        .withReportingComponent(component).withReportingInstance(instance).withAction(action)
        .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
        .build();
    try {
      client.v1().events().inNamespace(namespace).resource(event).create();
    } catch (KubernetesClientException e) {
      LOG.warn("could not record event {} for {} {}/{}: {}", reason, object.getKind(), namespace,
          object.getMetadata().getName(), e.getMessage());
    }
  }

  /** Like Kubernetes' event names, object name dot hex nanoseconds; unique across this recorder's events. */
  private long suffix() {
    long nanos = clock.instant().getEpochSecond() * 1_000_000_000L + clock.instant().getNano();
    return lastSuffix.updateAndGet(last -> Math.max(last + 1, nanos));
  }
}
