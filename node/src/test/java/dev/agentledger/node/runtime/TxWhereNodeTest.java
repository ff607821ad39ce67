package dev.agentledger.node.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.node.client.AgentLedgerClient;
import dev.agentledger.node.net.TestKeys;
import dev.agentledger.node.net.TxStatus;
import dev.agentledger.node.worker.ValidatorNode;
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
    ValidatorNode.Config config = OneValidator.config(CHAIN, dir.resolve("v0"));
    int[] client = {OneValidator.clientPort(config)};
    Ed25519KeyPair agent = TestKeys.key(7);
    byte[][] runs = OneValidator.runs(CHAIN, agent, 3);
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
