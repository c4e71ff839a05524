package io.kubemu.apiserver.protobuf;

import com.google.protobuf.Descriptors.Descriptor;
import io.kubemu.apiserver.protobuf.k8s.api.apps.v1.Deployment;
import io.kubemu.apiserver.protobuf.k8s.api.apps.v1.ReplicaSet;
import io.kubemu.apiserver.protobuf.k8s.api.autoscaling.v1.Scale;
import io.kubemu.apiserver.protobuf.k8s.api.coordination.v1.Lease;
import io.kubemu.apiserver.protobuf.k8s.api.core.v1.Binding;
import io.kubemu.apiserver.protobuf.k8s.api.core.v1.ConfigMap;
import io.kubemu.apiserver.protobuf.k8s.api.core.v1.Endpoints;
import io.kubemu.apiserver.protobuf.k8s.api.core.v1.Event;
import io.kubemu.apiserver.protobuf.k8s.api.core.v1.Namespace;
import io.kubemu.apiserver.protobuf.k8s.api.core.v1.Node;
import io.kubemu.apiserver.protobuf.k8s.api.core.v1.Pod;
import io.kubemu.apiserver.protobuf.k8s.api.core.v1.Secret;
import io.kubemu.apiserver.protobuf.k8s.api.core.v1.Service;
import io.kubemu.apiserver.protobuf.k8s.api.core.v1.ServiceAccount;
import io.kubemu.apiserver.protobuf.k8s.api.discovery.v1.EndpointSlice;
import io.kubemu.apiserver.protobuf.k8s.api.policy.v1.Eviction;
import io.kubemu.apiserver.protobuf.k8s.apimachinery.meta.v1.DeleteOptions;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The kinds whose protobuf form kubemu reads, by the apiVersion and kind that the envelope names.
 * The same kinds the apiserver serves; a client sends anything else as JSON.
 */
final class ProtobufKinds {

  private static final Map<String, Map<String, Descriptor>> BY_API_VERSION = Map.of(
      "v1", Map.of(
          "Pod", Pod.getDescriptor(),
          "Node", Node.getDescriptor(),
          "Service", Service.getDescriptor(),
          "Endpoints", Endpoints.getDescriptor(),
          "Event", Event.getDescriptor(),
          "ConfigMap", ConfigMap.getDescriptor(),
          "Secret", Secret.getDescriptor(),
          "ServiceAccount", ServiceAccount.getDescriptor(),
          "Namespace", Namespace.getDescriptor(),
          "Binding", Binding.getDescriptor()),
      "apps/v1", Map.of(
          "Deployment", Deployment.getDescriptor(),
          "ReplicaSet", ReplicaSet.getDescriptor()),
      "autoscaling/v1", Map.of("Scale", Scale.getDescriptor()),
      "policy/v1", Map.of("Eviction", Eviction.getDescriptor()),
      "coordination.k8s.io/v1", Map.of("Lease", Lease.getDescriptor()),
      "discovery.k8s.io/v1", Map.of("EndpointSlice", EndpointSlice.getDescriptor()));

  /**
   * DeleteOptions is registered in every group version: a typed client names its own
   * ({@code v1} for pods, {@code apps/v1} for deployments), others name {@code meta.k8s.io/v1}.
   */
  private static final Set<String> DELETE_OPTIONS_API_VERSIONS = Set.of(
      "v1", "apps/v1", "autoscaling/v1", "policy/v1", "coordination.k8s.io/v1", "discovery.k8s.io/v1",
      "meta.k8s.io/v1");

  private ProtobufKinds() {
  }

  static Optional<Descriptor> find(String apiVersion, String kind) {
    if (kind.equals("DeleteOptions") && DELETE_OPTIONS_API_VERSIONS.contains(apiVersion)) {
      return Optional.of(DeleteOptions.getDescriptor());
    }
    return Optional.ofNullable(BY_API_VERSION.getOrDefault(apiVersion, Map.of()).get(kind));
  }
}
