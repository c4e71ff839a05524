package io.kubemu.kubelet.runtime;

/**
 * CRI's LinuxContainerResources, the cgroup values the kubelet computes from a container's
 * requests and limits: CPU shares from the request (1024 per core, at least 2), CPU quota over
 * the period from the limit, memory limit in bytes; 0 means not set.
 */
public record LinuxContainerResources(long cpuPeriod, long cpuQuota, long cpuShares, long memoryLimitInBytes) {
  public static final LinuxContainerResources NONE = new LinuxContainerResources(0, 0, 0, 0);
}
