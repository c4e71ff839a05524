package io.kubemu.component.leaderelection;

import java.time.Duration;

/**
 * How a component competes for leadership, with Kubernetes' meaning: the holder of the Lease
 * {@code namespace/name} leads; it renews within {@code renewDeadline} or stops leading; the
 * others try every {@code retryPeriod} and take over once the lease is {@code leaseDuration} old.
 */
public record LeaderElectionConfig(boolean enabled, Duration leaseDuration, Duration renewDeadline,
    Duration retryPeriod, String namespace, String name) {
  /** client-go's JitterFactor: retries are spread by up to this factor of the retry period. */
  static final double JITTER_FACTOR = 1.2;

  public LeaderElectionConfig {
    // client-go's own checks, with its messages.
    if (leaseDuration.compareTo(renewDeadline) <= 0) {
      throw new IllegalArgumentException("leaseDuration must be greater than renewDeadline");
    }
    if (renewDeadline.toMillis() <= JITTER_FACTOR * retryPeriod.toMillis()) {
      throw new IllegalArgumentException("renewDeadline must be greater than retryPeriod*JitterFactor");
    }
  }

  /** Kubernetes' defaults: 15 s lease, 10 s renew deadline, 2 s retry period, in kube-system. */
  public static LeaderElectionConfig defaults(String name) {
    return new LeaderElectionConfig(true, Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2),
        "kube-system", name);
  }
}
