package io.kubemu.component.events;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventSource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.kubemu.component.client.ApiErrors;
import io.kubemu.component.client.ClientRateLimiter;
import io.kubemu.component.client.Creates;
import io.kubemu.component.client.Patches;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * client-go's EventRecorder: records core/v1 Events about objects, with the component as their
 * source, so {@code kubectl describe} and {@code kubectl get events} show what a controller did.
 * As in client-go, recording never blocks the caller: events are written in the background, in
 * order, one at a time; the {@link EventCorrelator} drops spam and turns a repeated event into a
 * higher count on the one already written; and an event that cannot be written (or does not fit
 * in the queue of {@value #QUEUE} waiting events) is logged and dropped.
 *
 * <p>No thread waits for an event's answer. One thread per process ({@link #WRITER}) sends the
 * events of every recorder in it; a recorder's next event is handed to that thread when the
 * answer to its last one comes. A kubelet process running a hundred simulated nodes used to keep
 * a thread per node blocked on each POST, woken once per event. An event over the client's rate
 * limit holds that thread until its turn, as it held the recorder's own thread before; an event
 * over the recorder's own limit (the kubelet's --event-qps) is sent at its turn without holding it.
 */
public final class EventRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  static final int QUEUE = 1000;
  /** Sends every recorder's events; the answers come on the client's threads. */
  private static final ScheduledExecutorService WRITER = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "event-writer");
    thread.setDaemon(true);
    return thread;
  });

  private final KubernetesClient client;
  private final String component;
  private final String instance;
  private final String action;
  private final String host;
  private final Clock clock;
  /** The events' own rate limit (the kubelet's --event-qps and --event-burst); null for none. */
  private final ClientRateLimiter limit;
  private final AtomicLong lastSuffix = new AtomicLong();
  private final EventCorrelator correlator = new EventCorrelator();
  private final AtomicLong droppedEvents = new AtomicLong();
  /** Events recorded and not yet sent, oldest first. Guarded by itself, as {@link #writing} is. */
  private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
  /** Whether an event of this recorder is on its way: the next one goes when its answer comes. */
  private boolean writing;

  /** An event to write, and whether it is new or a higher count of one written before. */
  private record Pending(String namespace, Event event, EventCorrelator.Decision decision, String timestamp) {}

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
    this(client, component, instance, action, host, clock, 0, 0);
  }

  /**
   * @param qps events written per second at most on average, as the kubelet's --event-qps (its
   *     event client's rate limit); 0 for no limit
   * @param burst events written at once at most (--event-burst); used only with a qps
   */
  public EventRecorder(KubernetesClient client, String component, String instance, String action, String host,
      Clock clock, double qps, int burst) {
    this.limit = qps > 0 ? new ClientRateLimiter(qps, Math.max(1, burst)) : null;
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

  /**
   * Waits until every event recorded so far has been written or dropped (for tests and shutdown);
   * longer while more are recorded. Not to be called on the client's threads or the writer's, whose
   * work it waits for.
   */
  public void flush() throws InterruptedException {
    synchronized (waiting) {
      while (writing) {
        waiting.wait();
      }
    }
  }

  private void record(HasMetadata object, String type, String reason, String message) {
    String namespace = object.getMetadata().getNamespace() == null ? "default" : object.getMetadata().getNamespace();
    Instant now = clock.instant();
    String timestamp = DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS));
    String objectKey = String.join("/", component, String.valueOf(instance), object.getKind(), namespace,
        object.getMetadata().getName(), String.valueOf(object.getMetadata().getUid()));
    String eventKey = String.join("/", objectKey, type, reason, message);
    Event event = newEvent(object, namespace, type, reason, message, timestamp);
    boolean accepted;
    boolean idle;
    // The correlator decides under the queue's lock, so that an event's count patch is queued after
    // its create even when two threads record the same event at once.
    synchronized (waiting) {
      EventCorrelator.Decision decision = correlator.decide(objectKey, eventKey,
          object.getMetadata().getName() + "." + Long.toHexString(suffix(now)), now);
      if (decision instanceof EventCorrelator.Drop) {
        return;
      }
      accepted = waiting.size() < QUEUE;
      idle = !writing;
      if (accepted) {
        waiting.add(new Pending(namespace, event, decision, timestamp));
        writing = true;
      }
    }
    if (!accepted) {
      dropped();
    } else if (idle) {
      WRITER.execute(this::writeNext);
    } // else it goes after the answers to the events before it
  }

  private Event newEvent(HasMetadata object, String namespace, String type, String reason, String message,
      String timestamp) {
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
    return event;
  }

  /** Sends the oldest waiting event, on the writer's thread; the one after it follows its answer. */
  private void writeNext() {
    Pending next;
    synchronized (waiting) {
      next = waiting.poll();
      if (next == null) {
        writing = false;
        waiting.notifyAll();
        return;
      }
    }
    long wait = limit == null ? 0 : limit.reserve(System.nanoTime());
    if (wait > 0) {
      WRITER.schedule(() -> send(next), wait, TimeUnit.NANOSECONDS); // over the rate limit: its turn comes
    } else {
      send(next);
    }
  }

  private void send(Pending next) {
    CompletableFuture<Void> written;
    try {
      written = write(next);
    } catch (RuntimeException | Error e) {
      written = CompletableFuture.failedFuture(e);
    }
    written.whenComplete((ok, error) -> {
      try {
        if (error != null) {
          failed(next, error);
        }
      } finally {
        WRITER.execute(this::writeNext); // whatever became of this one, the recorder goes on
      }
    });
  }

  private CompletableFuture<Void> write(Pending pending) {
    Event event = pending.event();
    if (pending.decision() instanceof EventCorrelator.Update update) {
      // As client-go's event sink: a patch of the count and the last timestamp, nothing read first.
      String patch = "{\"count\":" + update.count() + ",\"lastTimestamp\":\"" + pending.timestamp() + "\"}";
      return Patches.sendAsync(client, Event.class, pending.namespace(), update.name(), null,
          PatchType.STRATEGIC_MERGE, patch).handle((ok, error) -> error).thenComposeAsync(error -> {
            if (error == null) {
              return CompletableFuture.completedFuture(null);
            }
            if (!(ApiErrors.cause(error) instanceof KubernetesClientException e) || e.getCode() != 404) {
              return CompletableFuture.failedFuture(error);
            }
            // expired (--event-ttl): written anew under its name, with its count
            event.getMetadata().setName(update.name());
            event.setCount(update.count());
            return Creates.sendAsync(client, pending.namespace(), event);
          }, WRITER); // sent from the writer, as every event, not from the thread the patch's answer came on
    }
    event.getMetadata().setName(((EventCorrelator.Create) pending.decision()).name());
    return Creates.sendAsync(client, pending.namespace(), event); // the Event answered is of no use here
  }

  /**
   * Logs an event that could not be written. Once the client is closed (the component is
   * stopping) the events still waiting are dropped without a line each.
   */
  private void failed(Pending pending, Throwable error) {
    if (client.getHttpClient().isClosed()) {
      int left;
      synchronized (waiting) {
        left = waiting.size();
        waiting.clear();
      }
      LOG.debug("the client is closed: {} event(s) not written", left + 1);
      return;
    }
    Event event = pending.event();
    LOG.warn("could not record event {} for {} {}/{}: {}", event.getReason(), event.getInvolvedObject().getKind(),
        pending.namespace(), event.getInvolvedObject().getName(), ApiErrors.message(error));
  }

  /** Like Kubernetes' event names, object name dot hex nanoseconds; unique across this recorder's events. */
  private long suffix(Instant now) {
    long nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    return lastSuffix.updateAndGet(last -> Math.max(last + 1, nanos));
  }
}
