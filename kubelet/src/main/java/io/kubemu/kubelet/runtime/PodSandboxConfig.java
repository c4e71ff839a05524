package io.kubemu.kubelet.runtime;

import java.util.Map;

/**
 * What the kubelet asks of a new sandbox (CRI's PodSandboxConfig). {@code ip} is the address the
 * kubelet's network plugin allocated from the node's podCIDR (in CRI, CNI would choose it inside
 * the runtime; kubemu keeps IPAM in the kubelet, as kubenet did); for host-network pods it is the
 * node's IP.
 */
public record PodSandboxConfig(PodSandboxMetadata metadata, String hostname, String ip, boolean hostNetwork,
    Map<String, String> labels) {}
