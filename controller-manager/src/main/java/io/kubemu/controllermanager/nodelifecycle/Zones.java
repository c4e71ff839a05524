package io.kubemu.controllermanager.nodelifecycle;

import io.fabric8.kubernetes.api.model.Node;
import java.util.Map;

/**
 * Kubernetes' zone disruption states: a zone (region and zone labels) whose Nodes are all
 * not ready is fully disrupted; one with more than two not-ready Nodes making up at least
 * {@code --unhealthy-zone-threshold} of it is partially disrupted; otherwise it is normal. The
 * state sets the zone's tainting rate.
 */
public final class Zones {
  public enum State { NORMAL, PARTIAL_DISRUPTION, FULL_DISRUPTION }

  static final String REGION_LABEL = "topology.kubernetes.io/region";
  static final String ZONE_LABEL = "topology.kubernetes.io/zone";

  private Zones() {}

  /** Kubernetes' GetZoneKey: region and zone, empty when the Node has neither. */
  public static String key(Node node) {
    Map<String, String> labels = node.getMetadata().getLabels();
    if (labels == null) {
      return "";
    }
    String region = labels.getOrDefault(REGION_LABEL, "");
    String zone = labels.getOrDefault(ZONE_LABEL, "");
    return region.isEmpty() && zone.isEmpty() ? "" : region + ":\u0000:" + zone;
  }

  public static State state(int ready, int notReady, double unhealthyZoneThreshold) {
    if (ready == 0 && notReady > 0) {
      return State.FULL_DISRUPTION;
    }
    if (notReady > 2 && (double) notReady / (notReady + ready) >= unhealthyZoneThreshold) {
      return State.PARTIAL_DISRUPTION;
    }
    return State.NORMAL;
  }

  /**
   * The tainting rate (Nodes per second) of a zone in a state: the eviction rate when normal
   * or fully disrupted, the secondary rate when partially disrupted in a large cluster, else 0.
   */
  public static double rate(State state, int zoneSize, double evictionRate, double secondaryEvictionRate,
      int largeClusterSizeThreshold) {
    return switch (state) {
      case NORMAL, FULL_DISRUPTION -> evictionRate;
      case PARTIAL_DISRUPTION -> zoneSize > largeClusterSizeThreshold ? secondaryEvictionRate : 0;
    };
  }
}
