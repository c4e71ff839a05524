package io.kubemu.component.server;

import io.prometheus.metrics.instrumentation.jvm.JvmBufferPoolMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmClassLoadingMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmCompilationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmGarbageCollectorMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryPoolAllocationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmRuntimeInfoMetric;
import io.prometheus.metrics.instrumentation.jvm.JvmThreadsMetrics;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The process's and the JVM's own metrics, as Kubernetes' components report their process's and
 * Go runtime's: {@code process_resident_memory_bytes}, {@code process_cpu_seconds_total},
 * {@code jvm_memory_used_bytes}, {@code jvm_threads_current}, the collections, ...
 *
 * <p>Everything Prometheus's {@code JvmMetrics} registers except its native memory metrics: those
 * report only with native memory tracking on, which no component runs with, and asking for them
 * starts the JVM's platform MBean server, whose MBeans (Flight Recorder's among them) cost every
 * component about 300 classes and their memory.
 */
public final class RuntimeMetrics {
  private RuntimeMetrics() {}

  public static void register(PrometheusRegistry registry) {
    JvmThreadsMetrics.builder().register(registry);
    JvmBufferPoolMetrics.builder().register(registry);
    JvmClassLoadingMetrics.builder().register(registry);
    JvmCompilationMetrics.builder().register(registry);
    JvmGarbageCollectorMetrics.builder().register(registry);
    JvmMemoryPoolAllocationMetrics.builder().register(registry);
    JvmMemoryMetrics.builder().register(registry);
    JvmRuntimeInfoMetric.builder().register(registry);
    ProcessMetrics.builder().register(registry);
  }
}
