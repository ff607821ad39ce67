package dev.agentledger.node.cli;

import java.util.List;

/**
 * Adds top-level subcommands to {@code agentledger} from modules above {@code node} (for example
 * {@code bench}'s {@code demo}, {@code loadgen} and {@code project}), discovered with {@link
 * java.util.ServiceLoader} from {@code META-INF/services/dev.agentledger.node.cli.CliExtension}.
 * The launcher puts those modules' jars on the class path when they are built.
 */
public interface CliExtension {
  /** Picocli command objects (instances of classes annotated with {@code @Command}). */
  List<Object> commands();
}
