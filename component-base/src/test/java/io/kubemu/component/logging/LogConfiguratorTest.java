package io.kubemu.component.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

class LogConfiguratorTest {
  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
  private PrintStream original;
  private LoggerContext context;

  @BeforeEach
  void captureStderr() {
    original = System.err;
    System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    if (context != null) {
      context.stop();
    }
    System.setErr(original);
    System.clearProperty("kubemu.component");
    System.clearProperty("kubemu.log");
  }

  private LoggerContext configured() {
    context = new LoggerContext();
    context.setMDCAdapter(new LogbackMDCAdapter()); // as logback's service provider gives its context
    LogConfigurator configurator = new LogConfigurator();
    configurator.setContext(context);
    assertThat(configurator.configure(context)).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
    return context;
  }

  @Test
  void oneLinePerEventOnStderrTaggedWithTheComponent() {
    System.setProperty("kubemu.component", "scheduler");
    Logger log = configured().getLogger("io.kubemu.scheduler.Scheduler");

    log.info("bound {} to {}", "default/web-1", "node-2");
    log.debug("not shown at INFO");

    String out = stderr.toString(StandardCharsets.UTF_8);
    assertThat(out).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[scheduler\\] i\\.k\\.s\\.Scheduler: "
        + "bound default/web-1 to node-2\\R");
  }

  @Test
  void theLevelComesFromKubemuLogAndLibrariesStayQuieter() {
    System.setProperty("kubemu.log", "DEBUG");
    LoggerContext configured = configured();

    configured.getLogger("io.kubemu.kubelet.Kubelet").debug("syncing pod");
    configured.getLogger("io.netty.channel.DefaultChannelPipeline").info("netty chatter");
    configured.getLogger("org.apache.ratis.server.RaftServer").info("ratis chatter");

    String out = stderr.toString(StandardCharsets.UTF_8);
    assertThat(out).contains("DEBUG [kubemu] i.k.kubelet.Kubelet: syncing pod").doesNotContain("chatter");
  }
}
