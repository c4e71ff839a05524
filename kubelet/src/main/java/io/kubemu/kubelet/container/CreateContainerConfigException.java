package io.kubemu.kubelet.container;

/**
 * The container cannot be created from its spec as it stands (a ConfigMap or key its environment
 * names is missing, a subPath is invalid, ...): the runtime is not asked, and the container waits
 * with reason {@value #REASON} and this message (Kubernetes' ErrCreateContainerConfig).
 */
public final class CreateContainerConfigException extends Exception {
  public static final String REASON = "CreateContainerConfigError";

  public CreateContainerConfigException(String message) {
    super(message);
  }
}
