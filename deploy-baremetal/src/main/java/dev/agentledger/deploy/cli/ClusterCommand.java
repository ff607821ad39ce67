package dev.agentledger.deploy.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code agentledger cluster ...}: generate and inspect the configuration of a cluster. */
@Command(
    name = "cluster",
    mixinStandardHelpOptions = true,
    description = "Cluster configuration: keys, genesis, node configurations, systemd units.",
    subcommands = {ClusterInitCommand.class, ClusterSystemdCommand.class})
final class ClusterCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
