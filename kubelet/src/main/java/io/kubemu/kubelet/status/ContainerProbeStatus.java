package io.kubemu.kubelet.status;

import io.fabric8.kubernetes.api.model.Container;

/**
 * What the prober says of a running container, for its status: whether it has started (its
 * startup probe succeeded) and is ready (its readiness probe succeeded). A container without
 * such a probe is started and ready as soon as it runs.
 */
public interface ContainerProbeStatus {
  boolean started(String podUid, Container container, String containerId);

  boolean ready(String podUid, Container container, String containerId);

  /** No probes: every running container is started and ready. */
  ContainerProbeStatus NONE = new ContainerProbeStatus() {
    @Override
    public boolean started(String podUid, Container container, String containerId) {
      return true;
    }

    @Override
    public boolean ready(String podUid, Container container, String containerId) {
      return true;
    }
  };
}
