package io.kubemu.scheduler;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubemu.component.Version;
import io.kubemu.component.client.ClientConfig;
import io.kubemu.component.client.ClientFlags;
import io.kubemu.component.leaderelection.LeaderElection;
import io.kubemu.component.leaderelection.LeaderElectionConfig;
import io.kubemu.component.leaderelection.LeaderElectionFlags;
import io.kubemu.component.server.HealthServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kubemu scheduler}: kube-scheduler. It follows the cluster from the start; with
 * {@code --leader-elect} (the default) it schedules only while it holds the Lease
 * {@code kube-system/kube-scheduler}, and exits when it loses it, as kube-scheduler does.
 * Health and metrics are served on {@code --secure-port} (10259; plain HTTP in kubemu).
 */
@Command(name = "scheduler", mixinStandardHelpOptions = true, versionProvider = Version.class,
    defaultValueProvider = SchedulerCommand.ClientDefaults.class,
    description = "Binds pending pods to nodes through filter and score plugins.")
public final class SchedulerCommand implements Callable<Integer> {
  static final String LEASE_NAME = "kube-scheduler";
  private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);
  private static final Logger LOG = LoggerFactory.getLogger(SchedulerCommand.class);

  @Mixin
  ClientFlags client;

  @Mixin
  LeaderElectionFlags leaderElection;

  @Spec
  CommandSpec spec;

  @Option(names = "--bind-address", defaultValue = "0.0.0.0",
      description = "The address /healthz and /metrics are served on (default: ${DEFAULT-VALUE}).")
  String bindAddress;

  @Option(names = "--secure-port", defaultValue = "10259",
      description = "The port /healthz and /metrics are served on; 0: any free port (default: ${DEFAULT-VALUE}).")
  int port;

  /**
   * kube-scheduler's own client defaults (its clientConnection: 50 requests per second, bursts of
   * 100), above the controller-manager's that the shared client flags default to: every pod costs
   * a binding and an event.
   */
  static final class ClientDefaults implements IDefaultValueProvider {
    @Override
    public String defaultValue(ArgSpec argument) {
      if (argument instanceof OptionSpec option) {
        return switch (option.longestName()) {
          case "--kube-api-qps" -> "50";
          case "--kube-api-burst" -> "100";
          default -> null;
        };
      }
      return null;
    }
  }

  /** Runs the scheduler alone, as the kubemu launcher's {@code scheduler} does. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new SchedulerCommand()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    ClientConfig clientConfig;
    LeaderElectionConfig electionConfig;
    try {
      clientConfig = client.config();
      electionConfig = leaderElection.config(LEASE_NAME);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage()); // a usage error: exit 2
    }
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    CountDownLatch stopped = new CountDownLatch(1);
    // SIGTERM: the JVM waits (a while) until scheduling has stopped and the leader election is closed.
    Thread shutdown = new Thread(() -> {
      exit.complete(0);
      awaitQuietly(stopped);
    });
    Runtime.getRuntime().addShutdownHook(shutdown);
    try (KubernetesClient kube = clientConfig.newClient("kube-scheduler");
        LeaderElection election = new LeaderElection(kube, electionConfig);
        Scheduler scheduler = new Scheduler(kube, election.holderIdentity());
        HealthServer health = HealthServer.start(bindAddress, port, List.of(new HealthServer.Check("informer-sync",
            () -> scheduler.hasSynced() ? null : "the pod and node informers have not synced yet")))) {
      LOG.info("serving /healthz and /metrics on {}:{}", bindAddress, health.port());
      scheduler.startInformers();
      if (electionConfig.enabled()) {
        election.run(scheduler::startScheduling, () -> exit.complete(1));
      } else {
        scheduler.startScheduling();
      }
      return exit.get();
    } finally {
      stopped.countDown();
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

}
