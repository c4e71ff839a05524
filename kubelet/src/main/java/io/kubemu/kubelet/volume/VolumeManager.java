package io.kubemu.kubelet.volume;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.kubemu.kubelet.objects.ObjectManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet's volume manager: before a pod's containers start, every volume of the pod is set up
 * as a directory (or file) on this node, which the runtime binds into the containers that mount
 * it. A pod's volumes live under {@code <root-dir>/pods/<uid>/volumes/kubernetes.io~<plugin>/<name>}
 * (hostPath volumes are their own path), and the pod's directory goes when the pod is cleaned up.
 *
 * <p>Volume kinds this kubelet has no plugin for (persistentVolumeClaim, nfs, csi, ...) are set up
 * as an empty directory, with a warning: there is no storage to attach them from.
 */
public final class VolumeManager {
  private static final Logger LOG = LoggerFactory.getLogger(VolumeManager.class);
  static final String UNSUPPORTED = "kubernetes.io/unsupported";

  /** Where a volume is on the host, and whether containers must mount it read-only. */
  public record PodVolume(Path hostPath, boolean readOnly) {}

  private final Path rootDir;
  private final List<VolumePlugin> plugins;

  public VolumeManager(Path rootDir, ObjectManager objects, Map<String, Quantity> nodeAllocatable) {
    this.rootDir = rootDir;
    this.plugins = List.of(new EmptyDirPlugin(), new HostPathPlugin(), new ConfigMapPlugin(objects),
        new SecretPlugin(objects), new DownwardApiPlugin(nodeAllocatable), new ProjectedPlugin(objects, nodeAllocatable));
  }

  public Path rootDir() {
    return rootDir;
  }

  /** {@code <root-dir>/pods/<uid>}: everything the kubelet keeps on disk for the pod. */
  public Path podDir(String uid) {
    return rootDir.resolve("pods").resolve(uid);
  }

  /**
   * Sets up (or refreshes) every volume of the pod (kubelet's WaitForAttachAndMount). The volumes
   * that fail are all reported in one exception, one FailedMount message each.
   */
  public Map<String, PodVolume> mountPodVolumes(Pod pod) throws MountVolumeException {
    Map<String, PodVolume> mounted = new LinkedHashMap<>();
    List<String> failedVolumes = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    for (Volume volume : volumes(pod)) {
      VolumePlugin plugin = plugin(volume);
      Path path = path(pod, volume, plugin);
      try {
        if (plugin == null) {
          LOG.warn("pod {}/{}: volume {} is of a kind this kubelet cannot attach; it is an empty directory",
              pod.getMetadata().getNamespace(), pod.getMetadata().getName(), volume.getName());
          EmptyDirPlugin.makeDirectory(path);
        } else {
          plugin.setUp(pod, volume, path);
        }
        mounted.put(volume.getName(), new PodVolume(path, plugin != null && plugin.readOnly()));
      } catch (SetUpException e) {
        failedVolumes.add(volume.getName());
        failures.add("MountVolume.SetUp failed for volume \"" + volume.getName() + "\" : " + e.getMessage());
      }
    }
    if (!failures.isEmpty()) {
      throw new MountVolumeException(failedVolumes, failures);
    }
    return mounted;
  }

  /** Where the pod's volumes are (or will be) on the host, without touching the disk. */
  public Map<String, PodVolume> podVolumes(Pod pod) {
    Map<String, PodVolume> volumes = new LinkedHashMap<>();
    for (Volume volume : volumes(pod)) {
      VolumePlugin plugin = plugin(volume);
      volumes.put(volume.getName(), new PodVolume(path(pod, volume, plugin), plugin != null && plugin.readOnly()));
    }
    return volumes;
  }

  /** The pod is gone from this node: its directory, with its volumes, goes (hostPath volumes stay). */
  public void cleanupPod(String uid) {
    Path dir = podDir(uid);
    try {
      AtomicWriter.deleteRecursively(dir);
    } catch (IOException e) {
      LOG.warn("pod {}: could not remove {}, will retry at its next cleanup: {}", uid, dir, e.getMessage());
    }
  }

  /** kubelet's cleanupOrphanedPodDirs: the directories of pods this node no longer has go. */
  public void cleanupOrphanedPodDirs(Set<String> podUids) {
    Path pods = rootDir.resolve("pods");
    if (!Files.isDirectory(pods)) {
      return;
    }
    try (Stream<Path> dirs = Files.list(pods)) {
      for (Path dir : dirs.toList()) {
        String uid = dir.getFileName().toString();
        if (!podUids.contains(uid)) {
          LOG.info("removing the directory of orphaned pod {}", uid);
          cleanupPod(uid);
        }
      }
    } catch (IOException e) {
      LOG.warn("could not list the pod directories in {}: {}", pods, e.getMessage());
    }
  }

  private VolumePlugin plugin(Volume volume) {
    for (VolumePlugin plugin : plugins) {
      if (plugin.canSupport(volume)) {
        return plugin;
      }
    }
    return null;
  }

  private Path path(Pod pod, Volume volume, VolumePlugin plugin) {
    Path volumesDir = podDir(pod.getMetadata().getUid()).resolve("volumes");
    return plugin != null ? plugin.path(volumesDir, volume)
        : volumesDir.resolve(UNSUPPORTED.replace('/', '~')).resolve(volume.getName());
  }

  private static List<Volume> volumes(Pod pod) {
    return pod.getSpec().getVolumes() == null ? List.of() : pod.getSpec().getVolumes();
  }
}
