package io.kubemu.kubelet.runtime;

import java.util.List;
import java.util.Map;

/**
 * What the kubelet asks of a new container (CRI's ContainerConfig). The labels carry the
 * kubelet's own keys ({@link Labels}), as Kubernetes' kuberuntime labels its containers.
 */
public record ContainerConfig(String name, int attempt, String image, List<String> command, List<String> args,
    Map<String, String> labels) {}
