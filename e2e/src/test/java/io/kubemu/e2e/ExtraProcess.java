package io.kubemu.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One more component process beside a {@code kubemu up} cluster, started through the launcher as a user would. */
record ExtraProcess(Process process) implements AutoCloseable {
  static ExtraProcess start(Path dataDir, String name, String component, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(KubemuUp.LAUNCHER.toString(), component));
    command.addAll(List.of(args));
    Path log = Files.createDirectories(dataDir.resolve("logs")).resolve(name + ".log");
    return new ExtraProcess(new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start());
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
