package dev.agentledger.node.ingress;

import dev.agentledger.sig.batch.CpuBatchVerifier;
import java.security.SecureRandom;

/**
 * {@link BatchSignatureVerifier} over sig-verify's {@link CpuBatchVerifier} (random linear
 * combination, one multi-scalar multiplication per chunk, bisection to find the invalid items), on
 * the caller's thread. The batch is cut into chunks of at most {@code chunkSize} items (the CPU
 * batch rate peaks around 1024; a smaller chunk also bounds the bisection a forged item causes).
 * Every verdict equals {@link dev.agentledger.sig.Ed25519#verify} on that item alone (the
 * sig-verify agreement tests hold the backend to it). Not thread-safe: one instance per thread.
 * Nothing is allocated per item: the items are references into the batch's flat arrays.
 */
public final class CpuBatchSignatureVerifier implements BatchSignatureVerifier {
  public static final int DEFAULT_CHUNK = 1024;

  private final CpuBatchVerifier cpu;
  private final dev.agentledger.sig.SignatureBatch items;
  private final boolean[] verdicts;
  private long itemCount;
  private long chunks;

  /** With {@link CounterModeRandom} over the system CSPRNG (no allocation per item). */
  public CpuBatchSignatureVerifier() {
    this(CounterModeRandom.seeded(), DEFAULT_CHUNK);
  }

  /** With a given CSPRNG (tests may pass a seeded DRBG; never a non-cryptographic RNG). */
  public CpuBatchSignatureVerifier(SecureRandom random, int chunkSize) {
    if (chunkSize < 1) {
      throw new IllegalArgumentException("chunkSize must be positive: " + chunkSize);
    }
    this.cpu = new CpuBatchVerifier(random);
    this.items = new dev.agentledger.sig.SignatureBatch(chunkSize);
    this.verdicts = new boolean[chunkSize];
  }

  @Override
  public void verify(RunSignatureBatch batch) {
    chunks += batch.verifyInChunks(cpu, items, verdicts);
    itemCount += batch.count();
  }

  /** Items verified so far. */
  public long items() {
    return itemCount;
  }

  /** Multi-scalar checks started (one per chunk). */
  public long chunks() {
    return chunks;
  }

  /**
   * Chunks whose batch equation failed, so bisection ran (each means at least one invalid item).
   */
  public long bisections() {
    return cpu.bisections();
  }
}
