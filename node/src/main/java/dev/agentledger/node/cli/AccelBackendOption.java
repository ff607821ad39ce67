package dev.agentledger.node.cli;

import dev.agentledger.accel.AccelException;
import dev.agentledger.accel.Backend;
import dev.agentledger.accel.BackendRegistry;
import dev.agentledger.accel.Capability;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code --backend B} of the conformance tools (DESIGN.md section 10): runs one computation on the
 * accel-kernels backend named B. An unknown name is malformed input (exit 2, one line naming the
 * known backends); a known backend that is unavailable here, lacks the kernel, or fails on the
 * device is a failure (exit 1, one line with the probe's or the device's reason).
 */
final class AccelBackendOption {
  private AccelBackendOption() {}

  /** The outcome: a value, or the exit status after the reason was printed. */
  record Outcome<T>(T value, int status) {
    boolean ok() {
      return status == 0;
    }
  }

  static <T> Outcome<T> run(
      CommandSpec spec, String backendName, Capability capability, Function<Backend, T> work) {
    String command = spec.qualifiedName(" ");
    try (BackendRegistry registry = BackendRegistry.discover()) {
      Backend backend;
      try {
        backend = registry.byName(backendName, capability);
      } catch (AccelException e) {
        if (registry.find(backendName).isEmpty()) {
          throw new MalformedInputException(e.getMessage());
        }
        return fail(spec, command, e);
      }
      try {
        return new Outcome<>(work.apply(backend), 0);
      } catch (AccelException e) {
        return fail(spec, command, e);
      } catch (CompletionException e) {
        if (e.getCause() instanceof AccelException cause) {
          return fail(spec, command, cause);
        }
        throw e;
      }
    }
  }

  private static <T> Outcome<T> fail(CommandSpec spec, String command, AccelException e) {
    spec.commandLine().getErr().println(command + ": " + e.getMessage());
    return new Outcome<>(null, AgentLedgerCli.EXIT_FAILURE);
  }
}
