package io.kubemu.apiserver.watch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubemu.apiserver.http.ApiException;
import io.kubemu.apiserver.resource.ResourceType;
import io.kubemu.apiserver.selection.FieldSelector;
import io.kubemu.apiserver.storage.ObjectStore;
import io.kubemu.etcd.api.Event;
import io.kubemu.etcd.client.KvException;
import io.kubemu.etcd.client.Watch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The watch cache of one resource type, as kube-apiserver's Cacher: ONE store watch on the
 * type's prefix keeps a copy of every object and a window of recent events, and offers every
 * change to the HTTP watchers it may concern (for pods, those of its node and those that select
 * no node). A thousand open watches cost a thousand list entries, not a thousand store watches.
 *
 * <p>A watch from resourceVersion N replays the window after N and then follows live; one
 * from before the window gets 410 Expired and the client lists again, as in Kubernetes. The
 * window keeps at least the last 75 s of events (up to 10,000), as kube-apiserver's
 * ({@link EventWindow}).
 */
public final class Cacher implements WatchSource {
  private static final Logger LOG = LoggerFactory.getLogger(Cacher.class);

  private final ResourceType type;
  private final ObjectStore store;
  private final Map<String, ObjectNode> objects = new TreeMap<>();
  private final EventWindow window = new EventWindow(0);
  private final List<Watcher> watchers = new CopyOnWriteArrayList<>();
  /** The type's trigger field (see {@link #triggerField}) as a path, or null. */
  private final String[] triggerPath;
  /** The watchers that declared a trigger value, by that value; the others are {@link #untriggered}. */
  private final Map<String, List<Watcher>> triggered = new ConcurrentHashMap<>();
  private final List<Watcher> untriggered = new CopyOnWriteArrayList<>();
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  private long revision;
  private Watch storeWatch;

  /** Receives the events of one HTTP watch; called with the cache's lock held, so it must not block. */
  public interface Watcher {
    boolean wants(WatchEvent event);

    void onEvent(WatchEvent event);

    /**
     * The value of the type's {@linkplain #triggerField trigger field} that every object this watcher
     * wants has (its field selector requires it), or null: then every event is offered to it. The
     * same for the watcher's whole life.
     */
    default String trigger() {
      return null;
    }

    /** The cache moved to {@code revision} without events this watcher wants (for bookmarks). */
    default void onProgress(long revision) {}

    /** The cache stopped (store watch compacted): the client must start over. */
    default void onExpired() {}

    /** The revision the watch was to start from is compacted: 410 Expired, then the client lists again. */
    default void onTooOld(ApiException expired) {
      onExpired();
    }
  }

  /**
   * Whether kube-apiserver keeps a watch cache of the type: not for events (its default
   * {@code --watch-cache-sizes} has none for them). Their lists are read from the store, and each
   * watch follows the store itself ({@link UncachedWatch}): a cluster's many events are not all
   * decoded and kept in the apiserver's memory for the rare client that watches them.
   */
  public static boolean cached(ResourceType type) {
    return !type.resource().equals("events");
  }

  public Cacher(ResourceType type, ObjectStore store) {
    this.type = type;
    this.store = store;
    String trigger = triggerField(type);
    this.triggerPath = trigger == null ? null : trigger.split("\\.");
  }

  /**
   * The field by which kube-apiserver's cacher indexes a type's watchers (its trigger function):
   * pods' {@code spec.nodeName}, which every kubelet's watch selects on. An event is offered to the
   * watchers that selected its object's value and to those that selected none, not to a thousand
   * kubelets' watches that would each turn it down.
   */
  public static String triggerField(ResourceType type) {
    return type.kind().equals("Pod") && type.group().isEmpty() ? "spec.nodeName" : null;
  }

  /** Lists the type once, then follows the store from the revision after that list. */
  public CompletableFuture<Void> start() {
    resync();
    return ready;
  }

  private void resync() {
    store.list(type, null, 0).whenComplete((list, error) -> {
      if (error != null) {
        LOG.warn("Watch cache of {} could not list: {}", type.qualifiedResource(), error.toString());
        ready.completeExceptionally(error);
        return;
      }
      synchronized (this) {
        objects.clear();
        list.items().forEach(object -> objects.put(keyOf(object), object));
        revision = list.revision();
        window.clear(revision);
      }
      storeWatch = store.watch(type, null, list.revision() + 1, new Watch.Listener() {
            @Override
            public void onEvents(List<Event> events) {
              apply(events);
            }

            @Override
            public void onProgress(long storeRevision) {
              progress(storeRevision);
            }

            @Override
            public void onError(KvException error) {
              restart(error);
            }
          });
      ready.complete(null);
    });
  }

  @Override
  public CompletableFuture<Void> ready() {
    return ready;
  }

  @Override
  public synchronized long revision() {
    return revision;
  }

  public ResourceType type() {
    return type;
  }

  /**
   * The cache's copy of one object (null if it has none): a first guess for a write, which the
   * store's revision check confirms or refutes; never an answer to a read.
   */
  public synchronized ObjectNode cached(String namespace, String name) {
    return objects.get(ObjectStore.key(type, namespace == null ? "" : namespace, name));
  }

