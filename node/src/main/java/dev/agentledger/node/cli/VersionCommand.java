package dev.agentledger.node.cli;

import java.util.concurrent.Callable;
import jdk.incubator.vector.VectorSpecies;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code agentledger version}: the build and the runtime facts a benchmark report needs. */
@Command(
    name = "version",
    mixinStandardHelpOptions = true,
    description = "Print the version and runtime facts.")
final class VersionCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    out.println("agentledger " + AgentLedgerCli.Version.projectVersion());
    out.println("commit " + AgentLedgerCli.Version.commit());
    out.println(
        "java "
            + Runtime.version()
            + " ("
            + System.getProperty("java.vm.name")
            + ", "
            + System.getProperty("java.home")
            + ")");
    out.println(
        "os "
            + System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " "
            + System.getProperty("os.arch"));
    out.println("cpus " + Runtime.getRuntime().availableProcessors());
    VectorSpecies<Integer> ints = jdk.incubator.vector.IntVector.SPECIES_PREFERRED;
    out.println(
        "vector preferred " + ints.vectorBitSize() + " bits (" + ints.length() + " int lanes)");
    return 0;
  }
}
