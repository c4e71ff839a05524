package io.kubemu.kubelet;

import io.kubemu.component.PendingComponent;
import picocli.CommandLine.Command;

/** {@code kubemu kubelet}. */
@Command(name = "kubelet", description = "The node agent: registers a Node and runs its pods on a container runtime.")
public final class KubeletCommand extends PendingComponent {
}
