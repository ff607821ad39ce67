package dev.agentledger.node.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.node.client.AgentLedgerClient;
import dev.agentledger.node.execution.LedgerFixture;
import dev.agentledger.node.net.TxStatus;
import dev.agentledger.node.worker.core.WorkerConfig;
import dev.agentledger.sig.Ed25519KeyPair;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A validator restarted while the other three committed without it starts with an executed state
 * that is behind: the agent's transactions it missed are not in it. Submitted to it right after the
 * restart (once it has heard a peer's commit signature), an already-committed transaction must not
 * be ACCEPTED again, and the agent's next transaction must end up executed everywhere, not held
 * behind nonces the stale state still expects. Four executing validators on RocksDB over real
 * sockets.
 */
@Tag("slow")
class RestartBehindTest {
  private static final long WAIT_MS = 120_000;

  @TempDir Path dir;

  private static final Ed25519KeyPair SIGNER = LedgerFixture.AGENT;

  private static List<TxStatus> submit(ExecutingCluster cluster, int v, List<byte[]> records)
      throws Exception {
    try (AgentLedgerClient client = cluster.client(v)) {
      return client.submit(records);
    }
  }

  private static byte[] run(Ed25519KeyPair signer, long nonce) {
    return LedgerFixture.run(nonce).sign(signer);
  }

  @Test
  void aRestartedValidatorBehindNeverAcceptsACommittedNonceAndExecutesTheNextOne()
      throws Exception {
    try (ExecutingCluster cluster = new ExecutingCluster(4, dir)) {
      // Everyone has executed something before validator 3 stops.
      List<byte[]> warm = List.of(run(SIGNER, 0));
      assertThat(submit(cluster, 0, warm)).containsOnly(TxStatus.ACCEPTED);
      List<byte[]> warmIds = List.of(RestartNonceTest.id(warm.getFirst()));
      for (int v = 0; v < 4; v++) {
        assertThat(cluster.awaitExecuted(v, warmIds, WAIT_MS)).isEqualTo(1);
      }
      cluster.stop(3);

      // While it is down: commits with batches from three other signers, then the agent's 1..64.
      Ed25519KeyPair[] filler = {
        LedgerFixture.key(41), LedgerFixture.key(42), LedgerFixture.key(43)
      };
      List<byte[]> fillerIds = new ArrayList<>();
      for (int round = 0; round < 30; round++) {
        for (int v = 0; v < 3; v++) {
          List<byte[]> frame = new ArrayList<>();
          for (int k = 0; k < 4; k++) {
            frame.add(run(filler[v], round * 4L + k));
          }
          assertThat(submit(cluster, v, frame)).containsOnly(TxStatus.ACCEPTED);
          frame.forEach(r -> fillerIds.add(RestartNonceTest.id(r)));
        }
        Thread.sleep(40);
      }
      List<byte[]> missed = new ArrayList<>();
      List<byte[]> missedIds = new ArrayList<>();
      for (long n = 1; n <= 64; n++) {
        missed.add(run(SIGNER, n));
        missedIds.add(RestartNonceTest.id(missed.getLast()));
      }
      for (int from = 0; from < 64; from += 8) {
        assertThat(submit(cluster, 0, missed.subList(from, from + 8)))
            .containsOnly(TxStatus.ACCEPTED);
      }
      assertThat(cluster.awaitExecuted(0, fillerIds, WAIT_MS)).isEqualTo(fillerIds.size());
      assertThat(cluster.awaitExecuted(0, missedIds, WAIT_MS)).isEqualTo(64);
      long head = cluster.node(0).execution().executedSequence();

      ValidatorNode restarted = cluster.start(3, WorkerConfig.defaults());
      long executedAtStart = restarted.execution().executedSequence();
      // It knows how far behind it is once a peer's commit signature reached it.
      long deadline = System.nanoTime() + WAIT_MS * 1_000_000L;
      while (restarted.execution().highestPeerSequence() < head && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(restarted.execution().highestPeerSequence()).isGreaterThanOrEqualTo(head);

      // A nonce committed while it was down: never ACCEPTED (a replay once it has caught up, until
      // then refused as OVERLOADED).
      TxStatus replay = submit(cluster, 3, List.of(missed.get(9))).getFirst();
      System.out.println(
          "restart-behind: executed "
              + executedAtStart
              + " at the restart, cluster head "
              + head
              + "; a committed nonce right after the restart: "
              + replay
              + " (executed "
              + restarted.execution().executedSequence()
              + ")");
      assertThat(replay).isIn(TxStatus.NONCE_REPLAY, TxStatus.OVERLOADED);

      // The next nonce: retried while refused, then ACCEPTED as ready and executed everywhere.
      byte[] next = run(SIGNER, 65);
      TxStatus status = TxStatus.OVERLOADED;
      int refusals = 0;
      while (status == TxStatus.OVERLOADED && System.nanoTime() < deadline) {
        status = submit(cluster, 3, List.of(next)).getFirst();
        if (status == TxStatus.OVERLOADED) {
          refusals++;
          Thread.sleep(100);
        }
      }
      System.out.println(
          "restart-behind: the next nonce after " + refusals + " refusals: " + status);
      assertThat(status).isEqualTo(TxStatus.ACCEPTED);
      List<byte[]> nextIds = List.of(RestartNonceTest.id(next));
      for (int v = 0; v < 4; v++) {
        assertThat(cluster.awaitExecuted(v, nextIds, WAIT_MS)).as("validator %d", v).isEqualTo(1);
      }
      // Caught up: a committed nonce is a replay at ingress.
      assertThat(submit(cluster, 3, List.of(missed.get(9), next)))
          .containsExactly(TxStatus.NONCE_REPLAY, TxStatus.NONCE_REPLAY);
    }
  }
}
