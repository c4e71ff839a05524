package io.kubemu.kubelet.prober;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HTTPHeader;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.TCPSocketAction;
import io.kubemu.kubelet.runtime.ExecSyncResponse;
import io.kubemu.kubelet.runtime.RuntimeService;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one probe of a container once (Kubernetes' prober.runProbe): an exec in the container through
 * the runtime, an HTTP GET or a TCP connection to the pod's IP (or the probe's host) on a port given
 * by number or by the name of one of the container's ports. gRPC probes are not run: they count as
 * succeeding. With a runtime whose pods nothing listens for (the simulated one, as kwok), the
 * network probes are not run either and succeed.
 */
public final class Prober {
  private static final Logger LOG = LoggerFactory.getLogger(Prober.class);

  private final RuntimeService runtime;
  private final boolean networkProbes;

  /**
   * @param networkProbes false when nothing listens on the pods' IPs (the simulated runtime): httpGet and tcpSocket
   *     probes then succeed without a connection
   */
  public Prober(RuntimeService runtime, boolean networkProbes) {
    this.runtime = runtime;
    this.networkProbes = networkProbes;
  }

  public ProbeResult probe(Probe probe, Container container, String containerId, String podIP) {
    Duration timeout = Duration.ofSeconds(probe.getTimeoutSeconds() == null || probe.getTimeoutSeconds() < 1 ? 1
        : probe.getTimeoutSeconds());
    try {
      if (probe.getExec() != null) {
        List<String> command = probe.getExec().getCommand() == null ? List.of() : probe.getExec().getCommand();
        ExecSyncResponse response = runtime.execSync(containerId, command, timeout);
        String output = new String(response.stdout(), StandardCharsets.UTF_8)
            + new String(response.stderr(), StandardCharsets.UTF_8);
        return response.exitCode() == 0 ? ProbeResult.success(output) : ProbeResult.failure(output);
      }
      if (probe.getHttpGet() != null) {
        return networkProbes ? httpGet(probe.getHttpGet(), container, podIP, timeout) : ProbeResult.success("");
      }
      if (probe.getTcpSocket() != null) {
        TCPSocketAction tcp = probe.getTcpSocket();
        String host = tcp.getHost() == null || tcp.getHost().isEmpty() ? podIP : tcp.getHost();
        return networkProbes ? TcpProber.probe(host, port(tcp.getPort(), container), timeout) : ProbeResult.success("");
      }
      if (probe.getGrpc() != null) {
        LOG.debug("container {}: gRPC probes are not run; it counts as succeeding", container.getName());
        return ProbeResult.success("");
      }
      return ProbeResult.failure("missing probe handler for " + container.getName());
    } catch (RuntimeException e) {
      return new ProbeResult(ProbeResult.Result.UNKNOWN, String.valueOf(e.getMessage()));
    }
  }

  private static ProbeResult httpGet(HTTPGetAction get, Container container, String podIP, Duration timeout) {
    String scheme = get.getScheme() == null ? "http" : get.getScheme().toLowerCase(Locale.ROOT);
    String host = get.getHost() == null || get.getHost().isEmpty() ? podIP : get.getHost();
    String path = get.getPath() == null || get.getPath().isEmpty() ? "/"
        : get.getPath().startsWith("/") ? get.getPath() : "/" + get.getPath();
    URI url = URI.create(scheme + "://" + host + ":" + port(get.getPort(), container) + path);
    Map<String, String> headers = new LinkedHashMap<>();
    if (get.getHttpHeaders() != null) {
      for (HTTPHeader header : get.getHttpHeaders()) {
        headers.put(header.getName(), header.getValue());
      }
    }
    return HttpProber.probe(url, headers, timeout);
  }

  /** The port a probe names: a number, or the name of one of the container's ports. */
  static int port(IntOrString port, Container container) {
    if (port == null) {
      throw new IllegalArgumentException("the probe names no port");
    }
    if (port.getIntVal() != null) {
      return port.getIntVal();
    }
    String name = port.getStrVal();
    if (name.chars().allMatch(Character::isDigit) && !name.isEmpty()) {
      return Integer.parseInt(name);
    }
    if (container.getPorts() != null) {
      for (ContainerPort containerPort : container.getPorts()) {
        if (name.equals(containerPort.getName())) {
          return containerPort.getContainerPort();
        }
      }
    }
    throw new IllegalArgumentException("couldn't find port: " + name + " in " + container.getName());
  }
}
