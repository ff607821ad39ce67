package dev.agentledger.bench.loadgen.cluster;

import dev.agentledger.deploy.cluster.ClusterInit;
import dev.agentledger.deploy.cluster.ClusterLayout;
import dev.agentledger.deploy.cluster.SystemdUnit;
import dev.agentledger.node.config.Genesis;
import dev.agentledger.node.config.NodeSetup;
import dev.agentledger.node.config.Validator;
import dev.agentledger.node.execution.core.FeeSchedule;
import dev.agentledger.node.ingress.IngressConfig;
import dev.agentledger.node.mempool.core.MempoolConfig;
import dev.agentledger.node.net.netty.IoKind;
import dev.agentledger.node.net.netty.NettyTransport;
import dev.agentledger.node.runtime.ValidatorContext;
import dev.agentledger.node.worker.ValidatorNode;
import dev.agentledger.node.worker.core.WorkerConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A real cluster for tests: {@code cluster init --load-agents N} files (written by {@link
 * ClusterInit}), then one {@link ValidatorNode} per node configuration in this JVM (Netty on
 * loopback, consensus, execution with its commit feed and the HTTP query API on each node's query
 * port, in-memory stores), configured from those files the way {@code node run} does.
 */
final class InProcessCluster implements AutoCloseable {
  final Path dir;
  final List<ValidatorNode> nodes = new ArrayList<>();
  final List<dev.agentledger.node.runtime.Validator> validators = new ArrayList<>();

  InProcessCluster(Path dir, int validators, int loadAgents) throws IOException {
    this.dir = dir;
    int base = freeBase(validators);
    ClusterInit.Options options =
        new ClusterInit.Options(
            77,
            1000,
            FeeSchedule.defaults(),
            List.of(),
            1_000_000,
            false,
            SystemdUnit.Options.defaults(),
            loadAgents,
            1_000_000_000_000L);
    try {
      ClusterInit.write(
          dir,
          ClusterLayout.plan(validators, ClusterLayout.localHosts(), base, true),
          options,
          new SecureRandom());
    } catch (dev.agentledger.node.config.ConfigException e) {
      throw new IOException(e);
    }
    try {
      for (int i = 0; i < validators; i++) {
        NodeSetup setup = NodeSetup.load(dir.resolve("v" + i).resolve("node.yaml"));
        Genesis genesis = setup.genesis();
        int self = -1;
        for (int k = 0; k < genesis.committee().size(); k++) {
          Validator v = genesis.committee().get(k);
          if (v.id().equals(setup.self().id())) {
            self = k;
          }
        }
        ValidatorNode.Config config =
            new ValidatorNode.Config(
                genesis.toCommittee(),
                self,
                setup.key(),
                new IngressConfig((int) genesis.chainId(), 0, 0, 60_000_000_000L, 0),
                null,
                new NettyTransport.Config(
                    "127.0.0.1",
                    setup.config().peerListen().port(),
                    "127.0.0.1",
                    setup.config().clientListen().port(),
                    IoKind.detect(),
                    1,
                    32 << 20),
                new MempoolConfig(20_000, 4096, 1024, 1 << 14, 0, 0, 1024, 0, 0),
                new WorkerConfig(128, 5_000_000L, 300_000_000L, 16),
                16 << 20);
        dev.agentledger.node.runtime.Validator running =
            dev.agentledger.node.runtime.Validator.launch(
                ValidatorContext.forNode(
                    config,
                    ValidatorNode.ConsensusSettings.defaults(),
                    new ValidatorNode.ExecutionSettings(
                        dev.agentledger.node.config.ExecutionGenesisMapping.fromGenesis(genesis),
                        genesis.toCommittee(),
                        false,
                        new java.net.InetSocketAddress(
                            "127.0.0.1", setup.config().queryListen().port()),
                        null)));
        this.validators.add(running);
        nodes.add(running.node());
      }
    } catch (dev.agentledger.node.config.ConfigException e) {
      close();
      throw new IOException(e);
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /**
   * A base port whose peer (+i), client (+100+i), query (+200+i) and metrics (+300+i) ports are
   * free now.
   */
  private static int freeBase(int validators) throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      // below Linux's ephemeral range (32768+), where outgoing connections could take a port
      // between the probe and the bind
      int base = ThreadLocalRandom.current().nextInt(10_000, 32_000);
      boolean free = true;
      for (int offset = 0; offset <= 300 && free; offset += 100) {
        for (int i = 0; i < validators && free; i++) {
          try (ServerSocket socket = new ServerSocket(base + offset + i)) {
            socket.setReuseAddress(true);
          } catch (IOException e) {
            free = false;
          }
        }
      }
      if (free) {
        return base;
      }
    }
    throw new IOException("no free port range found");
  }

  /** The HTTP query address of validator {@code i}. */
  java.net.InetSocketAddress queryAddress(int i) {
    return nodes.get(i).queryAddress();
  }

  @Override
  public void close() {
    validators.forEach(dev.agentledger.node.runtime.Validator::close);
  }
}
