package io.kubemu.kubeproxy.model;

/**
 * One port of one Service, as kube-proxy names it everywhere (chain hashes, rule comments, logs):
 * {@code namespace/name:port}, or {@code namespace/name} when the port has no name.
 */
public record ServicePortName(String namespace, String name, String port) implements Comparable<ServicePortName> {
  public ServicePortName {
    port = port == null ? "" : port;
  }

  @Override
  public String toString() {
    return namespace + "/" + name + (port.isEmpty() ? "" : ":" + port);
  }

  @Override
  public int compareTo(ServicePortName other) {
    return toString().compareTo(other.toString());
  }
}
