package io.kubemu.kubelet.volume;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * emptyDir: a directory of the pod's own, writable by every user (0777), gone with the pod.
 * Medium "Memory" is a directory too: the kubelet mounts no tmpfs, so its files live on disk, and
 * sizeLimit is not enforced.
 */
final class EmptyDirPlugin implements VolumePlugin {
  @Override
  public String name() {
    return "kubernetes.io/empty-dir";
  }

  @Override
  public boolean canSupport(Volume volume) {
    return volume.getEmptyDir() != null;
  }

  @Override
  public void setUp(Pod pod, Volume volume, Path path) throws SetUpException {
    makeDirectory(path);
  }

  static void makeDirectory(Path path) throws SetUpException {
    if (Files.isDirectory(path)) {
      return;
    }
    try {
      Files.createDirectories(path);
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxrwxrwx"));
    } catch (IOException e) {
      throw new SetUpException("mkdir " + path + ": " + e.getMessage());
    }
  }
}
