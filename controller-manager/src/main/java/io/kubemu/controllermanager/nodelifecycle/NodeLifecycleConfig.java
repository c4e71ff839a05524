package io.kubemu.controllermanager.nodelifecycle;

import java.time.Duration;

/**
 * The node lifecycle controller's flags, with kube-controller-manager's names and defaults.
 *
 * @param nodeMonitorPeriod how often Node health is checked ({@code --node-monitor-period}, 5s)
 * @param nodeMonitorGracePeriod how long a running Node may be silent before it is unhealthy
 *     ({@code --node-monitor-grace-period}, 50s since Kubernetes 1.32)
 * @param nodeStartupGracePeriod the same for a Node that never posted its status
 *     ({@code --node-startup-grace-period}, 1m)
 * @param nodeEvictionRate Nodes tainted for eviction per second in a healthy zone ({@code --node-eviction-rate}, 0.1)
 * @param secondaryNodeEvictionRate the same in an unhealthy zone of a large cluster
 *     ({@code --secondary-node-eviction-rate}, 0.01)
 * @param unhealthyZoneThreshold the share of not-ready Nodes that makes a zone unhealthy
 *     ({@code --unhealthy-zone-threshold}, 0.55)
 * @param largeClusterSizeThreshold zones up to this size stop evicting when unhealthy
 *     ({@code --large-cluster-size-threshold}, 50)
 */
public record NodeLifecycleConfig(Duration nodeMonitorPeriod, Duration nodeMonitorGracePeriod,
    Duration nodeStartupGracePeriod, double nodeEvictionRate, double secondaryNodeEvictionRate,
    double unhealthyZoneThreshold, int largeClusterSizeThreshold) {

  /** @throws IllegalArgumentException for values the controller cannot work with */
  public void validate() {
    if (nodeMonitorPeriod.isZero() || nodeMonitorPeriod.isNegative()) {
      throw new IllegalArgumentException("--node-monitor-period must be positive, got " + nodeMonitorPeriod);
    }
    if (nodeMonitorGracePeriod.isNegative() || nodeStartupGracePeriod.isNegative()) {
      throw new IllegalArgumentException("--node-monitor-grace-period and --node-startup-grace-period must not be "
          + "negative");
    }
    if (nodeEvictionRate < 0 || secondaryNodeEvictionRate < 0) {
      throw new IllegalArgumentException("--node-eviction-rate and --secondary-node-eviction-rate must not be negative");
    }
    if (unhealthyZoneThreshold <= 0 || unhealthyZoneThreshold > 1) {
      throw new IllegalArgumentException("--unhealthy-zone-threshold must be in (0, 1], got " + unhealthyZoneThreshold);
    }
  }
}
