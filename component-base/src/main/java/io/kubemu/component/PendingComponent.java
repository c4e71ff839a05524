package io.kubemu.component;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A component whose command exists (so {@code kubemu --help} shows the whole cluster) but
 * which this build does not run yet. It says so and exits with status 2.
 */
@Command(mixinStandardHelpOptions = true, versionProvider = Version.class)
public abstract class PendingComponent implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getErr().println("kubemu " + spec.name() + ": this component is not part of this build yet.");
    return 2;
  }
}
