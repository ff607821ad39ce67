package dev.agentledger.node.cli;

import dev.agentledger.node.logging.LogSetup;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.Properties;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code agentledger}: the one command line of the appliance. Without a subcommand it prints the
 * version and the commands. Exit status: 0 success, 1 failure, 2 malformed input or usage.
 */
@Command(
    name = "agentledger",
    mixinStandardHelpOptions = true,
    versionProvider = AgentLedgerCli.Version.class,
    description =
        "AgentLedger appliance node: a signed, ordered, provable ledger of AI agent runs.",
    subcommands = {
      VersionCommand.class,
      KeygenCommand.class,
      ToolCommand.class,
      VerifyProofCommand.class,
      SimCommand.class,
      NodeCommand.class,
      SubmitCommand.class,
      AccountCommand.class,
      GatewayCommand.class,
      ZkCommand.class,
      CommandLine.HelpCommand.class
    })
public final class AgentLedgerCli implements Runnable {
  /** Exit status for malformed input and usage errors. */
  public static final int EXIT_MALFORMED = 2;

  /** Exit status for other failures. */
  public static final int EXIT_FAILURE = 1;

  /**
   * {@code node run}: a storage write failed (disk full, I/O error), or the data directory's free
   * space fell under the floor ({@code --min-free-disk-mib}); the node stopped cleanly, never
   * writing after a failed write (sysexits EX_IOERR). Free space or fix the disk, then restart.
   */
  public static final int EXIT_STORAGE_FAILURE = 74;

  /**
   * {@code node run}: an agent died of an {@link Error} (OutOfMemoryError, StackOverflowError, ...)
   * or execution stopped for good; the node closed its ports and stores and stopped (sysexits
   * EX_SOFTWARE). A supervisor restarts it.
   */
  public static final int EXIT_AGENT_FAILURE = 70;

  @Spec CommandSpec spec;

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

  private final InputStream in;

  AgentLedgerCli(InputStream in) {
    this.in = in;
  }

  /** Standard input of this invocation (tests pass their own). */
  InputStream in() {
    return in;
  }

  @Override
  public void run() {
    PrintWriter out = spec.commandLine().getOut();
    out.println("agentledger " + Version.projectVersion());
    out.println();
    spec.commandLine().usage(out);
    out.println();
    out.println("Conformance tools (stdin -> stdout, one item per line):");
    spec.commandLine().getSubcommands().get("tool").usage(out);
  }

  public static void main(String[] args) {
    LogSetup.configureFrom(args);
    // `zk ...` parses against the zk commands alone (ZkCli): building the whole command tree by
    // reflection costs about a second of CPU, as much as a fifth of a small proof's
    CommandLine cli = ZkCli.handles(args) ? ZkCli.commandLine() : commandLine(System.in);
    int status =
        execute(cli, new PrintWriter(System.out, false), new PrintWriter(System.err, true), args);
    if (status == 0 && ZkCli.handles(args) && onlyDaemonThreadsLeft()) {
      // a zk command that succeeded ends with main, not System.exit: since JDK 21 Runtime.exit asks
      // the platform logger whether to log the exit, which here starts SLF4J and reads logback's
      // XML configuration in every `zk prove`, CPU spent after the proof is written
      return;
    }
    System.exit(status);
  }

  /** Whether every live thread but this one is a daemon (the JVM then ends when main returns). */
  private static boolean onlyDaemonThreadsLeft() {
    Thread self = Thread.currentThread();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t != self && t.isAlive() && !t.isDaemon() && !t.getName().equals("DestroyJavaVM")) {
        return false;
      }
    }
    return true;
  }

  /**
   * The whole command tree: node's commands, those of every {@link CliExtension} on the class path,
   * {@code help} and {@code completion}.
   */
  public static CommandLine commandLine(InputStream in) {
    CommandLine cli = new CommandLine(new AgentLedgerCli(in));
    for (CliExtension extension : java.util.ServiceLoader.load(CliExtension.class)) {
      for (Object command : extension.commands()) {
        cli.addSubcommand(command);
      }
    }
    cli.addSubcommand("completion", new AutoComplete.GenerateCompletion());
    cli.getSubcommands()
        .get("completion")
        .getCommandSpec()
        .usageMessage()
        .hidden(false)
        .description("Print a bash/zsh completion script: source <(agentledger completion).");
    return cli;
  }

  /** Runs one invocation against the given streams; returns the exit status. */
  public static int execute(InputStream in, PrintWriter out, PrintWriter err, String... args) {
    return execute(commandLine(in), out, err, args);
  }

  /** Runs one invocation of {@code cli} against the given streams; returns the exit status. */
  static int execute(CommandLine cli, PrintWriter out, PrintWriter err, String... args) {
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setOut(out);
    cli.setErr(err);
    cli.setParameterExceptionHandler(
        (ex, arguments) -> {
          String name = ex.getCommandLine().getCommandSpec().qualifiedName();
          err.println(
              name
                  + ": "
                  + oneLine(ex.getMessage())
                  + suggestion(ex)
                  + " (see '"
                  + name
                  + " --help')");
          err.flush();
          return EXIT_MALFORMED;
        });
    cli.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          String name = commandLine.getCommandSpec().qualifiedName();
          int status;
          if (ex instanceof MalformedInputException) {
            err.println(name + ": " + oneLine(ex.getMessage()));
            status = EXIT_MALFORMED;
          } else if (ex instanceof java.io.IOException
              || ex instanceof java.io.UncheckedIOException) {
            err.println(name + ": " + oneLine(ex.getMessage()));
            status = EXIT_FAILURE;
          } else {
            err.println(name + ": internal error: " + oneLine(String.valueOf(ex)));
            if (System.getenv("AGENTLEDGER_DEBUG") != null) {
              ex.printStackTrace(err);
            }
            status = EXIT_FAILURE;
          }
          err.flush();
          return status;
        });
    try {
      return cli.execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  /** Picocli's nearest commands or options for an unknown one, as "; did you mean ...?". */
  static String suggestion(CommandLine.ParameterException ex) {
    if (ex instanceof CommandLine.UnmatchedArgumentException unmatched) {
      List<String> suggestions = unmatched.getSuggestions();
      if (!suggestions.isEmpty()) {
        return "; did you mean "
            + String.join(" or ", suggestions.subList(0, Math.min(3, suggestions.size())))
            + "?";
      }
    }
    return "";
  }

  public static String oneLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    int newline = message.indexOf('\n');
    return (newline < 0 ? message : message.substring(0, newline)).strip();
  }

  /** Reads the version stamped into the jar at build time. */
  public static final class Version implements CommandLine.IVersionProvider {
    static String projectVersion() {
      return property("version");
    }

    /**
     * The git commit the build was made from, with " (modified)" when the tree had local changes;
     * "unknown" when it was built outside a git checkout.
     */
    public static String commit() {
      String commit = property("commit");
      return commit.equals("unknown") || !"true".equals(property("dirty"))
          ? commit
          : commit + " (modified)";
    }

    private static String property(String name) {
      Properties properties = new Properties();
      try (InputStream stream =
          AgentLedgerCli.class.getResourceAsStream("/dev/agentledger/node/version.properties")) {
        if (stream != null) {
          properties.load(stream);
        }
      } catch (java.io.IOException e) {
        return "unknown";
      }
      String value = properties.getProperty(name, "unknown").strip();
      // an unresolved ${...} placeholder: the build had no value for it
      return value.isEmpty() || value.startsWith("${") ? "unknown" : value;
    }

    @Override
    public String[] getVersion() {
      return new String[] {"agentledger " + projectVersion(), "commit " + commit()};
    }
  }
}