  /** How many objects of the type the store holds, as of the cache's revision. */
  public synchronized int size() {
    return objects.size();
  }

  /** The cached objects that match, and the revision they are current at (a list at resourceVersion=0). */
  public synchronized Snapshot snapshot(Predicate<ObjectNode> filter) {
    List<ObjectNode> matching = new ArrayList<>();
    for (ObjectNode object : objects.values()) {
      if (filter.test(object)) {
        matching.add(object);
      }
    }
    return new Snapshot(matching, revision);
  }

  public record Snapshot(List<ObjectNode> items, long revision) {}

  /**
   * Starts delivering to {@code watcher} every event after {@code fromRevision}; with
   * {@code initialState}, first the current objects as ADDED (a watch without a resourceVersion).
   */
  @Override
  public synchronized void subscribe(long fromRevision, boolean initialState, Watcher watcher) {
    if (initialState) {
      for (ObjectNode object : objects.values()) {
        WatchEvent added = new WatchEvent(WatchEvent.Type.ADDED, object, revision);
        if (watcher.wants(added)) {
          watcher.onEvent(added);
        }
      }
    } else {
      if (fromRevision < window.oldestRevision()) {
        throw ApiException.expired("too old resource version: " + fromRevision + " (" + window.oldestRevision()
            + ")");
      }
      for (WatchEvent event : window.after(fromRevision)) {
        if (watcher.wants(event)) {
          watcher.onEvent(event);
        }
      }
    }
    watchers.add(watcher);
    String trigger = triggerPath == null ? null : watcher.trigger();
    if (trigger == null) {
      untriggered.add(watcher);
    } else {
      // Added inside the map's update: an unsubscribe emptying and dropping this value's list meanwhile
      // must not leave the watcher in a list the map no longer holds.
      triggered.compute(trigger, (value, list) -> {
        List<Watcher> concerned = list != null ? list : new CopyOnWriteArrayList<>();
        concerned.add(watcher);
        return concerned;
      });
    }
  }

  @Override
  public void unsubscribe(Watcher watcher) {
    watchers.remove(watcher);
    untriggered.remove(watcher);
    String trigger = triggerPath == null ? null : watcher.trigger();
    if (trigger != null) {
      triggered.computeIfPresent(trigger, (value, list) -> {
        list.remove(watcher);
        return list.isEmpty() ? null : list;
      });
    }
  }

  private synchronized void apply(List<Event> events) {
    for (Event event : events) {
      WatchEvent change = toWatchEvent(store, event);
      String key = event.getKv().getKey().toStringUtf8();
      if (change.type() == WatchEvent.Type.DELETED) {
        objects.remove(key);
      } else {
        objects.put(key, change.object());
      }
      window.add(change, System.nanoTime());
      revision = change.revision();
      offer(untriggered, change);
      if (triggerPath != null) {
        List<Watcher> concerned = triggered.get(FieldSelector.valueAt(change.object(), triggerPath));
        if (concerned != null) {
          offer(concerned, change);
        }
      }
    }
  }

  private static void offer(List<Watcher> watchers, WatchEvent change) {
    for (Watcher watcher : watchers) {
      if (watcher.wants(change)) {
        watcher.onEvent(change);
      }
    }
  }

  private synchronized void progress(long storeRevision) {
    if (storeRevision > revision) {
      revision = storeRevision;
      watchers.forEach(watcher -> watcher.onProgress(storeRevision));
    }
  }

  /** A change the store reports, as the watch event kube-apiserver sends for it. */
  static WatchEvent toWatchEvent(ObjectStore store, Event event) {
    long at = event.getKv().getModRevision();
    if (event.getType() == Event.EventType.DELETE) {
      ObjectNode last = store.decode(event.getPrevKv());
      // A deleted object carries the revision of its deletion, as in Kubernetes.
      last.withObject("metadata").put("resourceVersion", Long.toString(at));
      return new WatchEvent(WatchEvent.Type.DELETED, last, at);
    }
    ObjectNode object = store.decode(event.getKv());
    WatchEvent.Type kind = event.getKv().getVersion() == 1 ? WatchEvent.Type.ADDED : WatchEvent.Type.MODIFIED;
    return new WatchEvent(kind, object, at);
  }

  /** The store compacted past us (a long outage): tell every watcher to start over, then list again. */
  private void restart(KvException error) {
    LOG.warn("Watch cache of {} fell behind a compaction ({}); listing again", type.qualifiedResource(), error.getMessage());
    List<Watcher> dropped;
    synchronized (this) {
      dropped = List.copyOf(watchers);
      watchers.clear();
      untriggered.clear();
      triggered.clear();
    }
    dropped.forEach(Watcher::onExpired);
    resync();
  }

  public void close() {
    if (storeWatch != null) {
      storeWatch.close();
    }
  }

  private String keyOf(ObjectNode object) {
    var metadata = object.path("metadata");
    return ObjectStore.key(type, metadata.path("namespace").asText(""), metadata.path("name").asText(""));
  }
}
