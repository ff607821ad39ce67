package dev.agentledger.bench.hash;

import dev.agentledger.hash.Sha256Engine;
import dev.agentledger.hash.Sha256Engines;
import java.security.MessageDigest;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Hashes per second of each engine on 1024-message batches: {@code sha256-64B} (64-byte messages)
 * and {@code merkle-node} (RFC 6962 nodes, 65-byte messages). The anchor is {@code
 * jdk-messagedigest}; compare within one run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
// Long warm-up: C2 compiles the big vector methods late, and slowly on a busy machine.
@Warmup(iterations = 10, time = 2)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {
      "--add-modules",
      "jdk.incubator.vector",
      "--enable-native-access=ALL-UNNAMED",
      "--add-exports",
      "java.base/jdk.internal.misc=ALL-UNNAMED",
      "--add-opens",
      "java.base/java.nio=ALL-UNNAMED",
      "--sun-misc-unsafe-memory-access=allow"
    })
public class Sha256EnginesBenchmark {
  static final int BATCH = 1024;

  @Param({"project-simd", "project-single", "jdk-messagedigest"})
  public String impl;

  private Sha256Engine engine;
  private MessageDigest md;
  private final byte[] in = new byte[64 * BATCH];
  private final byte[] out = new byte[32 * BATCH];

  @Setup
  public void setUp() throws Exception {
    new Random(1).nextBytes(in);
    md = MessageDigest.getInstance("SHA-256");
    engine =
        switch (impl) {
          case "project-simd" -> Sha256Engines.simd();
          case "project-single" -> Sha256Engines.single();
          default -> null;
        };
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public byte[] sha256_64B() throws Exception {
    if (engine != null) {
      engine.digestFixed(in, 0, 64, BATCH, out, 0);
    } else {
      for (int i = 0; i < BATCH; i++) {
        md.update(in, 64 * i, 64);
        md.digest(out, 32 * i, 32);
      }
    }
    return out;
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public byte[] merkleNode() throws Exception {
    if (engine != null) {
      engine.hashNodes(in, 0, BATCH, out, 0);
    } else {
      for (int i = 0; i < BATCH; i++) {
        md.update((byte) 1);
        md.update(in, 64 * i, 64);
        md.digest(out, 32 * i, 32);
      }
    }
    return out;
  }
}
