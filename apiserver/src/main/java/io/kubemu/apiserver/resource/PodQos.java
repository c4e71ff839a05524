package io.kubemu.apiserver.resource;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A pod's quality-of-service class, set once when the pod is created and shown by
 * {@code kubectl describe pod}: Guaranteed when every container's CPU and memory limits are set
 * and equal to its requests, BestEffort when no container asks for CPU or memory at all,
 * Burstable otherwise. The kubelet evicts BestEffort pods first.
 */
final class PodQos {
  private static final List<String> COMPUTE_RESOURCES = List.of("cpu", "memory");

  private PodQos() {}

  static String of(JsonNode spec) {
    Map<String, BigDecimal> requests = new HashMap<>();
    Map<String, BigDecimal> limits = new HashMap<>();
    boolean guaranteed = true;
    for (String list : List.of("containers", "initContainers")) {
      for (JsonNode container : spec.path(list)) {
        JsonNode resources = container.path("resources");
        sumPositive(resources.path("requests"), requests);
        if (sumPositive(resources.path("limits"), limits) < COMPUTE_RESOURCES.size()) {
          guaranteed = false;
        }
      }
    }
    if (requests.isEmpty() && limits.isEmpty()) {
      return "BestEffort";
    }
    for (Map.Entry<String, BigDecimal> request : requests.entrySet()) {
      BigDecimal limit = limits.get(request.getKey());
      guaranteed &= limit != null && limit.compareTo(request.getValue()) == 0;
    }
    return guaranteed && requests.size() == limits.size() ? "Guaranteed" : "Burstable";
  }

  /** Adds the positive CPU and memory quantities to the totals; returns how many there were. */
  private static int sumPositive(JsonNode quantities, Map<String, BigDecimal> totals) {
    int found = 0;
    for (String resource : COMPUTE_RESOURCES) {
      JsonNode text = quantities.path(resource);
      BigDecimal quantity = text.isValueNode() ? Quantity.parse(text.asText()) : null;
      if (quantity != null && quantity.signum() > 0) {
        totals.merge(resource, quantity, BigDecimal::add);
        found++;
      }
    }
    return found;
  }
}
