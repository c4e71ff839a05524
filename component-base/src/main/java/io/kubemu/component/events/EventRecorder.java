package io.kubemu.component.events;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventSource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.kubemu.component.client.Creates;
import io.kubemu.component.client.Patches;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * client-go's EventRecorder: records core/v1 Events about objects, with the component as their
 * source, so {@code kubectl describe} and {@code kubectl get events} show what a controller did.
 * As in client-go, recording never blocks the caller: events are written in the background, in
 * order, by one thread; the {@link EventCorrelator} drops spam and turns a repeated event into a
 * higher count on the one already written; and an event that cannot be written (or does not fit
 * in the queue of {@value #QUEUE} waiting events) is logged and dropped.
 */
public final class EventRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  static final int QUEUE = 1000;

  private final KubernetesClient client;
  private final String component;
  private final String instance;
  private final String action;
  private final String host;
  private final Clock clock;
  private final AtomicLong lastSuffix = new AtomicLong();
  private final EventCorrelator correlator = new EventCorrelator();
  private final ThreadPoolExecutor writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
      new ArrayBlockingQueue<>(QUEUE), runnable -> {
        Thread thread = new Thread(runnable, "event-recorder");
        thread.setDaemon(true);
        return thread;
      }, (runnable, executor) -> dropped());
  private final AtomicLong droppedEvents = new AtomicLong();

  /** @param component the source component, e.g. {@code replicaset-controller} */
  public EventRecorder(KubernetesClient client, String component, Clock clock) {
    this(client, component, null, null, clock);
  }

  /**
   * @param instance the reporting instance (e.g. the leader's holder identity), or null
   * @param action what the component was doing (e.g. {@code Scheduling}), or null
   */
  public EventRecorder(KubernetesClient client, String component, String instance, String action, Clock clock) {
    this(client, component, instance, action, null, clock);
  }

  /** @param host the node the component runs on, as the source of its events (the kubelet's), or null */
  public EventRecorder(KubernetesClient client, String component, String instance, String action, String host,
      Clock clock) {
    this.client = client;
    this.component = component;
    this.instance = instance;
    this.action = action;
    this.host = host;
    this.clock = clock;
  }

  /** Logs the first event dropped, then every thousandth, so a burst does not flood the log. */
  private void dropped() {
    long count = droppedEvents.incrementAndGet();
    if (count % 1000 == 1) {
      LOG.warn("dropped {} event(s) so far: {} events are waiting to be written", count, QUEUE);
    }
  }

  /** Records a {@code Normal} event. */
  public void normal(HasMetadata object, String reason, String message) {
    record(object, "Normal", reason, message);
  }

  /** Records a {@code Warning} event. */
  public void warning(HasMetadata object, String reason, String message) {
    record(object, "Warning", reason, message);
  }

  /** Waits until every event recorded so far has been written or dropped (for tests and shutdown). */
  public void flush() throws InterruptedException {
    try {
      writer.submit(() -> { }).get();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.RejectedExecutionException e) {
      // nothing more to wait for
    }
  }

  private void record(HasMetadata object, String type, String reason, String message) {
    String namespace = object.getMetadata().getNamespace() == null ? "default" : object.getMetadata().getNamespace();
    Instant now = clock.instant();
    String timestamp = DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS));
    String objectKey = String.join("/", component, String.valueOf(instance), object.getKind(), namespace,
        object.getMetadata().getName(), String.valueOf(object.getMetadata().getUid()));
    String eventKey = String.join("/", objectKey, type, reason, message);
    EventCorrelator.Decision decision = correlator.decide(objectKey, eventKey,
        object.getMetadata().getName() + "." + Long.toHexString(suffix(now)), now);
    if (decision instanceof EventCorrelator.Drop) {
      return;
    }
    // Made with setters rather than fabric8's builders, whose nested builders copy every part again
    // on build: for a pod's events that was a tenth of all a kubelet allocated.
    ObjectReference involved = new ObjectReference();
    involved.setApiVersion(object.getApiVersion());
    involved.setKind(object.getKind());
    involved.setNamespace(object.getMetadata().getNamespace());
    involved.setName(object.getMetadata().getName());
    involved.setUid(object.getMetadata().getUid());
    involved.setResourceVersion(object.getMetadata().getResourceVersion());
    ObjectMeta metadata = new ObjectMeta();
    metadata.setNamespace(namespace);
    Event event = new Event();
    event.setMetadata(metadata);
    event.setInvolvedObject(involved);
    event.setType(type);
    event.setReason(reason);
    event.setMessage(message);
    event.setSource(new EventSource(component, host));
    event.setReportingComponent(component);
    event.setReportingInstance(instance);
    event.setAction(action);
    event.setFirstTimestamp(timestamp);
    event.setLastTimestamp(timestamp);
    event.setCount(1);
    writer.execute(() -> write(namespace, event, decision, timestamp));
  }

  private void write(String namespace, Event event, EventCorrelator.Decision decision, String timestamp) {
    try {
      if (decision instanceof EventCorrelator.Update update) {
        // As client-go's event sink: a patch of the count and the last timestamp, nothing read first.
        try {
          Patches.send(client, Event.class, namespace, update.name(), null, PatchType.STRATEGIC_MERGE,
              "{\"count\":" + update.count() + ",\"lastTimestamp\":\"" + timestamp + "\"}");
          return;
        } catch (KubernetesClientException e) {
          if (e.getCode() != 404) {
            throw e;
          }
          // expired (--event-ttl): written anew under its name, with its count
        }
        event.getMetadata().setName(update.name());
        event.setCount(update.count());
      } else {
        event.getMetadata().setName(((EventCorrelator.Create) decision).name());
      }
      Creates.send(client, namespace, event); // the Event the apiserver answers is of no use here
    } catch (KubernetesClientException e) {
      LOG.warn("could not record event {} for {} {}/{}: {}", event.getReason(), event.getInvolvedObject().getKind(),
          namespace, event.getInvolvedObject().getName(), e.getMessage());
    }
  }

  /** Like Kubernetes' event names, object name dot hex nanoseconds; unique across this recorder's events. */
  private long suffix(Instant now) {
    long nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    return lastSuffix.updateAndGet(last -> Math.max(last + 1, nanos));
  }
}
