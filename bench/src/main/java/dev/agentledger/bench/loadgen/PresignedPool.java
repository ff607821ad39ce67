package dev.agentledger.bench.loadgen;

import dev.agentledger.bench.loadgen.core.ZipfSampler;
import dev.agentledger.hash.Sha256;
import dev.agentledger.node.tx.AgentRunDescriptor;
import dev.agentledger.node.tx.AgentRunFlyweight;
import dev.agentledger.node.tx.RunOutcome;
import dev.agentledger.sig.Ed25519KeyPair;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Signed {@code AgentRun} records made before the run, back to back in one off-heap buffer, so the
 * sender only copies bytes and never signs on the clock. Contents follow {@link RunContents}:
 * agents picked with Zipf skew, per-agent nonces counting up, {@code parent_run} chaining each run
 * to the agent's previous one (the Merkle DAG of histories), Zipf token counts, an outcome mix, and
 * the requested fraction of bad records. Agent keys derive from the seed, so a pool is
 * reproducible.
 *
 * <p>Signing is spread over threads by agent (each agent's chain is signed in order by one thread).
 * When a run needs more records than the pool holds, the records repeat and the report says so: a
 * target that enforces replay protection would reject the repeats.
 */
public final class PresignedPool {
  private final UnsafeBuffer buffer;
  private final int size;
  private final int badSignatures;
  private final int invalidFields;
  private final long buildNs;
  private final RunContents contents;

  private PresignedPool(
      UnsafeBuffer buffer,
      int size,
      int badSignatures,
      int invalidFields,
      long buildNs,
      RunContents contents) {
    this.buffer = buffer;
    this.size = size;
    this.badSignatures = badSignatures;
    this.invalidFields = invalidFields;
    this.buildNs = buildNs;
    this.contents = contents;
  }

  /**
   * Least {@code max_fee} of a generated run: above the fee of any generated run under {@code
   * FeeSchedule.defaults()}.
   */
  public static final long MAX_FEE_FLOOR = 100_000_000L;

  /** Largest pool: 2^21 records (683 MB off-heap would be the next power; this is 683/2). */
  public static final int MAX_SIZE = 1 << 21;

  /**
   * Builds {@code size} records with {@code threads} signing threads, agents keyed by {@link
   * #agentKey}.
   */
  public static PresignedPool build(RunContents contents, int size, int threads) throws Exception {
    long seed = contents.seed();
    return build(contents, size, threads, index -> agentKey(seed, index));
  }

  /**
   * Builds {@code size} records with {@code threads} signing threads; agent {@code i} (of {@code
   * contents.agents()}) signs with {@code agentKeys.apply(i)}, for example the load agents a
   * cluster's genesis registered ({@link dev.agentledger.node.config.LoadAgents#key}).
   */
  public static PresignedPool build(
      RunContents contents, int size, int threads, IntFunction<Ed25519KeyPair> agentKeys)
      throws Exception {
    if (size < 1 || size > MAX_SIZE) {
      throw new IllegalArgumentException("pool size must be in [1, " + MAX_SIZE + "]: " + size);
    }
    long began = System.nanoTime();
    int length = AgentRunDescriptor.ENCODED_LENGTH;
    UnsafeBuffer buffer =
        new UnsafeBuffer(ByteBuffer.allocateDirect(size * length).order(ByteOrder.LITTLE_ENDIAN));
    SplittableRandom random = new SplittableRandom(contents.seed());
    ZipfSampler agentPick = new ZipfSampler(contents.agents(), contents.agentSkew());
    ZipfSampler modelPick = new ZipfSampler(contents.models(), 1.0);
    ZipfSampler inputPick =
        new ZipfSampler(
            (int) (contents.maxInputTokens() / RunContents.TOKEN_GRANULE), contents.tokenSkew());
    ZipfSampler outputPick =
        new ZipfSampler(
            (int) (contents.maxOutputTokens() / RunContents.TOKEN_GRANULE), contents.tokenSkew());
    double[] weights = contents.outcomeWeights();
    double weightSum = weights[0] + weights[1] + weights[2] + weights[3];

    // Pass 1 (sequential, cheap): every field but agent, nonce, parent and signature.
    int[] agentOf = new int[size];
    byte[] badKind = new byte[size];
    AgentRunFlyweight run = new AgentRunFlyweight();
    byte[] scratch = new byte[36];
    long baseTimeNs =
        1_767_225_600_000_000_000L + contents.seed() % 1_000_000_000L; // 2026-01-01 UTC
    int bad = 0;
    int invalid = 0;
    for (int i = 0; i < size; i++) {
      run.wrap(buffer, i * length);
      agentOf[i] = agentPick.rank(random.nextDouble()) - 1;
      run.version(AgentRunDescriptor.VERSION_1)
          .kind((byte) 1)
          .chainId(contents.chainId())
          .shardHint(0);
      random.nextBytes(scratch);
      run.taskId(scratch, 0);
      long computeMs = 50 + (long) (-Math.log(1 - random.nextDouble()) * 4_000);
      long started = baseTimeNs + i * 1_000_000L;
      run.startedAt(started).endedAt(started + computeMs * 1_000_000L);
      run.inputTokens((long) inputPick.rank(random.nextDouble()) * RunContents.TOKEN_GRANULE);
      run.outputTokens((long) outputPick.rank(random.nextDouble()) * RunContents.TOKEN_GRANULE);
      run.computeMs(computeMs)
          .gpuMs(random.nextInt(4) == 0 ? 0 : computeMs * random.nextInt(1, 9) / 10);
      run.peakMemoryBytes((1L << 28) + random.nextLong(1L << 34));
      byte[] model =
          Sha256.digest(
              ("model-" + (modelPick.rank(random.nextDouble()) - 1))
                  .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      run.model(model, 0);
      run.outcome(outcome(weights, weightSum, random.nextDouble()).code());
      // max_fee is a cap the client sets generously (a run's fee under the demo schedule stays well
      // below).
      run.priority(random.nextInt(4)).maxFee(MAX_FEE_FLOOR + random.nextLong(MAX_FEE_FLOOR));
      scratch[0] = 0x01;
      scratch[1] = 0x55;
      scratch[2] = 0x12;
      scratch[3] = 0x20;
      for (int k = 4; k < 36; k++) {
        scratch[k] = (byte) random.nextInt();
      }
      run.metadataCid(scratch, 0);
      double u = random.nextDouble();
      if (u < contents.badSignatureFraction()) {
        badKind[i] = 1;
        bad++;
      } else if (u < contents.badSignatureFraction() + contents.invalidFieldFraction()) {
        badKind[i] = 2;
        invalid++;
        run.endedAt(started - 1);
      }
    }

    // Pass 2 (parallel by agent): keys, nonces, parent chain, signatures.
    Ed25519KeyPair[] keys = new Ed25519KeyPair[contents.agents()];
    int workers = Math.max(1, threads);
    try (ExecutorService pool = Executors.newFixedThreadPool(workers)) {
      List<Future<?>> parts = new ArrayList<>();
      for (int w = 0; w < workers; w++) {
        int part = w;
        parts.add(
            pool.submit(
                () ->
                    signPart(
                        buffer, size, agentOf, badKind, keys, agentKeys, contents, part, workers)));
      }
      for (Future<?> part : parts) {
        part.get();
      }
    }
    return new PresignedPool(buffer, size, bad, invalid, System.nanoTime() - began, contents);
  }

  private static void signPart(
      UnsafeBuffer buffer,
      int size,
      int[] agentOf,
      byte[] badKind,
      Ed25519KeyPair[] keys,
      IntFunction<Ed25519KeyPair> agentKeys,
      RunContents contents,
      int part,
      int parts) {
    int length = AgentRunDescriptor.ENCODED_LENGTH;
    AgentRunFlyweight run = new AgentRunFlyweight();
    Sha256 hasher = new Sha256();
    long[] nonces = new long[contents.agents()];
    byte[][] lastId = new byte[contents.agents()][];
    byte[] zero = new byte[32];
    byte[] signature = new byte[64];
    for (int i = 0; i < size; i++) {
      int agent = agentOf[i];
      if (agent % parts != part) {
        continue;
      }
      Ed25519KeyPair key = keys[agent];
      if (key == null) {
        key = agentKeys.apply(agent);
        keys[agent] = key;
      }
      byte[] publicKey = key.publicKey();
      run.wrap(buffer, i * length);
      run.agent(publicKey, 0).payer(publicKey, 0);
      run.nonce(nonces[agent]);
      run.parentRun(lastId[agent] == null ? zero : lastId[agent], 0);
      run.sign(key);
      if (badKind[i] == 1) {
        run.getSignature(signature, 0);
        signature[7] ^= 0x10;
        run.signature(signature, 0);
      } else if (badKind[i] == 0) {
        byte[] id = new byte[32];
        run.transactionId(hasher, id, 0);
        lastId[agent] = id;
        nonces[agent]++;
      }
    }
  }

  /** The key of agent {@code index}: seed = SHA-256("agentledger/bench/agent" || seed || index). */
  public static Ed25519KeyPair agentKey(long seed, int index) {
    byte[] material =
        ("agentledger/bench/agent/" + seed + "/" + index)
            .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    return Ed25519KeyPair.fromSeed(Sha256.digest(material));
  }

  private static RunOutcome outcome(double[] weights, double sum, double u) {
    double x = u * sum;
    for (int k = 0; k < 4; k++) {
      x -= weights[k];
      if (x < 0) {
        return RunOutcome.values()[k];
      }
    }
    return RunOutcome.SUCCESS;
  }

  public UnsafeBuffer buffer() {
    return buffer;
  }

  public int size() {
    return size;
  }

  /** Offset of the record sent as transaction {@code sequence} (records repeat past the size). */
  public int offsetOf(long sequence) {
    return (int) (sequence % size) * AgentRunDescriptor.ENCODED_LENGTH;
  }

  /** Records with a corrupted signature. */
  public int badSignatures() {
    return badSignatures;
  }

  /** Records that fail field validation. */
  public int invalidFields() {
    return invalidFields;
  }

  /** Wall time spent building and signing. */
  public long buildNs() {
    return buildNs;
  }

  public RunContents contents() {
    return contents;
  }
}
