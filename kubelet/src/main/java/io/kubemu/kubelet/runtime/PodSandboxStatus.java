package io.kubemu.kubelet.runtime;

import java.time.Instant;

/** A sandbox as the runtime reports it (CRI's PodSandboxStatus). */
public record PodSandboxStatus(String id, PodSandboxMetadata metadata, PodSandboxState state, Instant createdAt,
    String ip) {
  public boolean ready() {
    return state == PodSandboxState.SANDBOX_READY;
  }
}
