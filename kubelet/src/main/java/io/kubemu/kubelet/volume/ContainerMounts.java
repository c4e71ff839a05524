package io.kubemu.kubelet.volume;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.kubemu.kubelet.container.CreateContainerConfigException;
import io.kubemu.kubelet.envvars.Expansion;
import io.kubemu.kubelet.runtime.ContainerConfig.Mount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A container's volumeMounts as the host paths the runtime binds (kubelet's makeMounts): the
 * volume's path, or a subPath in it (subPathExpr expanded with the container's environment),
 * created when missing with the volume's own mode; read-only if the mount says so or the volume is
 * always read-only (ConfigMap, Secret, ...).
 */
public final class ContainerMounts {
  private ContainerMounts() {}

  public static List<Mount> make(Container container, Map<String, VolumeManager.PodVolume> volumes,
      Map<String, String> env) throws CreateContainerConfigException {
    List<Mount> mounts = new ArrayList<>();
    if (container.getVolumeMounts() == null) {
      return mounts;
    }
    for (VolumeMount mount : container.getVolumeMounts()) {
      VolumeManager.PodVolume volume = volumes.get(mount.getName());
      if (volume == null) {
        throw new CreateContainerConfigException("cannot find volume \"" + mount.getName() + "\" to mount into "
            + "container \"" + container.getName() + "\"");
      }
      Path hostPath = volume.hostPath();
      String subPath = mount.getSubPath();
      if (mount.getSubPathExpr() != null && !mount.getSubPathExpr().isEmpty()) {
        subPath = Expansion.expand(mount.getSubPathExpr(), Expansion.mappingFor(env));
        if (subPath.startsWith("/")) {
          throw new CreateContainerConfigException("unable to expand volume mount: subPathExpr " + subPath
              + " must not be an absolute path");
        }
        if (hasBacksteps(subPath)) {
          throw new CreateContainerConfigException("unable to expand volume mount: subPathExpr " + subPath
              + " must not contain '..'");
        }
      }
      if (subPath != null && !subPath.isEmpty()) {
        if (subPath.startsWith("/")) {
          throw new CreateContainerConfigException("error SubPath `" + subPath + "` must not be an absolute path");
        }
        if (hasBacksteps(subPath)) {
          throw new CreateContainerConfigException("unable to provision SubPath `" + subPath
              + "`: must not contain '..'");
        }
        Path volumePath = hostPath;
        hostPath = volumePath.resolve(subPath);
        if (!Files.exists(hostPath)) {
          try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(volumePath);
            Files.createDirectories(hostPath);
            Files.setPosixFilePermissions(hostPath, mode);
          } catch (IOException e) {
            throw new CreateContainerConfigException("failed to create subPath directory for volumeMount \""
                + mount.getName() + "\" of container \"" + container.getName() + "\"");
          }
        }
      }
      mounts.add(new Mount(mount.getMountPath(), hostPath.toString(),
          Boolean.TRUE.equals(mount.getReadOnly()) || volume.readOnly()));
    }
    return mounts;
  }

  private static boolean hasBacksteps(String path) {
    return Arrays.asList(path.split("/")).contains("..");
  }
}
