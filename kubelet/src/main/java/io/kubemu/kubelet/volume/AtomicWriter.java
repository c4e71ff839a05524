package io.kubemu.kubelet.volume;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Writes the files of a ConfigMap, Secret, downward API or projected volume so that a container
 * sees either all the old files or all the new ones, never a mix (Kubernetes' AtomicWriter): the
 * files go into a new hidden directory {@code ..<timestamp>}, the symlink {@code ..data} is
 * switched to it in one rename, and each visible name is a symlink through {@code ..data}. The
 * volume is rewritten only when its content changed.
 */
final class AtomicWriter {
  static final String DATA_DIR = "..data";
  private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("'..'yyyy_MM_dd_HH_mm_ss.");
  private static final Set<PosixFilePermission> DIRECTORY = EnumSet.of(PosixFilePermission.OWNER_READ,
      PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_READ,
      PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_EXECUTE);

  private AtomicWriter() {}

  /** Makes {@code dir} hold exactly the payload (relative path → file); true when something changed. */
  static boolean write(Path dir, Map<String, FileProjection> payload) throws SetUpException {
    for (String path : payload.keySet()) {
      validatePath(path);
    }
    try {
      Files.createDirectories(dir);
      Path data = dir.resolve(DATA_DIR);
      Path old = Files.isSymbolicLink(data) ? dir.resolve(Files.readSymbolicLink(data)) : null;
      if (old != null && sameContent(old, payload)) {
        return false;
      }
      Path next = Files.createTempDirectory(dir, TIMESTAMP.format(ZonedDateTime.now(ZoneOffset.UTC)));
      Files.setPosixFilePermissions(next, DIRECTORY);
      for (Map.Entry<String, FileProjection> file : payload.entrySet()) {
        Path target = next.resolve(file.getKey());
        Files.createDirectories(target.getParent());
        Files.write(target, file.getValue().data());
        Files.setPosixFilePermissions(target, permissions(file.getValue().mode()));
      }
      Path temporary = dir.resolve("..data_tmp");
      Files.deleteIfExists(temporary);
      Files.createSymbolicLink(temporary, next.getFileName());
      Files.move(temporary, data, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

      Set<String> visible = new LinkedHashSet<>();
      for (String path : payload.keySet()) {
        visible.add(Path.of(path).getName(0).toString());
      }
      for (String name : visible) {
        try {
          Files.createSymbolicLink(dir.resolve(name), Path.of(DATA_DIR, name));
        } catch (FileAlreadyExistsException e) {
          // there since an earlier version: it points through ..data already
        }
      }
      try (Stream<Path> entries = Files.list(dir)) {
        for (Path entry : entries.toList()) {
          String name = entry.getFileName().toString();
          if (!name.startsWith("..") && !visible.contains(name) && Files.isSymbolicLink(entry)) {
            Files.delete(entry);
          }
        }
      }
      if (old != null && !old.equals(next)) {
        deleteRecursively(old);
      }
      return true;
    } catch (IOException e) {
      throw new SetUpException("error writing payload to " + dir + ": " + e.getMessage());
    }
  }

  /** Kubernetes' rules for a file's path in a volume: relative, without '..' anywhere. */
  static void validatePath(String path) throws SetUpException {
    if (path.isEmpty()) {
      throw new SetUpException("invalid path: must not be empty");
    }
    if (path.startsWith("/")) {
      throw new SetUpException("invalid path: must be relative path: " + path);
    }
    if (Arrays.asList(path.split("/")).contains("..")) {
      throw new SetUpException("invalid path: must not contain '..': " + path);
    }
    if (path.startsWith("..")) {
      throw new SetUpException("invalid path: must not start with '..': " + path);
    }
  }

  private static boolean sameContent(Path current, Map<String, FileProjection> payload) throws IOException {
    if (!Files.isDirectory(current)) {
      return false;
    }
    int files;
    try (Stream<Path> walk = Files.walk(current)) {
      files = (int) walk.filter(path -> Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)).count();
    }
    if (files != payload.size()) {
      return false;
    }
    for (Map.Entry<String, FileProjection> file : payload.entrySet()) {
      Path path = current.resolve(file.getKey());
      if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)
          || !Arrays.equals(Files.readAllBytes(path), file.getValue().data())
          || !Files.getPosixFilePermissions(path).equals(permissions(file.getValue().mode()))) {
        return false;
      }
    }
    return true;
  }

  /** The permissions of a mode such as 0644 (the API's defaultMode 420). */
  static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] bits = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
        PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
        PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
        PosixFilePermission.OWNER_READ};
    for (int bit = 0; bit < bits.length; bit++) {
      if ((mode & (1 << bit)) != 0) {
        permissions.add(bits[bit]);
      }
    }
    return permissions;
  }

  static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      walk.sorted(Comparator.reverseOrder()).forEach(entry -> {
        try {
          Files.delete(entry);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
