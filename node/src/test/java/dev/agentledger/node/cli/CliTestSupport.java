package dev.agentledger.node.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

/** Runs the CLI in-process against given stdin bytes and captures stdout, stderr and status. */
public final class CliTestSupport {
  private CliTestSupport() {}

  /** The outcome of one invocation. */
  public record Result(int status, String out, String err) {
    public java.util.List<String> outLines() {
      return out.lines().toList();
    }
  }

  public static Result run(byte[] stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status =
        AgentLedgerCli.execute(
            new ByteArrayInputStream(stdin), new PrintWriter(out), new PrintWriter(err), args);
    return new Result(status, out.toString(), err.toString());
  }

  public static Result run(String stdin, String... args) {
    return run(stdin.getBytes(StandardCharsets.UTF_8), args);
  }
}
