package io.kubemu.apiserver.resource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Every resource the apiserver serves, in discovery order. */
public final class Resources {
  private static final List<String> ALL = List.of("all");

  private final List<ResourceType> types = List.of(
      core("namespaces", "namespace", "Namespace", false, List.of("ns"), List.of(), "status", "finalize"),
      core("pods", "pod", "Pod", true, List.of("po"), ALL, "status", "binding", "log", "eviction"),
      core("nodes", "node", "Node", false, List.of("no"), List.of(), "status"),
      core("services", "service", "Service", true, List.of("svc"), ALL, "status"),
      core("endpoints", "endpoints", "Endpoints", true, List.of("ep"), List.of()),
      core("events", "event", "Event", true, List.of("ev"), List.of()),
      core("configmaps", "configmap", "ConfigMap", true, List.of("cm"), List.of()),
      core("secrets", "secret", "Secret", true, List.of(), List.of()),
      core("serviceaccounts", "serviceaccount", "ServiceAccount", true, List.of("sa"), List.of()),
      type("apps", "v1", "deployments", "deployment", "Deployment", true, List.of("deploy"), ALL, "status", "scale"),
      type("apps", "v1", "replicasets", "replicaset", "ReplicaSet", true, List.of("rs"), ALL, "status", "scale"),
      type("coordination.k8s.io", "v1", "leases", "lease", "Lease", true, List.of(), List.of()),
      type("discovery.k8s.io", "v1", "endpointslices", "endpointslice", "EndpointSlice", true, List.of(), List.of()));

  private static ResourceType core(String resource, String singular, String kind, boolean namespaced,
      List<String> shortNames, List<String> categories, String... subresources) {
    return type("", "v1", resource, singular, kind, namespaced, shortNames, categories, subresources);
  }

  private static ResourceType type(String group, String version, String resource, String singular, String kind,
      boolean namespaced, List<String> shortNames, List<String> categories, String... subresources) {
    return new ResourceType(group, version, resource, singular, kind, namespaced, shortNames, categories,
        List.of(subresources));
  }

  public List<ResourceType> all() {
    return types;
  }

  /** The resource at /api/{version}/{resource} (group "") or /apis/{group}/{version}/{resource}. */
  public Optional<ResourceType> find(String group, String version, String resource) {
    return types.stream()
        .filter(t -> t.group().equals(group) && t.version().equals(version) && t.resource().equals(resource))
        .findFirst();
  }

  /** Group name -> its versions, in discovery order; "" is the legacy core group. */
  public Map<String, Set<String>> groupVersions() {
    Map<String, Set<String>> groups = new LinkedHashMap<>();
    for (ResourceType type : types) {
      groups.computeIfAbsent(type.group(), g -> new LinkedHashSet<>()).add(type.version());
    }
    return groups;
  }

  public List<ResourceType> inGroupVersion(String group, String version) {
    List<ResourceType> matching = new ArrayList<>();
    for (ResourceType type : types) {
      if (type.group().equals(group) && type.version().equals(version)) {
        matching.add(type);
      }
    }
    return matching;
  }
}
