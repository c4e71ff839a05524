package io.kubemu.cli;

import io.kubemu.component.Version;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kubemu kubeconfig}: prints a kubeconfig that points kubectl at a kubemu apiserver. */
@Command(name = "kubeconfig", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = {"Prints a kubeconfig for a kubemu apiserver, e.g.",
        "  ./kubemu kubeconfig --server http://127.0.0.1:8080 > kubeconfig && export KUBECONFIG=$PWD/kubeconfig"})
public final class KubeconfigCommand implements Callable<Integer> {
  @Option(names = "--server", defaultValue = "http://127.0.0.1:8080", description = "The apiserver's URL (default: ${DEFAULT-VALUE}).")
  String server;

  @Option(names = "--name", defaultValue = "kubemu", description = "Name of the cluster, user and context (default: ${DEFAULT-VALUE}).")
  String name;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getOut().print(kubeconfig(server, name));
    spec.commandLine().getOut().flush();
    return 0;
  }

  /** A kubeconfig whose one context reaches {@code server} as cluster, user and context {@code name}. */
  public static String kubeconfig(String server, String name) {
    return String.join("\n",
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        "- name: " + name,
        "  cluster:",
        "    server: " + server,
        "users:",
        "- name: " + name,
        "  user: {}",
        "contexts:",
        "- name: " + name,
        "  context:",
        "    cluster: " + name,
        "    user: " + name,
        "current-context: " + name,
        "");
  }
}
