package io.kubemu.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A process's memory as the kernel counts it (/proc/PID/status): resident now (VmRSS) and at
 * its peak (VmHWM), in KiB. Linux only; elsewhere, and for a process that has gone, -1.
 */
record ProcessMemory(long residentKib, long peakResidentKib) {
  /**
   * The process's proportional share of its resident memory (Pss, /proc/PID/smaps_rollup), KiB:
   * a page that N processes share (a library, a class data sharing archive of the same image)
   * counts 1/N in each, so that the shares of several processes add up to what they take
   * together. -1 if it cannot be read.
   */
  static long proportionalKib(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps_rollup"))) {
        if (line.startsWith("Pss:")) {
          return kib(line);
        }
      }
      return -1;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * The memory of the control group (the container) that holds the process, KiB, as `docker stats`
   * shows it: what the group is charged for, less the file pages it has not used lately. A page of
   * a file that several containers map is charged to one of them, so these add up to what the
   * containers take together. cgroup v1 and v2; -1 if it cannot be read.
   */
  static long containerKib(long pid) {
    try {
      MemoryGroup group = MemoryGroup.of(pid);
      Path path = group.path();
      return group.v1()
          ? (readLong(path.resolve("memory.usage_in_bytes")) - statBytes(path, "total_inactive_file")) / 1024
          : (readLong(path.resolve("memory.current")) - statBytes(path, "inactive_file")) / 1024;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * The resident set of the control group (the container) that holds the process, KiB, as the
   * kernel keeps a container's RSS (cgroup v1's {@code total_rss}, v2's {@code anon}; cAdvisor's
   * {@code container_memory_rss}): its anonymous pages (heaps, stacks, and the copies of file pages
   * a process wrote to), but no page of a file mapped and only read (a library's code, a class
   * archive's read-only half), which the page cache holds once whichever containers map it.
   * -1 if it cannot be read.
   */
  static long containerRssKib(long pid) {
    try {
      MemoryGroup group = MemoryGroup.of(pid);
      return statBytes(group.path(), group.v1() ? "total_rss" : "anon") / 1024;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** The memory control group of a process: its folder, and whether it is cgroup v1's. */
  record MemoryGroup(Path path, boolean v1) {
    static MemoryGroup of(long pid) throws IOException {
      return parse(Files.readAllLines(Path.of("/proc", Long.toString(pid), "cgroup")), Path.of("/sys/fs/cgroup"));
    }

    /**
     * The group named by the lines of /proc/PID/cgroup: v1's memory controller's where there is one
     * (a hybrid host mounts v2 beside it, without the memory controller), else v2's unified one.
     */
    static MemoryGroup parse(List<String> lines, Path root) throws IOException {
      String unified = null;
      for (String line : lines) {
        String[] fields = line.split(":", 3);
        if (fields.length < 3) {
          continue;
        }
        if (List.of(fields[1].split(",")).contains("memory")) {
          return new MemoryGroup(under(root.resolve("memory"), fields[2]), true);
        }
        if (fields[0].equals("0") && fields[1].isEmpty()) {
          unified = fields[2];
        }
      }
      if (unified == null) {
        throw new IOException("no memory control group in " + lines);
      }
      return new MemoryGroup(under(root, unified), false);
    }

    private static Path under(Path mount, String group) {
      return mount.resolve(group.startsWith("/") ? group.substring(1) : group);
    }
  }

  private static long readLong(Path file) throws IOException {
    return Long.parseLong(Files.readString(file).trim());
  }

  /** A counter of the group's memory.stat, bytes; an error if the kernel does not keep it. */
  static long statBytes(Path group, String key) throws IOException {
    for (String line : Files.readAllLines(group.resolve("memory.stat"))) {
      if (line.startsWith(key + " ")) {
        return Long.parseLong(line.substring(key.length() + 1).trim());
      }
    }
    throw new IOException(group.resolve("memory.stat") + " has no " + key);
  }

  static ProcessMemory of(long pid) {
    try {
      long resident = -1;
      long peak = -1;
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          resident = kib(line);
        } else if (line.startsWith("VmHWM:")) {
          peak = kib(line);
        }
      }
      return new ProcessMemory(resident, peak);
    } catch (IOException | RuntimeException e) {
      return new ProcessMemory(-1, -1);
    }
  }

  /** "VmRSS:	  123456 kB" */
  private static long kib(String line) {
    return Long.parseLong(line.substring(line.indexOf(':') + 1).replace("kB", "").trim());
  }
}
