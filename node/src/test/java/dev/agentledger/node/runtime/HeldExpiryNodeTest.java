package dev.agentledger.node.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentledger.node.client.AgentLedgerClient;
import dev.agentledger.node.client.ClusterSubmitter;
import dev.agentledger.node.json.StrictJson;
import dev.agentledger.node.net.TestKeys;
import dev.agentledger.node.net.TxStatus;
import dev.agentledger.node.tx.AgentRunFlyweight;
import dev.agentledger.node.worker.ValidatorNode;
import dev.agentledger.sig.Ed25519KeyPair;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run whose nonce leaves a gap (its agent's earlier nonce never arrives) is ACCEPTED and held,
 * then dropped once held past the bound and answered: {@code TX_QUERY} says expired (-2), the
 * status counts it, nothing is held any more, and the same run sent again after its predecessor is
 * committed. A whole validator (committee of one, real Netty client port) under {@link
 * ThreadingMode#INVOKER}, driven by one thread of the test.
 */
class HeldExpiryNodeTest {
  static final int CHAIN = 93;

  @TempDir Path dir;

  private static Validator launch(ValidatorNode.Config config) throws Exception {
    return Validator.launch(
        ValidatorContext.forNode(config, ValidatorNode.ConsensusSettings.defaults(), null)
            .verifyThreads(1)
            .heldExpiryMs(50)
            .threading(ThreadingMode.INVOKER));
  }

  /** Runs the validator's agents on a thread of the test until the returned handle is closed. */
  private static AutoCloseable drive(Validator validator) {
    AtomicBoolean driving = new AtomicBoolean(true);
    Thread driver =
        Thread.ofPlatform()
            .name("held-expiry-driver")
            .start(
                () -> {
                  while (driving.get()) {
                    if (validator.invoke() == 0) {
                      LockSupport.parkNanos(50_000);
                    }
                  }
                });
    return () -> {
      driving.set(false);
      driver.join();
    };
  }

  /**
   * With a data directory the expired id is on disk: after a restart it still answers expired (-2),
   * not "not ordered" (-1), and the same run is still accepted once its predecessor is sent.
   */
  @Test
  void anExpiredRunStillAnswersExpiredAfterARestart() throws Exception {
    ValidatorNode.Config config = OneValidator.config(CHAIN, dir.resolve("v0"));
    int[] client = {OneValidator.clientPort(config)};
    byte[][] runs = OneValidator.runs(CHAIN, TestKeys.key(7), 2);
    byte[] gapId = new AgentRunFlyweight().wrap(new UnsafeBuffer(runs[1]), 0).transactionId();
    try (Validator validator = launch(config);
        AutoCloseable driving = drive(validator);
        AgentLedgerClient c = AgentLedgerClient.connect("127.0.0.1", client[0])) {
      assertThat(c.submit(List.of(runs[1]))).containsExactly(TxStatus.ACCEPTED);
      awaitTrue(() -> validator.node().expiredTransactions() == 1);
      assertThat(c.committedIndexes(List.of(gapId)))
          .containsExactly(ClusterSubmitter.EXPIRED_ANSWER);
    }
    try (Validator validator = launch(config);
        AutoCloseable driving = drive(validator);
        AgentLedgerClient c = AgentLedgerClient.connect("127.0.0.1", client[0])) {
      assertThat(c.committedIndexes(List.of(gapId)))
          .as("expired before the restart")
          .containsExactly(ClusterSubmitter.EXPIRED_ANSWER);
      assertThat(validator.node().expiredTransactions()).as("dropped since this start").isZero();
      JsonNode mempool = StrictJson.mapper().readTree(c.status()).path("mempool");
      assertThat(mempool.path("held").asLong()).as("not replayed from the ingress log").isZero();
      assertThat(c.submit(List.of(runs[0], runs[1])))
          .containsExactly(TxStatus.ACCEPTED, TxStatus.ACCEPTED);
      awaitTrue(() -> validator.node().primary().committedTransactions() == 2);
      assertThat(c.committedIndexes(List.of(gapId))[0]).isNotNegative();
    }
  }

  @Test
  void aRunHeldForANonceGapIsDroppedAndAnsweredExpiredNotHeldForever() throws Exception {
    ValidatorNode.Config config = OneValidator.config(CHAIN, null);
    int[] client = {OneValidator.clientPort(config)};
    Ed25519KeyPair agent = TestKeys.key(7);
    byte[][] runs = OneValidator.runs(CHAIN, agent, 2);
    byte[] gapId = new AgentRunFlyweight().wrap(new UnsafeBuffer(runs[1]), 0).transactionId();

    try (Validator validator =
        Validator.launch(
            ValidatorContext.forNode(config, ValidatorNode.ConsensusSettings.defaults(), null)
                .verifyThreads(1)
                .heldExpiryMs(50)
                .threading(ThreadingMode.INVOKER))) {
      ValidatorNode node = validator.node();
      AtomicBoolean driving = new AtomicBoolean(true);
      Thread driver =
          Thread.ofPlatform()
              .name("held-expiry-driver")
              .start(
                  () -> {
                    while (driving.get()) {
                      if (validator.invoke() == 0) {
                        LockSupport.parkNanos(50_000);
                      }
                    }
                  });
      try (AgentLedgerClient c = AgentLedgerClient.connect("127.0.0.1", client[0])) {
        // Nonce 1 alone: its agent's nonce 0 never arrives.
        assertThat(c.submit(List.of(runs[1]))).containsExactly(TxStatus.ACCEPTED);
        awaitTrue(() -> node.expiredTransactions() == 1);
        assertThat(c.committedIndexes(List.of(gapId)))
            .containsExactly(ClusterSubmitter.EXPIRED_ANSWER);
        JsonNode mempool = StrictJson.mapper().readTree(c.status()).path("mempool");
        assertThat(mempool.path("expired").asLong()).isEqualTo(1);
        assertThat(mempool.path("held").asLong()).isZero();
        assertThat(mempool.path("size").asLong()).isZero();
        assertThat(mempool.path("heldExpiryMs").asLong()).isEqualTo(50);
        assertThat(node.primary().committedTransactions()).isZero();

        // Answered, not lost: after its predecessor the same run is accepted and committed.
        assertThat(c.submit(List.of(runs[0], runs[1])))
            .containsExactly(TxStatus.ACCEPTED, TxStatus.ACCEPTED);
        awaitTrue(() -> node.primary().committedTransactions() == 2);
        assertThat(c.committedIndexes(List.of(gapId))[0]).isNotNegative();
      } finally {
        driving.set(false);
        driver.join();
      }
    }
  }

  /** Waits for a condition the driver thread brings about; bounded so a broken node fails. */
  private static void awaitTrue(BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition not reached within 60 s").isLessThan(deadline);
      LockSupport.parkNanos(1_000_000);
    }
  }
}
