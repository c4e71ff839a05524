package io.kubemu.controllermanager.endpointslice;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.kubemu.controllermanager.endpoint.EndpointPods;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * What Kubernetes' EndpointSlice reconciler decides for one Service: the IPv4 endpoints of the
 * pods it selects (ready, serving, terminating), grouped by the ports they resolve to, in slices
 * of at most {@code maxEndpointsPerSlice}. Endpoints stay in the slice that holds them where
 * they can; new ones fill slices with room before new slices are made; emptied slices go. A
 * Service with no endpoints keeps one empty placeholder slice.
 */
public final class SliceReconciler {
  public static final String SERVICE_NAME = "kubernetes.io/service-name";
  public static final String MANAGED_BY = "endpointslice.kubernetes.io/managed-by";
  public static final String CONTROLLER_NAME = "endpointslice-controller.k8s.io";
  public static final String LAST_CHANGE_TRIGGER_TIME = "endpoints.kubernetes.io/last-change-trigger-time";
  static final String HEADLESS = "service.kubernetes.io/headless";
  static final String ZONE = "topology.kubernetes.io/zone";
  static final String IPV4 = "IPv4";

  /** The writes one sync makes. */
  public record Plan(List<EndpointSlice> create, List<EndpointSlice> update, List<EndpointSlice> delete) {
    public boolean isEmpty() {
      return create.isEmpty() && update.isEmpty() && delete.isEmpty();
    }
  }

  private record Group(List<EndpointPort> ports, Map<String, Endpoint> endpoints) {}

  private static final Comparator<Endpoint> ENDPOINT_ORDER = Comparator.comparing(SliceReconciler::endpointKey);

  private SliceReconciler() {}

  /**
   * @param zoneOfNode the zone label of a node by name, or null
   * @param existing the slices this controller manages for the Service
   * @param triggerTime the annotation for the slices written, or null
   */
  public static Plan reconcile(Service service, List<Pod> pods, Function<String, String> zoneOfNode,
      List<EndpointSlice> existing, int maxEndpointsPerSlice, Instant triggerTime) {
    Map<String, Group> desired = desired(service, pods, zoneOfNode);
    Map<String, String> labels = labels(service);
    List<EndpointSlice> create = new ArrayList<>();
    List<EndpointSlice> update = new ArrayList<>();
    List<EndpointSlice> delete = new ArrayList<>();
    Map<String, List<EndpointSlice>> existingByPorts = new TreeMap<>();
    for (EndpointSlice slice : existing) {
      if (!IPV4.equals(slice.getAddressType())) {
        delete.add(slice);
      } else {
        existingByPorts.computeIfAbsent(portsKey(slice.getPorts()), ignored -> new ArrayList<>()).add(slice);
      }
    }
    existingByPorts.values().forEach(slices -> slices.sort(Comparator.comparing(s -> s.getMetadata().getName())));
    boolean noEndpoints = desired.values().stream().allMatch(group -> group.endpoints().isEmpty());
    if (noEndpoints) {
      placeholder(service, existing.stream().filter(s -> IPV4.equals(s.getAddressType())).toList(), labels,
          triggerTime, create, update, delete);
      return new Plan(create, update, delete);
    }
    java.util.Set<String> keys = new java.util.TreeSet<>(desired.keySet());
    keys.addAll(existingByPorts.keySet());
    for (String key : keys) {
      Group group = desired.get(key);
      List<EndpointSlice> slices = existingByPorts.getOrDefault(key, List.of());
      if (group == null) {
        delete.addAll(slices);
        continue;
      }
      Map<String, Endpoint> remaining = new LinkedHashMap<>(group.endpoints());
      List<List<Endpoint>> kept = new ArrayList<>();
      for (EndpointSlice slice : slices) {
        List<Endpoint> endpoints = new ArrayList<>();
        for (Endpoint endpoint : slice.getEndpoints() == null ? List.<Endpoint>of() : slice.getEndpoints()) {
          Endpoint wanted = remaining.remove(endpointKey(endpoint));
          if (wanted != null && endpoints.size() < maxEndpointsPerSlice) {
            endpoints.add(wanted);
          } else if (wanted != null) {
            remaining.put(endpointKey(wanted), wanted); // over the limit now: placed elsewhere
          }
        }
        kept.add(endpoints);
      }
      List<Endpoint> left = new ArrayList<>(remaining.values());
      for (List<Endpoint> endpoints : kept) {
        while (!left.isEmpty() && endpoints.size() < maxEndpointsPerSlice && !endpoints.isEmpty()) {
          endpoints.add(left.remove(0));
        }
      }
      for (int i = 0; i < slices.size(); i++) {
        EndpointSlice slice = slices.get(i);
        List<Endpoint> endpoints = kept.get(i);
        if (endpoints.isEmpty()) {
          if (!left.isEmpty()) { // an emptied slice is reused before a new one is made
            while (!left.isEmpty() && endpoints.size() < maxEndpointsPerSlice) {
              endpoints.add(left.remove(0));
            }
          } else {
            delete.add(slice);
            continue;
          }
        }
        endpoints.sort(ENDPOINT_ORDER);
        EndpointSlice wanted = slice(service, slice, labels, group.ports(), endpoints, null);
        if (!sameContent(slice, wanted)) {
          update.add(slice(service, slice, labels, group.ports(), endpoints, triggerTime));
        }
      }
      while (!left.isEmpty()) {
        List<Endpoint> endpoints = new ArrayList<>(left.subList(0, Math.min(maxEndpointsPerSlice, left.size())));
        left.subList(0, endpoints.size()).clear();
        endpoints.sort(ENDPOINT_ORDER);
        create.add(slice(service, null, labels, group.ports(), endpoints, triggerTime));
      }
    }
    return new Plan(create, update, delete);
  }

