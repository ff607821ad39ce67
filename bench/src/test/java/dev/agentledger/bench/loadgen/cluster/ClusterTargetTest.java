package dev.agentledger.bench.loadgen.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentledger.bench.loadgen.LoadGenerator;
import dev.agentledger.bench.loadgen.LoadTargetFactory;
import dev.agentledger.bench.loadgen.NanoClock;
import dev.agentledger.bench.loadgen.PresignedPool;
import dev.agentledger.bench.loadgen.RunContents;
import dev.agentledger.bench.loadgen.RunRecorder;
import dev.agentledger.bench.loadgen.core.FixedRate;
import dev.agentledger.node.client.AgentLedgerClient;
import dev.agentledger.node.net.TxStatus;
import dev.agentledger.node.tx.AgentRunDescriptor;
import dev.agentledger.node.tx.AgentRunFlyweight;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster target against four real validators (Netty on loopback, consensus) in this JVM,
 * configured from {@code cluster init --load-agents} files: every submitted run is accounted for
 * exactly once, by the node's own answers.
 */
class ClusterTargetTest {
  @TempDir Path dir;

  @Test
  void infoNamesTheValidatorsAsHostColonPort() {
    ClusterTarget target =
        new ClusterTarget(
            ClusterTarget.Config.of(
                List.of(
                    InetSocketAddress.createUnresolved("127.0.0.1", 19200),
                    InetSocketAddress.createUnresolved("127.0.0.1", 19201)),
                "cpu"));
    assertThat(target.info().description())
        .contains("2 validator processes on [127.0.0.1:19200, 127.0.0.1:19201]")
        .doesNotContain("unresolved");
  }

  @Test
  void accountsForEveryRunAgainstARealCluster() throws Exception {
    try (InProcessCluster cluster = new InProcessCluster(dir.resolve("c"), 4, 40)) {
      ClusterDir clusterDir = ClusterDir.read(dir.resolve("c"));
      assertThat(clusterDir.clients()).hasSize(4);
      assertThat(clusterDir.agents().count()).isEqualTo(40);
      RunContents contents =
          RunContents.defaults()
              .withAgents(40)
              .withChainId(clusterDir.chainId())
              .withBadFractions(0.05, 0.03)
              .withSeed(5);
      PresignedPool pool = PresignedPool.build(contents, 600, 2, clusterDir.agents()::key);
      assertThat(pool.badSignatures()).isPositive();
      assertThat(pool.invalidFields()).isPositive();

      LoadTargetFactory factory = LoadTargetFactory.find("cluster").orElseThrow();
      LoadGenerator.RunResult run =
          LoadGenerator.run(
              new FixedRate(300, TimeUnit.SECONDS.toNanos(2)),
              pool,
              factory.create(Map.of("cluster-dir", dir.resolve("c").toString(), "poll-ms", "5")),
              NanoClock.SYSTEM,
              new LoadGenerator.Options(TimeUnit.SECONDS.toNanos(30), 0));

      RunRecorder.Tally t = run.tally();
      int good = 600 - pool.badSignatures() - pool.invalidFields();
      assertThat(t.submitted()).isEqualTo(600);
      assertThat(t.rejectedByReason())
          .containsOnly(
              Map.entry("bad_signature", (long) pool.badSignatures()),
              Map.entry("malformed", (long) pool.invalidFields()));
      assertThat(t.accepted()).isEqualTo(good);
      assertThat(t.committed()).isEqualTo(good);
      assertThat(t.lost()).isZero();
      assertThat(t.unanswered()).isZero();
      assertThat(t.duplicateCommits()).isZero();
      assertThat(run.drained()).isTrue();

      // Independently: every validator (not only the one each run went to) has ordered every
      // committed run.
      List<byte[]> ids = new ArrayList<>();
      AgentRunFlyweight flyweight = new AgentRunFlyweight();
      for (long sequence : run.recorder().committedSequences()) {
        flyweight.wrap(pool.buffer(), pool.offsetOf(sequence));
        ids.add(flyweight.transactionId());
      }
      for (InetSocketAddress address : clusterDir.clients()) {
        awaitCommitted(address, ids);
      }

      // The same records again: every one is refused as a replay (committed nonces), none accepted.
      LoadGenerator.RunResult replay =
          LoadGenerator.run(
              new FixedRate(1200, TimeUnit.MILLISECONDS.toNanos(500)),
              pool,
              factory.create(Map.of("cluster-dir", dir.resolve("c").toString())),
              NanoClock.SYSTEM,
              new LoadGenerator.Options(TimeUnit.SECONDS.toNanos(10), 0));
      assertThat(replay.tally().accepted()).isZero();
      assertThat(replay.tally().rejectedByReason()).containsEntry("nonce_replay", (long) good);
    }
  }

