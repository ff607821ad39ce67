package dev.agentledger.node.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.node.client.AgentLedgerClient;
import dev.agentledger.node.execution.LedgerFixture;
import dev.agentledger.node.net.TxStatus;
import dev.agentledger.node.query.QueryStore;
import dev.agentledger.node.query.StoredCommit;
import dev.agentledger.node.worker.core.WorkerConfig;
import dev.agentledger.sig.Ed25519KeyPair;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults under load on four executing validators (RocksDB, real sockets, one JVM): a validator
 * stopped and started again, then two at once (the cluster loses its quorum and must stall, not
 * fork), with clients submitting to every live validator throughout. After each fault heals the
 * suite checks that nothing ACCEPTED was lost (every accepted transaction is executed on every
 * validator), that all validators hold the same commit hash and state root at every sequence, and
 * that the cluster kept or regained liveness, and that every signer's nonce in the executed state
 * is the client's next one (no accepted run was refused as ahead of its signer's nonce and lost).
 * "Nothing lost" is checked on a quorum (three of the four); what each validator executed, the
 * restarted ones included, is in the table. A restarted validator refuses submissions as OVERLOADED
 * until it has caught up (counted under "refd"). Prints one results row per phase.
 */
@Tag("slow")
class FaultInjectionTest {
  private static final long WAIT_MS = 180_000;

  @TempDir Path dir;

  /** One signer per validator submits there, nonces in order; failures still order and execute. */
  private static final class Load {
    final Ed25519KeyPair[] signers = new Ed25519KeyPair[4];
    final long[] nonces = new long[4];
    final List<byte[]> accepted = new ArrayList<>();
    final List<Integer> acceptedBy = new ArrayList<>();
    int refused;

    Load() {
      // Signers with a genesis account: every transaction at the next nonce consumes it (a run
      // that fails after the nonce check still does), so the ledger's nonce follows the load and a
      // restarted validator's mempool, which reads it, expects what the client sends next. A
      // signer without an account stays at nonce 1 on the ledger (its later nonces fail as
      // BAD_NONCE), and after a restart its next ones are rightly held.
      signers[0] = LedgerFixture.AGENT;
      signers[1] = LedgerFixture.ADMIN;
      signers[2] = LedgerFixture.OPERATOR;
      signers[3] = LedgerFixture.AUDITOR;
    }

    /** {@code rounds} frames of 8 runs to each validator in {@code live}. */
    void run(ExecutingCluster cluster, int rounds, int... live) throws Exception {
      for (int r = 0; r < rounds; r++) {
        for (int v : live) {
          List<byte[]> records = new ArrayList<>();
          for (int k = 0; k < 8; k++) {
            records.add(LedgerFixture.run(nonces[v] + k).sign(signers[v]));
          }
          List<TxStatus> statuses;
          try (AgentLedgerClient client = cluster.client(v)) {
            statuses = client.submit(records);
          }
          boolean gap = false;
          for (int k = 0; k < statuses.size(); k++) {
            if (statuses.get(k) == TxStatus.ACCEPTED) {
              accepted.add(RestartNonceTest.id(records.get(k)));
              acceptedBy.add(v);
              nonces[v] += gap ? 0 : 1;
            } else {
              refused++;
              gap = true;
            }
          }
        }
        Thread.sleep(50);
      }
    }
  }

  private static long executed(ExecutingCluster cluster, int v) {
    return cluster.node(v).execution().executedSequence();
  }

  /** Same commit hash and state root at every sequence all four have executed. */
  private static long assertNoFork(ExecutingCluster cluster) {
    long common = Long.MAX_VALUE;
    for (int v = 0; v < 4; v++) {
      common = Math.min(common, cluster.node(v).queries().latestSequence());
    }
    for (long s = 1; s <= common; s++) {
      StoredCommit first = cluster.node(0).queries().commit(s).orElseThrow();
      for (int v = 1; v < 4; v++) {
        QueryStore q = cluster.node(v).queries();
        StoredCommit other = q.commit(s).orElseThrow();
        assertThat(other.hash()).as("commit %d on validator %d", s, v).isEqualTo(first.hash());
        assertThat(other.record().stateRoot())
            .as("state root %d on validator %d", s, v)
            .isEqualTo(first.record().stateRoot());
      }
    }
    return common;
  }

