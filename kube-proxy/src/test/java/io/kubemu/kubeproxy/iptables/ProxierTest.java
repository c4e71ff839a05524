package io.kubemu.kubeproxy.iptables;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubemu.kubeproxy.healthcheck.ProxierHealthServer;
import io.kubemu.kubeproxy.metrics.ProxyMetrics;
import io.kubemu.kubeproxy.model.Endpoint;
import io.kubemu.kubeproxy.model.ServicePort;
import io.kubemu.kubeproxy.model.ServicePortName;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProxierTest {
  /** iptables in memory: what was restored, which jumps exist, and a nat table to list. */
  static final class FakeIptables implements Iptables {
    final List<String> restores = new ArrayList<>();
    final Set<ProxyRules.Jump> jumps = new HashSet<>();
    String natSave = "*nat\n:PREROUTING ACCEPT [0:0]\n:KUBE-SVC-LEFTOVER0000000 - [0:0]\n:DOCKER - [0:0]\nCOMMIT\n";
    String filterSave = "*filter\n:INPUT ACCEPT [0:0]\n:KUBE-SERVICES - [0:0]\n:DOCKER-USER - [0:0]\nCOMMIT\n";
    boolean failing;

    @Override
    public void restore(String text) throws IOException {
      if (failing) {
        throw new IOException("iptables-restore failed (exit 1)");
      }
      restores.add(text);
    }

    @Override
    public String save(String table) {
      return "nat".equals(table) ? natSave : filterSave;
    }

    @Override
    public void ensureJump(ProxyRules.Jump jump) {
      jumps.add(jump);
    }

    @Override
    public void deleteJump(ProxyRules.Jump jump) {
      jumps.remove(jump);
    }
  }

  private final FakeIptables iptables = new FakeIptables();
  private final List<ServicePort> ports = new ArrayList<>();
  private final ProxierHealthServer health = new ProxierHealthServer(Clock.systemUTC(), Duration.ZERO);
  private final PrometheusRegistry registry = new PrometheusRegistry();
  /** Called as the Proxier reads the services, before it hands them over. */
  private Runnable whileReadingServices = () -> { };
  private final Proxier proxier = new Proxier(iptables,
      new ProxyRules(new ProxyRules.Config("10.42.0.0/16", "10.43.0.0/16")), () -> {
        whileReadingServices.run();
        return List.copyOf(ports);
      }, new ProxyMetrics(registry), health, Clock.systemUTC());

  private static ServicePort web(Endpoint... endpoints) {
    return new ServicePort(new ServicePortName("default", "web", "http"), "10.43.0.10", 80, "TCP", 0, false,
        ServicePort.DEFAULT_AFFINITY_TIMEOUT_SECONDS, List.of(endpoints));
  }

  @Test
  void firstSyncRemovesLeftoverServiceChainsAndHooksEveryChain() {
    assertThat(proxier.syncProxyRules(false)).isTrue();
    assertThat(iptables.restores).singleElement().asString().contains("-X KUBE-SVC-LEFTOVER0000000\n")
        .doesNotContain("DOCKER");
    assertThat(iptables.jumps).containsExactlyInAnyOrderElementsOf(ProxyRules.JUMPS);
  }

  @Test
  void unchangedRulesAreNotWrittenAgainUnlessTheSyncIsPeriodic() {
    ports.add(web(new Endpoint("10.42.1.2", 8080)));
    proxier.syncProxyRules(false);
    proxier.syncProxyRules(false);
    assertThat(iptables.restores).hasSize(1);
    proxier.syncProxyRules(true);
    assertThat(iptables.restores).hasSize(2);
    assertThat(iptables.restores.get(1)).doesNotContain("-X ");
  }

  @Test
  void removedHooksComeBackWithThePeriodicSync() {
    proxier.syncProxyRules(false);
    iptables.jumps.clear();
    ports.add(web(new Endpoint("10.42.1.2", 8080)));
    proxier.syncProxyRules(false);
    assertThat(iptables.jumps).isEmpty();
    proxier.syncProxyRules(true);
    assertThat(iptables.jumps).containsExactlyInAnyOrderElementsOf(ProxyRules.JUMPS);
  }

  @Test
  void anEndpointGoneDeletesItsChainOnce() {
    ports.add(web(new Endpoint("10.42.1.2", 8080), new Endpoint("10.42.1.3", 8080)));
    proxier.syncProxyRules(false);
    String gone = ChainNames.endpoint(new ServicePortName("default", "web", "http"), "TCP",
        new Endpoint("10.42.1.3", 8080));
    ports.set(0, web(new Endpoint("10.42.1.2", 8080)));
    proxier.syncProxyRules(false);
    assertThat(iptables.restores.get(1)).contains("-X " + gone + "\n")
        .doesNotContain("-A " + ChainNames.endpoint(new ServicePortName("default", "web", "http"), "TCP",
            new Endpoint("10.42.1.2", 8080))); // unchanged: not written again
    proxier.syncProxyRules(false);
    assertThat(iptables.restores).hasSize(2);
  }

  @Test
  void aFailedRestoreLeavesTheProxierUnhealthyUntilASyncSucceeds() {
    iptables.failing = true;
    proxier.servicesChanged();
    assertThat(proxier.syncProxyRules(false)).isFalse();
    assertThat(health.isHealthy()).isFalse(); // health timeout zero: any pending change is late
    iptables.failing = false;
    assertThat(proxier.syncProxyRules(false)).isTrue();
    assertThat(health.isHealthy()).isTrue();
  }

  @Test
  void anEndpointChangeSeenWhileASyncReadsTheServicesIsMeasuredAtTheNextSync() {
    proxier.endpointsChanged(Instant.now());
    whileReadingServices = () -> {
      whileReadingServices = () -> { };
      proxier.endpointsChanged(Instant.now()); // as the informer's handler would, from its own thread
    };
    assertThat(proxier.syncProxyRules(false)).isTrue();
    assertThat(networkProgrammingObservations()).as("the change seen before the sync").isOne();
    assertThat(proxier.syncProxyRules(false)).isTrue();
    assertThat(networkProgrammingObservations()).isEqualTo(2);
  }

  @Test
  void endpointChangesOfAFailedSyncAreMeasuredWhenASyncSucceeds() {
    iptables.failing = true;
    proxier.endpointsChanged(Instant.now());
    assertThat(proxier.syncProxyRules(false)).isFalse();
    assertThat(networkProgrammingObservations()).isZero();
    iptables.failing = false;
    assertThat(proxier.syncProxyRules(false)).isTrue();
    assertThat(networkProgrammingObservations()).isOne();
  }

  @Test
  void cleanupUnhooksAndDeletesOnlyKubeProxysChains() throws IOException {
    iptables.jumps.addAll(ProxyRules.JUMPS);
    Proxier.cleanup(iptables);
    assertThat(iptables.jumps).isEmpty();
    assertThat(iptables.restores).singleElement().isEqualTo("""
        *filter
        :KUBE-SERVICES - [0:0]
        -X KUBE-SERVICES
        COMMIT
        *nat
        :KUBE-SVC-LEFTOVER0000000 - [0:0]
        -X KUBE-SVC-LEFTOVER0000000
        COMMIT
        """);
  }

  /** kubeproxy_network_programming_duration_seconds' count: endpoint changes written so far. */
  private long networkProgrammingObservations() {
    return registry.scrape().stream()
        .filter(metric -> metric.getMetadata().getPrometheusName().startsWith("kubeproxy_network_programming"))
        .map(HistogramSnapshot.class::cast)
        .flatMap(histogram -> histogram.getDataPoints().stream())
        .mapToLong(HistogramSnapshot.HistogramDataPointSnapshot::getCount).sum();
  }
}
