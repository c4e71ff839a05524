package io.kubemu.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The repository's docker-compose.yml as one project of the real {@code docker-compose} (Debian's
 * 1.29; {@code DOCKER_COMPOSE} names another, e.g. "docker compose"), with settings of its own
 * (environment variables the file reads), so that it does not meet a cluster a user runs.
 */
record ComposeProject(String name, Path file, Map<String, String> settings, Path dir) {
  static final Path FILE = Path.of("..", "docker-compose.yml").toAbsolutePath().normalize();

  /** A command's exit code and its output (stdout and stderr together). */
  record Result(int code, String out) {}

  /** {@code docker-compose -p <name> -f <file> args...}, bounded by {@code timeout}. */
  Result compose(Duration timeout, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(System.getenv().getOrDefault("DOCKER_COMPOSE", "docker-compose")
        .split(" ")));
    command.addAll(List.of("-p", name, "-f", file.toString()));
    command.addAll(List.of(args));
    return run(command, timeout);
  }

  /** Like {@link #compose} but fails unless the command succeeds. */
  String ok(Duration timeout, String... args) throws IOException, InterruptedException {
    Result result = compose(timeout, args);
    if (result.code() != 0) {
      throw new AssertionError("docker-compose " + String.join(" ", args) + " exited with " + result.code() + ":\n"
          + result.out());
    }
    return result.out();
  }

  /** The image every service runs, as the file names it. */
  String image() throws IOException, InterruptedException {
    Matcher image = Pattern.compile("image: (\\S+)").matcher(ok(Duration.ofSeconds(30), "config"));
    if (!image.find()) {
      throw new AssertionError(file + " names no image");
    }
    return image.group(1);
  }

  /** The id of a service's container. */
  String container(String service) throws IOException, InterruptedException {
    return ok(Duration.ofSeconds(30), "ps", "-q", service).strip();
  }

  /** {@code docker inspect -f <format>} of a service's container. */
  String inspect(String service, String format) throws IOException, InterruptedException {
    return run(List.of("docker", "inspect", "-f", format, container(service)), Duration.ofSeconds(30)).out().strip();
  }

  Result run(List<String> command, Duration timeout) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Path output = Files.createTempFile(dir, "command", ".out");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
    builder.environment().putAll(settings);
    Process process = builder.start();
    if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout.toSeconds() + " s:\n"
          + Files.readString(output, StandardCharsets.UTF_8));
    }
    return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
  }
}
