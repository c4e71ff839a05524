package io.kubemu.apiserver.watch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubemu.apiserver.http.ApiException;
import io.kubemu.apiserver.resource.ResourceType;
import io.kubemu.apiserver.storage.ObjectStore;
import io.kubemu.etcd.api.Event;
import io.kubemu.etcd.client.KvException;
import io.kubemu.etcd.client.Watch;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One HTTP watch on a type without a watch cache ({@link Cacher#cached}), served as kube-apiserver
 * serves it then: a store watch of its own, on the type's objects in the request's namespace (or
 * all), from the revision after the one the client asks for. A watch without a resourceVersion
 * first gets the objects the store holds now, as ADDED, then the changes after them. A revision the
 * store has compacted is answered with 410 Expired, and the client lists again.
 */
public final class UncachedWatch implements WatchSource {
  private final ResourceType type;
  private final String namespace;
  private final ObjectStore store;
  private Cacher.Watcher watcher;
  private Watch storeWatch;
  private long revision;
  private boolean closed;

  /** @param namespace the request's namespace, or null for all */
  public UncachedWatch(ResourceType type, String namespace, ObjectStore store) {
    this.type = type;
    this.namespace = namespace;
    this.store = store;
  }

  @Override
  public CompletableFuture<Void> ready() {
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public synchronized void subscribe(long fromRevision, boolean initialState, Cacher.Watcher watcher) {
    this.watcher = watcher;
    if (!initialState) {
      revision = fromRevision;
      follow(fromRevision + 1);
      return;
    }
    store.list(type, namespace, 0).whenComplete((list, error) -> {
      synchronized (this) {
        if (closed) {
          return;
        }
        if (error != null) {
          watcher.onExpired(); // nothing to start from: the client starts over
          return;
        }
        for (ObjectNode object : list.items()) {
          offer(new WatchEvent(WatchEvent.Type.ADDED, object, list.revision()));
        }
        revision = list.revision();
        follow(list.revision() + 1);
      }
    });
  }

  /** Holds the lock. */
  private void follow(long fromRevision) {
    storeWatch = store.watch(type, namespace, fromRevision, new Watch.Listener() {
      @Override
      public void onEvents(List<Event> events) {
        synchronized (UncachedWatch.this) {
          for (Event event : events) {
            if (closed) {
              return;
            }
            WatchEvent change = Cacher.toWatchEvent(store, event);
            revision = change.revision();
            offer(change);
          }
        }
      }

      @Override
      public void onProgress(long storeRevision) {
        synchronized (UncachedWatch.this) {
          if (!closed && storeRevision > revision) {
            revision = storeRevision;
            watcher.onProgress(storeRevision);
          }
        }
      }

      @Override
      public void onError(KvException error) {
        synchronized (UncachedWatch.this) {
          if (!closed) {
            watcher.onTooOld(error.isCompacted()
                ? ApiException.expired("too old resource version: " + (fromRevision - 1) + " (" + error.getMessage() + ")")
                : ApiException.expired(error.getMessage()));
          }
        }
      }
    });
  }

  private void offer(WatchEvent event) {
    if (watcher.wants(event)) {
      watcher.onEvent(event);
    }
  }

  @Override
  public void unsubscribe(Cacher.Watcher watcher) {
    Watch following;
    synchronized (this) {
      closed = true;
      following = storeWatch;
    }
    if (following != null) {
      following.close();
    }
  }

  @Override
  public synchronized long revision() {
    return revision;
  }
}
