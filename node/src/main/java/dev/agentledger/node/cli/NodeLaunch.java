package dev.agentledger.node.cli;

import dev.agentledger.node.committee.Committee;
import dev.agentledger.node.config.Genesis;
import dev.agentledger.node.config.NodeSetup;
import dev.agentledger.node.config.Validator;
import dev.agentledger.node.ingress.IngressConfig;
import dev.agentledger.node.mempool.core.MempoolConfig;
import dev.agentledger.node.net.netty.IoKind;
import dev.agentledger.node.net.netty.NettyTransport;
import dev.agentledger.node.worker.ValidatorNode;
import dev.agentledger.node.worker.core.WorkerConfig;

/**
 * Turns a loaded {@link NodeSetup} (node configuration + genesis + key) into a {@link
 * ValidatorNode.Config}.
 */
final class NodeLaunch {
  private NodeLaunch() {}

  static Committee committee(Genesis genesis) {
    return genesis.toCommittee();
  }

  static int indexOf(Genesis genesis, Validator self) {
    for (int i = 0; i < genesis.committee().size(); i++) {
      if (genesis.committee().get(i).id().equals(self.id())) {
        return i;
      }
    }
    throw new IllegalStateException("validator " + self.id() + " is not in the genesis committee");
  }

  static ValidatorNode.Config config(
      NodeSetup setup, IoKind ioKind, WorkerConfig worker, MempoolConfig mempool, int ioThreads) {
    Genesis genesis = setup.genesis();
    return new ValidatorNode.Config(
        committee(genesis),
        indexOf(genesis, setup.self()),
        setup.key(),
        new IngressConfig(
            (int) genesis.chainId(),
            0,
            0,
            60_000_000_000L,
            0,
            dev.agentledger.node.config.ExecutionGenesisMapping.fees(genesis.fees())),
        setup.config().dataDir(),
        new NettyTransport.Config(
                setup.config().peerListen().host(),
                setup.config().peerListen().port(),
                setup.config().clientListen().host(),
                setup.config().clientListen().port(),
                ioKind,
                ioThreads,
                32 << 20)
            .withClientTls(
                setup.config().tls() == null
                    ? null
                    : dev.agentledger.node.net.tls.ServerTls.load(
                        setup.config().tls().cert(), setup.config().tls().key())),
        mempool,
        worker,
        32 << 20);
  }
}
