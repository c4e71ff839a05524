package io.kubemu.apiserver.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubemu.apiserver.allocation.ServiceAllocation;
import io.kubemu.apiserver.allocation.ServiceIPRange;
import io.kubemu.apiserver.allocation.Transaction;
import io.kubemu.apiserver.http.ApiException;
import io.kubemu.apiserver.resource.ObjectMeta;
import io.kubemu.apiserver.resource.ResourceType;
import io.kubemu.apiserver.resource.Resources;
import io.kubemu.apiserver.storage.ObjectStore;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code kubernetes} Service in {@code default}, how pods find the apiserver, with its
 * Endpoints and EndpointSlice, as kube-apiserver's kubernetesservice controller and endpoint
 * reconciler write them at start: ClusterIP = the first address of the service range, port
 * 443 named https, and one endpoint, this apiserver's address and port.
 *
 * <p>kubemu's apiserver serves plain HTTP on {@code --port} (8080) until TLS arrives; the
 * Service keeps Kubernetes' port 443 and name https, so that in-cluster clients see the
 * KUBERNETES_SERVICE_PORT they expect, and its targetPort and endpoint port are the port this
 * apiserver really listens on.
 */
public final class KubernetesService {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesService.class);
  static final String NAMESPACE = "default";
  static final String NAME = "kubernetes";

  private final Resources resources;
  private final ObjectStore store;
  private final ServiceAllocation allocation;
  private final ObjectMapper json;

  public KubernetesService(Resources resources, ObjectStore store, ServiceAllocation allocation, ObjectMapper json) {
    this.resources = resources;
    this.store = store;
    this.allocation = allocation;
    this.json = json;
  }

  /** Creates the Service, Endpoints and EndpointSlice, or sets them to {@code address}:{@code port}. */
  public void reconcile(String address, int port) {
    ensureService(port);
    ensure(type("", "endpoints"), endpoints(address, port), List.of("subsets"));
    ensure(type("discovery.k8s.io", "endpointslices"), endpointSlice(address, port),
        List.of("addressType", "endpoints", "ports"));
    LOG.info("service {}/{} at {} sends traffic to {}:{}", NAMESPACE, NAME,
        ServiceIPRange.format(allocation.serviceClusterIPRange().first()), address, port);
  }

  private void ensureService(int port) {
    ResourceType services = type("", "services");
    ObjectNode desired = service(port);
    ObjectNode existing = find(services);
    if (existing == null) {
      ObjectMeta.prepareForCreate(services, NAMESPACE, desired);
      write(() -> {
        Transaction allocated = allocation.allocateCreate(services, desired);
        store.create(services, NAMESPACE, NAME, desired).whenComplete(allocated::finish).join();
      });
    } else if (!existing.path("spec").path("ports").equals(desired.path("spec").path("ports"))) {
      ObjectNode updated = existing.deepCopy();
      updated.withObject("spec").set("ports", desired.path("spec").path("ports"));
      write(() -> {
        Transaction allocated = allocation.allocateUpdate(services, updated, existing);
        store.update(services, NAMESPACE, NAME, updated, revision(existing)).whenComplete(allocated::finish).join();
      });
    }
  }

  /** Creates the object, or overwrites {@code fields} (and the labels) where they differ. */
  private void ensure(ResourceType type, ObjectNode desired, List<String> fields) {
    ObjectNode existing = find(type);
    if (existing == null) {
      ObjectMeta.prepareForCreate(type, NAMESPACE, desired);
      write(() -> store.create(type, NAMESPACE, NAME, desired).join());
      return;
    }
    ObjectNode updated = existing.deepCopy();
    updated.withObject("metadata").set("labels", desired.path("metadata").path("labels"));
    fields.forEach(field -> updated.set(field, desired.get(field)));
    if (!updated.equals(existing)) {
      write(() -> store.update(type, NAMESPACE, NAME, updated, revision(existing)).join());
    }
  }

  private ObjectNode service(int port) {
    ObjectNode service = object("v1", "Service");
    service.withObject("metadata").withObject("labels").put("component", "apiserver").put("provider", "kubernetes");
    ObjectNode spec = service.putObject("spec");
    String clusterIP = ServiceIPRange.format(allocation.serviceClusterIPRange().first());
    spec.put("clusterIP", clusterIP);
    spec.putArray("clusterIPs").add(clusterIP);
    spec.put("internalTrafficPolicy", "Cluster");
    spec.putArray("ports").addObject().put("name", "https").put("port", 443).put("protocol", "TCP")
        .put("targetPort", port);
    spec.put("sessionAffinity", "None").put("type", "ClusterIP");
    return service;
  }

  private ObjectNode endpoints(String address, int port) {
    ObjectNode endpoints = object("v1", "Endpoints");
    // The apiserver keeps these itself: the EndpointSlice mirroring controller leaves them alone.
    endpoints.withObject("metadata").withObject("labels").put("endpointslice.kubernetes.io/skip-mirror", "true");
    ObjectNode subset = endpoints.putArray("subsets").addObject();
    subset.putArray("addresses").addObject().put("ip", address);
    subset.set("ports", ports(port));
    return endpoints;
  }

  private ObjectNode endpointSlice(String address, int port) {
    ObjectNode slice = object("discovery.k8s.io/v1", "EndpointSlice");
    slice.withObject("metadata").withObject("labels").put("kubernetes.io/service-name", NAME);
    slice.put("addressType", "IPv4");
    ObjectNode endpoint = slice.putArray("endpoints").addObject();
    endpoint.putArray("addresses").add(address);
    endpoint.putObject("conditions").put("ready", true);
    slice.set("ports", ports(port));
    return slice;
  }

  private ArrayNode ports(int port) {
    ArrayNode ports = json.createArrayNode();
    ports.addObject().put("name", "https").put("port", port).put("protocol", "TCP");
    return ports;
  }

  private ObjectNode object(String apiVersion, String kind) {
    ObjectNode object = json.createObjectNode().put("apiVersion", apiVersion).put("kind", kind);
    object.putObject("metadata").put("name", NAME).put("namespace", NAMESPACE);
    return object;
  }

  private ObjectNode find(ResourceType type) {
    try {
      return store.get(type, NAMESPACE, NAME).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof ApiException api && api.code() == 404) {
        return null;
      }
      throw e;
    }
  }

  /**
   * A write that lost a race with another writer is left to it, and one the API refuses (the
   * first address held by another Service) is logged: the apiserver serves anyway, and the
   * next start reconciles again.
   */
  private static void write(Runnable write) {
    try {
      write.run();
    } catch (RuntimeException e) {
      Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
      if (!(cause instanceof ApiException api) || api.code() >= 500) {
        throw e;
      }
      LOG.warn("could not write {}/{}: {}", NAMESPACE, NAME, api.getMessage());
    }
  }

  private ResourceType type(String group, String resource) {
    return resources.find(group, "v1", resource).orElseThrow();
  }

  private static long revision(JsonNode object) {
    return Long.parseLong(object.path("metadata").path("resourceVersion").asText("0"));
  }
}
