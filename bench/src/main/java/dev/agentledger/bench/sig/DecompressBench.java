package dev.agentledger.bench.sig;

import dev.agentledger.sig.curve25519.BatchDecompressor;
import dev.agentledger.sig.curve25519.ExtendedPoint;
import dev.agentledger.sig.curve25519.PointOps;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Point decompression: one at a time (scalar field) and 64 at a time (eight-lane exponentiation).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 8, time = 2)
@Measurement(iterations = 3, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class DecompressBench {
  private static final int N = 64;
  private byte[][] encodings;
  private final int[] offsets = new int[N];
  private final ExtendedPoint[] out = new ExtendedPoint[N];
  private final boolean[] ok = new boolean[N];
  private final PointOps ops = new PointOps();
  private final BatchDecompressor batch = new BatchDecompressor();
  private int next;

  @Setup
  public void setup() {
    Ed25519Inputs inputs = new Ed25519Inputs();
    encodings = new byte[N][];
    for (int i = 0; i < N; i++) {
      encodings[i] = inputs.keys[i];
      out[i] = new ExtendedPoint();
    }
  }

  @Benchmark
  public boolean single() {
    int i = next++ & (N - 1);
    return ops.decompress(out[i], encodings[i], 0);
  }

  @Benchmark
  @OperationsPerInvocation(N)
  public boolean[] batchOf64() {
    batch.decompress(encodings, offsets, N, out, ok);
    return ok;
  }
}
