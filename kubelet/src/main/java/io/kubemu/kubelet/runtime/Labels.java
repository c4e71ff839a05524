package io.kubemu.kubelet.runtime;

/** The labels the kubelet puts on sandboxes and containers, Kubernetes' kuberuntime keys. */
public final class Labels {
  public static final String POD_NAME = "io.kubernetes.pod.name";
  public static final String POD_NAMESPACE = "io.kubernetes.pod.namespace";
  public static final String POD_UID = "io.kubernetes.pod.uid";
  public static final String CONTAINER_NAME = "io.kubernetes.container.name";
  /**
   * Marks an init container, which runs to completion before the app containers start; the
   * simulated runtime lets such a container exit at once with code 0.
   */
  public static final String CONTAINER_INIT = "io.kubemu.container.init";
  /** The container's terminationMessagePath, as kuberuntime's annotation of that name. */
  public static final String TERMINATION_MESSAGE_PATH = "io.kubernetes.container.terminationMessagePath";
  /** The container's terminationMessagePolicy (File or FallbackToLogsOnError), as kuberuntime's annotation. */
  public static final String TERMINATION_MESSAGE_POLICY = "io.kubernetes.container.terminationMessagePolicy";
  /** The host file bound at the terminationMessagePath (what the CRI's mounts of the container say in Kubernetes). */
  public static final String TERMINATION_MESSAGE_FILE = "io.kubemu.container.terminationMessageFile";

  private Labels() {}
}
