package io.kubemu.cli.up;

import java.util.List;
import java.util.Map;

/**
 * Timings for a whole cluster. {@code default} is Kubernetes' own: a node that dies is noticed
 * after 50 s and its pods are evicted 5 min later. {@code fast} shortens every timing that stands
 * between killing a process and seeing the cluster heal, for demos: each is an ordinary flag of
 * the component, listed here and in the README, so that any of them can also be given by hand.
 */
enum Profile {
  DEFAULT(Map.of()),
  FAST(Map.of(
      // Pods tolerate an unreachable or not-ready node for 3 s instead of 300 s.
      "apiserver", List.of("--default-not-ready-toleration-seconds=3", "--default-unreachable-toleration-seconds=3"),
      // A node is Unknown 8 s after its last heartbeat (Kubernetes: 50 s), checked every second.
      "controller-manager", List.of("--node-monitor-period=1s", "--node-monitor-grace-period=8s",
          "--leader-elect-lease-duration=4s", "--leader-elect-renew-deadline=3s", "--leader-elect-retry-period=1s"),
      "scheduler", List.of(
          "--leader-elect-lease-duration=4s", "--leader-elect-renew-deadline=3s", "--leader-elect-retry-period=1s"),
      // The kubelet renews its Lease every 2 s (a quarter of its 8 s duration) and posts status every 2 s.
      "kubelet", List.of("--node-lease-duration-seconds=8", "--node-status-update-frequency=2s")));

  private final Map<String, List<String>> flags;

  Profile(Map<String, List<String>> flags) {
    this.flags = flags;
  }

  /** The flags this profile gives a component (kubemu's subcommand name). */
  List<String> flags(String component) {
    return flags.getOrDefault(component, List.of());
  }
}
