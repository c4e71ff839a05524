package io.kubemu.controllermanager;

import java.time.Duration;

/**
 * The controllers' settings, with the names and defaults of kube-controller-manager's flags.
 *
 * @param concurrentGcSyncs garbage collector workers ({@code --concurrent-gc-syncs}, 20)
 * @param concurrentNamespaceSyncs namespace controller workers ({@code --concurrent-namespace-syncs}, 10)
 * @param namespaceSyncPeriod how often every namespace is looked at again ({@code --namespace-sync-period}, 5m)
 * @param minResyncPeriod the shared informers resync at a random period between this and twice this
 *     ({@code --min-resync-period}, 12h)
 * @param concurrentDeploymentSyncs deployment controller workers ({@code --concurrent-deployment-syncs}, 5)
 */
public record ControllerManagerConfig(int concurrentGcSyncs, int concurrentNamespaceSyncs,
    Duration namespaceSyncPeriod, Duration minResyncPeriod, int concurrentDeploymentSyncs) {}
