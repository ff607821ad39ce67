package dev.agentledger.node.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.node.client.AgentLedgerClient;
import dev.agentledger.node.execution.LedgerFixture;
import dev.agentledger.node.net.TxStatus;
import dev.agentledger.node.worker.core.WorkerConfig;
import dev.agentledger.sig.Ed25519KeyPair;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Catch-up under load, measured: validator 3 is stopped while three clients keep submitting to
 * validators 0, 1 and 2; it is started again K commits behind with the load still running, and the
 * test samples both executed sequences until it has caught up. It prints the catch-up rate X
 * (commits validator 3 executed per second while behind) beside the cluster's commit rate Y over
 * the same interval. The rates are printed, not asserted (timing depends on the machine); the test
 * asserts that validator 3 catches up and that every accepted transaction is executed on all four.
 */
@Tag("slow")
class CatchUpUnderLoadTest {
  private static final long WAIT_MS = 240_000;
  private static final long DOWN_MS = Long.getLong("agentledger.catchup.downMs", 30_000);

  @TempDir Path dir;

  /** One client per validator in {@code 0..2}, each its own signer, frames of 8 every 50 ms. */
  private static final class Load implements Runnable {
    final ExecutingCluster cluster;
    final Ed25519KeyPair[] signers = {
      LedgerFixture.key(41), LedgerFixture.key(42), LedgerFixture.key(43)
    };
    final long[] nonces = new long[3];
    final List<byte[]> accepted = Collections.synchronizedList(new ArrayList<>());
    final AtomicBoolean running = new AtomicBoolean(true);
    volatile Throwable failure;

    Load(ExecutingCluster cluster) {
      this.cluster = cluster;
    }

    @Override
    public void run() {
      try {
        AgentLedgerClient[] clients = new AgentLedgerClient[3];
        for (int v = 0; v < 3; v++) {
          clients[v] = cluster.client(v);
        }
        try {
          while (running.get()) {
            for (int v = 0; v < 3; v++) {
              List<byte[]> frame = new ArrayList<>();
              for (int k = 0; k < 8; k++) {
                frame.add(LedgerFixture.run(nonces[v] + k).sign(signers[v]));
              }
              List<TxStatus> statuses = clients[v].submit(frame);
              int k = 0;
              while (k < 8 && statuses.get(k) == TxStatus.ACCEPTED) {
                accepted.add(RestartNonceTest.id(frame.get(k)));
                k++;
              }
              // A refusal (OVERLOADED) leaves the rest to the next frame, from the same nonce.
              assertThat(statuses.subList(k, 8)).doesNotContain(TxStatus.ACCEPTED);
              nonces[v] += k;
            }
            Thread.sleep(50);
          }
        } finally {
          for (AgentLedgerClient c : clients) {
            c.close();
          }
        }
      } catch (Exception | AssertionError e) {
        failure = e;
      }
    }
  }

  /** The {@code worker} member of a validator's status. */
  private static com.fasterxml.jackson.databind.JsonNode worker(ValidatorNode node)
      throws Exception {
    return new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(node.statusJson())
        .path("worker");
  }

  private static long executed(ExecutingCluster cluster, int v) {
    return cluster.node(v).execution().executedSequence();
  }

  @Test
  void aValidatorRestartedBehindUnderLoadCatchesUpFasterThanTheClusterCommits() throws Exception {
    try (ExecutingCluster cluster = new ExecutingCluster(4, dir)) {
      Load load = new Load(cluster);
      Thread loader = new Thread(load, "catch-up-load");
      loader.start();
      try {
        Thread.sleep(2_000);
        cluster.stop(3);
        Thread.sleep(DOWN_MS);
        ValidatorNode v3 = cluster.start(3, WorkerConfig.defaults());
        long t0 = System.nanoTime();
        long v3At0 = v3.execution().executedSequence();
        long headAt0 = executed(cluster, 0);
        long behind = headAt0 - v3At0;
        long deadline = t0 + WAIT_MS * 1_000_000L;
        long t1 = t0;
        long v3At1 = v3At0;
        long headAt1 = headAt0;
        long nextSampleNs = t0;
        while (System.nanoTime() < deadline) {
          Thread.sleep(100);
          t1 = System.nanoTime();
          v3At1 = v3.execution().executedSequence();
          headAt1 = executed(cluster, 0);
          if (t1 >= nextSampleNs) {
            // Where v3 is behind: ordered by its consensus, waiting there for batches, executed.
            nextSampleNs = t1 + 5_000_000_000L;
            System.out.printf(
                "catch-up sample at %.1f s: head %d; v3 ordered %d, waiting for batches %d,"
                    + " executed %d, batches being fetched %d%n",
                (t1 - t0) / 1e9,
                headAt1,
                v3.primary().lastCommittedIndex() + 1,
                v3.primary().pendingCommits(),
                v3At1,
                worker(v3).path("missingBatches").asLong());
          }
          if (v3At1 >= headAt1 - 2) {
            break;
          }
        }
        double seconds = (t1 - t0) / 1e9;
        double x = (v3At1 - v3At0) / seconds;
        double y = (headAt1 - headAt0) / seconds;
        System.out.printf(
            "catch-up: v3 restarted %d commits behind (executed %d, head %d) after %d ms down;"
                + " caught up to %d (head %d) in %.1f s: X = %.1f commits/s executed by v3 vs Y ="
                + " %.1f commits/s by the cluster (X/Y = %.1f); fetch requests %d, timeouts %d,"
                + " accepted so far %d%n",
            behind,
            v3At0,
            headAt0,
            DOWN_MS,
            v3At1,
            headAt1,
            seconds,
            x,
            y,
            y > 0 ? x / y : Double.NaN,
            worker(v3).path("fetchRequests").asLong(),
            worker(v3).path("fetchTimeouts").asLong(),
            load.accepted.size());
        assertThat(behind).as("commits missed while down").isPositive();
        assertThat(v3At1).as("v3 caught up with the cluster").isGreaterThanOrEqualTo(headAt1 - 2);
      } finally {
        load.running.set(false);
        loader.join();
      }
      assertThat(load.failure).isNull();
      List<byte[]> all = List.copyOf(load.accepted);
      for (int v = 0; v < 4; v++) {
        assertThat(cluster.awaitExecuted(v, all, WAIT_MS))
            .as("validator %d", v)
            .isEqualTo(all.size());
      }
    }
  }
}
