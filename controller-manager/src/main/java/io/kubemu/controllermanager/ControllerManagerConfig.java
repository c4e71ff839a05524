package io.kubemu.controllermanager;

import io.kubemu.controllermanager.nodeipam.NodeIpamConfig;
import io.kubemu.controllermanager.nodelifecycle.NodeLifecycleConfig;
import java.time.Duration;

/**
 * The controllers' settings, with the names and defaults of kube-controller-manager's flags.
 *
 * @param concurrentGcSyncs garbage collector workers ({@code --concurrent-gc-syncs}, 20)
 * @param concurrentNamespaceSyncs namespace controller workers ({@code --concurrent-namespace-syncs}, 10)
 * @param namespaceSyncPeriod how often every namespace is looked at again ({@code --namespace-sync-period}, 5m)
 * @param minResyncPeriod the shared informers resync at a random period between this and twice this
 *     ({@code --min-resync-period}, 12h)
 * @param concurrentEndpointSyncs endpoints controller workers ({@code --concurrent-endpoint-syncs}, 5)
 * @param concurrentServiceEndpointSyncs EndpointSlice controller workers
 *     ({@code --concurrent-service-endpoint-syncs}, 5)
 * @param maxEndpointsPerSlice endpoints in one EndpointSlice at most ({@code --max-endpoints-per-slice}, 100)
 * @param nodeIpam the node IPAM controller's flags
 * @param nodeLifecycle the node lifecycle controller's flags
 * @param concurrentDeploymentSyncs deployment controller workers ({@code --concurrent-deployment-syncs}, 5)
 * @param concurrentReplicaSetSyncs replicaset controller workers ({@code --concurrent-replicaset-syncs}, 5)
 */
public record ControllerManagerConfig(int concurrentGcSyncs, int concurrentNamespaceSyncs,
    Duration namespaceSyncPeriod, Duration minResyncPeriod,
    int concurrentEndpointSyncs, int concurrentServiceEndpointSyncs, int maxEndpointsPerSlice,
    NodeIpamConfig nodeIpam, NodeLifecycleConfig nodeLifecycle, int concurrentDeploymentSyncs,
    int concurrentReplicaSetSyncs) {}
