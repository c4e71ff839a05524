package io.kubemu.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** kube-apiserver's DefaultTolerationSeconds flags: their names, defaults and parsing. */
class ApiserverCommandTest {
  private static ApiserverCommand parse(String... args) {
    ApiserverCommand command = new ApiserverCommand();
    new CommandLine(command).parseArgs(args);
    return command;
  }

  @Test
  void podsTolerateNodeTroubleForFiveMinutesUnlessTheFlagsSayOtherwise() {
    ApiserverCommand defaults = parse();
    assertThat(defaults.defaultNotReadyTolerationSeconds).isEqualTo(300);
    assertThat(defaults.defaultUnreachableTolerationSeconds).isEqualTo(300);
    ApiserverCommand set = parse("--default-not-ready-toleration-seconds", "30",
        "--default-unreachable-toleration-seconds=60");
    assertThat(set.defaultNotReadyTolerationSeconds).isEqualTo(30);
    assertThat(set.defaultUnreachableTolerationSeconds).isEqualTo(60);
    assertThatThrownBy(() -> parse("--default-unreachable-toleration-seconds", "soon"))
        .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("soon");
  }
}
