package io.kubemu.kubelet.runtime;

import java.util.List;
import java.util.Map;

/**
 * What the kubelet asks of a new container (CRI's ContainerConfig), everything already resolved
 * by the kubelet: the environment ({@code envs}, with fieldRefs, ConfigMap and Secret keys
 * filled in), the volumes as host directories to bind ({@code mounts}), the resources as Linux
 * cgroup values, the user to run as (null: the image's). The labels carry the kubelet's own keys
 * ({@link Labels}), as Kubernetes' kuberuntime labels its containers. {@code logPath} is unused
 * by runtimes that keep their own logs (Docker).
 */
public record ContainerConfig(String name, int attempt, String image, List<String> command, List<String> args,
    String workingDir, List<KeyValue> envs, List<Mount> mounts, LinuxContainerResources resources, Long runAsUser,
    Long runAsGroup, boolean tty, boolean stdin, Map<String, String> labels) {

  /** A container with nothing but its image, command and labels. */
  public ContainerConfig(String name, int attempt, String image, List<String> command, List<String> args,
      Map<String, String> labels) {
    this(name, attempt, image, command, args, null, List.of(), List.of(), LinuxContainerResources.NONE, null, null,
        false, false, labels);
  }

  /** CRI's KeyValue: one environment variable. */
  public record KeyValue(String key, String value) {}

  /** CRI's Mount: a host path bound into the container. */
  public record Mount(String containerPath, String hostPath, boolean readOnly) {}
}
