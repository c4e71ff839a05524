package io.kubemu.kubelet.kuberuntime;

import io.fabric8.kubernetes.api.model.Container;
import io.kubemu.kubelet.runtime.ContainerConfig.Mount;
import io.kubemu.kubelet.runtime.ContainerState;
import io.kubemu.kubelet.runtime.ContainerStatus;
import io.kubemu.kubelet.runtime.Labels;
import io.kubemu.kubelet.runtime.LogOptions;
import io.kubemu.kubelet.runtime.RuntimeService;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a container says why it ended, as kuberuntime does: each instance gets an empty file of its
 * own, {@code <pod dir>/containers/<name>/<random id>}, bound read-write at its
 * {@code terminationMessagePath}; once it exited, what it wrote there (the last 4096 bytes) becomes
 * its terminated state's message. With the policy {@code FallbackToLogsOnError}, a failed container
 * that wrote nothing gets the end of its log instead (the last 80 lines, at most 2048 bytes).
 *
 * <p>The file's host path, the path in the container and the policy are labels of the container
 * (Kubernetes keeps them in its annotations and the CRI's mounts), so a restarted kubelet finds them
 * too. A finished container's message is read once and kept by container id: the file does not
 * change any more, and the status is generated far more often than containers end.
 */
public final class TerminationMessages {
  private static final Logger LOG = LoggerFactory.getLogger(TerminationMessages.class);
  /** The apiserver's default terminationMessagePath. */
  public static final String DEFAULT_PATH = "/dev/termination-log";
  public static final String FILE = "File";
  public static final String FALLBACK_TO_LOGS_ON_ERROR = "FallbackToLogsOnError";
  /** Kubernetes' MaxContainerTerminationMessageLength: what is read of the file, from its end. */
  static final int MAX_LENGTH = 4 * 1024;
  /** Kubernetes' MaxContainerTerminationMessageLogLength and ...LogLines: what is taken of the log. */
  static final int MAX_LOG_LENGTH = 2 * 1024;
  static final int MAX_LOG_LINES = 80;
  /** Kubernetes' MaxPodTerminationMessageLogLength: all of a pod's messages together, evenly shared. */
  public static final int MAX_POD_LENGTH = 12 * 1024;

  private final RuntimeService runtime;
  /** The message of each finished container, by id ("" when it left none). */
  private final Map<String, String> read = new ConcurrentHashMap<>();

  /** @param runtime where the log of a container that wrote no message is read */
  public TerminationMessages(RuntimeService runtime) {
    this.runtime = runtime;
  }

  /**
   * Creates the empty file for a new instance of the container under {@code podDir} (mode 0666, whatever user
   * the container runs as writes it) and labels the container with where it is; returns the mount that binds it
   * at the container's terminationMessagePath.
   */
  public static Mount createFile(Path podDir, Container container, Map<String, String> labels) throws IOException {
    String path = containerPath(container);
    Path containers = podDir.resolve("containers");
    Path dir = containers.resolve(container.getName());
    // One mkdir each, from the top, answered with a boolean: Files.createDirectories throws (stack trace and
    // all) for every parent still missing, three for a new pod's first container, and File.mkdirs resolves
    // the path's links at each level. What still is no directory gets Files' own exceptions.
    podDir.toFile().mkdir();
    containers.toFile().mkdir();
    File folder = dir.toFile();
    if (!folder.mkdir() && !folder.isDirectory()) {
      Files.createDirectories(dir);
    }
    Path file;
    while (true) {
      file = dir.resolve(HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()));
      try {
        Files.createFile(file);
        break;
      } catch (FileAlreadyExistsException e) {
        // another instance's file: draw again
      }
    }
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
    labels.put(Labels.TERMINATION_MESSAGE_PATH, path);
    labels.put(Labels.TERMINATION_MESSAGE_POLICY, Objects.requireNonNullElse(
        emptyToNull(container.getTerminationMessagePolicy()), FILE));
    labels.put(Labels.TERMINATION_MESSAGE_FILE, file.toString());
    return new Mount(path, file.toString(), false);
  }

  /** The container's terminationMessagePath; the apiserver's default when the pod says none. */
  static String containerPath(Container container) {
    return Objects.requireNonNullElse(emptyToNull(container.getTerminationMessagePath()), DEFAULT_PATH);
  }

  /**
   * The container with its termination message, when it exited: the runtime's own message (if any), then ": "
   * and what the container left (kuberuntime's toKubeContainerStatus). Other containers are returned as they are.
   */
  public ContainerStatus withMessage(ContainerStatus container) {
    if (container.state() != ContainerState.CONTAINER_EXITED) {
      return container;
    }
    String message = read.computeIfAbsent(container.id(), id -> read(container));
    if (message.isEmpty()) {
      return container;
    }
    String runtimeMessage = container.message();
    String combined = runtimeMessage == null || runtimeMessage.isEmpty() ? message : runtimeMessage + ": " + message;
    return new ContainerStatus(container.id(), container.podSandboxId(), container.name(), container.attempt(),
        container.state(), container.createdAt(), container.startedAt(), container.finishedAt(), container.exitCode(),
        container.reason(), combined, container.image(), container.imageRef(), container.labels());
  }

  /** The container is gone (removed by the kubelet): its file and its kept message go. */
  public void remove(ContainerStatus container) {
    forget(container.id());
    String file = container.labels().get(Labels.TERMINATION_MESSAGE_FILE);
    if (file != null) {
      try {
        Files.deleteIfExists(Path.of(file));
      } catch (IOException e) {
        LOG.warn("container {}: could not remove its termination message file {}: {}", container.id(), file,
            e.getMessage());
      }
    }
  }

  /** Forgets the message kept of the container (its pod's directory goes as a whole). */
  public void forget(String containerId) {
    read.remove(containerId);
  }

  /** kuberuntime's getTerminationMessage, then readLastStringFromContainerLogs when it says to. */
  private String read(ContainerStatus container) {
    Map<String, String> labels = container.labels();
    // A container that could not even start has no log to fall back to.
    boolean fallbackToLogs = FALLBACK_TO_LOGS_ON_ERROR.equals(labels.get(Labels.TERMINATION_MESSAGE_POLICY))
        && container.exitCode() != 0 && !"ContainerCannotRun".equals(container.reason());
    String file = labels.get(Labels.TERMINATION_MESSAGE_FILE);
    if (file == null) {
      return fallbackToLogs ? lastLogLines(container.id()) : "";
    }
    String message;
    try {
      message = new String(tail(Path.of(file), MAX_LENGTH), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      message = "";
    } catch (IOException e) {
      return "Error on reading termination log " + file + ": " + e.getMessage();
    }
    return message.isEmpty() && fallbackToLogs ? lastLogLines(container.id()) : message;
  }

  private String lastLogLines(String containerId) {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    try {
      runtime.readLogs(containerId, new LogOptions(false, MAX_LOG_LINES, false, null, -1), log);
    } catch (IOException | RuntimeException e) {
      return "Error on reading termination message from logs: " + e.getMessage();
    }
    byte[] bytes = log.toByteArray();
    return new String(Arrays.copyOfRange(bytes, Math.max(0, bytes.length - MAX_LOG_LENGTH), bytes.length),
        StandardCharsets.UTF_8);
  }

  /** At most the last {@code max} bytes of the file. */
  static byte[] tail(Path file, int max) throws IOException {
    try (SeekableByteChannel channel = Files.newByteChannel(file)) {
      long size = channel.size();
      channel.position(Math.max(0, size - max));
      ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(size, max));
      while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
        // until the buffer is full or the file ends (it may have shrunk)
      }
      return Arrays.copyOf(buffer.array(), buffer.position());
    }
  }

  private static String emptyToNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }
}
