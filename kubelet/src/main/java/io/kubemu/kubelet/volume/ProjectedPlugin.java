package io.kubemu.kubelet.volume;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapProjection;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ProjectedVolumeSource;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretProjection;
import io.fabric8.kubernetes.api.model.ServiceAccountTokenProjection;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.kubemu.kubelet.objects.ObjectManager;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * projected: ConfigMap, Secret, downward API and service account token sources in one directory
 * (what a pod's {@code kube-api-access-*} volume is: the token, kube-root-ca.crt's ca.crt and the
 * namespace). The token comes from the TokenRequest API; an apiserver that issues none gets no
 * token file, and the rest of the volume is written all the same.
 */
final class ProjectedPlugin implements VolumePlugin {
  private final ObjectManager objects;
  private final Map<String, Quantity> nodeAllocatable;

  ProjectedPlugin(ObjectManager objects, Map<String, Quantity> nodeAllocatable) {
    this.objects = objects;
    this.nodeAllocatable = nodeAllocatable;
  }

  @Override
  public String name() {
    return "kubernetes.io/projected";
  }

  @Override
  public boolean canSupport(Volume volume) {
    return volume.getProjected() != null;
  }

  @Override
  public boolean readOnly() {
    return true;
  }

  @Override
  public void setUp(Pod pod, Volume volume, Path path) throws SetUpException {
    AtomicWriter.write(path, payload(pod, volume.getProjected()));
  }

  /** Kubernetes' projected collectData: the sources' files in one payload; every source's error in one message. */
  Map<String, FileProjection> payload(Pod pod, ProjectedVolumeSource source) throws SetUpException {
    String namespace = pod.getMetadata().getNamespace();
    int defaultMode = source.getDefaultMode() == null ? ConfigMapPlugin.DEFAULT_MODE : source.getDefaultMode();
    Map<String, FileProjection> payload = new LinkedHashMap<>();
    List<String> errors = new ArrayList<>();
    for (VolumeProjection projection : source.getSources() == null ? List.<VolumeProjection>of() : source.getSources()) {
      try {
        if (projection.getConfigMap() != null) {
          ConfigMapProjection ref = projection.getConfigMap();
          boolean optional = Boolean.TRUE.equals(ref.getOptional());
          ConfigMap configMap = ConfigMapPlugin.get(objects, namespace, ref.getName(), optional);
          payload.putAll(ConfigMapPlugin.payload(ref.getItems(), configMap, defaultMode, optional));
        } else if (projection.getSecret() != null) {
          SecretProjection ref = projection.getSecret();
          boolean optional = Boolean.TRUE.equals(ref.getOptional());
          Secret secret = SecretPlugin.get(objects, namespace, ref.getName(), optional);
          payload.putAll(SecretPlugin.payload(ref.getItems(), secret, defaultMode, optional));
        } else if (projection.getDownwardAPI() != null) {
          payload.putAll(DownwardApiPlugin.payload(projection.getDownwardAPI().getItems(), pod, defaultMode,
              nodeAllocatable));
        } else if (projection.getServiceAccountToken() != null) {
          ServiceAccountTokenProjection token = projection.getServiceAccountToken();
          Optional<String> issued = objects.serviceAccountToken(pod, token.getAudience(), token.getExpirationSeconds());
          if (issued.isPresent()) {
            payload.put(token.getPath(), new FileProjection(issued.get().getBytes(StandardCharsets.UTF_8), defaultMode));
          }
        }
      } catch (SetUpException | RuntimeException e) {
        errors.add(e.getMessage());
      }
    }
    if (!errors.isEmpty()) {
      throw new SetUpException(DownwardApiPlugin.aggregate(errors));
    }
    return payload;
  }
}
