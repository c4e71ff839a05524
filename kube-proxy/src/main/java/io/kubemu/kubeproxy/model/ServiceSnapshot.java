package io.kubemu.kubeproxy.model;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns the informers' Services and EndpointSlices into the service ports kube-proxy routes,
 * sorted by name: every port of every Service with a ClusterIP, and the ready endpoints that the
 * Service's EndpointSlices (label {@code kubernetes.io/service-name}) list for that port.
 * Headless and ExternalName Services get no rules, as in Kubernetes.
 */
public final class ServiceSnapshot {
  public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

  private ServiceSnapshot() {}

  public static List<ServicePort> of(Collection<Service> services, Collection<EndpointSlice> slices) {
    Map<String, List<EndpointSlice>> slicesByService = new HashMap<>();
    for (EndpointSlice slice : slices) {
      String service = slice.getMetadata().getLabels() == null ? null
          : slice.getMetadata().getLabels().get(SERVICE_NAME_LABEL);
      if (service != null && (slice.getAddressType() == null || "IPv4".equals(slice.getAddressType()))) {
        slicesByService.computeIfAbsent(slice.getMetadata().getNamespace() + "/" + service, k -> new ArrayList<>())
            .add(slice);
      }
    }
    List<ServicePort> ports = new ArrayList<>();
    for (Service service : services) {
      ServiceSpec spec = service.getSpec();
      if (spec == null || "ExternalName".equals(spec.getType()) || spec.getClusterIP() == null
          || spec.getClusterIP().isEmpty() || "None".equals(spec.getClusterIP()) || spec.getPorts() == null) {
        continue;
      }
      String namespace = service.getMetadata().getNamespace();
      String name = service.getMetadata().getName();
      boolean affinity = "ClientIP".equals(spec.getSessionAffinity());
      int timeout = ServicePort.DEFAULT_AFFINITY_TIMEOUT_SECONDS;
      if (affinity && spec.getSessionAffinityConfig() != null && spec.getSessionAffinityConfig().getClientIP() != null
          && spec.getSessionAffinityConfig().getClientIP().getTimeoutSeconds() != null) {
        timeout = spec.getSessionAffinityConfig().getClientIP().getTimeoutSeconds();
      }
      boolean nodePorts = "NodePort".equals(spec.getType()) || "LoadBalancer".equals(spec.getType());
      List<EndpointSlice> mine = slicesByService.getOrDefault(namespace + "/" + name, List.of());
      for (io.fabric8.kubernetes.api.model.ServicePort port : spec.getPorts()) {
        String protocol = port.getProtocol() == null ? "TCP" : port.getProtocol();
        int nodePort = nodePorts && port.getNodePort() != null ? port.getNodePort() : 0;
        ports.add(new ServicePort(new ServicePortName(namespace, name, port.getName()), spec.getClusterIP(),
            port.getPort(), protocol, nodePort, affinity, timeout, readyEndpoints(mine, port.getName(), protocol)));
      }
    }
    ports.sort((a, b) -> a.name().compareTo(b.name()));
    return ports;
  }

  /** The ready addresses of the slices' port named {@code portName} (the slice port carries the target port). */
  private static List<Endpoint> readyEndpoints(List<EndpointSlice> slices, String portName, String protocol) {
    List<Endpoint> ready = new ArrayList<>();
    String wanted = portName == null ? "" : portName;
    for (EndpointSlice slice : slices) {
      if (slice.getPorts() == null || slice.getEndpoints() == null) {
        continue;
      }
      for (EndpointPort port : slice.getPorts()) {
        String name = port.getName() == null ? "" : port.getName();
        String sliceProtocol = port.getProtocol() == null ? "TCP" : port.getProtocol();
        if (!name.equals(wanted) || !sliceProtocol.equals(protocol) || port.getPort() == null) {
          continue;
        }
        for (io.fabric8.kubernetes.api.model.discovery.v1.Endpoint endpoint : slice.getEndpoints()) {
          if (isReady(endpoint.getConditions()) && endpoint.getAddresses() != null) {
            for (String address : endpoint.getAddresses()) {
              ready.add(new Endpoint(Objects.requireNonNull(address), port.getPort()));
            }
          }
        }
      }
    }
    return ready;
  }

  /** An unset {@code ready} means ready: the EndpointSlice API says consumers must read it so. */
  private static boolean isReady(EndpointConditions conditions) {
    return conditions == null || conditions.getReady() == null || conditions.getReady();
  }
}
