package dev.agentledger.node.runtime;

import dev.agentledger.node.committee.Committee;
import dev.agentledger.node.ingress.IngressConfig;
import dev.agentledger.node.mempool.core.MempoolConfig;
import dev.agentledger.node.net.TestKeys;
import dev.agentledger.node.net.netty.IoKind;
import dev.agentledger.node.net.netty.NettyTransport;
import dev.agentledger.node.tx.AgentRunBuilder;
import dev.agentledger.node.worker.ValidatorNode;
import dev.agentledger.node.worker.core.WorkerConfig;
import dev.agentledger.sig.Ed25519KeyPair;
import java.nio.file.Path;

/**
 * The set-up of tests that run one whole validator in-process: a committee of one on free loopback
 * ports (its real Netty client port, NIO), and signed runs of one agent with nonces from 0.
 */
final class OneValidator {
  /** The mempool of these tests: no per-agent rate limit. */
  static final MempoolConfig MEMPOOL =
      new MempoolConfig(20_000, 1 << 12, 1024, 1 << 14, 0, 0, 1024, 0, 0);

  private OneValidator() {}

  /** Validator 0 of a committee of one on chain {@code chain}; no data directory: in memory. */
  static ValidatorNode.Config config(int chain, Path dataDir) {
    return config(chain, dataDir, MEMPOOL);
  }

  /** {@link #config(int, Path)} with its own mempool settings. */
  static ValidatorNode.Config config(int chain, Path dataDir, MempoolConfig mempool) {
    int[] peer = TestKeys.freePorts(1);
    int[] client = TestKeys.freePorts(1);
    Committee committee = TestKeys.committee(1, peer, client);
    return new ValidatorNode.Config(
        committee,
        0,
        TestKeys.key(0),
        new IngressConfig(chain, 0, 0, Long.MAX_VALUE / 4, 0),
        dataDir,
        new NettyTransport.Config(
            "127.0.0.1", peer[0], "127.0.0.1", client[0], IoKind.NIO, 1, 32 << 20),
        mempool,
        new WorkerConfig(64, 5_000_000L, 300_000_000L, 16),
        16 << 20);
  }

  /** The client port of a validator configured here. */
  static int clientPort(ValidatorNode.Config config) {
    return config.transport().clientPort();
  }

  /** {@code count} runs of {@code agent} on {@code chain}, nonces 0 to count - 1, signed. */
  static byte[][] runs(int chain, Ed25519KeyPair agent, int count) {
    long now = System.currentTimeMillis() * 1_000_000L;
    byte[][] runs = new byte[count][];
    for (int n = 0; n < count; n++) {
      runs[n] =
          new AgentRunBuilder()
              .chainId(chain)
              .nonce(n)
              .startedAt(now - 1_000_000)
              .endedAt(now)
              .inputTokens(100 + n)
              .maxFee(10)
              .sign(agent);
    }
    return runs;
  }
}
