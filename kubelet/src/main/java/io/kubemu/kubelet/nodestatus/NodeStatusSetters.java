package io.kubemu.kubelet.nodestatus;

import io.fabric8.kubernetes.api.model.ContainerImage;
import io.kubemu.kubelet.runtime.Image;
import java.util.ArrayList;
import java.util.Comparator;

import io.fabric8.kubernetes.api.model.DaemonEndpoint;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeDaemonEndpoints;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeSystemInfoBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kubemu.component.Version;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The Node's status, as the kubelet's nodestatus setters build it: addresses (InternalIP, Hostname),
 * capacity and allocatable (cpu, memory, pods; nothing is reserved, so both are equal), nodeInfo,
 * daemonEndpoints, and the four conditions with the kubelet's reasons and messages. A condition's
 * lastTransitionTime changes only when its status does; every condition's lastHeartbeatTime is the
 * time of the write.
 */
public final class NodeStatusSetters {
  /** The label that says a node's pods are simulated: nothing runs on it. */
  public static final String RUNTIME_LABEL = "kubemu.io/runtime";

  /** Kubernetes' nodeStatusMaxImages. */
  static final int MAX_IMAGES = 50;

  private NodeStatusSetters() {}

  /** The labels the kubelet always sets on its Node (kubelet's getNodeDefaultLabels, plus the runtime's). */
  public static Map<String, String> defaultLabels(NodeConfig config, MachineInfo machine) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("kubernetes.io/hostname", config.nodeName());
    labels.put("kubernetes.io/os", machine.operatingSystem());
    labels.put("kubernetes.io/arch", machine.architecture());
    labels.put("beta.kubernetes.io/os", machine.operatingSystem());
    labels.put("beta.kubernetes.io/arch", machine.architecture());
    labels.put(RUNTIME_LABEL, config.runtime().runtimeName());
    return labels;
  }

  /** The node's status as of {@code now}, from the one it has ({@code old}, possibly empty), its images kept. */
  public static NodeStatus nodeStatus(NodeStatus old, NodeConfig config, MachineInfo machine, Instant now) {
    NodeStatus status = nodeStatusWithoutImages(old, config, machine, now);
    status.setImages(old == null ? null : old.getImages());
    return status;
  }

  /**
   * The node's status with the images the runtime has (kubelet's Images setter: the 50 largest, each
   * named by its digests and tags); null keeps the ones it had.
   */
  public static NodeStatus nodeStatus(NodeStatus old, NodeConfig config, MachineInfo machine, Instant now,
      List<Image> images) {
    NodeStatus status = nodeStatus(old, config, machine, now);
    if (images != null) {
      status.setImages(images.stream().sorted(Comparator.comparingLong(Image::size).reversed()).limit(MAX_IMAGES)
          .map(image -> {
            List<String> names = new ArrayList<>(image.repoDigests());
            names.addAll(image.repoTags());
            return new ContainerImage(names, image.size());
          }).filter(image -> !image.getNames().isEmpty()).toList());
    }
    return status;
  }

  private static NodeStatus nodeStatusWithoutImages(NodeStatus old, NodeConfig config, MachineInfo machine,
      Instant now) {
    NodeStatus status = new NodeStatus();
    status.setAddresses(List.of(new NodeAddress(config.nodeIP(), "InternalIP"),
        new NodeAddress(config.nodeName(), "Hostname")));
    Map<String, Quantity> capacity = new LinkedHashMap<>();
    capacity.put("cpu", config.cpu());
    capacity.put("memory", config.memory());
    capacity.put("pods", new Quantity(Integer.toString(config.maxPods())));
    status.setCapacity(capacity);
    status.setAllocatable(new LinkedHashMap<>(capacity));
    status.setDaemonEndpoints(new NodeDaemonEndpoints(new DaemonEndpoint(config.kubeletPort())));
    status.setNodeInfo(new NodeSystemInfoBuilder()
        .withMachineID(machine.machineID())
        .withSystemUUID(machine.systemUUID())
        .withBootID(machine.bootID())
        .withKernelVersion(machine.kernelVersion())
        .withOsImage(machine.osImage())
        .withContainerRuntimeVersion(config.runtime().containerRuntimeVersion())
        .withKubeletVersion(Version.KUBERNETES)
        .withOperatingSystem(machine.operatingSystem())
        .withArchitecture(machine.architecture())
        .build());
    String time = now.truncatedTo(ChronoUnit.SECONDS).toString();
    List<NodeCondition> conditions = new ArrayList<>();
    conditions.add(condition(old, "MemoryPressure", "False", "KubeletHasSufficientMemory",
        "kubelet has sufficient memory available", time));
    conditions.add(condition(old, "DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure",
        time));
    conditions.add(condition(old, "PIDPressure", "False", "KubeletHasSufficientPID",
        "kubelet has sufficient PID available", time));
    conditions.add(condition(old, "Ready", "True", "KubeletReady", "kubelet is posting ready status", time));
    if (old != null && old.getConditions() != null) {
      for (NodeCondition other : old.getConditions()) { // others' conditions (e.g. NetworkUnavailable) stay
        if (conditions.stream().noneMatch(mine -> mine.getType().equals(other.getType()))) {
          conditions.add(other);
        }
      }
    }
    status.setConditions(conditions);
    if (old != null) {
      status.setVolumesAttached(old.getVolumesAttached());
      status.setVolumesInUse(old.getVolumesInUse());
    }
    return status;
  }

  /**
   * Whether the new status says something the old did not, heartbeats aside: the kubelet writes
   * an unchanged status only every --node-status-report-frequency.
   */
  public static boolean changed(NodeStatus old, NodeStatus updated) {
    return !Objects.equals(withoutHeartbeats(old), withoutHeartbeats(updated));
  }

  private static NodeStatus withoutHeartbeats(NodeStatus status) {
    if (status == null) {
      return null;
    }
    NodeStatus copy = new io.fabric8.kubernetes.api.model.NodeStatusBuilder(status).build();
    if (copy.getConditions() != null) {
      List<NodeCondition> conditions = new ArrayList<>();
      for (NodeCondition condition : copy.getConditions()) {
        conditions.add(new NodeConditionBuilder(condition).withLastHeartbeatTime(null).build());
      }
      copy.setConditions(conditions);
    }
    return copy;
  }

  private static NodeCondition condition(NodeStatus old, String type, String status, String reason, String message,
      String now) {
    String transition = now;
    if (old != null && old.getConditions() != null) {
      for (NodeCondition previous : old.getConditions()) {
        if (previous.getType().equals(type) && status.equals(previous.getStatus())
            && previous.getLastTransitionTime() != null) {
          transition = previous.getLastTransitionTime();
        }
      }
    }
    return new NodeConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
        .withLastHeartbeatTime(now).withLastTransitionTime(transition).build();
  }
}
