package io.kubemu.scheduler.plugins;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.kubemu.scheduler.framework.FilterPlugin;
import io.kubemu.scheduler.framework.NodeInfo;
import io.kubemu.scheduler.framework.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A pod's host ports must be free on the node: no pod there uses the same port and protocol on
 * the same host IP (0.0.0.0, the default, clashes with every IP).
 */
public final class NodePorts implements FilterPlugin {
  static final String REASON = "node(s) didn't have free ports for the requested pod ports";
  private static final String ANY_IP = "0.0.0.0";

  /** One host port a pod takes. */
  record HostPort(String ip, String protocol, int port) {
    boolean conflictsWith(HostPort other) {
      return port == other.port && protocol.equals(other.protocol)
          && (ip.equals(ANY_IP) || other.ip.equals(ANY_IP) || ip.equals(other.ip));
    }
  }

  @Override
  public String name() {
    return "NodePorts";
  }

  @Override
  public Status filter(Pod pod, NodeInfo node) {
    return preFilter(pod).filter(node);
  }

  /** The pod's host ports, read once per cycle; a pod without any fits every node. */
  @Override
  public NodeFilter preFilter(Pod pod) {
    List<HostPort> wanted = hostPorts(pod);
    return wanted.isEmpty() ? node -> Status.FITS : node -> free(wanted, node);
  }

  private static Status free(List<HostPort> wanted, NodeInfo node) {
    for (Pod other : node.pods()) {
      for (HostPort used : hostPorts(other)) {
        if (wanted.stream().anyMatch(used::conflictsWith)) {
          return Status.unschedulable(REASON);
        }
      }
    }
    return Status.FITS;
  }

  static List<HostPort> hostPorts(Pod pod) {
    List<HostPort> ports = new ArrayList<>();
    for (Container container : pod.getSpec().getContainers()) {
      if (container.getPorts() == null) {
        continue;
      }
      for (ContainerPort port : container.getPorts()) {
        if (port.getHostPort() != null && port.getHostPort() > 0) {
          String ip = port.getHostIP() == null || port.getHostIP().isEmpty() ? ANY_IP : port.getHostIP();
          ports.add(new HostPort(ip, Objects.requireNonNullElse(port.getProtocol(), "TCP"), port.getHostPort()));
        }
      }
    }
    return ports;
  }
}
