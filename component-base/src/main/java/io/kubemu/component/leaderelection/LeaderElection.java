package io.kubemu.component.leaderelection;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectorBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.prometheus.metrics.core.metrics.Gauge;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lease-based leader election, as kube-controller-manager and kube-scheduler do it: of the
 * replicas of a component only the holder of the Lease ({@code kube-system/kube-controller-manager})
 * acts; it renews the lease every retry period, and when it dies a standby takes the lease over
 * once it has not been renewed for a lease duration. Built on fabric8's {@link LeaderElector}
 * with a {@link LeaseLock}; the identity is {@code hostname_uuid}, as Kubernetes writes it.
 */
public final class LeaderElection implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LeaderElection.class);
  /** Kubernetes' metric: 1 while this process leads the named election. */
  private static final Gauge MASTER_STATUS = Gauge.builder().name("leader_election_master_status")
      .help("Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, 1 indicates master.")
      .labelNames("name").register();

  private final KubernetesClient client;
  private final LeaderElectionConfig config;
  private final String identity;
  private final ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
    Thread thread = new Thread(runnable, "leader-election");
    thread.setDaemon(true);
    return thread;
  });
  private volatile boolean leading;
  private volatile boolean closing;
  private CompletableFuture<?> election;

  public LeaderElection(KubernetesClient client, LeaderElectionConfig config) {
    this(client, config, identity());
  }

  LeaderElection(KubernetesClient client, LeaderElectionConfig config, String identity) {
    this.client = client;
    this.config = config;
    this.identity = identity;
  }

  /** Who this process is in the Lease's holderIdentity (and in the Events it reports). */
  public String holderIdentity() {
    return identity;
  }

  /** {@code hostname_uuid}: unique per process even when replicas share a host. */
  public static String identity() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "localhost";
    }
    return host + "_" + UUID.randomUUID();
  }

  /**
   * Competes for the lease in the background. {@code startedLeading} runs (on a thread of its
   * own, so it may take its time) once this process holds it; {@code stoppedLeading} runs when it
   * loses it, which Kubernetes' components answer by exiting. Closing this election is not losing it.
   */
  public synchronized void run(Runnable startedLeading, Runnable stoppedLeading) {
    String lock = config.namespace() + "/" + config.name();
    LOG.info("attempting to acquire leader lease {} as {}...", lock, identity);
    LeaderCallbacks callbacks = new LeaderCallbacks(
        () -> {
          leading = true;
          MASTER_STATUS.labelValues(config.name()).set(1);
          LOG.info("successfully acquired lease {}", lock);
          Thread thread = new Thread(startedLeading, "leading");
          thread.setDaemon(true);
          thread.start();
        },
        () -> {
          boolean wasLeading = leading;
          leading = false;
          MASTER_STATUS.labelValues(config.name()).set(0);
          if (!closing && wasLeading) {
            LOG.error("leaderelection lost: lease {} is no longer held by {}", lock, identity);
            stoppedLeading.run();
          }
        },
        leader -> {
          if (!leader.equals(identity)) {
            LOG.info("new leader elected: {} holds lease {}", leader, lock);
          }
        });
    LeaderElector elector = new LeaderElectorBuilder(client, executor).withConfig(new LeaderElectionConfigBuilder()
        .withName(config.name())
        .withLock(new LeaseLock(config.namespace(), config.name(), identity))
        .withLeaseDuration(config.leaseDuration())
        .withRenewDeadline(config.renewDeadline())
        .withRetryPeriod(config.retryPeriod())
        .withLeaderCallbacks(callbacks)
        .withReleaseOnCancel(true)
        .build()).build();
    MASTER_STATUS.labelValues(config.name()).set(0);
    election = elector.start();
  }

  /**
   * Stops competing; a leader gives the lease up, so that a standby takes over at once. Giving it
   * up takes at most a retry period: with the apiserver gone, the lease simply expires.
   */
  @Override
  public synchronized void close() {
    closing = true;
    if (election != null) {
      Thread release = new Thread(() -> election.cancel(true), "leader-election-release");
      release.setDaemon(true);
      release.start();
      try {
        release.join(config.retryPeriod().toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    executor.shutdown();
  }
}
