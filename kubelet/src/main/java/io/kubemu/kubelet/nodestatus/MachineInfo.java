package io.kubemu.kubelet.nodestatus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.UUID;

/**
 * What the kubelet tells of its machine in node.status.nodeInfo (cAdvisor's MachineInfo and the
 * OS facts), read from this host. Several kubemu kubelets share one host, so the machine and
 * system ids are derived from the node's name (stable across restarts, distinct per node); the
 * boot id is this process's.
 */
public record MachineInfo(String operatingSystem, String architecture, String osImage, String kernelVersion,
    String machineID, String systemUUID, String bootID) {

  public static MachineInfo detect(String nodeName) {
    UUID machine = UUID.nameUUIDFromBytes(("kubemu-node/" + nodeName).getBytes(StandardCharsets.UTF_8));
    return new MachineInfo("linux", architecture(System.getProperty("os.arch", "")), readOsImage(),
        System.getProperty("os.version", ""), machine.toString().replace("-", ""), machine.toString(),
        UUID.randomUUID().toString());
  }

  /** Go's GOARCH names, which Kubernetes reports: amd64, arm64, ... */
  static String architecture(String javaArch) {
    return switch (javaArch.toLowerCase(Locale.ROOT)) {
      case "amd64", "x86_64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      case "x86", "i386", "i686" -> "386";
      case "ppc64le" -> "ppc64le";
      case "s390x" -> "s390x";
      default -> javaArch;
    };
  }

  /** This machine's memory (MemTotal of /proc/meminfo) as a quantity in Ki, as cAdvisor reports it; 8Gi if unknown. */
  public static String memoryCapacity() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          return line.substring("MemTotal:".length()).replace("kB", "").trim() + "Ki";
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: fall through
    }
    return "8Gi";
  }

  /** PRETTY_NAME of /etc/os-release, as the kubelet reports it; "Linux" when there is none. */
  static String readOsImage() {
    try {
      for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
        if (line.startsWith("PRETTY_NAME=")) {
          return line.substring("PRETTY_NAME=".length()).replace("\"", "").trim();
        }
      }
    } catch (IOException | RuntimeException e) {
      // no os-release: fall through
    }
    return "Linux";
  }
}
