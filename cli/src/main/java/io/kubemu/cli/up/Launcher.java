package io.kubemu.cli.up;

import java.nio.file.Path;
import java.util.List;

/** How {@code kubemu up} starts a component in a JVM of its own. */
final class Launcher {
  private Launcher() {}

  /**
   * The {@code kubemu} script that started us (it says where it is in {@code KUBEMU_LAUNCHER}),
   * so that every component gets the JVM flags the script gives it; run some other way, this JVM's
   * java and classpath.
   */
  static List<String> command() {
    String script = System.getenv("KUBEMU_LAUNCHER");
    if (script != null && !script.isBlank()) {
      return List.of(script);
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return List.of(java, "-XX:+UseSerialGC", "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        "io.kubemu.cli.Kubemu");
  }
}
