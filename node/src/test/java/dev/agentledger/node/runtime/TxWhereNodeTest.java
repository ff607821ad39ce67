package dev.agentledger.node.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.node.client.AgentLedgerClient;
import dev.agentledger.node.committee.Committee;
import dev.agentledger.node.ingress.IngressConfig;
import dev.agentledger.node.mempool.core.MempoolConfig;
import dev.agentledger.node.net.TestKeys;
import dev.agentledger.node.net.TxStatus;
import dev.agentledger.node.net.netty.IoKind;
import dev.agentledger.node.net.netty.NettyTransport;
import dev.agentledger.node.tx.AgentRunBuilder;
import dev.agentledger.node.worker.ValidatorNode;
import dev.agentledger.node.worker.core.WorkerConfig;
import dev.agentledger.sig.Ed25519KeyPair;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code TX_WHERE} tells an operator where a validator holds a run: unknown, held in the mempool
 * for an earlier nonce (with the agent's nonces), committed. A whole validator (committee of one,
 * RocksDB, real Netty client port) under {@link ThreadingMode#INVOKER}, driven by a test thread.
 */
class TxWhereNodeTest {
  static final int CHAIN = 95;

  @TempDir Path dir;

  @Test
  void aRunIsFoundHeldThenCommitted() throws Exception {
    int[] peer = TestKeys.freePorts(1);
    int[] client = TestKeys.freePorts(1);
    Committee committee = TestKeys.committee(1, peer, client);
    ValidatorNode.Config config =
        new ValidatorNode.Config(
            committee,
            0,
            TestKeys.key(0),
            new IngressConfig(CHAIN, 0, 0, Long.MAX_VALUE / 4, 0),
            dir.resolve("v0"),
            new NettyTransport.Config(
                "127.0.0.1", peer[0], "127.0.0.1", client[0], IoKind.NIO, 1, 32 << 20),
            new MempoolConfig(20_000, 1 << 12, 1024, 1 << 14, 0, 0, 1024, 0, 0),
            new WorkerConfig(64, 5_000_000L, 300_000_000L, 16),
            16 << 20);
    Ed25519KeyPair agent = TestKeys.key(7);
    long now = System.currentTimeMillis() * 1_000_000L;
    byte[][] runs = new byte[3][];
    for (int n = 0; n < 3; n++) {
      runs[n] =
          new AgentRunBuilder()
              .chainId(CHAIN)
              .nonce(n)
              .startedAt(now - 1_000_000)
              .endedAt(now)
              .inputTokens(100 + n)
              .maxFee(10)
              .sign(agent);
    }
    try (Validator validator =
        Validator.launch(
            ValidatorContext.forNode(config, ValidatorNode.ConsensusSettings.defaults(), null)
                .verifyThreads(1)
                .heldExpiryMs(600_000)
                .threading(ThreadingMode.INVOKER))) {
      AtomicBoolean driving = new AtomicBoolean(true);
      Thread driver =
          Thread.ofPlatform()
              .name("tx-where-driver")
              .start(
                  () -> {
                    while (driving.get()) {
                      if (validator.invoke() == 0) {
                        LockSupport.parkNanos(50_000);
                      }
                    }
                  });
      try (AgentLedgerClient c = AgentLedgerClient.connect("127.0.0.1", client[0])) {
        assertThat(c.where(List.of(runs[2])).get(0)).startsWith("unknown here");
        assertThat(c.submit(List.of(runs[2]))).containsExactly(TxStatus.ACCEPTED);
        assertThat(c.where(List.of(runs[2], runs[1])))
            .satisfiesExactly(
                held ->
                    assertThat(held)
                        .startsWith("in the mempool, held for an earlier nonce")
                        .contains("pool's next 0")
                        .contains("held 2"),
                absent -> assertThat(absent).startsWith("unknown here"));
        assertThat(c.submit(List.of(runs[0], runs[1])))
            .containsExactly(TxStatus.ACCEPTED, TxStatus.ACCEPTED);
        awaitTrue(() -> validator.node().primary().committedTransactions() == 3);
        awaitTrue(
            () -> {
              try {
                return c.where(List.of(runs[0], runs[1], runs[2])).stream()
                    .allMatch(line -> line.startsWith("committed at commit "));
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
      } finally {
        driving.set(false);
        driver.join();
      }
    }
  }

  private static void awaitTrue(BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition not reached within 60 s").isLessThan(deadline);
      LockSupport.parkNanos(1_000_000);
    }
  }
}
