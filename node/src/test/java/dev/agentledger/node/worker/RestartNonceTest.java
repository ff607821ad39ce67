package dev.agentledger.node.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.node.client.AgentLedgerClient;
import dev.agentledger.node.execution.LedgerFixture;
import dev.agentledger.node.net.TxStatus;
import dev.agentledger.node.tx.AgentRunFlyweight;
import dev.agentledger.node.worker.core.WorkerConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nonces across a restart, on four executing validators with RocksDB and real sockets: a restarted
 * validator's mempool starts each agent at the executed state's nonce (committed transactions are
 * replays, the next nonce is accepted and committed), and follows commits that other validators
 * ordered.
 */
@Tag("slow")
class RestartNonceTest {
  private static final long WAIT_MS = 120_000;

  @TempDir Path dir;

  static byte[] run(long nonce) {
    return LedgerFixture.run(nonce).sign(LedgerFixture.AGENT);
  }

  static byte[] id(byte[] record) {
    return new AgentRunFlyweight().wrap(new UnsafeBuffer(record), 0).transactionId();
  }

  static List<TxStatus> submit(ExecutingCluster cluster, int v, List<byte[]> records)
      throws Exception {
    try (AgentLedgerClient client = cluster.client(v)) {
      return client.submit(records);
    }
  }

  @Test
  void aRestartedValidatorRefusesCommittedNoncesAndAcceptsTheNextOne() throws Exception {
    try (ExecutingCluster cluster = new ExecutingCluster(4, dir)) {
      List<byte[]> first = new ArrayList<>();
      List<byte[]> ids = new ArrayList<>();
      for (int n = 0; n < 10; n++) {
        first.add(run(n));
        ids.add(id(first.getLast()));
      }
      assertThat(submit(cluster, 0, first)).containsOnly(TxStatus.ACCEPTED);
      assertThat(cluster.awaitExecuted(0, ids, WAIT_MS)).isEqualTo(10);

      cluster.stop(0);
      cluster.start(0, WorkerConfig.defaults());
      // Until its state has reached the cluster's head it refuses submissions as OVERLOADED.
      assertThat(cluster.awaitCaughtUp(0, WAIT_MS)).isTrue();

      // Committed before the restart: a replay now, not ACCEPTED and ordered again.
      assertThat(submit(cluster, 0, List.of(run(3), run(9))))
          .containsExactly(TxStatus.NONCE_REPLAY, TxStatus.NONCE_REPLAY);
      // The next nonce is ready at once (not held behind nonces 0..9) and gets committed.
      byte[] next = run(10);
      assertThat(submit(cluster, 0, List.of(next))).containsExactly(TxStatus.ACCEPTED);
      assertThat(cluster.awaitExecuted(0, List.of(id(next)), WAIT_MS)).isEqualTo(1);

      // Nonce 11 goes through validator 1; validator 0 learns it from the commit.
      byte[] viaPeer = run(11);
      assertThat(submit(cluster, 1, List.of(viaPeer))).containsExactly(TxStatus.ACCEPTED);
      assertThat(cluster.awaitExecuted(0, List.of(id(viaPeer)), WAIT_MS)).isEqualTo(1);
      byte[] after = run(12);
      assertThat(submit(cluster, 0, List.of(run(11), after)))
          .containsExactly(TxStatus.NONCE_REPLAY, TxStatus.ACCEPTED);
      assertThat(cluster.awaitExecuted(1, List.of(id(after)), WAIT_MS)).isEqualTo(1);
    }
  }
}