  @Test
  void anAcceptedRunThatNeverCommitsIsLost() throws Exception {
    try (InProcessCluster cluster = new InProcessCluster(dir.resolve("c"), 4, 1)) {
      ClusterDir clusterDir = ClusterDir.read(dir.resolve("c"));
      RunContents contents =
          RunContents.defaults().withAgents(1).withChainId(clusterDir.chainId()).withSeed(9);
      PresignedPool pool = PresignedPool.build(contents, 3, 1, clusterDir.agents()::key);
      FixedRate schedule = new FixedRate(1000, TimeUnit.MILLISECONDS.toNanos(2));
      RunRecorder recorder = new RunRecorder(schedule, 5);
      ClusterTarget target =
          new ClusterTarget(ClusterTarget.Config.of(clusterDir.clients(), "test"));
      target.start(recorder);
      long start = System.nanoTime();
      recorder.start(start);
      // Nonces 1 and 2 of a fresh agent without nonce 0: the mempool holds them (a gap), they never
      // commit.
      for (int i = 0; i < 2; i++) {
        recorder.onSubmitting(i, start, System.nanoTime());
        target.submit(
            pool.buffer(), pool.offsetOf(i + 1), AgentRunDescriptor.ENCODED_LENGTH, i, start);
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (recorder.tally().accepted() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      Thread.sleep(1_000); // several polls and consensus rounds
      target.close();
      assertThat(target.failure()).isNull();
      RunRecorder.Tally t = recorder.tally();
      assertThat(t.accepted()).isEqualTo(2);
      assertThat(t.committed()).isZero();
      assertThat(t.lost()).isEqualTo(2);
    }
  }

  @Test
  void factoryRefusesMissingOrUnknownOptions() {
    LoadTargetFactory factory = new ClusterTargetFactory();
    assertThatThrownBy(() -> factory.create(Map.of()))
        .hasMessageContaining("cluster-dir=DIR is required");
    assertThatThrownBy(() -> factory.create(Map.of("cluster-dir", "/x", "colour", "red")))
        .hasMessageContaining("unknown option 'colour'");
    assertThatThrownBy(() -> factory.create(Map.of("cluster-dir", dir.toString())))
        .hasMessageContaining("no genesis.yaml");
  }

  @Test
  void sheddingStatusesCarryTheOverloadPrefix() {
    assertThat(ClusterTarget.reason(TxStatus.OVERLOADED)).startsWith("overload");
    assertThat(ClusterTarget.reason(TxStatus.RATE_LIMITED)).startsWith("overload");
    assertThat(ClusterTarget.reason(TxStatus.AGENT_LIMIT)).startsWith("overload");
    assertThat(ClusterTarget.reason(TxStatus.BAD_SIGNATURE)).isEqualTo("bad_signature");
    assertThat(ClusterTarget.reason(TxStatus.NONCE_REPLAY)).isEqualTo("nonce_replay");
  }

  private static void awaitCommitted(InetSocketAddress address, List<byte[]> ids) throws Exception {
    try (AgentLedgerClient client =
        AgentLedgerClient.connect(address.getHostString(), address.getPort())) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (true) {
        long missing = 0;
        for (int from = 0; from < ids.size(); from += 256) {
          for (long index :
              client.committedIndexes(ids.subList(from, Math.min(ids.size(), from + 256)))) {
            missing += index < 0 ? 1 : 0;
          }
        }
        if (missing == 0) {
          return;
        }
        assertThat(System.nanoTime())
            .as("validator %s still misses %d commits", address, missing)
            .isLessThan(deadline);
        Thread.sleep(50);
      }
    }
  }
}
