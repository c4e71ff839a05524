package io.kubemu.component.informers;

import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.function.Consumer;

/** Informer event handlers that Kubernetes' controllers write again and again. */
public final class EventHandlers {
  private EventHandlers() {}

  /** Hands the object of every add, update and delete to {@code action} (client-go's ResourceEventHandlerFuncs with one func). */
  public static <T> ResourceEventHandler<T> onEvery(Consumer<T> action) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T object) {
        action.accept(object);
      }

      @Override
      public void onUpdate(T old, T object) {
        action.accept(object);
      }

      @Override
      public void onDelete(T object, boolean finalStateUnknown) {
        action.accept(object);
      }
    };
  }
}
