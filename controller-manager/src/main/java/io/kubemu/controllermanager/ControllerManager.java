package io.kubemu.controllermanager;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubemu.component.informers.InformerFactory;
import io.kubemu.controllermanager.discovery.ServerResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controllers of one kube-controller-manager, started together (while this process leads):
 * discovery, then each enabled controller is built on the shared informers, the informers are
 * started and synced, and then every controller runs its workers.
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

  /** Starts every enabled controller; returns once they all run. */
  public synchronized void start() {
    if (closed) {
      return;
    }
    informers = new InformerFactory(client, resyncPeriod());
    ControllerContext context = new ControllerContext(client, informers, ServerResources.discover(client), config);
    List<String> names = new ArrayList<>();
    for (Controllers.Descriptor descriptor : enabled) {
      LOG.info("Starting {}", descriptor.name());
      running.add(descriptor.constructor().apply(context));
      names.add(descriptor.name());
    }
    informers.start().join();
    LOG.info("Caches are synced");
    running.forEach(Controller::run);
    LOG.info("Started controllers: {}", names);
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
