package io.kubemu.kubelet.envvars;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Service variables Kubernetes puts into every container (its envvars.FromServices), Docker
 * links' names: for a Service {@code redis-primary} with ClusterIP 10.43.0.11 and port 6379/TCP,
 * {@code REDIS_PRIMARY_SERVICE_HOST=10.43.0.11}, {@code REDIS_PRIMARY_SERVICE_PORT=6379},
 * {@code REDIS_PRIMARY_PORT=tcp://10.43.0.11:6379} and {@code REDIS_PRIMARY_PORT_6379_TCP}
 * with its {@code _PROTO}, {@code _PORT} and {@code _ADDR}. Headless Services have none.
 */
public final class ServiceEnvVars {
  /** The Services of the default namespace every pod gets, even with enableServiceLinks false. */
  static final String MASTER_SERVICE = "kubernetes";

  private ServiceEnvVars() {}

  /**
   * The variables for a pod in {@code namespace} (kubelet's getServiceEnvVarMap): the default
   * namespace's {@code kubernetes} Service always, the namespace's own Services with service links on
   * (a namesake in the pod's namespace wins).
   */
  public static Map<String, String> forPod(String namespace, boolean enableServiceLinks, List<Service> defaultServices,
      List<Service> namespaceServices) {
    Map<String, Service> byName = new LinkedHashMap<>();
    for (Service service : defaultServices) {
      if (service.getMetadata().getName().equals(MASTER_SERVICE) && isServiceIPSet(service)) {
        byName.put(MASTER_SERVICE, service);
      }
    }
    if (enableServiceLinks) {
      for (Service service : namespaceServices) {
        if (isServiceIPSet(service) && namespace.equals(service.getMetadata().getNamespace())) {
          byName.put(service.getMetadata().getName(), service);
        }
      }
    }
    return fromServices(List.copyOf(byName.values()));
  }

  public static Map<String, String> fromServices(List<Service> services) {
    Map<String, String> env = new LinkedHashMap<>();
    for (Service service : services) {
      List<ServicePort> ports = service.getSpec().getPorts();
      if (!isServiceIPSet(service) || ports == null || ports.isEmpty()) {
        continue;
      }
      String prefix = variableName(service.getMetadata().getName());
      String clusterIP = service.getSpec().getClusterIP();
      env.put(prefix + "_SERVICE_HOST", clusterIP);
      env.put(prefix + "_SERVICE_PORT", String.valueOf(ports.get(0).getPort()));
      for (ServicePort port : ports) {
        if (port.getName() != null && !port.getName().isEmpty()) {
          env.put(prefix + "_SERVICE_PORT_" + variableName(port.getName()), String.valueOf(port.getPort()));
        }
      }
      for (int i = 0; i < ports.size(); i++) {
        ServicePort port = ports.get(i);
        String protocol = port.getProtocol() == null || port.getProtocol().isEmpty() ? "TCP" : port.getProtocol();
        String lower = protocol.toLowerCase(Locale.ROOT);
        String hostPort = (clusterIP.contains(":") ? "[" + clusterIP + "]" : clusterIP) + ":" + port.getPort();
        if (i == 0) {
          env.put(prefix + "_PORT", lower + "://" + hostPort);
        }
        String portPrefix = prefix + "_PORT_" + port.getPort() + "_" + protocol.toUpperCase(Locale.ROOT);
        env.put(portPrefix, lower + "://" + hostPort);
        env.put(portPrefix + "_PROTO", lower);
        env.put(portPrefix + "_PORT", String.valueOf(port.getPort()));
        env.put(portPrefix + "_ADDR", clusterIP);
      }
    }
    return env;
  }

  static boolean isServiceIPSet(Service service) {
    String clusterIP = service.getSpec() == null ? null : service.getSpec().getClusterIP();
    return clusterIP != null && !clusterIP.isEmpty() && !clusterIP.equals("None");
  }

  private static String variableName(String name) {
    return name.replace('-', '_').toUpperCase(Locale.ROOT);
  }
}
