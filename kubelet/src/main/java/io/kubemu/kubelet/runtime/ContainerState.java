package io.kubemu.kubelet.runtime;

/** CRI's ContainerState. */
public enum ContainerState {
  CONTAINER_CREATED, CONTAINER_RUNNING, CONTAINER_EXITED, CONTAINER_UNKNOWN
}
