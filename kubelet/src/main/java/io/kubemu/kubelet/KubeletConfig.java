package io.kubemu.kubelet;

import io.kubemu.kubelet.nodestatus.NodeConfig;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The kubelet's settings, from its flags.
 *
 * @param address where the kubelet's HTTP endpoint listens (--address)
 * @param healthzBindAddress where /healthz listens (--healthz-bind-address)
 * @param healthzPort 0: not served
 * @param rootDir the kubelet's directory (--root-dir): pods' volumes are under {@code pods/<uid>/volumes}
 */
public record KubeletConfig(NodeConfig node, String address, String healthzBindAddress, int healthzPort,
    Duration nodeStatusUpdateFrequency, Duration nodeStatusReportFrequency, int nodeLeaseDurationSeconds,
    Duration syncFrequency, int podWorkers, Path rootDir) {

  /** The same settings with the port the kubelet's endpoint was bound to (--port 0: a free one). */
  public KubeletConfig withKubeletPort(int port) {
    NodeConfig withPort = new NodeConfig(node.nodeName(), node.nodeIP(), node.cpu(), node.memory(), node.maxPods(), port,
        node.runtime(), node.labels(), node.taints());
    return new KubeletConfig(withPort, address, healthzBindAddress, healthzPort, nodeStatusUpdateFrequency,
        nodeStatusReportFrequency, nodeLeaseDurationSeconds, syncFrequency, podWorkers, rootDir);
  }
}
