package io.kubemu.apiserver;

import io.kubemu.component.HostPort;
import io.kubemu.etcd.EtcdCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The control plane an integration test class runs against: a real three-member store and
 * a real apiserver over it, started before the class's first test and stopped after its
 * last, with the clients tests speak to it through (plain HTTP and the real kubectl).
 * Registered as {@code @RegisterExtension static final ControlPlane cluster = new ControlPlane();}.
 */
final class ControlPlane implements BeforeAllCallback, AfterAllCallback {
  private final Function<List<HostPort>, Apiserver.Config> config;
  private Path dir;
  private EtcdCluster store;
  private Apiserver.Config apiserverConfig;
  private Apiserver apiserver;
  private ApiClient api;
  private Kubectl kubectl;

  /** An apiserver with kube-apiserver's defaults, on a free port of 127.0.0.1. */
  ControlPlane() {
    this(etcdServers -> new Apiserver.Config(etcdServers, "127.0.0.1", 0));
  }

  /** An apiserver configured for the store's client endpoints by {@code config}. */
  ControlPlane(Function<List<HostPort>, Apiserver.Config> config) {
    this.config = config;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    dir = Files.createTempDirectory(context.getRequiredTestClass().getSimpleName());
    store = new EtcdCluster(dir.resolve("store"), 3).start();
    startApiserver(config.apply(store.endpoints()));
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    try {
      if (apiserver != null) {
        apiserver.close();
      }
    } finally {
      if (store != null) {
        store.close();
      }
      delete(dir);
    }
  }

  EtcdCluster store() {
    return store;
  }

  /** The apiserver running now (a restart replaces it). */
  Apiserver apiserver() {
    return apiserver;
  }

  /** A plain HTTP client of the apiserver running now. */
  ApiClient api() {
    return api;
  }

  /** The real kubectl with a kubeconfig for the apiserver running now. */
  Kubectl kubectl() {
    return kubectl;
  }

  /** Stops the apiserver and starts a new one on the same port over the same store, as a restarted process. */
  void restartApiserver() throws IOException {
    restartApiserverOn(apiserver.port());
  }

  /** Stops the apiserver and starts a new one over the same store on another free port. */
  void restartApiserverOnAnotherPort() throws IOException {
    restartApiserverOn(0);
  }

  private void restartApiserverOn(int port) throws IOException {
    apiserver.close();
    apiserver = null;
    Apiserver.Config c = apiserverConfig;
    startApiserver(new Apiserver.Config(c.etcdServers(), c.bindAddress(), port, c.eventTtl(), c.compactionInterval(),
        c.advertiseAddress(), c.serviceClusterIPRange(), c.serviceNodePortRange(), c.kubeletTimeout(),
        c.defaultNotReadyTolerationSeconds(), c.defaultUnreachableTolerationSeconds()));
  }

  private void startApiserver(Apiserver.Config config) throws IOException {
    apiserverConfig = config;
    apiserver = new Apiserver(config).start();
    api = new ApiClient(apiserver.port());
    kubectl = Kubectl.against(dir.resolve("kubectl"), apiserver.port());
  }

  private static void delete(Path dir) throws IOException {
    if (dir == null) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
