package io.kubemu.kubelet.objects;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import java.util.List;
import java.util.Optional;

/**
 * The API objects a pod's containers are built from, as the kubelet's configmap, secret and token
 * managers and its service lister give them: a ConfigMap or Secret its volumes and environment
 * name, the Services whose addresses go into its environment, and a token for its service account.
 * The kubelet reads them through the apiserver; tests give them from memory.
 */
public interface ObjectManager {
  /** The ConfigMap, or empty when it does not exist; other failures are exceptions. */
  Optional<ConfigMap> configMap(String namespace, String name);

  /** The Secret, or empty when it does not exist. */
  Optional<Secret> secret(String namespace, String name);

  /** The Services in the namespace. */
  List<Service> services(String namespace);

  /**
   * A token for the pod's service account (the TokenRequest API), bound to the pod; empty when the
   * apiserver issues no tokens.
   */
  Optional<String> serviceAccountToken(Pod pod, String audience, Long expirationSeconds);

  /** No apiserver: no ConfigMap, Secret or Service exists, and no token is issued. */
  static ObjectManager none() {
    return new ObjectManager() {
      @Override
      public Optional<ConfigMap> configMap(String namespace, String name) {
        return Optional.empty();
      }

      @Override
      public Optional<Secret> secret(String namespace, String name) {
        return Optional.empty();
      }

      @Override
      public List<Service> services(String namespace) {
        return List.of();
      }

      @Override
      public Optional<String> serviceAccountToken(Pod pod, String audience, Long expirationSeconds) {
        return Optional.empty();
      }
    };
  }

  /** The message Kubernetes' kubelet gives for an object it could not find, e.g. {@code configmap "app" not found}. */
  static String notFound(String kind, String name) {
    return kind + " \"" + name + "\" not found";
  }
}
