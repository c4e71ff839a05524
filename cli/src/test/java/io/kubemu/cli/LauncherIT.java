package io.kubemu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code kubemu} launcher script itself: which JDK it starts, and the class archives it hands
 * that JDK. Each test runs a copy of the launcher in a folder of its own, beside the repository's
 * built jars (a link to {@code cli/}), so that its {@code cds/} is the test's.
 */
class LauncherIT {
  static final Path REPOSITORY = Path.of(System.getProperty("user.dir")).getParent();
  /** The JDK this test runs on: the one the build chose. */
  static final String JAVA_HOME = System.getProperty("java.home");

  record Run(int code, String out, String err) {}

  @TempDir
  Path root;

  /** The link to the repository's jars goes before the folder is deleted, so that nothing behind it does. */
  @AfterEach
  void unlinkJars() throws IOException {
    Files.deleteIfExists(root.resolve("cli/target"));
  }

  @Test
  void javaHomeNamesTheJdkAndOneWithoutJavaIsRefusedClearly() throws Exception {
    Path launcher = install();
    Run version = run(launcher, Map.of("JAVA_HOME", JAVA_HOME), Duration.ofSeconds(60), "--version");
    assertThat(version.code()).as(version.err()).isZero();
    assertThat(version.out()).contains("kubemu");

    Run missing = run(launcher, Map.of("JAVA_HOME", root.resolve("no-jdk").toString()), Duration.ofSeconds(60),
        "--version");
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err()).isEqualTo("kubemu: JAVA_HOME is " + root.resolve("no-jdk") + ", which has no bin/java\n");
  }

  /** A stale or broken archive costs a slower start, never a line on the output or a failure. */
  @Test
  void anArchiveThatDoesNotFitIsPassedOverSilently() throws Exception {
    Path launcher = install();
    Path cds = Files.createDirectories(root.resolve("cds"));
    for (String archive : List.of("etcdctl.jsa", "etcdctl.aot")) {
      Files.writeString(cds.resolve(archive), "not an archive");
    }
    for (Instant made : List.of(Instant.now().plusSeconds(3600), Instant.parse("2001-01-01T00:00:00Z"))) {
      for (String archive : List.of("etcdctl.jsa", "etcdctl.aot")) {
        Files.setLastModifiedTime(cds.resolve(archive), FileTime.from(made));
      }
      Run help = run(launcher, Map.of("JAVA_HOME", JAVA_HOME), Duration.ofSeconds(60), "etcdctl", "--help");
      assertThat(help.code()).as(help.err()).isZero();
      assertThat(help.out()).as("archives made " + made).startsWith("Usage: kubemu etcdctl");
      assertThat(help.err()).as("archives made " + made).isEmpty();
    }
  }

  /**
   * docker/make-cds.sh, as the image build runs it: a small cluster once, then an archive per
   * component (an AOT cache on JDK 25 and later, a CDS archive before) that its JVM maps.
   */
  @Test
  void makeCdsLeavesAnArchiveEveryComponentMaps() throws Exception {
    Path launcher = install();
    Files.createDirectories(root.resolve("docker"));
    Files.copy(REPOSITORY.resolve("docker/make-cds.sh"), root.resolve("docker/make-cds.sh"));
    Run made = run(root.resolve("docker/make-cds.sh"), Map.of("JAVA_HOME", JAVA_HOME), Duration.ofMinutes(5));
    assertThat(made.code()).as(made.out() + made.err()).isZero();

    String kind = Runtime.version().feature() >= 25 ? "aot" : "jsa";
    for (String component : List.of("etcd-node", "apiserver", "controller-manager", "scheduler", "kubelet",
        "kube-proxy")) {
      Path archive = root.resolve("cds").resolve(component + "." + kind);
      assertThat(archive).as(made.out()).isNotEmptyFile();
      // The JVM refuses to start if it cannot map the archive it was given.
      String strict = kind.equals("aot") ? "-XX:AOTMode=on" : "-Xshare:on";
      Run help = run(launcher, Map.of("JAVA_HOME", JAVA_HOME, "KUBEMU_JAVA_OPTS", strict), Duration.ofSeconds(60),
          component, "--help");
      assertThat(help.code()).as(component + ": " + help.out() + help.err()).isZero();
    }
  }

  /** A copy of the launcher in the test's folder, with the repository's built jars beside it. */
  private Path install() throws IOException {
    Path launcher = root.resolve("kubemu");
    Files.copy(REPOSITORY.resolve("kubemu"), launcher);
    Files.createDirectories(root.resolve("cli"));
    Files.createSymbolicLink(root.resolve("cli/target"), REPOSITORY.resolve("cli/target"));
    return launcher;
  }

  private static Run run(Path script, Map<String, String> env, Duration timeout, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", script.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().remove("KUBEMU_JAVA_OPTS");
    builder.environment().remove("KUBEMU_CDS_DUMP");
    builder.environment().putAll(env);
    Path out = Files.createTempFile("launcher", ".out");
    Path err = Files.createTempFile("launcher", ".err");
    builder.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process process = builder.start();
    try {
      if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        throw new AssertionError(script + " " + String.join(" ", args) + " did not finish within " + timeout
            + ": " + Files.readString(out) + Files.readString(err));
      }
      return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
