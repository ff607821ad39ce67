package dev.agentledger.bench.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code agentledger kernels ...}: accelerator probing and kernel profiling for hardware teams. */
@Command(
    name = "kernels",
    mixinStandardHelpOptions = true,
    description =
        "Accelerator backends: list devices (probe), time kernels (bench), run the conformance vectors (conformance).",
    subcommands = {
      KernelsProbeCommand.class,
      KernelsBenchCommand.class,
      KernelsConformanceCommand.class
    })
final class KernelsCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
