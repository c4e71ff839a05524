package io.kubemu.kubelet.objects;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The objects a test's pods refer to, in memory instead of an apiserver. */
public final class InMemoryObjects implements ObjectManager {
  private final Map<String, ConfigMap> configMaps = new LinkedHashMap<>();
  private final Map<String, Secret> secrets = new LinkedHashMap<>();
  private final List<Service> services = new ArrayList<>();
  private String token;

  public InMemoryObjects configMap(String namespace, String name, Map<String, String> data) {
    configMaps.put(namespace + "/" + name, new ConfigMapBuilder().withNewMetadata().withNamespace(namespace)
        .withName(name).endMetadata().withData(data).build());
    return this;
  }

  /** A Secret as the apiserver serves it: its values base64 in data. */
  public InMemoryObjects secret(String namespace, String name, Map<String, String> values) {
    Map<String, String> data = new LinkedHashMap<>();
    values.forEach((key, value) -> data.put(key,
        Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8))));
    secrets.put(namespace + "/" + name, new SecretBuilder().withNewMetadata().withNamespace(namespace).withName(name)
        .endMetadata().withData(data).build());
    return this;
  }

  public InMemoryObjects service(Service service) {
    services.add(service);
    return this;
  }

  /** The token the TokenRequest API issues; null: the apiserver issues none. */
  public InMemoryObjects token(String token) {
    this.token = token;
    return this;
  }

  @Override
  public Optional<ConfigMap> configMap(String namespace, String name) {
    return Optional.ofNullable(configMaps.get(namespace + "/" + name));
  }

  @Override
  public Optional<Secret> secret(String namespace, String name) {
    return Optional.ofNullable(secrets.get(namespace + "/" + name));
  }

  @Override
  public List<Service> services(String namespace) {
    return services.stream().filter(service -> service.getMetadata().getNamespace().equals(namespace)).toList();
  }

  @Override
  public Optional<String> serviceAccountToken(Pod pod, String audience, Long expirationSeconds) {
    return Optional.ofNullable(token);
  }
}
