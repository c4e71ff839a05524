package io.kubemu.kubelet.volume;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * hostPath: a path of the node itself, checked (or created) as its {@code type} says, with
 * Kubernetes' messages: DirectoryOrCreate and FileOrCreate make what is missing (0755, 0644),
 * Directory, File, Socket, CharDevice and BlockDevice must already be one; no type checks nothing.
 */
final class HostPathPlugin implements VolumePlugin {
  private static final int S_IFMT = 0170000;
  private static final int S_IFSOCK = 0140000;
  private static final int S_IFCHR = 0020000;
  private static final int S_IFBLK = 0060000;

  @Override
  public String name() {
    return "kubernetes.io/host-path";
  }

  @Override
  public boolean canSupport(Volume volume) {
    return volume.getHostPath() != null;
  }

  @Override
  public Path path(Path podVolumesDir, Volume volume) {
    return Path.of(volume.getHostPath().getPath());
  }

  @Override
  public void setUp(Pod pod, Volume volume, Path path) throws SetUpException {
    checkType(path, volume.getHostPath().getType());
  }

  static void checkType(Path path, String type) throws SetUpException {
    String checked = type == null ? "" : type;
    try {
      switch (checked) {
        case "" -> { }
        case "DirectoryOrCreate" -> {
          if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(path);
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
          } else if (!Files.isDirectory(path)) {
            throw new SetUpException("hostPath type check failed: " + path + " is not a directory");
          }
        }
        case "Directory" -> {
          if (!Files.isDirectory(path)) {
            throw new SetUpException("hostPath type check failed: " + path + " is not a directory");
          }
        }
        case "FileOrCreate" -> {
          if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            try {
              Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
            } catch (FileAlreadyExistsException e) {
              // made meanwhile; checked below
            }
          }
          if (!Files.isRegularFile(path)) {
            throw new SetUpException("hostPath type check failed: " + path + " is not a file");
          }
        }
        case "File" -> {
          if (!Files.isRegularFile(path)) {
            throw new SetUpException("hostPath type check failed: " + path + " is not a file");
          }
        }
        case "Socket" -> requireMode(path, S_IFSOCK, "a socket file");
        case "CharDevice" -> requireMode(path, S_IFCHR, "a character device");
        case "BlockDevice" -> requireMode(path, S_IFBLK, "a block device");
        default -> throw new SetUpException(checked + " is an invalid volume type");
      }
    } catch (IOException e) {
      throw new SetUpException("hostPath " + path + ": " + e.getMessage());
    }
  }

  private static void requireMode(Path path, int kind, String what) throws SetUpException {
    int mode;
    try {
      mode = (Integer) Files.getAttribute(path, "unix:mode");
    } catch (IOException | UnsupportedOperationException e) {
      mode = 0;
    }
    if ((mode & S_IFMT) != kind) {
      throw new SetUpException("hostPath type check failed: " + path + " is not " + what);
    }
  }
}
