package dev.agentledger.deploy.cli;

import dev.agentledger.node.cli.CliExtension;
import java.util.List;

/** Adds {@code cluster} and {@code preflight} to the {@code agentledger} command line. */
public final class DeployCliExtension implements CliExtension {
  @Override
  public List<Object> commands() {
    return List.of(new ClusterCommand(), new PreflightCommand());
  }
}
