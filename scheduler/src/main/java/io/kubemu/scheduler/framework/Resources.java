package io.kubemu.scheduler.framework;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;

/**
 * The cpu (millicores) and memory (bytes) a pod requests, as the scheduler counts them: the sum
 * of its containers' requests or, if larger, the largest of its init containers' (which run one
 * at a time, before the others), plus its overhead.
 */
public record Resources(long milliCpu, long memory) {
  public static final Resources NONE = new Resources(0, 0);
  /** What the scorers count for a container that requests nothing (Kubernetes' non-zero defaults). */
  static final long DEFAULT_MILLI_CPU_REQUEST = 100;
  static final long DEFAULT_MEMORY_REQUEST = 200L * 1024 * 1024;

  public static Resources requestedBy(Pod pod) {
    return requestedBy(pod, false);
  }

  /** As {@link #requestedBy}, but a container requesting no cpu or memory counts the defaults: for scoring. */
  public static Resources nonZeroRequestedBy(Pod pod) {
    return requestedBy(pod, true);
  }

  private static Resources requestedBy(Pod pod, boolean nonZero) {
    Resources sum = NONE;
    for (Container container : pod.getSpec().getContainers()) {
      sum = sum.plus(of(container, nonZero));
    }
    for (Container init : listOrEmpty(pod.getSpec().getInitContainers())) {
      sum = sum.max(of(init, nonZero));
    }
    return sum.plus(of(pod.getSpec().getOverhead(), false));
  }

  /** The cpu and memory in a resource list, e.g. a node's allocatable. */
  public static Resources of(Map<String, Quantity> list) {
    return of(list, false);
  }

  private static Resources of(Container container, boolean nonZero) {
    return of(container.getResources() == null ? null : container.getResources().getRequests(), nonZero);
  }

  private static Resources of(Map<String, Quantity> list, boolean nonZero) {
    Quantity cpu = list == null ? null : list.get("cpu");
    Quantity memory = list == null ? null : list.get("memory");
    long milliCpu = cpu == null ? (nonZero ? DEFAULT_MILLI_CPU_REQUEST : 0) : milliValue(cpu);
    long bytes = memory == null ? (nonZero ? DEFAULT_MEMORY_REQUEST : 0) : value(memory);
    return new Resources(milliCpu, bytes);
  }

  /** A quantity in thousandths, rounded up: cpu "250m" is 250, "1" is 1000. */
  public static long milliValue(Quantity quantity) {
    return quantity.getNumericalAmount().movePointRight(3).setScale(0, RoundingMode.CEILING).longValueExact();
  }

  /** A quantity as a whole number, rounded up: memory "1Gi" is 1073741824, pods "110" is 110. */
  public static long value(Quantity quantity) {
    BigDecimal amount = quantity.getNumericalAmount();
    return amount.setScale(0, RoundingMode.CEILING).longValueExact();
  }

  public Resources plus(Resources other) {
    return new Resources(milliCpu + other.milliCpu, memory + other.memory);
  }

  Resources max(Resources other) {
    return new Resources(Math.max(milliCpu, other.milliCpu), Math.max(memory, other.memory));
  }

  private static <T> List<T> listOrEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
