package io.kubemu.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CreationTest {
  @Test
  void creationFlagDefaultsToAllAtOnceAndTakesOneAfterAnother() {
    PodStartup defaults = new PodStartup();
    new CommandLine(defaults).parseArgs("--server", "http://127.0.0.1:1");
    assertThat(defaults.creation).isEqualTo(Creation.ONE_AFTER_ANOTHER);
    assertThat(defaults.pods).isEqualTo(30);

    PodStartup serial = new PodStartup();
    new CommandLine(serial).parseArgs("--server", "http://127.0.0.1:1", "--creation", "one-after-another");
    assertThat(serial.creation).isEqualTo(Creation.ONE_AFTER_ANOTHER);
  }

  @Test
  void anUnknownCreationSaysWhatIsAccepted() {
    CommandLine command = new CommandLine(new PodStartup());
    java.io.StringWriter err = new java.io.StringWriter();
    command.setErr(new java.io.PrintWriter(err));
    assertThat(command.execute("--server", "http://127.0.0.1:1", "--creation", "steady")).isEqualTo(2);
    assertThat(err.toString()).contains("all-at-once or one-after-another, not 'steady'");
  }
}
