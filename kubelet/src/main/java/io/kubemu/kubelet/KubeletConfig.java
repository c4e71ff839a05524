package io.kubemu.kubelet;

import io.kubemu.kubelet.nodestatus.NodeConfig;
import java.time.Duration;

/**
 * The kubelet's settings, from its flags.
 *
 * @param address where the kubelet's HTTP endpoint listens (--address)
 * @param healthzBindAddress where /healthz listens (--healthz-bind-address)
 * @param healthzPort 0: not served
 * @param plegRelistPeriod how often the runtime's containers are listed to notice what changed (--pleg-relist-period)
 * @param crashLoopBackOffInitial a crashed container's first restart delay (--crash-loop-backoff-initial)
 * @param crashLoopBackOffMax the most it doubles to (--crash-loop-backoff-max); image pulls back off alike
 */
public record KubeletConfig(NodeConfig node, String address, String healthzBindAddress, int healthzPort,
    Duration nodeStatusUpdateFrequency, Duration nodeStatusReportFrequency, int nodeLeaseDurationSeconds,
    Duration syncFrequency, int podWorkers, Duration plegRelistPeriod, Duration crashLoopBackOffInitial,
    Duration crashLoopBackOffMax) {

  /** The same settings with the port the kubelet's endpoint was bound to (--port 0: a free one). */
  public KubeletConfig withKubeletPort(int port) {
    NodeConfig withPort = new NodeConfig(node.nodeName(), node.nodeIP(), node.cpu(), node.memory(), node.maxPods(), port,
        node.runtime(), node.labels(), node.taints());
    return new KubeletConfig(withPort, address, healthzBindAddress, healthzPort, nodeStatusUpdateFrequency,
        nodeStatusReportFrequency, nodeLeaseDurationSeconds, syncFrequency, podWorkers, plegRelistPeriod,
        crashLoopBackOffInitial, crashLoopBackOffMax);
  }
}
