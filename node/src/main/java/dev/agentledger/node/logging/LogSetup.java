package dev.agentledger.node.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.net.URL;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * How a JVM of this project logs. Code logs through {@link System.Logger}; the {@code
 * slf4j-jdk-platform-logging} bridge sends it to SLF4J and Logback, which writes one line per event
 * to stderr (stdout carries only answers): {@code text} (the default, {@code logback.xml}: ISO-8601
 * UTC time, level, component, thread, message, an exception folded onto the same line) or {@code
 * json} (Logback's {@code JsonEncoder}, one object per line). Netty logs through SLF4J too, at WARN
 * and above.
 */
public final class LogSetup {
  /** Line format. */
  public enum Format {
    TEXT,
    JSON
  }

  /** Lowest level written. */
  public enum Level {
    TRACE,
    DEBUG,
    INFO,
    WARN,
    ERROR
  }

  private LogSetup() {}

  /** Reconfigures this JVM's logging. */
  public static void configure(Format format, Level level) {
    System.setProperty("agentledger.log.level", level.name());
    URL config =
        format == Format.JSON
            ? LogSetup.class.getResource("/dev/agentledger/node/logging/json.xml")
            : LogSetup.class.getResource("/logback.xml");
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return; // another SLF4J backend is bound: it keeps its own configuration
    }
    context.reset();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    try {
      configurator.doConfigure(config);
    } catch (JoranException e) {
      throw new IllegalStateException("logging configuration " + config + ": " + e.getMessage());
    }
  }

  /**
   * Applies {@code --log-format} and {@code --log-level} from a command line before anything logs
   * (the CLI parser validates them afterwards; a value it would refuse is ignored here).
   */
  public static void configureFrom(String[] args) {
    Format format = null;
    Level level = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--")) {
        break;
      }
      String value = null;
      String name = a;
      int eq = a.indexOf('=');
      if (a.startsWith("--log-") && eq > 0) {
        name = a.substring(0, eq);
        value = a.substring(eq + 1);
      } else if ((a.equals("--log-format") || a.equals("--log-level")) && i + 1 < args.length) {
        value = args[i + 1];
      }
      if (value == null) {
        continue;
      }
      try {
        if (name.equals("--log-format")) {
          format = Format.valueOf(value.toUpperCase(Locale.ROOT));
        } else if (name.equals("--log-level")) {
          level = Level.valueOf(value.toUpperCase(Locale.ROOT));
        }
      } catch (IllegalArgumentException ignored) {
        // picocli reports it
      }
    }
    if (format != null || level != null) {
      configure(format == null ? Format.TEXT : format, level == null ? Level.INFO : level);
    }
  }
}
