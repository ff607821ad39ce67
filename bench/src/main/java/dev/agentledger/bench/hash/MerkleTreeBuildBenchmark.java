package dev.agentledger.bench.hash;

import dev.agentledger.hash.merkle.LevelHasher;
import dev.agentledger.hash.merkle.LevelHashers;
import dev.agentledger.hash.merkle.MerkleTree;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time to build an RFC 6962 tree (all levels, parallel across the common pool for large levels)
 * over 2^10 .. 2^22 leaf hashes, per level hasher. Leaf hashing is excluded (leaves are hashes).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {
      "-Xmx3g", "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
      "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "--add-opens",
          "java.base/java.nio=ALL-UNNAMED",
      "--sun-misc-unsafe-memory-access=allow"
    })
public class MerkleTreeBuildBenchmark {
  @Param({"10", "14", "18", "22"})
  public int log2Leaves;

  @Param({"adaptive", "project-single"})
  public String hasher;

  private byte[] leaves;
  private LevelHasher levelHasher;

  @Setup
  public void setUp() {
    leaves = new byte[32 << log2Leaves];
    new Random(7).nextBytes(leaves);
    levelHasher = hasher.equals("adaptive") ? LevelHashers.defaultHasher() : LevelHashers.single();
  }

  @Benchmark
  public byte[] build() {
    return MerkleTree.ofPackedLeafHashes(leaves, 1 << log2Leaves, levelHasher).root();
  }
}
