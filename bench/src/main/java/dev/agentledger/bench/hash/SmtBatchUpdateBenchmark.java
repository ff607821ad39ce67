package dev.agentledger.bench.hash;

import dev.agentledger.hash.smt.InMemoryNodeStore;
import dev.agentledger.hash.smt.SparseMerkleTree;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One sorted batch of updates (half overwrites of existing keys, half new keys) applied to a sparse
 * Merkle tree that already holds {@code 2^16} keys, in-memory node store.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {
      "-Xmx3g", "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
      "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "--add-opens",
          "java.base/java.nio=ALL-UNNAMED",
      "--sun-misc-unsafe-memory-access=allow"
    })
public class SmtBatchUpdateBenchmark {
  @Param({"1000", "10000"})
  public int batch;

  private SparseMerkleTree tree;
  private byte[][] existing;
  private byte[][] keys;
  private byte[][] values;
  private final Random random = new Random(9);

  @Setup(Level.Trial)
  public void setUp() {
    tree = new SparseMerkleTree(new InMemoryNodeStore());
    existing = randomKeys(1 << 16);
    byte[][] v = new byte[existing.length][];
    Arrays.fill(v, new byte[] {1});
    tree.update(existing, v);
  }

  @Setup(Level.Invocation)
  public void nextBatch() {
    byte[][] fresh = randomKeys(batch / 2);
    keys = new byte[batch][];
    for (int i = 0; i < batch / 2; i++) {
      keys[i] = fresh[i];
      keys[batch / 2 + i] = existing[random.nextInt(existing.length)];
    }
    keys = Arrays.stream(keys).distinct().sorted(Arrays::compareUnsigned).toArray(byte[][]::new);
    values = new byte[keys.length][];
    for (int i = 0; i < keys.length; i++) {
      values[i] = new byte[] {(byte) random.nextInt()};
    }
  }

  private byte[][] randomKeys(int n) {
    byte[][] out = new byte[n][32];
    for (byte[] k : out) {
      random.nextBytes(k);
    }
    Arrays.sort(out, Arrays::compareUnsigned);
    return out;
  }

  @Benchmark
  public byte[] update() {
    return tree.update(keys, values);
  }
}
