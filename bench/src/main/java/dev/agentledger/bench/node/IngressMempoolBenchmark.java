package dev.agentledger.bench.node;

import dev.agentledger.node.ingress.IngressChecks;
import dev.agentledger.node.ingress.IngressConfig;
import dev.agentledger.node.ingress.IngressProcessor;
import dev.agentledger.node.ingress.SingleEd25519Verifier;
import dev.agentledger.node.mempool.core.Mempool;
import dev.agentledger.node.mempool.core.MempoolConfig;
import dev.agentledger.node.mempool.core.TxSink;
import dev.agentledger.node.net.TxStatus;
import dev.agentledger.node.net.Wire;
import dev.agentledger.node.tx.AgentRunBuilder;
import dev.agentledger.node.tx.AgentRunDescriptor;
import dev.agentledger.node.tx.AgentRunFlyweight;
import dev.agentledger.sig.Ed25519KeyPair;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The ingress and mempool data path per transaction, for throughput and (with {@code -prof gc})
 * allocation per transaction in steady state:
 *
 * <ul>
 *   <li>{@code decodeAndChecks}: flyweight wrap + cheap checks (version, chain, shard, fee, fields,
 *       timestamps) over a frame of 128 records.
 *   <li>{@code mempoolOfferDrain}: 128 admissions (fresh nonces written in place) and 128 drains.
 *   <li>{@code ingressSubmitFrame}: the whole SUBMIT path of the node's agent: checks, Ed25519
 *       verification of the frame as one batch, admission, result frame, drain to a batch buffer.
 * </ul>
 *
 * Every benchmark is normalised per transaction ({@link OperationsPerInvocation}).
 *
 * <pre>
 * java -cp bench/target/agentledger-bench.jar:bench/target/lib/* org.openjdk.jmh.Main IngressMempoolBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {
      "--add-modules",
      "jdk.incubator.vector",
      "--enable-native-access=ALL-UNNAMED",
      "--sun-misc-unsafe-memory-access=allow"
    })
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class IngressMempoolBenchmark {
  static final int CHAIN = 9;
  static final int FRAME = 128;
  static final int AGENTS = 256;
  static final int FRAMES = 64;
  static final long NOW = 1_800_000_000_000_000_000L;

  UnsafeBuffer frames;
  int frameLength;
  int next;
  final AgentRunFlyweight run = new AgentRunFlyweight();
  IngressChecks checks;
  Mempool mempool;
  IngressProcessor ingress;
  final UnsafeBuffer reply = new UnsafeBuffer(new byte[Wire.MAX_CLIENT_FRAME]);
  final long[] nonces = new long[AGENTS];
  final UnsafeBuffer batch =
      new UnsafeBuffer(new byte[FRAME * 4 * AgentRunDescriptor.ENCODED_LENGTH]);
  final BatchSink sink = new BatchSink();

  final class BatchSink implements TxSink {
    int count;

    @Override
    public void onTransaction(DirectBuffer buffer, int offset) {
      batch.putBytes(
          (count++ & (FRAME * 4 - 1)) * AgentRunDescriptor.ENCODED_LENGTH,
          buffer,
          offset,
          AgentRunDescriptor.ENCODED_LENGTH);
    }
  }

  @Setup(Level.Trial)
  public void build() {
    Ed25519KeyPair[] keys = new Ed25519KeyPair[AGENTS];
    for (int a = 0; a < AGENTS; a++) {
      byte[] seed = new byte[32];
      seed[0] = (byte) a;
      seed[1] = (byte) (a >> 8);
      seed[2] = 7;
      keys[a] = Ed25519KeyPair.fromSeed(seed);
    }
    frameLength = Wire.HEADER_LENGTH + Wire.SUBMIT_RECORDS + FRAME * Wire.RECORD;
    frames = new UnsafeBuffer(new byte[FRAMES * frameLength]);
    int i = 0;
    for (int f = 0; f < FRAMES; f++) {
      Wire.submitHeader(frames, f * frameLength, f, FRAME);
      for (int r = 0; r < FRAME; r++, i++) {
        byte[] record =
            new AgentRunBuilder()
                .chainId(CHAIN)
                .nonce(i / AGENTS)
                .startedAt(NOW - 1_000_000)
                .endedAt(NOW)
                .inputTokens(i)
                .priority(i % 4)
                .maxFee(100 + i % 13)
                .sign(keys[i % AGENTS]);
        frames.putBytes(
            f * frameLength + Wire.HEADER_LENGTH + Wire.SUBMIT_RECORDS + r * Wire.RECORD, record);
      }
    }
    checks = new IngressChecks(new IngressConfig(CHAIN, 0, 10, 60_000_000_000L, 0));
  }

  /**
   * Built once per trial: a per-iteration rebuild would be counted by {@code -prof gc} (its
   * allocation falls inside the measured window). After the first pass over the frames, {@code
   * ingressSubmitFrame} sees its records again: they are still checked and verified, and the
   * mempool answers NONCE_REPLAY, so the measured path is the same minus the copy-in.
   */
  @Setup(Level.Trial)
  public void pipeline() {
    mempool = new Mempool(new MempoolConfig(1 << 16, 1 << 12, 1024, 1 << 12, 0, 0, 1024, 0, 0));
    ingress = new IngressProcessor(checks, new SingleEd25519Verifier(), mempool);
    service =
        dev.agentledger.sig.service.VerifierService.builder().threads(1).maxBatch(FRAME).build();
    serviceIngress =
        new IngressProcessor(
            checks,
            new dev.agentledger.node.ingress.ServiceBatchVerifier(service),
            new Mempool(new MempoolConfig(1 << 16, 1 << 12, 1024, 1 << 12, 0, 0, 1024, 0, 0)));
    trustingIngress =
        new IngressProcessor(
            checks,
            b -> {
              for (int i = 0; i < b.count(); i++) {
                b.setValid(i, true);
              }
            },
            new Mempool(new MempoolConfig(1 << 16, 1 << 12, 1024, 1 << 12, 0, 0, 1024, 0, 0)));
  }

  IngressProcessor trustingIngress;
  IngressProcessor serviceIngress;
  dev.agentledger.sig.service.VerifierService service;

  @org.openjdk.jmh.annotations.TearDown(Level.Trial)
  public void stop() {
    service.close();
  }

  private int nextFrame() {
    int at = next * frameLength;
    next = (next + 1) % FRAMES;
    return at;
  }

  @Benchmark
  @OperationsPerInvocation(FRAME)
  public void decodeAndChecks(Blackhole bh) {
    int at = nextFrame() + Wire.HEADER_LENGTH + Wire.SUBMIT_RECORDS;
    for (int r = 0; r < FRAME; r++) {
      TxStatus s = checks.check(run.wrap(frames, at + r * Wire.RECORD), NOW);
      bh.consume(s);
    }
  }

  @Benchmark
  @OperationsPerInvocation(FRAME)
  public void mempoolOfferDrain(Blackhole bh) {
    int frame = next;
    int at = nextFrame() + Wire.HEADER_LENGTH + Wire.SUBMIT_RECORDS;
    for (int r = 0; r < FRAME; r++) {
      int offset = at + r * Wire.RECORD;
      int agent = (frame * FRAME + r) % AGENTS;
      // Fresh nonce per agent, written in place (the mempool does not re-verify signatures).
      frames.putLong(
          offset + AgentRunDescriptor.NONCE_OFFSET, nonces[agent]++, ByteOrder.LITTLE_ENDIAN);
      bh.consume(mempool.offer(frames, offset, -1, 0));
    }
    sink.count = 0;
    bh.consume(mempool.drain(FRAME, sink));
  }

  /**
   * The SUBMIT path with signature verification replaced by "all valid": the node's own code alone.
   */
  @Benchmark
  @OperationsPerInvocation(FRAME)
  public int ingressSubmitFrameWithoutVerify() {
    int at = nextFrame();
    int n = trustingIngress.onSubmit(frames, at, 1, 0, NOW, reply, 0);
    return n;
  }

  /**
   * The SUBMIT path with the frame's signatures verified on sig-verify's VerifierService (one
   * thread).
   */
  @Benchmark
  @OperationsPerInvocation(FRAME)
  public int ingressSubmitFrameService() {
    return serviceIngress.onSubmit(frames, nextFrame(), 1, 0, NOW, reply, 0);
  }

  @Benchmark
  @OperationsPerInvocation(FRAME)
  public int ingressSubmitFrame() {
    int at = nextFrame();
    int n = ingress.onSubmit(frames, at, 1, 0, NOW, reply, 0);
    sink.count = 0;
    mempool.drain(FRAME, sink);
    return n;
  }
}
