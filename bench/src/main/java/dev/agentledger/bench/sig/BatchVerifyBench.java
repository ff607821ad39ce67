package dev.agentledger.bench.sig;

import dev.agentledger.sig.SignatureBatch;
import dev.agentledger.sig.batch.CpuBatchVerifier;
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

/** Batch verification by batch size, in signatures per second (compare with VerifyBench). */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 8, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class BatchVerifyBench {
  private Ed25519Inputs inputs;
  private final CpuBatchVerifier verifier = new CpuBatchVerifier();
  private final boolean[] verdicts = new boolean[Ed25519Inputs.COUNT];
  private SignatureBatch batch;
  private int start;

  @Setup
  public void setup() {
    inputs = new Ed25519Inputs();
    batch = new SignatureBatch(Ed25519Inputs.COUNT);
  }

  private int verify(int size) {
    batch.clear();
    for (int k = 0; k < size; k++) {
      int i = (start + k) & (Ed25519Inputs.COUNT - 1);
      batch.add(inputs.keys[i], inputs.signatures[i], inputs.messages[i]);
    }
    start = (start + size) & (Ed25519Inputs.COUNT - 1);
    int valid = verifier.verify(batch, verdicts);
    if (valid != size) {
      throw new IllegalStateException("valid " + valid + " of " + size);
    }
    return valid;
  }

  @Benchmark
  @OperationsPerInvocation(64)
  public int batch64() {
    return verify(64);
  }

  @Benchmark
  @OperationsPerInvocation(256)
  public int batch256() {
    return verify(256);
  }

  @Benchmark
  @OperationsPerInvocation(1024)
  public int batch1024() {
    return verify(1024);
  }

  @Benchmark
  @OperationsPerInvocation(4096)
  public int batch4096() {
    return verify(4096);
  }
}
