package io.kubemu.kubelet.kuberuntime;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.kubemu.kubelet.container.CreateContainerConfigException;
import io.kubemu.kubelet.envvars.EnvironmentVariables;
import io.kubemu.kubelet.envvars.EnvironmentVariables.PodAddresses;
import io.kubemu.kubelet.envvars.Expansion;
import io.kubemu.kubelet.runtime.ContainerConfig;
import io.kubemu.kubelet.runtime.ContainerConfig.KeyValue;
import io.kubemu.kubelet.runtime.ContainerConfig.Mount;
import io.kubemu.kubelet.runtime.PodSandboxStatus;
import io.kubemu.kubelet.volume.ContainerMounts;
import io.kubemu.kubelet.volume.VolumeManager.PodVolume;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The runtime's ContainerConfig for one of a pod's containers, as kuberuntime's
 * generateContainerConfig: the environment ({@link EnvironmentVariables}), the command and args
 * with their {@code $(VAR)} references expanded, the volume mounts ({@link ContainerMounts}), the
 * cgroup resources ({@link ContainerResources}), the user and group (the container's
 * securityContext over the pod's), the working directory, tty and stdin, and the file the
 * container leaves its termination message in ({@link TerminationMessages}). What cannot be
 * resolved is a {@link CreateContainerConfigException}: the container is not created.
 */
public final class ContainerConfigGenerator {
  private final EnvironmentVariables environment;
  private final Function<Pod, Map<String, PodVolume>> podVolumes;
  private final String hostIP;
  private final Function<String, Path> podDir;

  /**
   * A generator that makes no termination message files (for a kubelet without a directory of its own).
   *
   * @param podVolumes where each of a pod's volumes is on the host (the volume manager's; set up before the containers)
   * @param hostIP the node's IP, the pods' status.hostIP
   */
  public ContainerConfigGenerator(EnvironmentVariables environment, Function<Pod, Map<String, PodVolume>> podVolumes,
      String hostIP) {
    this(environment, podVolumes, hostIP, null);
  }

  /**
   * @param podVolumes where each of a pod's volumes is on the host (the volume manager's; set up before the containers)
   * @param hostIP the node's IP, the pods' status.hostIP
   * @param podDir the directory the kubelet keeps of a pod, by its UID: containers' termination message files go there
   */
  public ContainerConfigGenerator(EnvironmentVariables environment, Function<Pod, Map<String, PodVolume>> podVolumes,
      String hostIP, Function<String, Path> podDir) {
    this.environment = environment;
    this.podVolumes = podVolumes;
    this.hostIP = hostIP;
    this.podDir = podDir;
  }

  public ContainerConfig generate(Pod pod, PodSandboxStatus sandbox, Container container, int attempt,
      Map<String, String> labels) throws CreateContainerConfigException {
    String podIP = sandbox == null ? null : sandbox.ip();
    PodAddresses addresses = new PodAddresses(hostIP, hostIP == null ? List.of() : List.of(hostIP), podIP,
        podIP == null ? List.of() : List.of(podIP));
    Map<String, String> env = environment.make(pod, container, addresses);
    List<KeyValue> envs = new ArrayList<>();
    env.forEach((key, value) -> envs.add(new KeyValue(key, value)));
    SecurityContext security = container.getSecurityContext();
    PodSecurityContext podSecurity = pod.getSpec().getSecurityContext();
    Long runAsUser = security != null && security.getRunAsUser() != null ? security.getRunAsUser()
        : podSecurity == null ? null : podSecurity.getRunAsUser();
    Long runAsGroup = security != null && security.getRunAsGroup() != null ? security.getRunAsGroup()
        : podSecurity == null ? null : podSecurity.getRunAsGroup();
    String workingDir = container.getWorkingDir() == null || container.getWorkingDir().isEmpty() ? null
        : container.getWorkingDir();
    List<Mount> mounts = new ArrayList<>(ContainerMounts.make(container, podVolumes.apply(pod), env));
    Map<String, String> containerLabels = new LinkedHashMap<>(labels);
    if (podDir != null) {
      mounts.add(terminationMessageFile(pod, container, containerLabels));
    }
    return new ContainerConfig(container.getName(), attempt, container.getImage(), expand(container.getCommand(), env),
        expand(container.getArgs(), env), workingDir, envs, mounts, ContainerResources.linux(container), runAsUser,
        runAsGroup, Boolean.TRUE.equals(container.getTty()), Boolean.TRUE.equals(container.getStdin()),
        containerLabels);
  }

  private Mount terminationMessageFile(Pod pod, Container container, Map<String, String> labels)
      throws CreateContainerConfigException {
    try {
      return TerminationMessages.createFile(podDir.apply(pod.getMetadata().getUid()), container, labels);
    } catch (IOException e) {
      throw new CreateContainerConfigException("failed to create the termination message file of container \""
          + container.getName() + "\": " + e.getMessage());
    }
  }

  /** kubecontainer's ExpandContainerCommandAndArgs. */
  private static List<String> expand(List<String> words, Map<String, String> env) {
    if (words == null) {
      return List.of();
    }
    Function<String, String> mapping = Expansion.mappingFor(env);
    return words.stream().map(word -> Expansion.expand(word, mapping)).toList();
  }
}
