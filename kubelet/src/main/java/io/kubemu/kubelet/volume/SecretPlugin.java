package io.kubemu.kubelet.volume;

import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretVolumeSource;
import io.fabric8.kubernetes.api.model.Volume;
import io.kubemu.kubelet.envvars.EnvironmentVariables;
import io.kubemu.kubelet.objects.ObjectManager;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * secret: as configMap, the Secret's keys decoded into files (defaultMode 0644). Kubernetes keeps
 * them on a tmpfs; here they are files in the pod's directory, removed with the pod.
 */
final class SecretPlugin implements VolumePlugin {
  private final ObjectManager objects;

  SecretPlugin(ObjectManager objects) {
    this.objects = objects;
  }

  @Override
  public String name() {
    return "kubernetes.io/secret";
  }

  @Override
  public boolean canSupport(Volume volume) {
    return volume.getSecret() != null;
  }

  @Override
  public boolean readOnly() {
    return true;
  }

  @Override
  public void setUp(Pod pod, Volume volume, Path path) throws SetUpException {
    SecretVolumeSource source = volume.getSecret();
    boolean optional = Boolean.TRUE.equals(source.getOptional());
    Secret secret = get(objects, pod.getMetadata().getNamespace(), source.getSecretName(), optional);
    int mode = source.getDefaultMode() == null ? ConfigMapPlugin.DEFAULT_MODE : source.getDefaultMode();
    AtomicWriter.write(path, payload(source.getItems(), secret, mode, optional));
  }

  static Secret get(ObjectManager objects, String namespace, String name, boolean optional) throws SetUpException {
    Optional<Secret> secret = objects.secret(namespace, name);
    if (secret.isEmpty() && !optional) {
      throw new SetUpException(ObjectManager.notFound("secret", name));
    }
    return secret.orElseGet(Secret::new);
  }

  /** Kubernetes' secret MakePayload. */
  static Map<String, FileProjection> payload(List<KeyToPath> items, Secret secret, int defaultMode, boolean optional)
      throws SetUpException {
    return ConfigMapPlugin.project(items, EnvironmentVariables.secretData(secret), defaultMode, optional,
        "secret references non-existent secret key: ");
  }
}
