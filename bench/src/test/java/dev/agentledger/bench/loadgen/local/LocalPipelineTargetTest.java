package dev.agentledger.bench.loadgen.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.bench.loadgen.LoadGenerator;
import dev.agentledger.bench.loadgen.NanoClock;
import dev.agentledger.bench.loadgen.PresignedPool;
import dev.agentledger.bench.loadgen.RunContents;
import dev.agentledger.bench.loadgen.StageCost;
import dev.agentledger.bench.loadgen.core.FixedRate;
import dev.agentledger.node.tx.AgentRunDescriptor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real single-process pipeline end to end (real signatures, real fsync), small and quick. */
class LocalPipelineTargetTest {
  @TempDir Path dir;

  @Test
  void commitsValidRecordsRejectsBadOnesLosesNothingAndWritesVerifiableBatches() throws Exception {
    PresignedPool pool =
        PresignedPool.build(
            RunContents.defaults().withAgents(50).withBadFractions(0.1, 0.05).withSeed(3), 300, 2);
    assertThat(pool.badSignatures()).isPositive();
    assertThat(pool.invalidFields()).isPositive();
    LocalPipelineTarget target =
        new LocalPipelineTarget(new LocalPipelineTarget.Config(1, 64, dir, 1, true, true, 1 << 20));
    LoadGenerator.RunResult run =
        LoadGenerator.run(
            new FixedRate(1000, 300_000_000L),
            pool,
            target,
            NanoClock.SYSTEM,
            new LoadGenerator.Options(20_000_000_000L, 0));

    assertThat(target.failure()).isNull();
    var t = run.tally();
    assertThat(t.submitted()).isEqualTo(300);
    assertThat(t.rejectedByReason())
        .containsEntry("bad_signature", (long) pool.badSignatures())
        .containsEntry("invalid:ended_before_started", (long) pool.invalidFields());
    assertThat(t.committed()).isEqualTo(300 - pool.badSignatures() - pool.invalidFields());
    assertThat(t.lost()).isZero();
    assertThat(t.unanswered()).isZero();
    assertThat(t.duplicateCommits()).isZero();
    assertThat(run.stageCosts())
        .extracting(StageCost::stage)
        .containsExactly("ingress", "sigverify", "txid-hash", "merkle", "persist");
    assertThat(run.stageCosts().get(1).cpuNs()).isPositive();

    // The batch log holds every committed record once, each batch with its RFC 6962 root.
    ByteBuffer log =
        ByteBuffer.wrap(Files.readAllBytes(target.logFile())).order(ByteOrder.LITTLE_ENDIAN);
    long records = 0;
    while (log.hasRemaining()) {
      assertThat(log.getInt()).isEqualTo(0x414c4231);
      log.getLong();
      int count = log.getInt();
      byte[] root = new byte[32];
      log.get(root);
      byte[][] ids = new byte[count][32];
      for (int i = 0; i < count; i++) {
        log.get(ids[i]);
        byte[] record = new byte[AgentRunDescriptor.ENCODED_LENGTH];
        log.get(record);
      }
      assertThat(root).isEqualTo(rfc6962(ids, 0, count));
      records += count;
    }
    assertThat(records).isEqualTo(t.committed());
  }

  @Test
  void merkleRootMatchesAnIndependentRecursiveRfc6962() throws Exception {
    BatchMerkleRoot merkle = new BatchMerkleRoot(40);
    java.util.SplittableRandom random = new java.util.SplittableRandom(9);
    for (int n = 0; n <= 40; n++) {
      byte[][] ids = new byte[n][32];
      byte[] flat = new byte[n * 32];
      for (int i = 0; i < n; i++) {
        random.nextBytes(ids[i]);
        System.arraycopy(ids[i], 0, flat, i * 32, 32);
      }
      byte[] root = new byte[32];
      merkle.root(flat, n, root);
      assertThat(root).as("n=%d", n).isEqualTo(rfc6962(ids, 0, n));
    }
  }

  /**
   * RFC 6962 section 2.1, written as the RFC states it (recursive split at the largest power of
   * two).
   */
  static byte[] rfc6962(byte[][] leaves, int from, int to) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    int n = to - from;
    if (n == 0) {
      return sha.digest();
    }
    if (n == 1) {
      sha.update((byte) 0);
      return sha.digest(leaves[from]);
    }
    int k = Integer.highestOneBit(n - 1);
    byte[] left = rfc6962(leaves, from, from + k);
    byte[] right = rfc6962(leaves, from + k, to);
    sha.update((byte) 1);
    sha.update(left);
    return sha.digest(right);
  }

  @Test
  void aFullQueueShedsWithAnOverloadReason() throws Exception {
    PresignedPool pool = PresignedPool.build(RunContents.defaults().withAgents(5), 20, 1);
    LocalPipelineTarget target =
        new LocalPipelineTarget(new LocalPipelineTarget.Config(1, 64, dir, 1, false, false, 4096));
    // 4 KiB queue holds ~11 records; 2000 submissions due at once overflow it.
    LoadGenerator.RunResult run =
        LoadGenerator.run(
            new FixedRate(2e9, 1_000L * 2000),
            pool,
            target,
            NanoClock.SYSTEM,
            new LoadGenerator.Options(20_000_000_000L, 0));
    var t = run.tally();
    assertThat(t.overloadRejections()).isPositive();
    assertThat(t.rejectedByReason()).containsKey("overload:ingress-queue");
    assertThat(t.committed() + t.rejected()).isEqualTo(t.submitted());
    assertThat(t.lost()).isZero();
    assertThat(Arrays.asList(target.info().description(), target.info().committedMeans()))
        .allMatch(s -> s.contains("NOT"));
  }
}
