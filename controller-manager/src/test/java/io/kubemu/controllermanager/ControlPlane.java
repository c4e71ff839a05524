package io.kubemu.controllermanager;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kubemu.apiserver.Apiserver;
import io.kubemu.apiserver.Kubectl;
import io.kubemu.etcd.EtcdCluster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of a cluster the controllers need, for integration tests: a real three-member store,
 * a real apiserver in this JVM, a fabric8 client and the real kubectl against it, and
 * controller-managers as processes of their own.
 */
final class ControlPlane implements AutoCloseable {
  final Path dir;
  final EtcdCluster store;
  final Apiserver apiserver;
  final KubernetesClient client;
  final Kubectl kubectl;
  private final List<ControllerManagerProcess> controllerManagers = new ArrayList<>();

  private ControlPlane(Path dir, EtcdCluster store, Apiserver apiserver, KubernetesClient client, Kubectl kubectl) {
    this.dir = dir;
    this.store = store;
    this.apiserver = apiserver;
    this.client = client;
    this.kubectl = kubectl;
  }

  static ControlPlane start(Path dir) throws IOException {
    EtcdCluster store = new EtcdCluster(dir.resolve("store"), 3).start();
    Apiserver apiserver = new Apiserver(new Apiserver.Config(store.endpoints(), "127.0.0.1", 0)).start();
    Config config = new ConfigBuilder(Config.empty()).withMasterUrl(server(apiserver))
        .withRequestRetryBackoffLimit(20).withRequestRetryBackoffInterval(100).build();
    return new ControlPlane(dir, store, apiserver, new KubernetesClientBuilder().withConfig(config).build(),
        Kubectl.against(dir.resolve("kubectl"), apiserver.port()));
  }

  private static String server(Apiserver apiserver) {
    return "http://127.0.0.1:" + apiserver.port();
  }

  ControllerManagerProcess startControllerManager(String name, String... flags) throws IOException {
    ControllerManagerProcess process = ControllerManagerProcess.start(dir, name, server(apiserver), flags);
    controllerManagers.add(process);
    return process;
  }

  @Override
  public void close() throws Exception {
    for (ControllerManagerProcess process : controllerManagers) {
      process.close();
    }
    client.close();
    apiserver.close();
    store.close();
  }
}
