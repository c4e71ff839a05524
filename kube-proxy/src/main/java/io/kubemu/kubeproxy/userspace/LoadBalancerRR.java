package io.kubemu.kubeproxy.userspace;

import io.kubemu.kubeproxy.model.Endpoint;
import io.kubemu.kubeproxy.model.ServicePortName;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The userspace proxy's choice of endpoint, as Kubernetes' userspace round-robin load balancer:
 * each new connection to a service port goes to the next ready endpoint in turn.
 */
public final class LoadBalancerRR {
  private static final class State {
    List<Endpoint> endpoints = List.of();
    int next;
  }

  private final Map<ServicePortName, State> services = new HashMap<>();

  /** The service port's ready endpoints now; the turn carries on where it was. */
  public synchronized void update(ServicePortName name, List<Endpoint> endpoints) {
    State state = services.computeIfAbsent(name, key -> new State());
    if (!state.endpoints.equals(endpoints)) {
      state.endpoints = List.copyOf(endpoints);
      state.next = state.endpoints.isEmpty() ? 0 : state.next % state.endpoints.size();
    }
  }

  public synchronized void remove(ServicePortName name) {
    services.remove(name);
  }

  /**
   * The endpoints to try for one new connection, the one whose turn it is first and then the
   * others in order (a connection that fails to one is tried on the next).
   */
  public synchronized List<Endpoint> nextEndpoints(ServicePortName name) {
    State state = services.get(name);
    if (state == null || state.endpoints.isEmpty()) {
      return List.of();
    }
    int first = state.next;
    state.next = (first + 1) % state.endpoints.size();
    List<Endpoint> all = state.endpoints;
    return java.util.stream.IntStream.range(0, all.size()).mapToObj(i -> all.get((first + i) % all.size())).toList();
  }
}
