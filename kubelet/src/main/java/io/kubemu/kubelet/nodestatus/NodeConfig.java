package io.kubemu.kubelet.nodestatus;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.kubemu.kubelet.runtime.RuntimeVersion;
import java.util.List;
import java.util.Map;

/**
 * What the kubelet says of its Node, from its flags: the name and IP, the (simulated) capacity,
 * the port of its HTTP endpoint, its runtime, and the labels and taints it registers with.
 */
public record NodeConfig(String nodeName, String nodeIP, Quantity cpu, Quantity memory, int maxPods, int kubeletPort,
    RuntimeVersion runtime, Map<String, String> labels, List<Taint> taints) {}
