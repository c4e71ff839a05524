package io.kubemu.component.client;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The flags a component takes to reach the apiserver, with Kubernetes' names and the
 * kube-controller-manager's defaults; {@code @Mixin} them into a component's command.
 */
public final class ClientFlags {
  @Option(names = {"--server", "--master"}, paramLabel = "URL",
      description = "The apiserver's URL, e.g. http://127.0.0.1:8080 (overrides the kubeconfig's server).")
  String server;

  @Option(names = "--kubeconfig", paramLabel = "FILE", description = "A kubeconfig file naming the apiserver.")
  Path kubeconfig;

  @Option(names = "--kube-api-qps", defaultValue = "20", paramLabel = "QPS",
      description = "Requests per second to the apiserver, on average; 0: unlimited (default: ${DEFAULT-VALUE}).")
  double qps;

  @Option(names = "--kube-api-burst", defaultValue = "30", paramLabel = "N",
      description = "Requests to the apiserver allowed at once above the average (default: ${DEFAULT-VALUE}).")
  int burst;

  public ClientConfig config() {
    return new ClientConfig(server, kubeconfig, qps, burst);
  }
}
