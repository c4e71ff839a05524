package io.kubemu.etcd;

import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.ratis.metrics.MetricRegistries;

/**
 * Ratis's own metrics (its Raft log's and leader's timers and counters) stay in memory. Given no
 * reporter, Ratis publishes each registry as JMX MBeans, which starts the JVM's platform MBean
 * server and its MBeans (the flight recorder's among them): some 200 classes and their memory in
 * the apiserver (its store client), for beans no one reads. An etcd-node starts the MBean server
 * anyway (Ratis registers each Raft server as an MBean, unconditionally), but not the registries'
 * beans. kubemu reports the store's state through the etcd API and the apiserver's
 * {@code /metrics} instead.
 */
public final class RatisMetrics {
  private static final AtomicBoolean DONE = new AtomicBoolean();

  private RatisMetrics() {}

  /** Call before the first Raft server or client of the JVM is built. */
  public static void withoutJmx() {
    if (DONE.compareAndSet(false, true)) {
      MetricRegistries.global().addReporterRegistration(registry -> { }, registry -> { });
    }
  }
}
