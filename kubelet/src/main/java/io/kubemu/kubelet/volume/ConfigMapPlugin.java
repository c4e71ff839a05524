package io.kubemu.kubelet.volume;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapVolumeSource;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.kubemu.kubelet.objects.ObjectManager;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * configMap: a file per key (data and binaryData), or only the listed items at their paths, with
 * the item's mode or the volume's defaultMode (0644). A missing ConfigMap fails the mount unless
 * it is optional (then the volume is empty); it is read again on every pod sync, so an update
 * reaches the files.
 */
final class ConfigMapPlugin implements VolumePlugin {
  static final int DEFAULT_MODE = 0644;

  private final ObjectManager objects;

  ConfigMapPlugin(ObjectManager objects) {
    this.objects = objects;
  }

  @Override
  public String name() {
    return "kubernetes.io/configmap";
  }

  @Override
  public boolean canSupport(Volume volume) {
    return volume.getConfigMap() != null;
  }

  @Override
  public boolean readOnly() {
    return true;
  }

  @Override
  public void setUp(Pod pod, Volume volume, Path path) throws SetUpException {
    ConfigMapVolumeSource source = volume.getConfigMap();
    boolean optional = Boolean.TRUE.equals(source.getOptional());
    ConfigMap configMap = get(objects, pod.getMetadata().getNamespace(), source.getName(), optional);
    int mode = source.getDefaultMode() == null ? DEFAULT_MODE : source.getDefaultMode();
    AtomicWriter.write(path, payload(source.getItems(), configMap, mode, optional));
  }

  /** The ConfigMap, an empty one if it is optional and missing; Kubernetes' error if it is required. */
  static ConfigMap get(ObjectManager objects, String namespace, String name, boolean optional) throws SetUpException {
    Optional<ConfigMap> configMap = objects.configMap(namespace, name);
    if (configMap.isEmpty() && !optional) {
      throw new SetUpException(ObjectManager.notFound("configmap", name));
    }
    return configMap.orElseGet(ConfigMap::new);
  }

  /** Kubernetes' configmap MakePayload. */
  static Map<String, FileProjection> payload(List<KeyToPath> items, ConfigMap configMap, int defaultMode,
      boolean optional) throws SetUpException {
    Map<String, byte[]> data = new LinkedHashMap<>();
    if (configMap.getData() != null) {
      configMap.getData().forEach((key, value) -> data.put(key, value.getBytes(StandardCharsets.UTF_8)));
    }
    if (configMap.getBinaryData() != null) {
      configMap.getBinaryData().forEach((key, value) -> data.put(key, Base64.getMimeDecoder().decode(value)));
    }
    return project(items, data, defaultMode, optional, "configmap references non-existent config key: ");
  }

  /** Every key as a file, or only the items, each at its path; a missing item key fails unless optional. */
  static Map<String, FileProjection> project(List<KeyToPath> items, Map<String, byte[]> data, int defaultMode,
      boolean optional, String missingKey) throws SetUpException {
    Map<String, FileProjection> payload = new LinkedHashMap<>();
    if (items == null || items.isEmpty()) {
      data.forEach((key, value) -> payload.put(key, new FileProjection(value, defaultMode)));
      return payload;
    }
    for (KeyToPath item : items) {
      byte[] value = data.get(item.getKey());
      if (value == null) {
        if (optional) {
          continue;
        }
        throw new SetUpException(missingKey + item.getKey());
      }
      payload.put(item.getPath(), new FileProjection(value, item.getMode() == null ? defaultMode : item.getMode()));
    }
    return payload;
  }
}
