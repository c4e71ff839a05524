package io.kubemu.controllermanager;

import io.kubemu.component.PendingComponent;
import picocli.CommandLine.Command;

/** {@code kubemu controller-manager}. */
@Command(name = "controller-manager", description = "Runs the Deployment, ReplicaSet, Endpoints, Node lifecycle, garbage collector and Namespace controllers.")
public final class ControllerManagerCommand extends PendingComponent {
}
