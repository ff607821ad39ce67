package dev.agentledger.node.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The version and git commit stamped into the node jar at build time ({@code version.properties},
 * "unknown" for a value the build did not have), for {@code agentledger_build_info}.
 */
public record BuildInfo(String version, String commit) {
  /** What this jar was built from. */
  public static BuildInfo ofThisBuild() {
    Properties properties = new Properties();
    try (InputStream stream =
        BuildInfo.class.getResourceAsStream("/dev/agentledger/node/version.properties")) {
      if (stream != null) {
        properties.load(stream);
      }
    } catch (IOException e) {
      return new BuildInfo("unknown", "unknown");
    }
    return new BuildInfo(value(properties, "version"), value(properties, "commit"));
  }

  private static String value(Properties properties, String name) {
    String value = properties.getProperty(name, "unknown").strip();
    // an unresolved ${...} placeholder: the build had no value for it
    return value.isEmpty() || value.startsWith("${") ? "unknown" : value;
  }
}
