package io.kubemu.kubelet.kuberuntime;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kubemu.kubelet.fieldpath.ResourceValues;
import io.kubemu.kubelet.runtime.LinuxContainerResources;
import java.math.BigDecimal;
import java.util.Map;

/**
 * A container's requests and limits as cgroup values, as kuberuntime's calculateLinuxResources:
 * CPU shares from the CPU request (the limit when only a limit is set), 1024 per core and at least
 * 2; a CFS quota from the CPU limit over a period of 100ms, at least 1ms; the memory limit in
 * bytes. No CPU limit is quota 0 (unlimited), no memory limit is 0.
 */
public final class ContainerResources {
  static final long QUOTA_PERIOD = 100_000;
  static final long MIN_QUOTA_PERIOD = 1_000;
  static final long MIN_SHARES = 2;
  static final long MAX_SHARES = 262_144;
  static final long SHARES_PER_CPU = 1024;
  static final long MILLI_CPU_TO_CPU = 1000;

  private ContainerResources() {}

  public static LinuxContainerResources linux(Container container) {
    Map<String, Quantity> requests = container.getResources() == null ? null : container.getResources().getRequests();
    Map<String, Quantity> limits = container.getResources() == null ? null : container.getResources().getLimits();
    Quantity cpuRequest = requests == null ? null : requests.get("cpu");
    long cpuLimit = milliCpu(limits == null ? null : limits.get("cpu"));
    long shares = cpuRequest == null && cpuLimit != 0 ? milliCpuToShares(cpuLimit) : milliCpuToShares(milliCpu(cpuRequest));
    Quantity memory = limits == null ? null : limits.get("memory");
    long memoryLimit = memory == null ? 0 : ResourceValues.whole(ResourceValues.amount(memory)).longValueExact();
    return new LinuxContainerResources(QUOTA_PERIOD, milliCpuToQuota(cpuLimit, QUOTA_PERIOD), shares, memoryLimit);
  }

  /** 1024 shares per core, at least 2 (an absent or zero request too), at most 262144. */
  static long milliCpuToShares(long milliCpu) {
    if (milliCpu == 0) {
      return MIN_SHARES;
    }
    long shares = milliCpu * SHARES_PER_CPU / MILLI_CPU_TO_CPU;
    return Math.max(MIN_SHARES, Math.min(MAX_SHARES, shares));
  }

  /** The limit's share of each period, at least 1ms; 0 (no limit) stays 0. */
  static long milliCpuToQuota(long milliCpu, long period) {
    if (milliCpu == 0) {
      return 0;
    }
    return Math.max(MIN_QUOTA_PERIOD, milliCpu * period / MILLI_CPU_TO_CPU);
  }

  static long milliCpu(Quantity quantity) {
    if (quantity == null) {
      return 0;
    }
    BigDecimal amount = ResourceValues.amount(quantity);
    return ResourceValues.milli(amount).longValueExact();
  }
}
