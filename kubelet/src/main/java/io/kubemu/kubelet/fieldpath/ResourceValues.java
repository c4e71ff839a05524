package io.kubemu.kubelet.fieldpath;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceFieldSelector;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A container's requests and limits as the downward API gives them (Kubernetes'
 * ExtractContainerResourceValue): {@code limits.cpu}, {@code requests.memory}, ... divided by the
 * selector's divisor (default 1) and rounded up, so 250m of CPU is "1" core, or "250" with divisor
 * 1m. A limit the container does not set is the node's allocatable, as the kubelet defaults it.
 */
public final class ResourceValues {
  private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);

  private ResourceValues() {}

  /** The value for the pod's container named in the selector (for a volume) or {@code containerName}. */
  public static String extract(ResourceFieldSelector selector, Pod pod, String containerName,
      Map<String, Quantity> nodeAllocatable) throws FieldPath.UnsupportedFieldException {
    List<Container> all = new ArrayList<>();
    if (pod.getSpec().getContainers() != null) {
      all.addAll(pod.getSpec().getContainers());
    }
    if (pod.getSpec().getInitContainers() != null) {
      all.addAll(pod.getSpec().getInitContainers());
    }
    for (Container container : all) {
      if (container.getName().equals(containerName)) {
        return extract(selector, container, nodeAllocatable);
      }
    }
    throw new FieldPath.UnsupportedFieldException("failed to find container with name " + containerName);
  }

  public static String extract(ResourceFieldSelector selector, Container container,
      Map<String, Quantity> nodeAllocatable) throws FieldPath.UnsupportedFieldException {
    String resource = selector.getResource() == null ? "" : selector.getResource();
    Quantity divisor = selector.getDivisor();
    if (divisor == null || divisor.getAmount() == null || amount(divisor).signum() == 0) {
      divisor = new Quantity("1");
    }
    int dot = resource.indexOf('.');
    String kind = dot < 0 ? "" : resource.substring(0, dot);
    String name = dot < 0 ? "" : resource.substring(dot + 1);
    boolean known = name.equals("cpu") || name.equals("memory") || name.equals("ephemeral-storage")
        || name.startsWith("hugepages-");
    if (!known || !(kind.equals("limits") || kind.equals("requests"))) {
      throw new FieldPath.UnsupportedFieldException("unsupported container resource : " + resource);
    }
    Quantity value = kind.equals("limits") ? limit(container, name, nodeAllocatable) : request(container, name);
    BigDecimal amount = value == null ? BigDecimal.ZERO : amount(value);
    if (name.equals("cpu")) {
      return milli(amount).divide(milli(amount(divisor)), 0, RoundingMode.CEILING).toPlainString();
    }
    return whole(amount).divide(whole(amount(divisor)), 0, RoundingMode.CEILING).toPlainString();
  }

  /** The container's limit, or the node's allocatable for a limit it does not set (kubelet's defaultPodLimitsForDownwardAPI). */
  public static Quantity limit(Container container, String name, Map<String, Quantity> nodeAllocatable) {
    Map<String, Quantity> limits = container.getResources() == null ? null : container.getResources().getLimits();
    Quantity limit = limits == null ? null : limits.get(name);
    return limit != null ? limit : nodeAllocatable.get(name);
  }

  /** The container's request; a limit without a request is also the request, as the API defaults it. */
  public static Quantity request(Container container, String name) {
    if (container.getResources() == null) {
      return null;
    }
    Map<String, Quantity> requests = container.getResources().getRequests();
    if (requests != null && requests.get(name) != null) {
      return requests.get(name);
    }
    Map<String, Quantity> limits = container.getResources().getLimits();
    return limits == null ? null : limits.get(name);
  }

  /** The quantity in its base unit (cores, bytes): {@code 500m} is 0.5, {@code 128Mi} is 134217728. */
  public static BigDecimal amount(Quantity quantity) {
    return quantity.getNumericalAmount();
  }

  /** Thousandths of the amount, rounded up, as Kubernetes' Quantity.MilliValue. */
  public static BigDecimal milli(BigDecimal amount) {
    return amount.multiply(THOUSAND).setScale(0, RoundingMode.CEILING);
  }

  /** The amount rounded up to a whole number, as Kubernetes' Quantity.Value. */
  public static BigDecimal whole(BigDecimal amount) {
    return amount.setScale(0, RoundingMode.CEILING);
  }
}
