package io.kubemu.kubelet.volume;

import io.fabric8.kubernetes.api.model.DownwardAPIVolumeFile;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.kubemu.kubelet.fieldpath.FieldPath;
import io.kubemu.kubelet.fieldpath.ResourceValues;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * downwardAPI: a file per item, holding a field of the pod (metadata.name, namespace, uid, labels,
 * annotations) or a container's resource (limits.cpu, requests.memory, ... a limit not set is the
 * node's allocatable). Labels and annotations change while the pod runs; each sync rewrites them.
 */
final class DownwardApiPlugin implements VolumePlugin {
  private final Map<String, Quantity> nodeAllocatable;

  DownwardApiPlugin(Map<String, Quantity> nodeAllocatable) {
    this.nodeAllocatable = nodeAllocatable;
  }

  @Override
  public String name() {
    return "kubernetes.io/downward-api";
  }

  @Override
  public boolean canSupport(Volume volume) {
    return volume.getDownwardAPI() != null;
  }

  @Override
  public boolean readOnly() {
    return true;
  }

  @Override
  public void setUp(Pod pod, Volume volume, Path path) throws SetUpException {
    Integer mode = volume.getDownwardAPI().getDefaultMode();
    AtomicWriter.write(path, payload(volume.getDownwardAPI().getItems(), pod,
        mode == null ? ConfigMapPlugin.DEFAULT_MODE : mode, nodeAllocatable));
  }

  /** Kubernetes' downwardapi CollectData: every item that resolves; the ones that do not, in one error. */
  static Map<String, FileProjection> payload(List<DownwardAPIVolumeFile> items, Pod pod, int defaultMode,
      Map<String, Quantity> nodeAllocatable) throws SetUpException {
    Map<String, FileProjection> payload = new LinkedHashMap<>();
    List<String> errors = new ArrayList<>();
    for (DownwardAPIVolumeFile item : items == null ? List.<DownwardAPIVolumeFile>of() : items) {
      int mode = item.getMode() == null ? defaultMode : item.getMode();
      String path = Path.of(item.getPath()).normalize().toString();
      try {
        String value = "";
        if (item.getFieldRef() != null) {
          value = FieldPath.extract(pod, item.getFieldRef().getFieldPath());
        } else if (item.getResourceFieldRef() != null) {
          value = ResourceValues.extract(item.getResourceFieldRef(), pod, item.getResourceFieldRef().getContainerName(),
              nodeAllocatable);
        }
        payload.put(path, new FileProjection(value.getBytes(StandardCharsets.UTF_8), mode));
      } catch (FieldPath.UnsupportedFieldException e) {
        errors.add(e.getMessage());
      }
    }
    if (!errors.isEmpty()) {
      throw new SetUpException(aggregate(errors));
    }
    return payload;
  }

  /** Several errors as one message, as Kubernetes' utilerrors.NewAggregate prints them. */
  static String aggregate(List<String> errors) {
    return errors.size() == 1 ? errors.get(0) : "[" + String.join(", ", errors) + "]";
  }
}
