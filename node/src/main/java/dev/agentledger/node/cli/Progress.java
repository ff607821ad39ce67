package dev.agentledger.node.cli;

import java.io.PrintWriter;

/**
 * Progress of a long command on stderr, one line per step: shown with {@code --progress} or when
 * the command runs on a terminal, silent otherwise (so scripts and logs get only the results).
 */
public final class Progress {
  private final PrintWriter err;
  private final long startNs = System.nanoTime();

  private Progress(PrintWriter err) {
    this.err = err;
  }

  /**
   * @param requested whether {@code --progress} was given
   * @param err where the lines go (the command's stderr)
   */
  public static Progress of(boolean requested, PrintWriter err) {
    return new Progress(requested || onTerminal() ? err : null);
  }

  /** Whether this process talks to a terminal. */
  static boolean onTerminal() {
    java.io.Console console = System.console();
    return console != null && console.isTerminal();
  }

  /** Whether lines are printed. */
  public boolean enabled() {
    return err != null;
  }

  /** Prints "[ 12.3 s] what". */
  public void step(String what) {
    if (err != null) {
      err.printf(
          java.util.Locale.ROOT, "[%6.1f s] %s%n", (System.nanoTime() - startNs) / 1e9, what);
      err.flush();
    }
  }

  /** Prints "[ 12.3 s] done". */
  public void done() {
    step("done");
  }
}
