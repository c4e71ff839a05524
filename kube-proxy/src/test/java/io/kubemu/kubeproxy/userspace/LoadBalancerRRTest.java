package io.kubemu.kubeproxy.userspace;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubemu.kubeproxy.model.Endpoint;
import io.kubemu.kubeproxy.model.ServicePortName;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadBalancerRRTest {
  private static final ServicePortName WEB = new ServicePortName("default", "web", "http");
  private static final Endpoint A = new Endpoint("10.42.1.2", 80);
  private static final Endpoint B = new Endpoint("10.42.1.3", 80);
  private static final Endpoint C = new Endpoint("10.42.1.4", 80);

  private final LoadBalancerRR balancer = new LoadBalancerRR();

  @Test
  void eachConnectionStartsAtTheNextEndpointAndFallsBackOnTheOthers() {
    balancer.update(WEB, List.of(A, B, C));
    assertThat(balancer.nextEndpoints(WEB)).containsExactly(A, B, C);
    assertThat(balancer.nextEndpoints(WEB)).containsExactly(B, C, A);
    assertThat(balancer.nextEndpoints(WEB)).containsExactly(C, A, B);
    assertThat(balancer.nextEndpoints(WEB)).containsExactly(A, B, C);
  }

  @Test
  void fewerEndpointsKeepTheTurnInRange() {
    balancer.update(WEB, List.of(A, B, C));
    balancer.nextEndpoints(WEB);
    balancer.nextEndpoints(WEB);
    balancer.update(WEB, List.of(A, B));
    assertThat(balancer.nextEndpoints(WEB)).containsExactly(A, B);
  }

  @Test
  void aServiceWithoutEndpointsOrUnknownHasNoneToTry() {
    balancer.update(WEB, List.of());
    assertThat(balancer.nextEndpoints(WEB)).isEmpty();
    assertThat(balancer.nextEndpoints(new ServicePortName("default", "other", ""))).isEmpty();
  }
}
