package io.kubemu.kubelet.volume;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import java.nio.file.Path;

/**
 * One kind of volume (Kubernetes' volume plugins): where a pod's volume of that kind is on the
 * host, and how it gets there. Most live in the pod's directory, at
 * {@code <root-dir>/pods/<uid>/volumes/kubernetes.io~<plugin>/<volume>}; a hostPath volume is
 * its path.
 */
interface VolumePlugin {
  /** Kubernetes' plugin name, e.g. {@code kubernetes.io/configmap}. */
  String name();

  boolean canSupport(Volume volume);

  /** Containers mount it read-only whatever their volumeMount says (ConfigMap, Secret, downward API, projected). */
  default boolean readOnly() {
    return false;
  }

  default Path path(Path podVolumesDir, Volume volume) {
    return podVolumesDir.resolve(name().replace('/', '~')).resolve(volume.getName());
  }

  /** Makes {@code path} what the volume says; called on every pod sync, so it also refreshes. */
  void setUp(Pod pod, Volume volume, Path path) throws SetUpException;
}
