package io.kubemu.kubelet.runtime.docker;

import com.github.dockerjava.api.exception.NotFoundException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * An image kubemu makes itself where no registry is reachable (its tests, benchmarks and offline
 * demos run it): this machine's static busybox (Debian's busybox-static) with its applets linked,
 * serving {@code /www} over HTTP on port 80 by default.
 */
public final class LocalImages {
  public static final String BUSYBOX = "kubemu/test-busybox:1";
  /** What {@code GET /} answers in {@link #BUSYBOX}. */
  public static final String INDEX = "hello from a kubemu pod\n";
  private static final List<String> APPLETS = List.of("sh", "httpd", "sleep", "cat", "echo", "wget", "ls", "env",
      "id", "hostname", "nc", "true", "false", "kill", "ps", "date", "touch", "rm", "test", "grep", "seq", "pwd",
      "mkdir", "ifconfig", "ip");

  private LocalImages() {}

  /** Makes {@link #BUSYBOX} in the engine unless it is there. */
  public static void ensureBusybox(DockerConnection docker) throws IOException {
    try {
      docker.client().inspectImageCmd(BUSYBOX).exec();
      return;
    } catch (NotFoundException e) {
      // made below
    }
    Path busybox = Path.of("/bin/busybox");
    if (!Files.isRegularFile(busybox)) {
      throw new IllegalStateException("/bin/busybox is missing: install Debian's busybox-static (.ci/run does)");
    }
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    try (TarArchiveOutputStream out = new TarArchiveOutputStream(tar)) {
      out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      directory(out, "bin/");
      directory(out, "www/");
      directory(out, "tmp/");
      file(out, "bin/busybox", Files.readAllBytes(busybox), 0755);
      for (String applet : APPLETS) {
        TarArchiveEntry link = new TarArchiveEntry("bin/" + applet, TarArchiveEntry.LF_SYMLINK);
        link.setLinkName("busybox");
        out.putArchiveEntry(link);
        out.closeArchiveEntry();
      }
      file(out, "www/index.html", INDEX.getBytes(StandardCharsets.UTF_8), 0644);
    }
    int colon = BUSYBOX.lastIndexOf(':');
    docker.importImage(BUSYBOX.substring(0, colon), BUSYBOX.substring(colon + 1),
        List.of("ENV PATH=/bin", "CMD [\"/bin/httpd\", \"-f\", \"-p\", \"80\", \"-h\", \"/www\"]"), tar.toByteArray());
  }

  /**
   * Makes {@link #BUSYBOX} in the engine at {@code $DOCKER_HOST} (else the local socket) unless it is
   * there: docker/offline-images.sh runs this, for pods on machines without a registry.
   */
  public static void main(String[] args) throws IOException {
    String host = System.getenv().getOrDefault("DOCKER_HOST", "unix:///var/run/docker.sock");
    try (DockerConnection docker = DockerConnection.connect(host, java.time.Duration.ofMinutes(1))) {
      ensureBusybox(docker);
    }
    System.out.println(BUSYBOX);
  }

  private static void directory(TarArchiveOutputStream out, String name) throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setMode(040755);
    out.putArchiveEntry(entry);
    out.closeArchiveEntry();
  }

  private static void file(TarArchiveOutputStream out, String name, byte[] content, int mode) throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setMode(0100000 | mode);
    entry.setSize(content.length);
    out.putArchiveEntry(entry);
    out.write(content);
    out.closeArchiveEntry();
  }
}
