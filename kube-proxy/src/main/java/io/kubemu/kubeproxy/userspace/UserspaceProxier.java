package io.kubemu.kubeproxy.userspace;

import io.kubemu.kubeproxy.Provider;
import io.kubemu.kubeproxy.healthcheck.ProxierHealthServer;
import io.kubemu.kubeproxy.model.Endpoint;
import io.kubemu.kubeproxy.model.ServicePort;
import io.kubemu.kubeproxy.model.ServicePortName;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kube-proxy's userspace mode, for machines where it may not write iptables rules: a TCP proxy
 * per service port, listening on {@code 127.0.0.1}, that copies each connection to the ready
 * endpoints in turn ({@link LoadBalancerRR}), trying the next when one refuses.
 *
 * <p>Where a service port listens: a NodePort service at its NodePort; any other at a port of
 * {@code --proxy-port-range} (as Kubernetes' userspace proxier, the first free one, kept as long
 * as the service port exists), or any free port when no range is given. Each port is logged
 * ("default/web:http 10.43.0.12:80 is served on 127.0.0.1:20001"). UDP ports are not proxied.
 */
public final class UserspaceProxier implements Provider, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(UserspaceProxier.class);
  static final String HOST = "127.0.0.1";

  private record Listener(ServicePort port, NetServer server) {}

  private final Vertx vertx;
  private final NetClient client;
  private final LoadBalancerRR loadBalancer = new LoadBalancerRR();
  private final int rangeFirst;
  private final int rangeLast;
  private final Map<ServicePortName, Listener> listeners = new HashMap<>();
  private final Supplier<List<ServicePort>> ports;
  private final ProxierHealthServer health;

  /**
   * @param rangeFirst first port of {@code --proxy-port-range}; 0: any free port
   * @param ports the service ports to serve when {@link #sync(boolean)} is asked
   */
  public UserspaceProxier(Vertx vertx, int rangeFirst, int rangeLast, Supplier<List<ServicePort>> ports,
      ProxierHealthServer health) {
    this.vertx = vertx;
    this.ports = ports;
    this.health = health;
    this.client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(2000));
    this.rangeFirst = rangeFirst;
    this.rangeLast = rangeLast;
  }

  @Override
  public void servicesChanged() {
    health.queued();
  }

  @Override
  public void endpointsChanged(Instant trigger) {
    health.queued();
  }

  @Override
  public boolean sync(boolean periodic) {
    boolean ok = sync(ports.get());
    if (ok) {
      health.updated();
    }
    return ok;
  }

  /** Makes the listeners match {@code ports}: opens new ones, closes those of ports gone. Returns whether all listen. */
  public synchronized boolean sync(List<ServicePort> ports) {
    boolean ok = true;
    Map<ServicePortName, ServicePort> wanted = new HashMap<>();
    for (ServicePort port : ports) {
      if ("TCP".equals(port.protocol())) {
        wanted.put(port.name(), port);
      }
    }
    for (Map.Entry<ServicePortName, Listener> entry : Map.copyOf(listeners).entrySet()) {
      ServicePort now = wanted.get(entry.getKey());
      ServicePort was = entry.getValue().port();
      if (now == null || now.nodePort() != was.nodePort() || !now.clusterIP().equals(was.clusterIP())
          || now.port() != was.port()) {
        close(entry.getKey());
      }
    }
    for (ServicePort port : wanted.values()) {
      loadBalancer.update(port.name(), port.endpoints());
      Listener listener = listeners.get(port.name());
      if (listener == null) {
        ok &= listen(port);
      } else {
        listeners.put(port.name(), new Listener(port, listener.server()));
      }
    }
    return ok;
  }

  /** The local port a service port is served on, or -1. */
  public synchronized int localPort(ServicePortName name) {
    Listener listener = listeners.get(name);
    return listener == null ? -1 : listener.server().actualPort();
  }

  private boolean listen(ServicePort port) {
    if (port.nodePort() > 0) {
      return bind(port, port.nodePort());
    }
    if (rangeFirst == 0) {
      return bind(port, 0);
    }
    for (int candidate = rangeFirst; candidate <= rangeLast; candidate++) {
      if (!inUse(candidate) && bind(port, candidate)) {
        return true;
      }
    }
    LOG.error("no free port left in --proxy-port-range {}-{} for {}", rangeFirst, rangeLast, port.name());
    return false;
  }

  private boolean inUse(int candidate) {
    return listeners.values().stream().anyMatch(listener -> listener.server().actualPort() == candidate);
  }

  private boolean bind(ServicePort port, int localPort) {
    ServicePortName name = port.name();
    NetServer server = vertx.createNetServer().connectHandler(socket -> proxy(name, socket));
    try {
      server.listen(localPort, HOST).await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("{}: cannot listen on {}:{}: {}", name, HOST, localPort, e.getMessage());
      server.close();
      return false;
    }
    listeners.put(name, new Listener(port, server));
    LOG.info("{} {}:{} is served on {}:{}", name, port.clusterIP(), port.port(), HOST, server.actualPort());
    return true;
  }

  private void close(ServicePortName name) {
    Listener listener = listeners.remove(name);
    loadBalancer.remove(name);
    if (listener != null) {
      try {
        listener.server().close().await(10, TimeUnit.SECONDS); // the port is free once sync returns
      } catch (Exception e) {
        LOG.warn("{}: closing its listener failed: {}", name, e.getMessage());
      }
      LOG.info("{} is no longer served on {}:{}", name, HOST, listener.server().actualPort());
    }
  }

  private void proxy(ServicePortName name, NetSocket inbound) {
    inbound.pause();
    connect(loadBalancer.nextEndpoints(name), 0).onComplete(result -> {
      if (result.failed()) {
        LOG.debug("{}: no endpoint took the connection: {}", name, result.cause().getMessage());
        inbound.close();
        return;
      }
      NetSocket outbound = result.result();
      inbound.pipeTo(outbound);
      outbound.pipeTo(inbound);
    });
  }

  /** Connects to the endpoints in order until one accepts. */
  private Future<NetSocket> connect(List<Endpoint> endpoints, int index) {
    if (index >= endpoints.size()) {
      return Future.failedFuture(endpoints.isEmpty() ? "the service has no ready endpoints"
          : "every endpoint refused");
    }
    Endpoint endpoint = endpoints.get(index);
    Promise<NetSocket> promise = Promise.promise();
    client.connect(endpoint.port(), endpoint.ip()).onComplete(result -> {
      if (result.succeeded()) {
        promise.complete(result.result());
      } else {
        connect(endpoints, index + 1).onComplete(promise);
      }
    });
    return promise.future();
  }

  @Override
  public synchronized void close() {
    for (ServicePortName name : List.copyOf(listeners.keySet())) {
      close(name);
    }
    client.close();
  }
}
