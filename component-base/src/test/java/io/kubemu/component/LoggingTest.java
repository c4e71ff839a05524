package io.kubemu.component;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** How a component logs (simplelogger.properties): one line per event on stderr, libraries quieter. */
class LoggingTest {
  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
  private PrintStream original;

  @BeforeEach
  void captureStderr() {
    original = System.err;
    System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setErr(original);
  }

  @Test
  void oneLinePerEventWithTimeLevelAndClass() {
    LoggerFactory.getLogger("io.kubemu.scheduler.Scheduler").info("bound {} to {}", "default/web-1", "node-2");
    LoggerFactory.getLogger("io.kubemu.scheduler.Scheduler").debug("not shown at INFO");

    assertThat(stderr.toString(StandardCharsets.UTF_8))
        .matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO Scheduler - bound default/web-1 to node-2\\R");
  }

  @Test
  void theRaftLibraryAndNettySayOnlyWhatGoesWrong() {
    LoggerFactory.getLogger("org.apache.ratis.server.impl.RaftServerImpl").info("changes role to LEADER");
    LoggerFactory.getLogger("io.netty.channel.DefaultChannelPipeline").info("pipeline chatter");
    LoggerFactory.getLogger("org.apache.ratis.server.impl.RaftServerImpl").warn("lost the leader");

    assertThat(stderr.toString(StandardCharsets.UTF_8)).doesNotContain("LEADER", "chatter")
        .contains("WARN RaftServerImpl - lost the leader");
  }
}
