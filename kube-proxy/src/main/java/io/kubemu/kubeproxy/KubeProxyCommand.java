package io.kubemu.kubeproxy;

import io.kubemu.component.PendingComponent;
import picocli.CommandLine.Command;

/** {@code kubemu kube-proxy}. */
@Command(name = "kube-proxy", description = "Routes Service ClusterIPs and NodePorts to ready endpoints (iptables or userspace).")
public final class KubeProxyCommand extends PendingComponent {
}