  private static void placeholder(Service service, List<EndpointSlice> existing, Map<String, String> labels,
      Instant triggerTime, List<EndpointSlice> create, List<EndpointSlice> update, List<EndpointSlice> delete) {
    EndpointSlice keep = existing.stream()
        .filter(slice -> slice.getEndpoints() == null || slice.getEndpoints().isEmpty())
        .min(Comparator.comparing(slice -> slice.getMetadata().getName())).orElse(null);
    if (keep == null && !existing.isEmpty()) {
      keep = existing.stream().min(Comparator.comparing(slice -> slice.getMetadata().getName())).get();
    }
    for (EndpointSlice slice : existing) {
      if (slice != keep) {
        delete.add(slice);
      }
    }
    if (keep == null) {
      create.add(slice(service, null, labels, List.of(), List.of(), triggerTime));
    } else if (!sameContent(keep, slice(service, keep, labels, List.of(), List.of(), null))) {
      update.add(slice(service, keep, labels, List.of(), List.of(), triggerTime));
    }
  }

  /** The endpoints every port group wants, keyed by {@link #endpointKey}. */
  private static Map<String, Group> desired(Service service, List<Pod> pods, Function<String, String> zoneOfNode) {
    boolean publishNotReady = Boolean.TRUE.equals(service.getSpec().getPublishNotReadyAddresses());
    List<ServicePort> servicePorts = service.getSpec().getPorts() == null ? List.of() : service.getSpec().getPorts();
    Map<String, Group> groups = new TreeMap<>();
    for (Pod pod : pods) {
      if (!EndpointPods.shouldBeInEndpoints(pod, true)) {
        continue;
      }
      String ip = EndpointPods.podIP(pod);
      if (ip.contains(":")) {
        continue; // not an IPv4 address
      }
      List<EndpointPort> ports = new ArrayList<>();
      for (ServicePort servicePort : servicePorts) {
        int number = EndpointPods.findPort(pod, servicePort);
        if (number >= 0) {
          ports.add(new EndpointPortBuilder().withName(servicePort.getName() == null ? "" : servicePort.getName())
              .withPort(number).withProtocol(servicePort.getProtocol() == null ? "TCP" : servicePort.getProtocol())
              .withAppProtocol(servicePort.getAppProtocol()).build());
        }
      }
      boolean ready = publishNotReady || EndpointPods.isReady(pod);
      boolean terminating = pod.getMetadata().getDeletionTimestamp() != null;
      String nodeName = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
      boolean hasNode = nodeName != null && !nodeName.isEmpty();
      Endpoint endpoint = new EndpointBuilder()
          .withAddresses(ip)
          .withNewConditions().withReady(publishNotReady || (ready && !terminating)).withServing(ready)
            .withTerminating(terminating).endConditions()
          .withHostname(EndpointPods.hostname(pod, service))
          .withNodeName(hasNode ? nodeName : null)
          .withZone(hasNode ? zoneOfNode.apply(nodeName) : null)
          .withNewTargetRef().withKind("Pod").withNamespace(pod.getMetadata().getNamespace())
            .withName(pod.getMetadata().getName()).withUid(pod.getMetadata().getUid()).endTargetRef()
          .build();
      groups.computeIfAbsent(portsKey(ports), ignored -> new Group(ports, new TreeMap<>()))
          .endpoints().put(endpointKey(endpoint), endpoint);
    }
    return groups;
  }

