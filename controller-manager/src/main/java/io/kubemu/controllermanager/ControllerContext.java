package io.kubemu.controllermanager;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubemu.component.informers.InformerFactory;
import io.kubemu.controllermanager.discovery.ServerResources;

/**
 * What every controller is built from, as Kubernetes' ControllerContext: the client, the
 * informers shared by all controllers, what the apiserver serves, and the flags.
 */
public record ControllerContext(KubernetesClient client, InformerFactory informers, ServerResources resources,
    ControllerManagerConfig config) {}
