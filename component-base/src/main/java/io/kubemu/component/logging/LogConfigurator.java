package io.kubemu.component.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * How every kubemu JVM logs: one line per event to stderr, as Kubernetes' components do (klog),
 * tagged with the component ({@code -Dkubemu.component}); {@code -Dkubemu.log} sets the level
 * (INFO unless told), {@code -Dkubemu.ratis.log} the store's Raft library's (WARN).
 *
 * <p>Set in code, found by logback as a service, rather than in a {@code logback.xml}: reading an
 * XML file would load logback's configuration language and the JDK's XML parser into each of the
 * ten JVMs of a cluster, about 450 classes apiece, for a few lines of settings. A file named by
 * {@code -Dlogback.configurationFile} still replaces them.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public final class LogConfigurator extends ContextAwareBase implements Configurator {
  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty("logback.configurationFile") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(pattern(System.getProperty("kubemu.component", "kubemu")));
    encoder.start();
    ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
    stderr.setContext(context);
    stderr.setName("STDERR");
    stderr.setTarget("System.err");
    stderr.setEncoder(encoder);
    stderr.start();

    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(System.getProperty("kubemu.log"), Level.INFO));
    root.addAppender(stderr);
    context.getLogger("org.apache.ratis").setLevel(Level.toLevel(System.getProperty("kubemu.ratis.log"), Level.WARN));
    context.getLogger("org.apache.ratis.thirdparty").setLevel(Level.ERROR);
    // The store client retries failed requests itself and reports what finally failed.
    context.getLogger("org.apache.ratis.client.impl").setLevel(Level.OFF);
    context.getLogger("org.apache.ratis.grpc.GrpcUtil").setLevel(Level.ERROR);
    context.getLogger("io.netty").setLevel(Level.WARN);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /** {@code 12:00:00.000 INFO  [scheduler] i.k.s.Scheduler: message}. */
  static String pattern(String component) {
    return "%d{HH:mm:ss.SSS} %-5level [" + component + "] %logger{20}: %msg%n";
  }
}
