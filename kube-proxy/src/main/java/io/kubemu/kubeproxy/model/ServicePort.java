package io.kubemu.kubeproxy.model;

import java.util.List;

/**
 * What kube-proxy routes for one service port: its ClusterIP and port, its NodePort (0: none),
 * whether a client sticks to one endpoint ({@code sessionAffinity: ClientIP}, for
 * {@code affinityTimeoutSeconds}), and the ready endpoints behind it, sorted.
 *
 * @param protocol TCP, UDP or SCTP, as in the Service
 */
public record ServicePort(ServicePortName name, String clusterIP, int port, String protocol, int nodePort,
    boolean clientIPAffinity, int affinityTimeoutSeconds, List<Endpoint> endpoints) {
  /** Kubernetes' default for {@code sessionAffinityConfig.clientIP.timeoutSeconds}: three hours. */
  public static final int DEFAULT_AFFINITY_TIMEOUT_SECONDS = 10800;

  public ServicePort {
    endpoints = endpoints.stream().sorted().distinct().toList();
  }

  /** The same port with other ready endpoints. */
  public ServicePort withEndpoints(List<Endpoint> ready) {
    return new ServicePort(name, clusterIP, port, protocol, nodePort, clientIPAffinity, affinityTimeoutSeconds, ready);
  }
}
