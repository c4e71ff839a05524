package io.kubemu.controllermanager;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubemu.component.Durations;
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
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kubemu controller-manager}: kube-controller-manager, in the foreground. With
 * {@code --leader-elect} (the default) its controllers run only while it holds the
 * {@code kube-system/kube-controller-manager} Lease, and it exits when it loses it, as
 * Kubernetes' does; a standby replica takes over.
 */
@Command(name = "controller-manager", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "Runs the controllers that drive the cluster toward what its objects ask for: "
        + "the ServiceAccount, Namespace, garbage collector, ReplicaSet and Deployment controllers.")
public final class ControllerManagerCommand implements Callable<Integer> {
  static final String LEASE_NAME = "kube-controller-manager";
  private static final Logger LOG = LoggerFactory.getLogger(ControllerManagerCommand.class);

  @Spec
  CommandSpec spec;

  @Mixin
  ClientFlags client;

  @Mixin
  LeaderElectionFlags leaderElection;

  @Option(names = "--controllers", split = ",", defaultValue = "*", paramLabel = "NAMES",
      description = "Controllers to enable: '*' all, 'foo' the controller foo, '-foo' not foo. Controllers: "
          + "serviceaccount-controller, namespace-controller, garbage-collector-controller, replicaset-controller, "
          + "deployment-controller (or serviceaccount, namespace, garbagecollector, replicaset, deployment) "
          + "(default: ${DEFAULT-VALUE}).")
  List<String> controllers;

  @Option(names = "--bind-address", defaultValue = "0.0.0.0", paramLabel = "ADDRESS",
      description = "Address /healthz and /metrics are served on (default: ${DEFAULT-VALUE}).")
  String bindAddress;

  @Option(names = "--port", defaultValue = "10257", paramLabel = "PORT",
      description = "Plain HTTP port of /healthz and /metrics; 0: not served (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--concurrent-gc-syncs", defaultValue = "20", paramLabel = "N",
      description = "Garbage collector workers (default: ${DEFAULT-VALUE}).")
  int concurrentGcSyncs;

  @Option(names = "--concurrent-namespace-syncs", defaultValue = "10", paramLabel = "N",
      description = "Namespaces emptied at once (default: ${DEFAULT-VALUE}).")
  int concurrentNamespaceSyncs;

  @Option(names = "--concurrent-deployment-syncs", defaultValue = "5", paramLabel = "N",
      description = "Deployments synced at once (default: ${DEFAULT-VALUE}).")
  int concurrentDeploymentSyncs;

  @Option(names = "--namespace-sync-period", defaultValue = "5m", converter = Durations.class,
      paramLabel = "DURATION",
      description = "How often every namespace is looked at again (default: ${DEFAULT-VALUE}).")
  Duration namespaceSyncPeriod;

  @Option(names = "--min-resync-period", defaultValue = "12h", converter = Durations.class, paramLabel = "DURATION",
      description = "The shared informers hand every object to the controllers again at a random period between "
          + "this and twice this (default: ${DEFAULT-VALUE}).")
  Duration minResyncPeriod;

  @Override
  public Integer call() throws Exception {
    List<Controllers.Descriptor> enabled;
    LeaderElectionConfig election;
    ClientConfig connection;
    try {
      enabled = Controllers.enabled(controllers);
      election = leaderElection.config(LEASE_NAME);
      connection = client.config();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    KubernetesClient kube = connection.newClient(LEASE_NAME);
    HealthServer health = port > 0 ? HealthServer.start(bindAddress, port, List.of()) : null;
    ControllerManager manager = new ControllerManager(kube,
        new ControllerManagerConfig(concurrentGcSyncs, concurrentNamespaceSyncs, namespaceSyncPeriod,
        minResyncPeriod, concurrentDeploymentSyncs), enabled);
    LeaderElection elector = election.enabled() ? new LeaderElection(kube, election) : null;
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (elector != null) {
        elector.close();
      }
      kube.close(); // first: requests in flight fail at once, and the workers stop
      manager.close();
      if (health != null) {
        health.close();
      }
      stopped.countDown();
    }, "controller-manager-shutdown"));
    if (elector != null) {
      elector.run(() -> startOrExit(manager), () -> System.exit(1));
    } else {
      startOrExit(manager);
    }
    stopped.await();
    return 0;
  }

  /** A controller-manager that cannot start its controllers is of no use: it exits, to be restarted. */
  private static void startOrExit(ControllerManager manager) {
    try {
      manager.start();
    } catch (RuntimeException e) {
      LOG.error("the controllers could not be started: {}", e.getMessage(), e);
      System.exit(1);
    }
  }

  /** Runs the controller-manager without the launcher, e.g. from tests that start it as a separate process. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new ControllerManagerCommand()).execute(args));
  }
}
