package dev.agentledger.bench.sig;

import dev.agentledger.bench.reference.LibsodiumEd25519;
import dev.agentledger.sig.Ed25519;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/** Single verification: the project against BouncyCastle and libsodium (skipped if absent). */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class VerifyBench {
  private Ed25519Inputs inputs;
  private LibsodiumEd25519 sodium;
  private int next;

  @Setup
  public void setup() {
    inputs = new Ed25519Inputs();
    sodium = LibsodiumEd25519.load().orElse(null);
  }

  @TearDown
  public void tearDown() {
    if (sodium != null) {
      sodium.close();
    }
  }

  private int index() {
    return next++ & (Ed25519Inputs.COUNT - 1);
  }

  @Benchmark
  public boolean project() {
    int i = index();
    return Ed25519.verify(inputs.keys[i], inputs.signatures[i], inputs.messages[i]);
  }

  @Benchmark
  public boolean bouncyCastle() {
    int i = index();
    return org.bouncycastle.math.ec.rfc8032.Ed25519.verify(
        inputs.signatures[i],
        0,
        inputs.keys[i],
        0,
        inputs.messages[i],
        0,
        inputs.messages[i].length);
  }

  @Benchmark
  public boolean libsodium() {
    if (sodium == null) {
      throw new IllegalStateException("libsodium absent: " + LibsodiumEd25519.unavailableReason());
    }
    int i = index();
    return sodium.verify(inputs.keys[i], inputs.signatures[i], inputs.messages[i]);
  }
}
