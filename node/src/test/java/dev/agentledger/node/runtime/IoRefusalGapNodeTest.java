package dev.agentledger.node.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.node.client.AgentLedgerClient;
import dev.agentledger.node.net.TestKeys;
import dev.agentledger.node.net.TxStatus;
import dev.agentledger.node.net.Wire;
import dev.agentledger.node.worker.ValidatorNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole SUBMIT frame refused OVERLOADED on the I/O thread (here its input ring is full; the
 * backlog and delay gates refuse the same way) never reaches the mempool. The agent's next nonce,
 * arriving in a later frame once there is room, must not be ACCEPTED and held behind the gap the
 * validator made itself: it is refused after the refused one (NONCE_TOO_FAR on the wire, which
 * clients retry), as the mempool does for its own refusals, and both commit once the refused nonce
 * is sent again. A whole validator (committee of one, RocksDB, real Netty client port) under {@link
 * ThreadingMode#INVOKER}: the test fills the ring by not running the validator's agents.
 */
class IoRefusalGapNodeTest {
  static final int CHAIN = 96;

  @TempDir Path dir;

  @Test
  void aLaterNonceIsRefusedNotHeldBehindANonceRefusedOnTheIoThread() throws Exception {
    ValidatorNode.Config config = OneValidator.config(CHAIN, dir.resolve("v0"));
    int[] client = {OneValidator.clientPort(config)};
    byte[][] runs = OneValidator.runs(CHAIN, TestKeys.key(7), 3);
    byte[] filler = OneValidator.runs(CHAIN, TestKeys.key(8), 1)[0];
    List<byte[]> fullFrame = Collections.nCopies(Wire.MAX_SUBMIT_RECORDS, filler);
    int fillerFrames = 200; // more than the verify stage's input ring holds (64 full frames+)
    try (Validator validator =
        Validator.launch(
            ValidatorContext.forNode(config, ValidatorNode.ConsensusSettings.defaults(), null)
                .verifyThreads(1)
                .heldExpiryMs(600_000)
                .threading(ThreadingMode.INVOKER))) {
      AtomicBoolean driving = new AtomicBoolean(true);
      AtomicBoolean paused = new AtomicBoolean();
      AtomicBoolean idle = new AtomicBoolean();
      Thread driver =
          Thread.ofPlatform()
              .name("io-refusal-driver")
              .start(
                  () -> {
                    while (driving.get()) {
                      if (paused.get()) {
                        idle.set(true);
                        LockSupport.parkNanos(100_000);
                      } else if (validator.invoke() == 0) {
                        LockSupport.parkNanos(50_000);
                      }
                    }
                  });
      try (AgentLedgerClient flood = AgentLedgerClient.connect("127.0.0.1", client[0])) {
        // The agent is known to the pool: nonce 0 committed, its next nonce is 1.
        try (AgentLedgerClient first = AgentLedgerClient.connect("127.0.0.1", client[0])) {
          assertThat(first.submit(List.of(runs[0]))).containsExactly(TxStatus.ACCEPTED);
        }
        awaitTrue(() -> validator.node().primary().committedTransactions() == 1);

        // Nothing runs the validator: the flood fills its input ring, and nonce 1 is refused on
        // the I/O thread.
        paused.set(true);
        awaitTrue(idle::get);
        long floodStartNs = System.nanoTime();
        int sent = 0;
        for (; sent < fillerFrames; sent++) {
          flood.send(fullFrame);
        }
        awaitTrue(() -> overloadedFrames(validator) > 0);
        // Then single runs until one is refused too: the ring has no room even for one run.
        long refused = overloadedFrames(validator);
        while (overloadedFrames(validator) == refused) {
          flood.send(List.of(filler));
          sent++;
          LockSupport.parkNanos(2_000_000);
        }
        // The agent connects now: a connection idle through a slow flood on a loaded machine would
        // reach the client port's read-idle limit (300 s) and be closed.
        try (AgentLedgerClient agent = AgentLedgerClient.connect("127.0.0.1", client[0])) {
          List<TxStatus> refusedHere;
          try {
            refusedHere = agent.submit(List.of(runs[1]));
          } catch (IOException e) {
            throw new AssertionError(
                "the agent's SUBMIT got no answer ("
                    + e
                    + ") after a flood of "
                    + sent
                    + " frames in "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - floodStartNs)
                    + " ms; the validator's connection and ingress counters:\n"
                    + connectionMetrics(validator),
                e);
          }
          assertThat(refusedHere).containsExactly(TxStatus.OVERLOADED);

          // The validator runs again and works through the flood.
          paused.set(false);
          for (int i = 0; i < sent; i++) {
            flood.readResult();
          }

          // Nonce 2 would wait for nonce 1, which this validator refused: refused too, not held.
          assertThat(agent.submit(List.of(runs[2]))).containsExactly(TxStatus.NONCE_TOO_FAR);
          assertThat(agent.where(List.of(runs[2])).get(0)).startsWith("unknown here");

          // Sent again in order, both are accepted and commit.
          assertThat(agent.submit(List.of(runs[1], runs[2])))
              .containsExactly(TxStatus.ACCEPTED, TxStatus.ACCEPTED);
          awaitTrue(() -> validator.node().primary().committedTransactions() >= 3);
          assertThat(agent.where(List.of(runs[1], runs[2])))
              .allSatisfy(line -> assertThat(line).startsWith("committed at commit "));
        }
      } finally {
        driving.set(false);
        driver.join();
      }
    }
  }

  /** SUBMIT frames refused on the I/O thread for a full ring, from the validator's metrics. */
  private static long overloadedFrames(Validator validator) {
    for (String line : validator.node().metrics().render().split("\n")) {
      if (line.startsWith("agentledger_ingress_overloaded_frames_total ")) {
        return (long) Double.parseDouble(line.substring(line.indexOf(' ') + 1).trim());
      }
    }
    return 0;
  }

  /** The validator's client-connection, transport and ingress metric lines, for a failure. */
  private static String connectionMetrics(Validator validator) {
    StringBuilder lines = new StringBuilder();
    for (String line : validator.node().metrics().render().split("\n")) {
      if (line.startsWith("agentledger_client_")
          || line.startsWith("agentledger_transport_")
          || line.startsWith("agentledger_ingress_")) {
        lines.append(line).append('\n');
      }
    }
    return lines.toString();
  }

  private static void awaitTrue(BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition not reached within 60 s").isLessThan(deadline);
      LockSupport.parkNanos(1_000_000);
    }
  }
}
