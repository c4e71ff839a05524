package io.kubemu.kubelet;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubemu.kubelet.runtime.ImageService;
import io.kubemu.kubelet.runtime.RuntimeService;
import io.kubemu.kubelet.runtime.simulated.SimulatedRuntime;
import io.kubemu.kubelet.server.KubeletServer;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node of a kubelet process: its {@link Kubelet}, its runtime and its endpoint. A kubelet
 * process runs one, or with the simulated runtime as many as it is given node names, all on one
 * apiserver client.
 */
final class NodeAgent implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeAgent.class);
  /** Nodes registered and synced at once when a process runs many. */
  private static final int STARTING_AT_ONCE = 8;

  private final KubeletServer server;
  private final Kubelet kubelet;
  private final String nodeName;

  private NodeAgent(KubeletServer server, Kubelet kubelet, String nodeName) {
    this.server = server;
    this.kubelet = kubelet;
    this.nodeName = nodeName;
  }

  /** A simulated node: see {@link #bind(KubernetesClient, KubeletConfig, String, int, Clock, RuntimeService, ImageService, BiFunction)}. */
  static NodeAgent bind(KubernetesClient client, KubeletConfig config, String address, int port, Clock clock)
      throws IOException {
    SimulatedRuntime simulated = new SimulatedRuntime(clock);
    return bind(client, config, address, port, clock, simulated, simulated, simulated::adopt);
  }

  /**
   * Binds the node's endpoint (the configured port, or a free one for 0) and builds its kubelet on
   * the runtime; {@code adoption} takes back a pod the runtime forgot over a restart (see {@link Kubelet}).
   */
  static NodeAgent bind(KubernetesClient client, KubeletConfig config, String address, int port, Clock clock,
      RuntimeService runtime, ImageService images, BiFunction<Pod, String, String> adoption) throws IOException {
    KubeletServer server = KubeletServer.bind(address, port, clock);
    Kubelet kubelet = new Kubelet(client, config.withKubeletPort(server.port()), runtime, images, adoption,
        clock);
    server.start(kubelet.podWorkers(), kubelet.runtimeManager());
    return new NodeAgent(server, kubelet, config.node().nodeName());
  }

  String nodeName() {
    return nodeName;
  }

  int port() {
    return server.port();
  }

  /** Registers and starts every node, a few at a time; returns when all run. */
  static void runAll(List<NodeAgent> agents) throws InterruptedException {
    if (agents.size() == 1) {
      agents.get(0).kubelet.run();
      return;
    }
    ExecutorService starting = Executors.newFixedThreadPool(Math.min(STARTING_AT_ONCE, agents.size()));
    try {
      List<Future<Object>> started = agents.stream().map(agent -> starting.<Object>submit(() -> {
        agent.kubelet.run();
        return null;
      })).toList();
      for (Future<Object> future : started) {
        try {
          future.get();
        } catch (java.util.concurrent.ExecutionException e) {
          LOG.error("a node could not be started: {}", e.getCause().getMessage(), e.getCause());
        }
      }
      LOG.info("{} simulated nodes are running in this kubelet", agents.size());
    } finally {
      starting.shutdown();
    }
  }

  /** Stops the kubelet's loops (before the client closes). */
  void stop() {
    kubelet.close();
  }

  @Override
  public void close() {
    kubelet.close(); // again, harmless: for an agent that never ran
    server.close();
  }
}
