package dev.agentledger.bench.zk;

import dev.agentledger.zk.field.Bn254;
import dev.agentledger.zk.field.MontField;
import dev.agentledger.zk.ntt.Domain;
import dev.agentledger.zk.ntt.Ntt;
import java.math.BigInteger;
import java.util.Random;
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
 * The scalar Fr arithmetic of the Groth16 prover: the Montgomery product ({@code MontField.mul}) as
 * a dependent chain (latency) and over independent elements (throughput), and one NTT of 2^16
 * points, inverse to the coset then forward, on the calling thread (as {@code zk prove} runs it).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FrBench {
  private static final MontField FR = Bn254.FR;
  private static final int LOG = 16;
  private final long[] x = new long[4 * 256];
  private final long[] y = new long[4 * 256];
  private long[] poly;
  private Ntt ntt;
  private long[] shift;

  @Setup
  public void setup() {
    Random rnd = new Random(1);
    for (int i = 0; i < 256; i++) {
      FR.fromBigInteger(x, 4 * i, new BigInteger(250, rnd));
      FR.fromBigInteger(y, 4 * i, new BigInteger(250, rnd));
    }
    ntt = new Ntt(LOG);
    shift = Domain.cosetShift(LOG);
    poly = new long[4 << LOG];
    for (int i = 0; i < 1 << LOG; i++) {
      FR.fromBigInteger(poly, 4 * i, new BigInteger(250, rnd));
    }
  }

  /** {@code x = x * y}, 256 times on one element: each product waits for the one before. */
  @Benchmark
  @OperationsPerInvocation(256)
  public long[] mulChain() {
    for (int i = 0; i < 256; i++) {
      FR.mul(x, 0, x, 0, y, 4 * i);
    }
    return x;
  }

  /** {@code x_i = x_i * y_i} over 256 independent elements. */
  @Benchmark
  @OperationsPerInvocation(256)
  public long[] mulIndependent() {
    for (int i = 0; i < 256; i++) {
      FR.mul(x, 4 * i, x, 4 * i, y, 4 * i);
    }
    return x;
  }

  /** {@code x_i = x_i + y_i} over 256 elements. */
  @Benchmark
  @OperationsPerInvocation(256)
  public long[] add() {
    for (int i = 0; i < 256; i++) {
      FR.add(x, 4 * i, x, 4 * i, y, 4 * i);
    }
    return x;
  }

  /** One coset NTT round trip of 2^16 points on this thread (time per call). */
  @Benchmark
  public long[] nttCosetRoundTrip() {
    ntt.inverseToCoset(poly, shift, null, 1);
    ntt.forward(poly, null, 1);
    return poly;
  }
}
