package io.kubemu.cli;

import io.kubemu.apiserver.ApiserverCommand;
import io.kubemu.cli.up.UpCommand;
import io.kubemu.component.Version;
import io.kubemu.controllermanager.ControllerManagerCommand;
import io.kubemu.etcd.EtcdNodeCommand;
import io.kubemu.etcd.ctl.Etcdctl;
import io.kubemu.kubelet.KubeletCommand;
import io.kubemu.kubeproxy.KubeProxyCommand;
import io.kubemu.scheduler.SchedulerCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The one launcher: {@code kubemu <component> [flags]} runs one component in this JVM. The
 * {@code kubemu} script starts a new JVM for every call, so each component is its own process.
 */
@Command(name = "kubemu", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "A Kubernetes cluster emulator: every component is its own process.",
    subcommands = {
        EtcdNodeCommand.class,
        ApiserverCommand.class,
        ControllerManagerCommand.class,
        SchedulerCommand.class,
        KubeletCommand.class,
        KubeProxyCommand.class,
        Etcdctl.class,
        KubeconfigCommand.class,
        UpCommand.class,
        CommandLine.HelpCommand.class})
public final class Kubemu implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    stopWithKubemuUp();
    System.exit(commandLine().execute(args));
  }

  /**
   * A component started by {@code kubemu up} stops (through its shutdown hook, as on SIGTERM)
   * when that {@code kubemu up} is gone, even killed with SIGKILL: no process of the cluster is
   * left behind without the one that stops them.
   */
  private static void stopWithKubemuUp() {
    String up = System.getenv("KUBEMU_UP_PID");
    if (up == null || !up.matches("\\d+")) {
      return;
    }
    ProcessHandle.of(Long.parseLong(up)).ifPresentOrElse(
        parent -> parent.onExit().thenRun(() -> System.exit(143)),
        () -> System.exit(143));
  }

  public static CommandLine commandLine() {
    return new CommandLine(new Kubemu())
        // As with Kubernetes' flags, a flag given twice takes its last value: `kubemu up` appends
        // the flags given by hand after those of its profile.
        .setOverwrittenOptionsAllowed(true)
        .setExecutionExceptionHandler((error, commandLine, parseResult) -> {
          // A user gets the reason in one line; the stack trace is for --debug logs, not for them.
          commandLine.getErr().println("Error: " + (error.getMessage() != null ? error.getMessage() : error.toString()));
          return 1;
        });
  }
}
