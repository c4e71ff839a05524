package io.kubemu.controllermanager.endpoint;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the endpoints and EndpointSlice controllers read from pods, as Kubernetes' podutil and
 * endpointslice util do: readiness, whether a pod belongs in endpoints at all, the port a
 * Service port's targetPort names on a pod, and the time of the pod's last change that matters.
 */
public final class EndpointPods {
  private EndpointPods() {}

  /** The Service's selector, or null when it has none (its endpoints are the user's). */
  public static Map<String, String> selector(Service service) {
    Map<String, String> selector = service.getSpec() == null ? null : service.getSpec().getSelector();
    return selector == null || selector.isEmpty() ? null : selector;
  }

  /** The pod's labels include every pair of the selector. */
  public static boolean selects(Map<String, String> selector, Pod pod) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    return selector != null && labels != null && labels.entrySet().containsAll(selector.entrySet());
  }

  public static boolean isReady(Pod pod) {
    PodCondition ready = readyCondition(pod);
    return ready != null && "True".equals(ready.getStatus());
  }

  static PodCondition readyCondition(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return null;
    }
    return pod.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType())).findFirst()
        .orElse(null);
  }

  public static String podIP(Pod pod) {
    return pod.getStatus() == null ? null : pod.getStatus().getPodIP();
  }

  /**
   * Kubernetes' ShouldPodBeInEndpoints: not terminal (Succeeded, Failed), with an IP, and, unless
   * terminating pods are included, not being deleted.
   */
  public static boolean shouldBeInEndpoints(Pod pod, boolean includeTerminating) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
      return false;
    }
    String ip = podIP(pod);
    if (ip == null || ip.isEmpty()) {
      return false;
    }
    return includeTerminating || pod.getMetadata().getDeletionTimestamp() == null;
  }

  /**
   * Kubernetes' FindPort: a numeric targetPort is that port; a named one is the port of that
   * name (and the Service port's protocol) among the pod's containers and sidecars; -1 when the
   * pod has no such port.
   */
  public static int findPort(Pod pod, ServicePort servicePort) {
    IntOrString target = servicePort.getTargetPort();
    if (target == null || (target.getIntVal() == null && target.getStrVal() == null)) {
      return servicePort.getPort() == null ? -1 : servicePort.getPort();
    }
    if (target.getIntVal() != null) {
      return target.getIntVal();
    }
    String protocol = servicePort.getProtocol() == null ? "TCP" : servicePort.getProtocol();
    for (Container container : containers(pod)) {
      for (ContainerPort port : container.getPorts() == null ? List.<ContainerPort>of() : container.getPorts()) {
        String portProtocol = port.getProtocol() == null ? "TCP" : port.getProtocol();
        if (target.getStrVal().equals(port.getName()) && protocol.equals(portProtocol)
            && port.getContainerPort() != null) {
          return port.getContainerPort();
        }
      }
    }
    return -1;
  }

  private static List<Container> containers(Pod pod) {
    List<Container> containers = new ArrayList<>();
    if (pod.getSpec() == null) {
      return containers;
    }
    if (pod.getSpec().getContainers() != null) {
      containers.addAll(pod.getSpec().getContainers());
    }
    if (pod.getSpec().getInitContainers() != null) {
      pod.getSpec().getInitContainers().stream().filter(c -> "Always".equals(c.getRestartPolicy()))
          .forEach(containers::add); // sidecars serve too
    }
    return containers;
  }

  /**
   * The time of the pod's last change that can change endpoints, as Kubernetes' trigger time
   * tracker reads it: when its Ready condition last changed, else when it was created.
   */
  public static Instant triggerTime(Pod pod) {
    PodCondition ready = readyCondition(pod);
    String time = ready != null && ready.getLastTransitionTime() != null
        ? ready.getLastTransitionTime() : pod.getMetadata().getCreationTimestamp();
    return parse(time);
  }

  static Instant parse(String time) {
    if (time == null || time.isEmpty()) {
      return null;
    }
    try {
      return Instant.parse(time);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The pod's hostname in the Service's DNS, when its subdomain is this Service. */
  public static String hostname(Pod pod, Service service) {
    String hostname = pod.getSpec() == null ? null : pod.getSpec().getHostname();
    if (hostname == null || hostname.isEmpty()) {
      return null;
    }
    return Objects.equals(pod.getSpec().getSubdomain(), service.getMetadata().getName())
        && Objects.equals(pod.getMetadata().getNamespace(), service.getMetadata().getNamespace()) ? hostname : null;
  }
}
