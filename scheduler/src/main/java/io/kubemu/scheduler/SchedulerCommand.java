package io.kubemu.scheduler;

import io.kubemu.component.PendingComponent;
import picocli.CommandLine.Command;

/** {@code kubemu scheduler}. */
@Command(name = "scheduler", description = "Binds pending pods to nodes through filter and score plugins.")
public final class SchedulerCommand extends PendingComponent {
}
