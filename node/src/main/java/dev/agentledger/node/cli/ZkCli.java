package dev.agentledger.node.cli;

import dev.agentledger.node.logging.LogSetup;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The command tree of {@code agentledger zk ...}: the root's name and inherited options with {@link
 * ZkCommand} as its only subcommand. {@link AgentLedgerCli#main} parses a command line that starts
 * with {@code zk} against it instead of the whole tree, which picocli builds by reflection over
 * every command (about a second of CPU in a fresh JVM, as much as a fifth of a small proof). Usage,
 * errors and exit statuses of the zk commands are the same in both trees.
 */
@Command(
    name = "agentledger",
    mixinStandardHelpOptions = true,
    versionProvider = AgentLedgerCli.Version.class,
    subcommands = {ZkCommand.class})
final class ZkCli {
  // the same inherited options as AgentLedgerCli's (main applies them through LogSetup)
  @Option(
      names = "--log-format",
      scope = ScopeType.INHERIT,
      paramLabel = "text|json",
      description = "Log lines on stderr: text (default) or json, one event per line.")
  LogSetup.Format logFormat = LogSetup.Format.TEXT;

  @Option(
      names = "--log-level",
      scope = ScopeType.INHERIT,
      paramLabel = "level",
      description = "Lowest level logged: trace, debug, info (default), warn or error.")
  LogSetup.Level logLevel = LogSetup.Level.INFO;

  private ZkCli() {}

  /** Whether {@code args} name a zk command first (the only case this tree parses). */
  static boolean handles(String[] args) {
    return args.length > 0 && args[0].equals("zk");
  }

  /** The tree. */
  static CommandLine commandLine() {
    return new CommandLine(new ZkCli());
  }
}
