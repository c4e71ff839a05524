package io.kubemu.kubeproxy.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.ArrayList;
import java.util.List;

/** kube-proxy's own metrics, with Kubernetes' names, help texts and buckets (pkg/proxy/metrics). */
public final class ProxyMetrics {
  private final Histogram syncDuration;
  private final Histogram networkProgramming;
  private final Gauge lastSync;
  private final Counter restoreFailures;

  public ProxyMetrics(PrometheusRegistry registry) {
    syncDuration = Histogram.builder()
        .name("kubeproxy_sync_proxy_rules_duration_seconds")
        .unit(Unit.SECONDS)
        .help("SyncProxyRules latency in seconds")
        .classicOnly()
        .classicExponentialUpperBounds(0.001, 2, 15)
        .withoutExemplars()
        .register(registry);
    networkProgramming = Histogram.builder()
        .name("kubeproxy_network_programming_duration_seconds")
        .unit(Unit.SECONDS)
        .help("In Cluster Network Programming Latency in seconds")
        .classicOnly()
        .classicUpperBounds(networkProgrammingBuckets())
        .withoutExemplars()
        .register(registry);
    lastSync = Gauge.builder()
        .name("kubeproxy_sync_proxy_rules_last_timestamp_seconds")
        .unit(Unit.SECONDS)
        .help("The last time proxy rules were successfully synced")
        .withoutExemplars()
        .register(registry);
    restoreFailures = Counter.builder()
        .name("kubeproxy_sync_proxy_rules_iptables_restore_failures_total")
        .help("Cumulative proxy iptables restore failures")
        .withoutExemplars()
        .register(registry);
  }

  public void syncDuration(double seconds) {
    syncDuration.observe(seconds);
  }

  public void synced(long epochMillis) {
    lastSync.set(epochMillis / 1000.0);
  }

  public void networkProgramming(double seconds) {
    networkProgramming.observe(seconds);
  }

  public void restoreFailed() {
    restoreFailures.inc();
  }

  /** Kubernetes': every 0.25s to 0.5s, every second to a minute, every 5s to two minutes, every 30s to five. */
  private static double[] networkProgrammingBuckets() {
    List<Double> bounds = new ArrayList<>(List.of(0.25, 0.5));
    for (int s = 1; s <= 59; s++) {
      bounds.add((double) s);
    }
    for (int s = 60; s <= 115; s += 5) {
      bounds.add((double) s);
    }
    for (int s = 120; s <= 300; s += 30) {
      bounds.add((double) s);
    }
    return bounds.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
