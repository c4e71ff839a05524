package io.kubemu.apiserver.metrics;

import io.kubemu.apiserver.watch.Cacher;
import io.kubemu.component.server.RuntimeMetrics;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Collection;
import java.util.List;

/**
 * Everything this apiserver reports at {@code /metrics}: kube-apiserver's request metrics, the
 * number of stored objects per resource ({@code apiserver_storage_objects}, counted by the watch
 * caches, which hold every object; events, which have none, are not counted), and the JVM's and
 * the process's own metrics
 * ({@code process_resident_memory_bytes}, {@code jvm_memory_used_bytes}, ...). One registry
 * per apiserver, so that several can run in one JVM, as the tests do.
 */
public final class ApiserverMetrics {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final RequestMetrics requests = new RequestMetrics(registry);

  public ApiserverMetrics(Collection<Cacher> cachers) {
    List<Cacher> caches = List.copyOf(cachers);
    GaugeWithCallback.builder()
        .name("apiserver_storage_objects")
        .help("Number of stored objects at the time of last check split by kind.")
        .labelNames("resource")
        .callback(gauge -> caches.forEach(cache -> gauge.call(cache.size(), cache.type().qualifiedResource())))
        .register(registry);
    RuntimeMetrics.register(registry);
  }

  public RequestMetrics requests() {
    return requests;
  }

  public MetricsEndpoint endpoint() {
    return new MetricsEndpoint(registry);
  }
}