  /** Slices hold one set of ports; in the Service's port order. */
  static String portsKey(List<EndpointPort> ports) {
    StringBuilder key = new StringBuilder();
    for (EndpointPort port : ports == null ? List.<EndpointPort>of() : ports) {
      key.append(port.getName()).append('/').append(port.getPort()).append('/').append(port.getProtocol())
          .append('/').append(port.getAppProtocol()).append(';');
    }
    return key.toString();
  }

  /** An endpoint is its pod (by uid), or its address when it has no pod. */
  static String endpointKey(Endpoint endpoint) {
    if (endpoint.getTargetRef() != null && endpoint.getTargetRef().getUid() != null) {
      return endpoint.getTargetRef().getUid();
    }
    return String.join(",", endpoint.getAddresses());
  }

  static Map<String, String> labels(Service service) {
    Map<String, String> labels = new HashMap<>();
    if (service.getMetadata().getLabels() != null) {
      labels.putAll(service.getMetadata().getLabels());
    }
    labels.remove(HEADLESS);
    if ("None".equals(service.getSpec().getClusterIP())) {
      labels.put(HEADLESS, "");
    }
    labels.put(SERVICE_NAME, service.getMetadata().getName());
    labels.put(MANAGED_BY, CONTROLLER_NAME);
    return labels;
  }

  static OwnerReference ownerReference(Service service) {
    return new OwnerReferenceBuilder().withApiVersion("v1").withKind("Service")
        .withName(service.getMetadata().getName()).withUid(service.getMetadata().getUid())
        .withController(true).withBlockOwnerDeletion(true).build();
  }

  /** A slice as wanted: a new one (generateName) when {@code old} is null, else {@code old} changed. */
  private static EndpointSlice slice(Service service, EndpointSlice old, Map<String, String> labels,
      List<EndpointPort> ports, List<Endpoint> endpoints, Instant triggerTime) {
    Map<String, String> annotations = new LinkedHashMap<>();
    if (old != null && old.getMetadata().getAnnotations() != null) {
      annotations.putAll(old.getMetadata().getAnnotations());
    }
    if (triggerTime != null) {
      annotations.put(LAST_CHANGE_TRIGGER_TIME, triggerTime.truncatedTo(ChronoUnit.SECONDS).toString());
    } else if (old == null) {
      annotations.remove(LAST_CHANGE_TRIGGER_TIME);
    }
    EndpointSliceBuilder builder = old == null ? new EndpointSliceBuilder()
        .withNewMetadata().withGenerateName(service.getMetadata().getName() + "-")
          .withNamespace(service.getMetadata().getNamespace()).endMetadata()
        : new EndpointSliceBuilder(old);
    return builder.editMetadata().withLabels(labels).withAnnotations(annotations.isEmpty() ? null : annotations)
          .withOwnerReferences(ownerReference(service)).endMetadata()
        .withAddressType(IPV4).withPorts(ports.isEmpty() ? null : new ArrayList<>(ports))
        .withEndpoints(new ArrayList<>(endpoints)).build();
  }

  /** Same labels, owner, ports and endpoints (the annotation alone is no reason to write). */
  private static boolean sameContent(EndpointSlice current, EndpointSlice wanted) {
    return Objects.equals(current.getMetadata().getLabels(), wanted.getMetadata().getLabels())
        && Objects.equals(current.getMetadata().getOwnerReferences(), wanted.getMetadata().getOwnerReferences())
        && Objects.equals(emptyIfNull(current.getPorts()), emptyIfNull(wanted.getPorts()))
        && Objects.equals(emptyIfNull(current.getEndpoints()), emptyIfNull(wanted.getEndpoints()));
  }

  private static <T> List<T> emptyIfNull(List<T> list) {
    return list == null ? List.of() : list;
  }
}
