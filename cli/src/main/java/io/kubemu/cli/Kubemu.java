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
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The one launcher: {@code kubemu <component> [flags]} runs one component in this JVM. The
 * {@code kubemu} script starts a new JVM for every call, so each component is its own process.
 * Only the component that runs is built as a command (its options read, its class initialised):
 * building the ten of them took a fifth of a controller-manager's CPU until it was leading.
 */
@Command(name = "kubemu", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "A Kubernetes cluster emulator: every component is its own process.")
public final class Kubemu implements Runnable {
  /** The subcommands, in the order the help lists them. */
  private static final List<Class<?>> SUBCOMMANDS = List.of(
      EtcdNodeCommand.class,
      ApiserverCommand.class,
      ControllerManagerCommand.class,
      SchedulerCommand.class,
      KubeletCommand.class,
      KubeProxyCommand.class,
      Etcdctl.class,
      KubeconfigCommand.class,
      UpCommand.class,
      CommandLine.HelpCommand.class);

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    stopWithKubemuUp();
    System.exit(commandLine(args.length > 0 ? args[0] : null).execute(args));
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

  /** The launcher with all its subcommands. */
  public static CommandLine commandLine() {
    return commandLine(null);
  }

  /**
   * The launcher with only the subcommand named {@code first} (the first argument), if there is
   * one by that name; with all of them otherwise (for the help, or to report a mistyped name).
   */
  static CommandLine commandLine(String first) {
    CommandLine kubemu = new CommandLine(new Kubemu());
    List<Class<?>> named = SUBCOMMANDS.stream().filter(command -> names(command).contains(first)).toList();
    for (Class<?> command : named.isEmpty() || first.equals("help") ? SUBCOMMANDS : named) {
      kubemu.addSubcommand(command);
    }
    return kubemu
        // As with Kubernetes' flags, a flag given twice takes its last value: `kubemu up` appends
        // the flags given by hand after those of its profile.
        .setOverwrittenOptionsAllowed(true)
        .setExecutionExceptionHandler((error, commandLine, parseResult) -> {
          // A user gets the reason in one line; the stack trace is for --debug logs, not for them.
          commandLine.getErr().println("Error: " + (error.getMessage() != null ? error.getMessage() : error.toString()));
          return 1;
        });
  }

  private static List<String> names(Class<?> command) {
    Command annotation = command.getAnnotation(Command.class);
    List<String> names = new ArrayList<>(List.of(annotation.aliases()));
    names.add(annotation.name());
    return names;
  }
}
