package io.kubemu.component.client;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.List;

/** Owner references as every component reads them (Kubernetes' metav1.GetControllerOf). */
public final class OwnerReferences {
  private OwnerReferences() {}

  /** The owner reference marked {@code controller: true}, or null. */
  public static OwnerReference controllerOf(HasMetadata object) {
    List<OwnerReference> references = object.getMetadata().getOwnerReferences();
    if (references != null) {
      for (OwnerReference reference : references) {
        if (Boolean.TRUE.equals(reference.getController())) {
          return reference;
        }
      }
    }
    return null;
  }
}
