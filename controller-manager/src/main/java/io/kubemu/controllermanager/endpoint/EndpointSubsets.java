package io.kubemu.controllermanager.endpoint;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.EndpointSubsetBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The subsets of a Service's Endpoints, as Kubernetes' endpoints controller computes them and
 * RepackSubsets groups them: every pod that belongs in endpoints is an address (ready, or under
 * notReadyAddresses) at the ports its Service ports resolve to on that pod; pods with the same
 * set of resolved ports share a subset. A pod on which no Service port resolves is left out.
 */
public final class EndpointSubsets {
  /** Kubernetes' maxCapacity: Endpoints hold at most this many addresses, the rest are cut off. */
  public static final int MAX_CAPACITY = 1000;

  private static final Comparator<EndpointAddress> BY_IP_AND_UID = Comparator
      .comparing(EndpointAddress::getIp, Comparator.nullsFirst(Comparator.naturalOrder()))
      .thenComparing(address -> address.getTargetRef() == null ? "" : String.valueOf(address.getTargetRef().getUid()));
  private static final Comparator<EndpointPort> PORT_ORDER = Comparator
      .comparing((EndpointPort port) -> port.getName() == null ? "" : port.getName())
      .thenComparing(EndpointPort::getPort, Comparator.nullsFirst(Comparator.naturalOrder()))
      .thenComparing(port -> port.getProtocol() == null ? "" : port.getProtocol());

  private EndpointSubsets() {}

  private record Group(List<EndpointPort> ports, List<EndpointAddress> ready, List<EndpointAddress> notReady) {}

  public static List<EndpointSubset> build(Service service, List<Pod> pods) {
    boolean tolerateUnready = Boolean.TRUE.equals(service.getSpec().getPublishNotReadyAddresses());
    List<ServicePort> servicePorts = service.getSpec().getPorts() == null ? List.of() : service.getSpec().getPorts();
    boolean headless = "None".equals(service.getSpec().getClusterIP());
    Map<String, Group> groups = new LinkedHashMap<>();
    for (Pod pod : pods) {
      if (!EndpointPods.shouldBeInEndpoints(pod, tolerateUnready)) {
        continue;
      }
      List<EndpointPort> ports = new ArrayList<>();
      for (ServicePort servicePort : servicePorts) {
        int number = EndpointPods.findPort(pod, servicePort);
        if (number < 0) {
          continue; // this pod does not serve this port
        }
        ports.add(new EndpointPortBuilder().withName(servicePort.getName()).withPort(number)
            .withProtocol(servicePort.getProtocol() == null ? "TCP" : servicePort.getProtocol())
            .withAppProtocol(servicePort.getAppProtocol()).build());
      }
      if (ports.isEmpty() && !(servicePorts.isEmpty() && headless)) {
        continue; // only a headless Service without ports lists bare addresses
      }
      ports.sort(PORT_ORDER);
      Group group = groups.computeIfAbsent(key(ports),
          ignored -> new Group(ports, new ArrayList<>(), new ArrayList<>()));
      EndpointAddress address = address(pod, service);
      if (tolerateUnready || EndpointPods.isReady(pod)) {
        group.ready().add(address);
      } else {
        group.notReady().add(address);
      }
    }
    List<EndpointSubset> subsets = new ArrayList<>();
    groups.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry -> {
      Group group = entry.getValue();
      group.ready().sort(BY_IP_AND_UID);
      group.notReady().sort(BY_IP_AND_UID);
      subsets.add(new EndpointSubsetBuilder()
          .withAddresses(group.ready().isEmpty() ? null : group.ready())
          .withNotReadyAddresses(group.notReady().isEmpty() ? null : group.notReady())
          .withPorts(group.ports().isEmpty() ? null : group.ports()).build());
    });
    return subsets;
  }

  private static String key(List<EndpointPort> ports) {
    StringBuilder key = new StringBuilder();
    for (EndpointPort port : ports) {
      key.append(port.getName()).append('/').append(port.getPort()).append('/').append(port.getProtocol())
          .append('/').append(port.getAppProtocol()).append(';');
    }
    return key.toString();
  }

  static EndpointAddress address(Pod pod, Service service) {
    String nodeName = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
    return new EndpointAddressBuilder()
        .withIp(EndpointPods.podIP(pod))
        .withNodeName(nodeName == null || nodeName.isEmpty() ? null : nodeName)
        .withHostname(EndpointPods.hostname(pod, service))
        .withNewTargetRef().withKind("Pod").withNamespace(pod.getMetadata().getNamespace())
          .withName(pod.getMetadata().getName()).withUid(pod.getMetadata().getUid()).endTargetRef()
        .build();
  }

  /** The number of addresses, ready or not. */
  public static int count(List<EndpointSubset> subsets) {
    int count = 0;
    for (EndpointSubset subset : subsets) {
      count += size(subset.getAddresses()) + size(subset.getNotReadyAddresses());
    }
    return count;
  }

  private static int size(List<?> list) {
    return list == null ? 0 : list.size();
  }

  /**
   * Kubernetes' truncation to {@link #MAX_CAPACITY}: every subset keeps its share, ready addresses
   * first.
   */
  public static List<EndpointSubset> truncate(List<EndpointSubset> subsets) {
    int total = count(subsets);
    if (total <= MAX_CAPACITY) {
      return subsets;
    }
    List<EndpointSubset> truncated = new ArrayList<>();
    int left = MAX_CAPACITY;
    for (int i = 0; i < subsets.size(); i++) {
      EndpointSubset subset = subsets.get(i);
      int size = size(subset.getAddresses()) + size(subset.getNotReadyAddresses());
      int keep = i == subsets.size() - 1 ? left : (int) ((long) size * MAX_CAPACITY / total);
      keep = Math.min(keep, left);
      left -= keep;
      List<EndpointAddress> ready = subset.getAddresses() == null ? List.of() : subset.getAddresses();
      List<EndpointAddress> notReady = subset.getNotReadyAddresses() == null ? List.of() : subset.getNotReadyAddresses();
      int readyKept = Math.min(keep, ready.size());
      int notReadyKept = Math.min(keep - readyKept, notReady.size());
      truncated.add(new EndpointSubsetBuilder(subset)
          .withAddresses(readyKept == 0 ? null : new ArrayList<>(ready.subList(0, readyKept)))
          .withNotReadyAddresses(notReadyKept == 0 ? null : new ArrayList<>(notReady.subList(0, notReadyKept)))
          .build());
    }
    return truncated;
  }
}
