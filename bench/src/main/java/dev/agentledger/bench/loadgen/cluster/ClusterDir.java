package dev.agentledger.bench.loadgen.cluster;

import dev.agentledger.node.config.ConfigException;
import dev.agentledger.node.config.Genesis;
import dev.agentledger.node.config.HostPort;
import dev.agentledger.node.config.LoadAgents;
import dev.agentledger.node.config.NodeConfig;
import dev.agentledger.node.config.Validator;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the load generator needs from a directory written by {@code agentledger cluster init
 * --load-agents N}: the genesis (chain id, the validators' client addresses), each node's query
 * address, and the load agents' master seed.
 *
 * @param dir the directory
 * @param genesis the genesis
 * @param clients client address of each validator, in committee order
 * @param queries query (HTTP) address of each validator, in committee order, where a node directory
 *     has one
 * @param agents the registered load agents
 */
public record ClusterDir(
    Path dir,
    Genesis genesis,
    List<InetSocketAddress> clients,
    List<InetSocketAddress> queries,
    LoadAgents agents) {
  /** Reads {@code dir}; names the missing or malformed file. */
  public static ClusterDir read(Path dir) throws ConfigException {
    Path genesisFile = dir.resolve("genesis.yaml");
    if (!Files.isRegularFile(genesisFile)) {
      throw new ConfigException(
          dir.toString(),
          List.of("no genesis.yaml: not a directory written by 'agentledger cluster init'"));
    }
    Genesis genesis = Genesis.load(genesisFile);
    Path seed = dir.resolve(LoadAgents.FILE_NAME);
    if (!Files.isRegularFile(seed)) {
      throw new ConfigException(
          dir.toString(),
          List.of(
              "no "
                  + LoadAgents.FILE_NAME
                  + ": the cluster was made without load agents"
                  + " (run 'agentledger cluster init --load-agents N')"));
    }
    LoadAgents agents = LoadAgents.read(seed);
    List<InetSocketAddress> clients = new ArrayList<>();
    List<InetSocketAddress> queries = new ArrayList<>();
    for (Validator v : genesis.committee()) {
      clients.add(address(v.clientAddress()));
      Path nodeFile = dir.resolve(v.id()).resolve("node.yaml");
      if (Files.isRegularFile(nodeFile)) {
        HostPort query = NodeConfig.load(nodeFile).queryListen();
        String host =
            query.host().equals("0.0.0.0") || query.host().equals("::")
                ? v.clientAddress().host()
                : query.host();
        queries.add(InetSocketAddress.createUnresolved(host, query.port()));
      }
    }
    return new ClusterDir(dir, genesis, List.copyOf(clients), List.copyOf(queries), agents);
  }

  private static InetSocketAddress address(HostPort hostPort) {
    return InetSocketAddress.createUnresolved(hostPort.host(), hostPort.port());
  }

  public int chainId() {
    return (int) genesis.chainId();
  }
}