  private static String row(
      String phase, Load load, int[] executed, long commonCommits, long progress) {
    return String.format(
        "| %-34s | %8d | %-23s | %8d | %4d | %7d | %8d |",
        phase,
        load.accepted.size(),
        executed[0] + "/" + executed[1] + "/" + executed[2] + "/" + executed[3],
        load.accepted.size() - quorumExecuted(executed),
        load.refused,
        commonCommits,
        progress);
  }

  /** Accepted transactions each validator has executed: validator 0 waited for, the rest read. */
  private static int[] executed(ExecutingCluster cluster, List<byte[]> ids) throws Exception {
    int[] counts = new int[4];
    for (int v = 0; v < 4; v++) {
      counts[v] = cluster.awaitExecuted(v, ids, v == 0 ? WAIT_MS : 20_000);
    }
    return counts;
  }

  /**
   * When a quorum has not executed everything accepted: which validator accepted the missing ones
   * (one signer each) and each validator's mempool and worker status, for the diagnosis.
   */
  private static void explainLoss(ExecutingCluster cluster, Load load, int[] executed)
      throws Exception {
    if (quorumExecuted(executed) == load.accepted.size()) {
      return;
    }
    int[] missing = new int[4];
    try (AgentLedgerClient client = cluster.client(0)) {
      for (int i = 0; i < load.accepted.size(); i++) {
        if (client.committedIndexes(List.of(load.accepted.get(i)))[0] < 0) {
          missing[load.acceptedBy.get(i)]++;
        }
      }
    }
    System.out.println(
        "fault-injection: not executed on v0, by the validator that accepted them: "
            + java.util.Arrays.toString(missing));
    for (int v = 0; v < 4; v++) {
      com.fasterxml.jackson.databind.JsonNode status =
          new com.fasterxml.jackson.databind.ObjectMapper().readTree(cluster.node(v).statusJson());
      System.out.println(
          "fault-injection: v"
              + v
              + " mempool "
              + status.path("mempool")
              + " worker "
              + status.path("worker")
              + " ingress "
              + status.path("ingress"));
    }
    for (int v = 0; v < 4; v++) {
      System.out.println("fault-injection: client nonce of v" + v + "'s signer " + load.nonces[v]);
      if (missing[v] > 0) {
        System.out.println(
            "fault-injection: signer of v"
                + v
                + " on v0: "
                + receiptCodes(cluster, load.signers[v]));
      }
    }
  }

  /** Nonce ranges and execution codes of {@code signer}'s transactions in v0's commits. */
  private static String receiptCodes(ExecutingCluster cluster, Ed25519KeyPair signer) {
    StringBuilder out = new StringBuilder();
    QueryStore q = cluster.node(0).queries();
    byte[] key = signer.publicKey();
    for (long s = 1; s <= q.latestSequence(); s++) {
      StoredCommit c = q.commit(s).orElseThrow();
      for (int i = 0; i < c.transactions().size(); i++) {
        byte[] tx = c.transactions().get(i);
        if (java.util.Arrays.equals(
            tx,
            dev.agentledger.node.feed.FeedCommit.SIGNER_OFFSET,
            dev.agentledger.node.feed.FeedCommit.SIGNER_OFFSET + 32,
            key,
            0,
            32)) {
          long nonce =
              java.nio.ByteBuffer.wrap(
                      tx, dev.agentledger.node.tx.AgentRunDescriptor.NONCE_OFFSET, 8)
                  .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                  .getLong();
          out.append(s).append(':').append(nonce).append('=').append(c.receipts().get(i).code());
          out.append(' ');
        }
      }
    }
    return out.toString();
  }

  /**
   * Waits until v0's executed state holds every signer at the client's next nonce, or {@link
   * #WAIT_MS} passes; returns the state's nonces. Equal means every accepted run consumed its
   * nonce: one executed as BAD_NONCE (ordered ahead of an earlier batch of its signer) counts as
   * executed by id, but leaves the signer's nonce behind.
   */
  private static long[] awaitLedgerNonces(ExecutingCluster cluster, Load load)
      throws InterruptedException {
    StateNonceSource state = new StateNonceSource(cluster.node(0).execution()::stateValue);
    long deadline = System.nanoTime() + WAIT_MS * 1_000_000L;
    long[] ledger = new long[4];
    while (true) {
      boolean all = true;
      for (int v = 0; v < 4; v++) {
        ledger[v] =
            state.committedNextNonce(
                new org.agrona.concurrent.UnsafeBuffer(load.signers[v].publicKey()), 0);
        all &= ledger[v] == load.nonces[v];
      }
      if (all || System.nanoTime() > deadline) {
        return ledger;
      }
      Thread.sleep(100);
    }
  }

