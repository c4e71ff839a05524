package io.kubemu.component.leaderelection;

import io.kubemu.component.Durations;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The leader election flags of kube-controller-manager and kube-scheduler, with their names and
 * defaults; {@code @Mixin} them into a component's command. Only Lease locks exist in kubemu.
 */
public final class LeaderElectionFlags {
  @Option(names = "--leader-elect", arity = "0..1", defaultValue = "true", fallbackValue = "true", paramLabel = "BOOL",
      description = "Start a leader election client and gain leadership before running the main loop; "
          + "for replicated components, for high availability (default: ${DEFAULT-VALUE}).")
  boolean enabled;

  @Option(names = "--leader-elect-lease-duration", defaultValue = "15s", converter = Durations.class,
      paramLabel = "DURATION",
      description = "How long a standby waits after the leader's last renewal before it takes over "
          + "(default: ${DEFAULT-VALUE}).")
  Duration leaseDuration;

  @Option(names = "--leader-elect-renew-deadline", defaultValue = "10s", converter = Durations.class,
      paramLabel = "DURATION",
      description = "How long the leader keeps trying to renew before it stops leading; less than the lease "
          + "duration (default: ${DEFAULT-VALUE}).")
  Duration renewDeadline;

  @Option(names = "--leader-elect-retry-period", defaultValue = "2s", converter = Durations.class,
      paramLabel = "DURATION",
      description = "How long clients wait between tries to acquire or renew leadership (default: ${DEFAULT-VALUE}).")
  Duration retryPeriod;

  @Option(names = "--leader-elect-resource-namespace", defaultValue = "kube-system", paramLabel = "NAMESPACE",
      description = "The namespace of the Lease that is the lock (default: ${DEFAULT-VALUE}).")
  String namespace;

  @Option(names = "--leader-elect-resource-name", paramLabel = "NAME",
      description = "The name of the Lease that is the lock (default: the component's, e.g. kube-controller-manager).")
  String name;

  /** The configuration the flags give, the lock named {@code defaultName} unless a flag names it. */
  public LeaderElectionConfig config(String defaultName) {
    return new LeaderElectionConfig(enabled, leaseDuration, renewDeadline, retryPeriod, namespace,
        name != null ? name : defaultName);
  }
}
