package io.kubemu.kubelet.runtime;

/** CRI's PodSandboxState. */
public enum PodSandboxState {
  SANDBOX_READY, SANDBOX_NOTREADY
}