  private static void assertNoncesConsumed(ExecutingCluster cluster, Load load)
      throws InterruptedException {
    long[] ledger = awaitLedgerNonces(cluster, load);
    for (int v = 0; v < 4; v++) {
      if (ledger[v] != load.nonces[v]) {
        System.out.println(
            "fault-injection: signer of v"
                + v
                + " on v0: "
                + receiptCodes(cluster, load.signers[v]));
        for (int w = 0; w < 4; w++) {
          System.out.println(
              "fault-injection: v"
                  + w
                  + " executed "
                  + executed(cluster, w)
                  + " status "
                  + cluster.node(w).statusJson());
        }
      }
    }
    assertThat(ledger)
        .as(
            "ledger nonces on v0 %s, client %s",
            Arrays.toString(ledger), Arrays.toString(load.nonces))
        .containsExactly(load.nonces);
  }

  /** What at least three of the four validators (a quorum) have executed. */
  private static int quorumExecuted(int[] executed) {
    int[] sorted = executed.clone();
    java.util.Arrays.sort(sorted);
    return sorted[1];
  }

  @Test
  void crashesAndALostQuorumUnderLoadLoseNothingAcceptedAndNeverFork() throws Exception {
    List<String> table = new ArrayList<>();
    table.add(
        "| phase                              | accepted | executed on v0/v1/v2/v3 |"
            + "     lost | refd | commits | progress |");
    try (ExecutingCluster cluster = new ExecutingCluster(4, dir)) {
      Load load = new Load();

      load.run(cluster, 10, 0, 1, 2, 3);
      int[] all = executed(cluster, load.accepted);
      explainLoss(cluster, load, all);
      long common = assertNoFork(cluster);
      table.add(row("baseline", load, all, common, common));
      assertThat(quorumExecuted(all)).isEqualTo(load.accepted.size());
      assertNoncesConsumed(cluster, load);

      // One validator stops under load and comes back on its disk.
      long before = executed(cluster, 0);
      cluster.stop(3);
      load.run(cluster, 10, 0, 1, 2);
      long during = executed(cluster, 0) - before;
      cluster.start(3, WorkerConfig.defaults());
      load.run(cluster, 5, 0, 1, 2, 3);
      all = executed(cluster, load.accepted);
      explainLoss(cluster, load, all);
      common = assertNoFork(cluster);
      table.add(row("stop v3 under load, restart", load, all, common, during));
      assertThat(during).as("3 of 4 keep committing").isPositive();
      assertThat(quorumExecuted(all)).as("nothing accepted lost").isEqualTo(load.accepted.size());
      assertNoncesConsumed(cluster, load);

      // Two stop: no quorum. What was accepted before waits; nothing forks.
      cluster.stop(2);
      cluster.stop(3);
      int acceptedBefore = load.accepted.size();
      load.run(cluster, 5, 0, 1);
      long stalledAt = executed(cluster, 0);
      cluster.start(2, WorkerConfig.defaults());
      cluster.start(3, WorkerConfig.defaults());
      load.run(cluster, 5, 0, 1, 2, 3);
      all = executed(cluster, load.accepted);
      explainLoss(cluster, load, all);
      common = assertNoFork(cluster);
      table.add(
          row(
              "stop v2+v3 (no quorum), restart",
              load,
              all,
              common,
              executed(cluster, 0) - stalledAt));
      assertThat(load.accepted.size()).isGreaterThan(acceptedBefore);
      assertThat(quorumExecuted(all))
          .as("accepted during the stall, executed after")
          .isEqualTo(load.accepted.size());
      assertNoncesConsumed(cluster, load);
      assertThat(executed(cluster, 0)).as("liveness after heal").isGreaterThan(stalledAt);
    } finally {
      table.forEach(System.out::println);
    }
    assertThat(table).hasSize(4);
  }
}
