package dev.agentledger.bench.codec;

import dev.agentledger.bench.BenchmarkDefaults;
import dev.agentledger.bench.loadgen.PresignedPool;
import dev.agentledger.bench.loadgen.RunContents;
import dev.agentledger.hash.Sha256;
import dev.agentledger.node.tx.AgentRunDescriptor;
import dev.agentledger.node.tx.AgentRunError;
import dev.agentledger.node.tx.AgentRunFlyweight;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The {@code AgentRun} codec: encode (write every field through the flyweight), decode (read every
 * field), validate, and the transaction id (signed message assembly + SHA-256), each per record,
 * over a pool of distinct signed records so branch prediction and caches see realistic variety.
 * Anchor: {@link #anchorSha256OfPreimage} hashes a ready 408-byte id preimage with the JDK's
 * SHA-256 (the floor under {@link #transactionId}); the difference is the codec's own cost.
 *
 * <p>Allocation: run with {@code -prof gc}; every benchmark here must show {@code
 * gc.alloc.rate.norm} of about 0 B/op (the hot path allocates nothing per record).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
public class AgentRunCodecBenchmark extends BenchmarkDefaults {
  private static final int L = AgentRunDescriptor.ENCODED_LENGTH;

  /** Distinct records cycled through (power of two). */
  @Param({"1024"})
  public int records;

  private PresignedPool pool;
  private UnsafeBuffer source;
  private UnsafeBuffer target;
  private final AgentRunFlyweight read = new AgentRunFlyweight();
  private final AgentRunFlyweight write = new AgentRunFlyweight();
  private final Sha256 hasher = new Sha256();
  private final byte[] id = new byte[32];
  private final byte[] key = new byte[32];
  private final byte[] hash = new byte[32];
  private final byte[] task = new byte[16];
  private final byte[] cid = new byte[36];
  private final byte[] signature = new byte[64];
  private byte[] preimage;
  private MessageDigest jdkSha256;
  private int next;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    pool =
        PresignedPool.build(
            RunContents.defaults().withAgents(64),
            records,
            Runtime.getRuntime().availableProcessors());
    source = pool.buffer();
    target = new UnsafeBuffer(ByteBuffer.allocateDirect(L));
    read.wrap(source, 0);
    preimage = new byte[AgentRunDescriptor.ID_PREIMAGE_LENGTH];
    read.signingMessage(preimage, 0);
    read.getSignature(preimage, AgentRunDescriptor.SIGNING_MESSAGE_LENGTH);
    jdkSha256 = MessageDigest.getInstance("SHA-256");
  }

  private int nextOffset() {
    int at = next;
    next = (next + 1) & (records - 1);
    return at * L;
  }

  @Benchmark
  public void encode(Blackhole bh) {
    read.wrap(source, nextOffset());
    write.wrap(target, 0);
    read.getAgent(key, 0);
    write
        .version(read.version())
        .kind(read.kind())
        .chainId(read.chainId())
        .shardHint(read.shardHint())
        .agent(key, 0);
    read.getPayer(key, 0);
    write.payer(key, 0).nonce(read.nonce());
    read.getTaskId(task, 0);
    write.taskId(task, 0);
    read.getParentRun(hash, 0);
    write
        .parentRun(hash, 0)
        .startedAt(read.startedAt())
        .endedAt(read.endedAt())
        .inputTokens(read.inputTokens())
        .outputTokens(read.outputTokens())
        .computeMs(read.computeMs())
        .gpuMs(read.gpuMs())
        .peakMemoryBytes(read.peakMemoryBytes());
    read.getModel(hash, 0);
    write.model(hash, 0).outcome(read.outcome()).priority(read.priority()).maxFee(read.maxFee());
    read.getMetadataCid(cid, 0);
    write.metadataCid(cid, 0);
    read.getSignature(signature, 0);
    write.signature(signature, 0);
    bh.consume(target.getLong(0));
  }

  @Benchmark
  public long decode() {
    read.wrap(source, nextOffset());
    return read.version()
        + read.kind()
        + read.chainId()
        + read.shardHint()
        + read.nonce()
        + read.startedAt()
        + read.endedAt()
        + read.inputTokens()
        + read.outputTokens()
        + read.computeMs()
        + read.gpuMs()
        + read.peakMemoryBytes()
        + read.outcome()
        + read.priority()
        + read.maxFee();
  }

  @Benchmark
  public AgentRunError validate() {
    return read.wrap(source, nextOffset()).validate();
  }

  @Benchmark
  public byte transactionId() {
    read.wrap(source, nextOffset()).transactionId(hasher, id, 0);
    return id[0];
  }

  @Benchmark
  public byte anchorSha256OfPreimage() throws Exception {
    jdkSha256.update(preimage, 0, preimage.length);
    jdkSha256.digest(id, 0, 32);
    return id[0];
  }
}
