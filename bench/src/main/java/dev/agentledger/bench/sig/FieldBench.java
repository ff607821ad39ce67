package dev.agentledger.bench.sig;

import dev.agentledger.sig.curve25519.Curve;
import dev.agentledger.sig.curve25519.Fe;
import dev.agentledger.sig.curve25519.Fe8;
import java.math.BigInteger;
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
 * Field multiplication and squaring. The scalar benchmarks run a dependent chain (latency, as in
 * the exponentiation of decompression); the eight-lane ones report time per lane element.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 8, time = 2)
@Measurement(iterations = 3, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class FieldBench {
  private Fe a;
  private Fe b;
  private final long[] v = new long[80];
  private final long[] w = new long[80];

  @Setup
  public void setup() {
    a = Curve.fe(Curve.P.subtract(BigInteger.valueOf(12345)));
    b = Curve.fe(BigInteger.valueOf(987654321).pow(7).mod(Curve.P));
    for (int j = 0; j < 8; j++) {
      Fe8.putLane(v, j, Curve.fe(BigInteger.valueOf(31L * j + 7).pow(40).mod(Curve.P)));
      Fe8.putLane(w, j, b);
    }
  }

  @Benchmark
  @OperationsPerInvocation(100)
  public Fe mul() {
    for (int i = 0; i < 100; i++) {
      Fe.mulTo(a, a, b);
    }
    return a;
  }

  @Benchmark
  @OperationsPerInvocation(100)
  public Fe square() {
    for (int i = 0; i < 100; i++) {
      Fe.sqTo(a, a);
    }
    return a;
  }

  @Benchmark
  @OperationsPerInvocation(800)
  public long[] mulEightLanes() {
    for (int i = 0; i < 100; i++) {
      Fe8.mulTo(v, v, w);
    }
    return v;
  }

  @Benchmark
  @OperationsPerInvocation(800)
  public long[] squareEightLanes() {
    for (int i = 0; i < 100; i++) {
      Fe8.sqTo(v, v);
    }
    return v;
  }
}
