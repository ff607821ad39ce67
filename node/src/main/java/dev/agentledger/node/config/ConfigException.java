package dev.agentledger.node.config;

import java.io.IOException;
import java.util.List;

/**
 * A configuration file that cannot be used. Each problem names the field it is about, as a path
 * from the document root ({@code committee[2].peer_address: port 70000 is not a port (1..65535)}),
 * so an operator can fix every problem in one pass. The message lists them all, one per line,
 * prefixed with the file.
 */
public final class ConfigException extends IOException {
  private final transient List<String> problems;

  public ConfigException(String source, List<String> problems) {
    super(format(source, problems));
    this.problems = List.copyOf(problems);
  }

  /** The problems, each {@code "field.path: what is wrong"}. */
  public List<String> problems() {
    return problems;
  }

  private static String format(String source, List<String> problems) {
    StringBuilder text = new StringBuilder();
    text.append(source).append(": ");
    if (problems.size() == 1) {
      text.append(problems.getFirst());
    } else {
      text.append(problems.size()).append(" problems: ").append(String.join("; ", problems));
    }
    return text.toString();
  }
}
