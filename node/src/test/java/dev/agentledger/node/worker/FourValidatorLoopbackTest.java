package dev.agentledger.node.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.node.client.AgentLedgerClient;
import dev.agentledger.node.commitlog.CommitLog;
import dev.agentledger.node.commitlog.CommitLogFlyweight;
import dev.agentledger.node.consensus.PrimaryService;
import dev.agentledger.node.net.TxStatus;
import dev.agentledger.node.runtime.ThreadingMode;
import dev.agentledger.node.tx.AgentRunBuilder;
import dev.agentledger.node.worker.core.BatchCertificate;
import dev.agentledger.node.worker.core.Worker;
import dev.agentledger.node.worker.core.WorkerConfig;
import dev.agentledger.sig.Ed25519KeyPair;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Four validators on loopback (own Netty stacks, RocksDB directories and agents) with consensus:
 * signed runs submitted to two of them through the client library all end up in certified batches
 * on every validator, with the batch bodies stored everywhere and every certificate valid, and in
 * consensus commits on every validator. The same test under each {@link ThreadingMode}: an agent
 * per thread, agents sharing threads, and one caller driving all four validators' agents.
 */
class FourValidatorLoopbackTest {
  static final int CHAIN = 77;
  @TempDir Path dir;

  static List<byte[]> runs(Ed25519KeyPair agent, int from, int count) {
    List<byte[]> out = new ArrayList<>();
    long now = System.currentTimeMillis() * 1_000_000L;
    for (int n = from; n < from + count; n++) {
      out.add(
          new AgentRunBuilder()
              .chainId(CHAIN)
              .nonce(n)
              .startedAt(now - 1_000_000)
              .endedAt(now)
              .inputTokens(100 + n)
              .priority(n % 3)
              .maxFee(10)
              .sign(agent));
    }
    return out;
  }

  @ParameterizedTest
  @EnumSource(ThreadingMode.class)
  void submittedRunsBecomeCertifiedBatchesAndCommitsOnEveryValidator(ThreadingMode threading)
      throws Exception {
    int total = 0;
    long t0 = System.nanoTime();
    try (LocalCluster cluster =
        new LocalCluster(
            4,
            CHAIN,
            dir,
            new WorkerConfig(64, 5_000_000L, 300_000_000L, 16),
            ValidatorNode.ConsensusSettings.defaults(),
            threading)) {
      System.out.println("started after ms " + (System.nanoTime() - t0) / 1_000_000);
      for (int a = 0; a < 4; a++) {
        Ed25519KeyPair agent =
            Ed25519KeyPair.fromSeed(
                new byte[] {
                  (byte) (a + 9),
                  1,
                  2,
                  3,
                  4,
                  5,
                  6,
                  7,
                  8,
                  9,
                  10,
                  11,
                  12,
                  13,
                  14,
                  15,
                  16,
                  17,
                  18,
                  19,
                  20,
                  21,
                  22,
                  23,
                  24,
                  25,
                  26,
                  27,
                  28,
                  29,
                  30,
                  31
                });
        try (AgentLedgerClient client =
            AgentLedgerClient.connect("127.0.0.1", cluster.clientPort(a % 2))) {
          for (int chunk = 0; chunk < 2; chunk++) {
            List<TxStatus> statuses = client.submit(runs(agent, chunk * 60, 60));
            assertThat(statuses).containsOnly(TxStatus.ACCEPTED);
            total += statuses.size();
          }
          // A replay is refused with its reason.
          assertThat(client.submit(runs(agent, 0, 1))).containsExactly(TxStatus.NONCE_REPLAY);
        }
      }
      System.out.println("submitted after ms " + (System.nanoTime() - t0) / 1_000_000);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
      while (System.nanoTime() < deadline
          && !(allCertified(cluster, total) && allCommitted(cluster, total))) {
        Thread.sleep(20);
      }
      System.out.println("certified after ms " + (System.nanoTime() - t0) / 1_000_000);
      for (int v = 0; v < 4; v++) {
        assertThat(cluster.certifiedTxs.get(v).get())
            .as("validator %d certified txs", v)
            .isEqualTo(total);
        assertThat(cluster.certified.get(v).keySet()).isEqualTo(cluster.certified.get(0).keySet());
        for (BatchCertificate c : cluster.certified.get(v).values()) {
          assertThat(c.verify(cluster.committee, CHAIN)).isNull();
          assertThat(cluster.nodes.get(v).store().get(Worker.BATCHES, c.digest()))
              .as("batch body on %d", v)
              .isNotNull();
          assertThat(Worker.storedCertificate(cluster.nodes.get(v).store(), c.digest()))
              .isEqualTo(c);
        }
      }
      for (int v = 0; v < 4; v++) {
        assertThat(cluster.nodes.get(v).primary().committedTransactions())
            .as("validator %d: transactions in consensus commits", v)
            .isEqualTo(total);
        assertTxIndexNamesTheFirstCommitOfEachId(cluster.nodes.get(v), total);
      }
      try (AgentLedgerClient client =
          AgentLedgerClient.connect("127.0.0.1", cluster.clientPort(3))) {
        assertThat(client.status())
            .contains("\"validator\":3")
            .contains("\"certifiedTxs\":" + total)
            .contains("\"threading\":\"" + threading.configName() + "\"");
      }
    }
  }

  /**
   * Every transaction id in the commit log is found by {@link PrimaryService#committedAt} at the
   * first entry that names it; an id no commit named is not found.
   */
  private static void assertTxIndexNamesTheFirstCommitOfEachId(ValidatorNode node, int total) {
    Map<String, Long> first = new HashMap<>();
    CommitLogFlyweight entry = new CommitLogFlyweight();
    byte[] id = new byte[32];
    for (long k = 0; k <= node.primary().lastCommittedIndex(); k++) {
      CommitLog.read(node.store(), k, entry);
      for (int i = 0; i < entry.txCount(); i++) {
        entry.copyTxId(i, id, 0);
        first.putIfAbsent(HexFormat.of().formatHex(id), k);
      }
    }
    assertThat(first).hasSize(total);
    for (Map.Entry<String, Long> e : first.entrySet()) {
      assertThat(PrimaryService.committedAt(node.store(), HexFormat.of().parseHex(e.getKey())))
          .as("commit of %s", e.getKey())
          .isEqualTo(e.getValue());
    }
    assertThat(PrimaryService.committedAt(node.store(), new byte[32])).isNull();
  }

  private static boolean allCommitted(LocalCluster cluster, int total) {
    for (ValidatorNode node : cluster.nodes) {
      if (node.primary().committedTransactions() < total) {
        return false;
      }
    }
    return true;
  }

  private static boolean allCertified(LocalCluster cluster, int total) {
    for (int v = 0; v < cluster.nodes.size(); v++) {
      if (cluster.certifiedTxs.get(v).get() < total) {
        return false;
      }
    }
    return true;
  }
}
