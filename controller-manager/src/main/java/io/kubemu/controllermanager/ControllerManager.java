package io.kubemu.controllermanager;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubemu.component.informers.InformerFactory;
import io.kubemu.controllermanager.discovery.ServerResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controllers of one kube-controller-manager, started together (while this process leads):
 * discovery, then each enabled controller is built on the shared informers and the informers are
 * started. Each controller runs its workers as soon as the informers it uses have synced, as in
 * Kubernetes: node IPAM need not wait for the garbage collector's informers of every resource.
 */
public final class ControllerManager implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ControllerManager.class);

  private final KubernetesClient client;
  private final ControllerManagerConfig config;
  private final List<Controllers.Descriptor> enabled;
  private final List<Controller> running = new ArrayList<>();
  private InformerFactory informers;
  private boolean closed;

  public ControllerManager(KubernetesClient client, ControllerManagerConfig config, List<Controllers.Descriptor> enabled) {
    this.client = client;
    this.config = config;
    this.enabled = enabled;
  }

  /**
   * Starts every enabled controller; returns once they all run. The informers list until the
   * apiserver answers, so this may wait long: it waits without holding this object, so that
   * {@link #close} (at SIGTERM) is never held up by it.
   */
  public void start() {
    List<String> names = new ArrayList<>();
    CompletableFuture<Void> all;
    synchronized (this) {
      if (closed) {
        return;
      }
      all = startControllers(names);
    }
    all.join();
    LOG.info("Started controllers: {}", names);
  }

  /** Builds the controllers and starts their informers; each controller runs once its informers synced. */
  private CompletableFuture<Void> startControllers(List<String> names) {
    informers = new InformerFactory(client, resyncPeriod());
    ControllerContext context = new ControllerContext(client, informers, ServerResources.discover(client), config);
    List<InformerFactory.Tracked<Controller>> built = new ArrayList<>();
    for (Controllers.Descriptor descriptor : enabled) {
      LOG.info("Starting {}", descriptor.name());
      InformerFactory.Tracked<Controller> controller = informers.tracking(() -> descriptor.constructor().apply(context));
      built.add(controller);
      running.add(controller.built());
      names.add(descriptor.name());
    }
    informers.start();
    List<CompletableFuture<Void>> runs = new ArrayList<>();
    for (int i = 0; i < built.size(); i++) {
      String name = names.get(i);
      Controller controller = built.get(i).built();
      runs.add(informers.synced(built.get(i).informers()).thenRun(() -> {
        LOG.info("Caches are synced for {}", name);
        controller.run();
      }));
    }
    return CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new));
  }

  /** Kubernetes' ResyncPeriod: between the minimum and twice it, so that replicas do not resync in step. */
  private Duration resyncPeriod() {
    long min = config.minResyncPeriod().toMillis();
    return Duration.ofMillis(min + ThreadLocalRandom.current().nextLong(min + 1));
  }

  @Override
  public synchronized void close() {
    closed = true;
    running.forEach(Controller::close);
    running.clear();
    if (informers != null) {
      informers.close();
    }
  }
}
