package io.kubemu.kubelet;

import io.kubemu.kubelet.nodestatus.NodeConfig;
import io.kubemu.kubelet.runtime.RuntimeVersion;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The kubelet's settings, from its flags.
 *
 * @param address where the kubelet's HTTP endpoint listens (--address)
 * @param healthzBindAddress where /healthz listens (--healthz-bind-address)
 * @param healthzPort 0: not served
 * @param rootDir the kubelet's directory (--root-dir): pods' volumes are under {@code pods/<uid>/volumes}
 * @param plegRelistPeriod how often the runtime's containers are listed to notice what changed (--pleg-relist-period)
 * @param crashLoopBackOffInitial a crashed container's first restart delay (--crash-loop-backoff-initial)
 * @param crashLoopBackOffMax the most it doubles to (--crash-loop-backoff-max); image pulls back off alike
 * @param eventRecordQps events written per second at most (--event-qps), 0 for no limit
 * @param eventBurst events written at once at most (--event-burst), with a qps
 */
public record KubeletConfig(NodeConfig node, String address, String healthzBindAddress, int healthzPort,
    Duration nodeStatusUpdateFrequency, Duration nodeStatusReportFrequency, int nodeLeaseDurationSeconds,
    Duration syncFrequency, int podWorkers, Path rootDir, Duration plegRelistPeriod, Duration crashLoopBackOffInitial,
    Duration crashLoopBackOffMax, int eventRecordQps, int eventBurst) {

  /** The same settings with the runtime's own name and version (Docker's is known once it answered). */
  public KubeletConfig withRuntime(RuntimeVersion runtime) {
    return withNode(new NodeConfig(node.nodeName(), node.nodeIP(), node.cpu(), node.memory(), node.maxPods(),
        node.kubeletPort(), runtime, node.labels(), node.taints()));
  }

  /** The same settings with the port the kubelet's endpoint was bound to (--port 0: a free one). */
  public KubeletConfig withKubeletPort(int port) {
    return withNode(new NodeConfig(node.nodeName(), node.nodeIP(), node.cpu(), node.memory(), node.maxPods(), port,
        node.runtime(), node.labels(), node.taints()));
  }

  private KubeletConfig withNode(NodeConfig changed) {
    return new KubeletConfig(changed, address, healthzBindAddress, healthzPort, nodeStatusUpdateFrequency,
        nodeStatusReportFrequency, nodeLeaseDurationSeconds, syncFrequency, podWorkers, rootDir, plegRelistPeriod,
        crashLoopBackOffInitial, crashLoopBackOffMax, eventRecordQps, eventBurst);
  }
}
