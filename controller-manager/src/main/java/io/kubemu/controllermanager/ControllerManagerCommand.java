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
import io.kubemu.controllermanager.nodeipam.NodeIpamConfig;
import io.kubemu.controllermanager.nodelifecycle.NodeLifecycleConfig;
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
        + "the ServiceAccount, Namespace, garbage collector, ReplicaSet, Deployment, Endpoints, EndpointSlice, "
        + "node IPAM, node lifecycle and taint eviction controllers.")
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
          + "deployment-controller, endpoints-controller, endpointslice-controller, node-ipam-controller, node-lifecycle-controller, "
          + "taint-eviction-controller (or serviceaccount, namespace, garbagecollector, replicaset, deployment, endpoint, "
          + "endpointslice, nodeipam, nodelifecycle) (default: ${DEFAULT-VALUE}).")
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

  @Option(names = "--concurrent-replicaset-syncs", defaultValue = "5", paramLabel = "N",
      description = "ReplicaSets synced at once (default: ${DEFAULT-VALUE}).")
  int concurrentReplicaSetSyncs;

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

  @Option(names = "--concurrent-endpoint-syncs", defaultValue = "5", paramLabel = "N",
      description = "Endpoints controller workers (default: ${DEFAULT-VALUE}).")
  int concurrentEndpointSyncs;

  @Option(names = "--concurrent-service-endpoint-syncs", defaultValue = "5", paramLabel = "N",
      description = "EndpointSlice controller workers (default: ${DEFAULT-VALUE}).")
  int concurrentServiceEndpointSyncs;

  @Option(names = "--max-endpoints-per-slice", defaultValue = "100", paramLabel = "N",
      description = "The most endpoints an EndpointSlice holds, 1 to 1000 (default: ${DEFAULT-VALUE}).")
  int maxEndpointsPerSlice;

  @Option(names = "--allocate-node-cidrs", defaultValue = "false", arity = "0..1", paramLabel = "BOOL",
      description = "Whether Nodes get pod CIDRs from --cluster-cidr (default: ${DEFAULT-VALUE}).")
  boolean allocateNodeCidrs;

  @Option(names = "--cluster-cidr", defaultValue = NodeIpamConfig.DEFAULT_CLUSTER_CIDR, paramLabel = "CIDR",
      description = "The IPv4 range of the cluster's pods, split into the Nodes' pod CIDRs "
          + "(default: ${DEFAULT-VALUE}).")
  String clusterCidr;

  @Option(names = "--node-cidr-mask-size", defaultValue = "24", paramLabel = "N",
      description = "The mask size of a Node's pod CIDR (default: ${DEFAULT-VALUE}).")
  int nodeCidrMaskSize;

  @Option(names = "--service-cluster-ip-range", defaultValue = "", paramLabel = "CIDR",
      description = "The Services' IPv4 CIDR: where it overlaps --cluster-cidr, no Node gets a pod CIDR from it "
          + "(default: none).")
  String serviceClusterIpRange;

  @Option(names = "--node-monitor-period", defaultValue = "5s", converter = Durations.class, paramLabel = "DURATION",
      description = "How often the node lifecycle controller looks at the Nodes' health (default: ${DEFAULT-VALUE}).")
  Duration nodeMonitorPeriod;

  @Option(names = "--node-monitor-grace-period", defaultValue = "50s", converter = Durations.class,
      paramLabel = "DURATION",
      description = "How long a running Node may go without a heartbeat (Lease renewal or status) before it is "
          + "marked unhealthy (default: ${DEFAULT-VALUE}).")
  Duration nodeMonitorGracePeriod;

  @Option(names = "--node-startup-grace-period", defaultValue = "1m", converter = Durations.class,
      paramLabel = "DURATION",
      description = "How long a starting Node may go without posting its status before it is marked unhealthy "
          + "(default: ${DEFAULT-VALUE}).")
  Duration nodeStartupGracePeriod;

  @Option(names = "--node-eviction-rate", defaultValue = "0.1", paramLabel = "QPS",
      description = "Nodes per second whose pods are evicted (tainted NoExecute) when their zone is healthy "
          + "(default: ${DEFAULT-VALUE}).")
  double nodeEvictionRate;

  @Option(names = "--secondary-node-eviction-rate", defaultValue = "0.01", paramLabel = "QPS",
      description = "Nodes per second whose pods are evicted when their zone is unhealthy; 0 in clusters of at most "
          + "--large-cluster-size-threshold Nodes (default: ${DEFAULT-VALUE}).")
  double secondaryNodeEvictionRate;

  @Option(names = "--unhealthy-zone-threshold", defaultValue = "0.55", paramLabel = "FRACTION",
      description = "The share of not-ready Nodes (at least 3) that makes a zone unhealthy (default: ${DEFAULT-VALUE}).")
  double unhealthyZoneThreshold;

  @Option(names = "--large-cluster-size-threshold", defaultValue = "50", paramLabel = "N",
      description = "Zones with more Nodes than this evict at the secondary rate when unhealthy, smaller ones not at "
          + "all (default: ${DEFAULT-VALUE}).")
  int largeClusterSizeThreshold;

  ControllerManagerConfig controllerConfig() {
    if (maxEndpointsPerSlice < 1 || maxEndpointsPerSlice > 1000) {
      throw new IllegalArgumentException("--max-endpoints-per-slice must be between 1 and 1000, got "
          + maxEndpointsPerSlice);
    }
    if (concurrentEndpointSyncs < 1 || concurrentServiceEndpointSyncs < 1) {
      throw new IllegalArgumentException("--concurrent-endpoint-syncs and --concurrent-service-endpoint-syncs must be "
          + "at least 1");
    }
    NodeIpamConfig nodeIpam = new NodeIpamConfig(allocateNodeCidrs, clusterCidr, nodeCidrMaskSize,
        serviceClusterIpRange);
    nodeIpam.validate();
    NodeLifecycleConfig nodeLifecycle = new NodeLifecycleConfig(nodeMonitorPeriod, nodeMonitorGracePeriod,
        nodeStartupGracePeriod, nodeEvictionRate, secondaryNodeEvictionRate, unhealthyZoneThreshold,
        largeClusterSizeThreshold);
    nodeLifecycle.validate();
    return new ControllerManagerConfig(concurrentGcSyncs, concurrentNamespaceSyncs, namespaceSyncPeriod,
        minResyncPeriod, concurrentEndpointSyncs, concurrentServiceEndpointSyncs, maxEndpointsPerSlice, nodeIpam,
        nodeLifecycle, concurrentDeploymentSyncs, concurrentReplicaSetSyncs);
  }

  @Override
  public Integer call() throws Exception {
    List<Controllers.Descriptor> enabled;
    LeaderElectionConfig election;
    ClientConfig connection;
    ControllerManagerConfig config;
    try {
      config = controllerConfig();
      enabled = Controllers.enabled(controllers);
      election = leaderElection.config(LEASE_NAME);
      connection = client.config();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    KubernetesClient kube = connection.newClient(LEASE_NAME);
    HealthServer health = port > 0 ? HealthServer.start(bindAddress, port, List.of()) : null;
    ControllerManager manager = new ControllerManager(kube, config, enabled);
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
