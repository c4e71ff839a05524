package io.kubemu.kubeproxy;

import java.time.Instant;

/** A proxy mode, as Kubernetes' proxy.Provider: told of changes, asked to sync (on one thread). */
public interface Provider {
  /** A Service changed: a sync is due. */
  void servicesChanged();

  /** An EndpointSlice changed at {@code trigger}: a sync is due, and latency is measured from then. */
  void endpointsChanged(Instant trigger);

  /** Makes the routing match the services now; {@code periodic}: no change asked for it. Returns whether it did. */
  boolean sync(boolean periodic);
}
