package io.kubemu.apiserver.allocation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubemu.apiserver.http.ApiException;
import io.kubemu.apiserver.resource.ResourceType;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ClusterIPs and NodePorts of Services, as kube-apiserver's service registry keeps them.
 * A Service of type ClusterIP, NodePort or LoadBalancer gets a ClusterIP (unless it is
 * headless, {@code clusterIP: None}); NodePort and LoadBalancer Services get a NodePort per
 * port; ExternalName Services get neither. Values a client names are honoured if they are free
 * and in range, or refused with Kubernetes' 422. An update that leaves allocated values out
 * keeps them (what {@code kubectl apply} relies on); a type change allocates or releases; a
 * deleted Service gives everything back. At start the allocators are rebuilt from the stored
 * Services ({@link #repair}), so a restart never hands out a value in use.
 *
 * <p>Every change returns a {@link Transaction} that the caller settles with the store
 * write's outcome. One apiserver process owns the allocators; IPv4 only.
 */
public final class ServiceAllocation {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceAllocation.class);
  private static final String NONE = "None";

  private final ServiceIPAllocator clusterIPs;
  private final PortAllocator nodePorts;

  public ServiceAllocation(ServiceIPRange serviceClusterIPRange, PortRange serviceNodePortRange) {
    this(new ServiceIPAllocator(serviceClusterIPRange), new PortAllocator(serviceNodePortRange));
  }

  ServiceAllocation(ServiceIPAllocator clusterIPs, PortAllocator nodePorts) {
    this.clusterIPs = clusterIPs;
    this.nodePorts = nodePorts;
  }

  public ServiceIPRange serviceClusterIPRange() {
    return clusterIPs.range();
  }

  /**
   * Marks what the stored Services hold as taken, before the apiserver serves (Kubernetes'
   * repair controllers, run once). A value held twice or out of range is logged, as the
   * repair controllers report it; it stays with the Services that hold it.
   */
  public void repair(Iterable<ObjectNode> services) {
    for (ObjectNode service : services) {
      String name = service.path("metadata").path("namespace").asText() + "/" + service.path("metadata").path("name").asText();
      JsonNode spec = service.path("spec");
      String ip = allocatedClusterIP(spec);
      if (ip != null) {
        repairOne(name, "ClusterIP " + ip, () -> clusterIPs.allocate(ip));
      }
      for (int port : allocatedNodePorts(spec)) {
        repairOne(name, "NodePort " + port, () -> nodePorts.allocate(port));
      }
    }
    LOG.info("rebuilt the service allocations from the store: {} ClusterIPs in {}, {} NodePorts in {}",
        clusterIPs.used(), clusterIPs.range(), nodePorts.used(), nodePorts.range());
  }

  private static void repairOne(String service, String what, Runnable allocate) {
    try {
      allocate.run();
    } catch (AllocationException e) {
      LOG.warn("service {} holds {}: {}", service, what, e.getMessage());
    }
  }

  /** Allocates what a new Service needs; a no-op for other kinds. */
  public Transaction allocateCreate(ResourceType type, ObjectNode service) {
    if (!isService(type)) {
      return Transaction.NONE;
    }
    return allocate(type, name(service), service.withObject("spec"), JsonNodeFactory.instance.objectNode());
  }

  /**
   * Allocates and releases what an update changes; a no-op for other kinds. The Service has
   * been prepared by admission: what the client left out of a resent manifest is back, and
   * what the new type does not use is gone.
   */
  public Transaction allocateUpdate(ResourceType type, ObjectNode service, ObjectNode old) {
    if (!isService(type)) {
      return Transaction.NONE;
    }
    return allocate(type, name(service), service.withObject("spec"), old.path("spec"));
  }

  /** Gives back what a deleted Service held; a no-op for other kinds. */
  public void release(ResourceType type, ObjectNode deleted) {
    if (!isService(type)) {
      return;
    }
    JsonNode spec = deleted.path("spec");
    String ip = allocatedClusterIP(spec);
    if (ip != null) {
      clusterIPs.release(ip);
    }
    allocatedNodePorts(spec).forEach(nodePorts::release);
  }

  /** Allocates what {@code spec} holds and {@code oldSpec} did not; releases the reverse on commit. */
  private Transaction allocate(ResourceType type, String name, ObjectNode spec, JsonNode oldSpec) {
    checkIPFamilies(type, name, spec);
    Transaction transaction = new Transaction();
    try {
      allocateClusterIP(type, name, spec, allocatedClusterIP(oldSpec), transaction);
      allocateNodePorts(type, name, spec, allocatedNodePorts(oldSpec), transaction);
    } catch (RuntimeException e) {
      transaction.revert();
      throw e;
    }
    String oldIP = allocatedClusterIP(oldSpec);
    if (oldIP != null && !oldIP.equals(allocatedClusterIP(spec))) {
      transaction.onCommit(() -> clusterIPs.release(oldIP));
    }
    Set<Integer> kept = allocatedNodePorts(spec);
    for (int port : allocatedNodePorts(oldSpec)) {
      if (!kept.contains(port)) {
        transaction.onCommit(() -> nodePorts.release(port));
      }
    }
    return transaction;
  }

  private void allocateClusterIP(ResourceType type, String name, ObjectNode spec, String oldIP, Transaction transaction) {
    if (!needsClusterIP(spec) || isHeadless(spec)) {
      return;
    }
    checkClusterIPs(type, name, spec);
    String wanted = spec.path("clusterIP").asText("");
    String ip;
    try {
      if (wanted.isEmpty()) {
        ip = clusterIPs.allocateNext();
      } else if (wanted.equals(oldIP)) {
        return; // the Service holds it already
      } else {
        clusterIPs.allocate(wanted);
        ip = wanted;
      }
    } catch (AllocationException e) {
      if (e.reason() == AllocationException.Reason.FULL) {
        throw ApiException.internal("Internal error occurred: failed to allocate a serviceIP for Service \"" + name
            + "\": " + e.getMessage());
      }
      throw invalid(type, name, "spec.clusterIPs", GoSyntax.stringSlice(spec.path("clusterIPs")),
          "failed to allocate IP " + wanted + ": " + e.getMessage());
    }
    transaction.onRevert(() -> clusterIPs.release(ip));
    spec.put("clusterIP", ip);
    spec.putArray("clusterIPs").add(ip);
  }

  /** The clusterIP fields the allocator reads must agree and hold one IPv4 address (ValidateServiceClusterIPsRelatedFields). */
  private static void checkClusterIPs(ResourceType type, String name, ObjectNode spec) {
    String clusterIP = spec.path("clusterIP").asText("");
    JsonNode list = spec.path("clusterIPs");
    String shown = GoSyntax.stringSlice(list);
    if (clusterIP.isEmpty() && !list.isEmpty()) {
      throw invalid(type, name, "spec.clusterIPs", shown, "must be empty when `clusterIP` is not specified");
    }
    if (!clusterIP.isEmpty() && !clusterIP.equals(list.path(0).asText())) {
      throw invalid(type, name, "spec.clusterIPs", shown, "first value must match `clusterIP`");
    }
    for (int i = 0; i < list.size(); i++) {
      String ip = list.get(i).asText();
      if (ip.contains(":")) { // an IPv6 address, valid or not, has no range here
        throw invalid(type, name, "spec.clusterIPs[" + i + "]", shown, "IPv6 is not configured on this cluster");
      }
      if (ServiceIPRange.parseAddress(ip).isEmpty()) {
        throw invalid(type, name, "spec.clusterIPs[" + i + "]", GoSyntax.string(ip),
            "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
      }
    }
    if (list.size() > 1) {
      throw invalid(type, name, "spec.clusterIPs", shown, "may specify no more than one IP for each IP family");
    }
  }

  private void allocateNodePorts(ResourceType type, String name, ObjectNode spec, Set<Integer> held, Transaction transaction) {
    if (!needsNodePort(spec)) {
      return;
    }
    // One NodePort per service port number: TCP and UDP on port 53 share theirs, as in Kubernetes.
    Map<Integer, Integer> byServicePort = new HashMap<>();
    for (JsonNode port : spec.path("ports")) {
      if (port.path("nodePort").asInt(0) != 0) {
        byServicePort.putIfAbsent(port.path("port").asInt(), port.path("nodePort").asInt());
      }
    }
    Set<Integer> taken = new LinkedHashSet<>(held);
    JsonNode ports = spec.path("ports");
    for (int i = 0; i < ports.size(); i++) {
      if (!(ports.get(i) instanceof ObjectNode port)) {
        continue;
      }
      int requested = port.path("nodePort").asInt(0);
      if (requested == 0) {
        if (!shouldAllocateNodePorts(spec)) {
          continue;
        }
        requested = byServicePort.getOrDefault(port.path("port").asInt(), 0);
      }
      int nodePort;
      try {
        if (requested == 0) {
          nodePort = nodePorts.allocateNext();
        } else if (taken.contains(requested)) {
          port.put("nodePort", requested);
          continue;
        } else {
          nodePorts.allocate(requested);
          nodePort = requested;
        }
      } catch (AllocationException e) {
        if (e.reason() == AllocationException.Reason.FULL) {
          throw ApiException.internal("Internal error occurred: failed to allocate a nodePort: " + e.getMessage());
        }
        throw invalid(type, name, "spec.ports[" + i + "].nodePort", Integer.toString(requested), e.getMessage());
      }
      transaction.onRevert(() -> nodePorts.release(nodePort));
      taken.add(nodePort);
      byServicePort.putIfAbsent(port.path("port").asInt(), nodePort);
      port.put("nodePort", nodePort);
    }
  }

  /** This cluster is single-stack IPv4: a Service asking for IPv6 or dual-stack cannot have it. */
  private static void checkIPFamilies(ResourceType type, String name, ObjectNode spec) {
    if (!needsClusterIP(spec) || (isHeadless(spec) && spec.path("selector").isEmpty())) {
      return;
    }
    String policy = spec.path("ipFamilyPolicy").asText("SingleStack");
    if (policy.equals("RequireDualStack")) {
      throw invalid(type, name, "spec.ipFamilyPolicy", GoSyntax.string(policy),
          "this cluster is not configured for dual-stack services");
    }
    JsonNode families = spec.path("ipFamilies");
    for (int i = 0; i < families.size(); i++) {
      if (!families.get(i).asText().equals("IPv4")) {
        throw invalid(type, name, "spec.ipFamilies[" + i + "]", GoSyntax.string(families.get(i).asText()),
            "not configured on this cluster");
      }
    }
  }

  private static ApiException invalid(ResourceType type, String name, String field, String value, String detail) {
    return ApiException.invalid(type, name, List.of(new ApiException.Cause("FieldValueInvalid",
        "Invalid value: " + value + ": " + detail, field)));
  }

  // ---- what a Service spec holds ----

  private static String serviceType(JsonNode spec) {
    return spec.path("type").asText("").isEmpty() ? "ClusterIP" : spec.path("type").asText();
  }

  private static boolean needsClusterIP(JsonNode spec) {
    return !serviceType(spec).equals("ExternalName");
  }

  private static boolean needsNodePort(JsonNode spec) {
    return serviceType(spec).equals("NodePort") || serviceType(spec).equals("LoadBalancer");
  }

  /** A LoadBalancer may opt out of NodePorts it did not ask for (allocateLoadBalancerNodePorts: false). */
  private static boolean shouldAllocateNodePorts(JsonNode spec) {
    return serviceType(spec).equals("NodePort") || spec.path("allocateLoadBalancerNodePorts").asBoolean(true);
  }

  private static boolean isHeadless(JsonNode spec) {
    return NONE.equals(spec.path("clusterIP").asText()) || NONE.equals(spec.path("clusterIPs").path(0).asText());
  }

  /** The ClusterIP the allocator holds for this spec, or null. */
  private static String allocatedClusterIP(JsonNode spec) {
    if (!needsClusterIP(spec) || isHeadless(spec)) {
      return null;
    }
    String ip = spec.path("clusterIP").asText("");
    return ip.isEmpty() ? null : ip;
  }

  /** The NodePorts the allocator holds for this spec. */
  private static Set<Integer> allocatedNodePorts(JsonNode spec) {
    return needsNodePort(spec) ? nodePortsIn(spec) : new LinkedHashSet<>();
  }

  private static Set<Integer> nodePortsIn(JsonNode spec) {
    Set<Integer> ports = new LinkedHashSet<>();
    for (JsonNode port : spec.path("ports")) {
      if (port.path("nodePort").asInt(0) != 0) {
        ports.add(port.path("nodePort").asInt());
      }
    }
    return ports;
  }

  private static boolean isService(ResourceType type) {
    return type.kind().equals("Service") && type.group().isEmpty();
  }

  private static String name(ObjectNode service) {
    return service.path("metadata").path("name").asText("");
  }
}
