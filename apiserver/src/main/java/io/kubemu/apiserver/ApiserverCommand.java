package io.kubemu.apiserver;

import io.kubemu.component.PendingComponent;
import picocli.CommandLine.Command;

/** {@code kubemu apiserver}. */
@Command(name = "apiserver", description = "The Kubernetes API server: REST, watch, discovery and admission over the store.")
public final class ApiserverCommand extends PendingComponent {
}
