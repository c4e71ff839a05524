package io.kubemu.kubelet.objects;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet's cache-based object manager (Kubernetes' ConfigMapAndSecretChangeDetectionStrategy
 * "Cache"): a ConfigMap, Secret or a namespace's Services are read from the apiserver and kept for
 * a time to live, so a node with many pods on one ConfigMap reads it once per TTL, and a changed
 * ConfigMap reaches its volumes within TTL plus a pod sync. An object not found is not cached: a
 * pod waiting for it sees it at its next retry.
 */
public final class CachingObjectManager implements ObjectManager {
  private static final Logger LOG = LoggerFactory.getLogger(CachingObjectManager.class);

  private record Entry(Object value, Instant fetched) {}

  private final KubernetesClient client;
  private final Duration ttl;
  private final Clock clock;
  private final Map<String, Entry> cache = new ConcurrentHashMap<>();
  private final AtomicBoolean tokensUnavailableLogged = new AtomicBoolean();

  public CachingObjectManager(KubernetesClient client, Duration ttl, Clock clock) {
    this.client = client;
    this.ttl = ttl;
    this.clock = clock;
  }

  @Override
  public Optional<ConfigMap> configMap(String namespace, String name) {
    return Optional.ofNullable(cached("configmap/" + namespace + "/" + name,
        () -> client.configMaps().inNamespace(namespace).withName(name).get()));
  }

  @Override
  public Optional<Secret> secret(String namespace, String name) {
    return Optional.ofNullable(cached("secret/" + namespace + "/" + name,
        () -> client.secrets().inNamespace(namespace).withName(name).get()));
  }

  @Override
  public List<Service> services(String namespace) {
    return Objects.requireNonNull(cached("services/" + namespace,
        () -> client.services().inNamespace(namespace).list().getItems()));
  }

  @Override
  public Optional<String> serviceAccountToken(Pod pod, String audience, Long expirationSeconds) {
    String account = Objects.requireNonNullElse(pod.getSpec().getServiceAccountName(), "default");
    TokenRequest request = new TokenRequestBuilder().withNewSpec()
        .withAudiences(audience == null || audience.isEmpty() ? List.of() : List.of(audience))
        .withExpirationSeconds(expirationSeconds == null ? 3600L : expirationSeconds)
        .withNewBoundObjectRef().withApiVersion("v1").withKind("Pod").withName(pod.getMetadata().getName())
        .withUid(pod.getMetadata().getUid()).endBoundObjectRef()
        .endSpec().build();
    try {
      TokenRequest issued = client.serviceAccounts().inNamespace(pod.getMetadata().getNamespace()).withName(account)
          .tokenRequest(request);
      return Optional.ofNullable(issued == null || issued.getStatus() == null ? null : issued.getStatus().getToken());
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404 || e.getCode() == 405) {
        if (tokensUnavailableLogged.compareAndSet(false, true)) {
          LOG.info("the apiserver issues no service account tokens (TokenRequest answered {}): projected token "
              + "files are left out", e.getCode());
        }
        return Optional.empty();
      }
      throw e;
    }
  }

  @SuppressWarnings("unchecked")
  private <T> T cached(String key, Supplier<T> fetch) {
    Instant now = clock.instant();
    Entry entry = cache.get(key);
    if (entry != null && entry.fetched().plus(ttl).isAfter(now)) {
      return (T) entry.value();
    }
    T value = fetch.get();
    if (value == null) {
      cache.remove(key);
    } else {
      cache.put(key, new Entry(value, now));
    }
    return value;
  }
}
