package dev.agentledger.bench.loadgen.local;

import dev.agentledger.bench.loadgen.CompletionListener;
import dev.agentledger.bench.loadgen.LoadTarget;
import dev.agentledger.bench.loadgen.StageCost;
import dev.agentledger.bench.loadgen.TargetInfo;
import dev.agentledger.hash.Sha256;
import dev.agentledger.node.tx.AgentRunDescriptor;
import dev.agentledger.node.tx.AgentRunError;
import dev.agentledger.node.tx.AgentRunFlyweight;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.ControlledMessageHandler.Action;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * THE SINGLE-PROCESS PIPELINE, NOT THE CLUSTER: a real, in-process chain of the node's per-
 * transaction work, so the load generator, the report and find-max can run end to end before the
 * cluster exists. Stages, each an Agrona agent on its own thread behind a bounded ring buffer:
 *
 * <ol>
 *   <li>ingress: length, {@link AgentRunFlyweight#validate()} and chain id; bad input is rejected
 *       with the {@link AgentRunError} name, a full queue sheds with {@code overload:*}; passing
 *       records are accepted;
 *   <li>sigverify ({@code verifiers} threads): Ed25519 verification through {@code sig-verify} (bad
 *       signatures rejected), then the SHA-256 transaction id;
 *   <li>commit: group commit of whatever is waiting (up to a maximum batch): RFC 6962 Merkle root
 *       of the batch's ids, append batch header, ids and records to a file, {@code fsync}, then
 *       report every transaction of the batch committed.
 * </ol>
 *
 * <p>There is no consensus, no replication, no execution (nonces are not checked) and no RocksDB
 * here: numbers from this target measure one machine's verify-hash-persist path only and the report
 * labels them so.
 */
public final class LocalPipelineTarget implements LoadTarget {
  /**
   * @param verifiers sigverify threads
   * @param maxCommitBatch most transactions per group commit
   * @param dataDir where the batch log is written (a fresh file per target)
   * @param chainId the only chain id accepted
   * @param fsync whether each batch is forced to the device before it counts as committed
   * @param keepData keep the batch log after close (deleted otherwise)
   * @param queueBytes capacity of the ingress queue in bytes (a power of two)
   */
  public record Config(
      int verifiers,
      int maxCommitBatch,
      Path dataDir,
      int chainId,
      boolean fsync,
      boolean keepData,
      int queueBytes) {
    public Config {
      if (verifiers < 1 || maxCommitBatch < 1 || Integer.bitCount(queueBytes) != 1) {
        throw new IllegalArgumentException(
            "verifiers and batch must be >= 1, queueBytes a power of two");
      }
    }

    public static Config defaults(Path dataDir) {
      int cores = Runtime.getRuntime().availableProcessors();
      return new Config(Math.max(1, cores - 1), 4096, dataDir, 1, true, false, 1 << 23);
    }
  }

  private static final int MSG = 1;
  private static final int RECORD = AgentRunDescriptor.ENCODED_LENGTH;
  private static final int HEADER = 16; // sequence (8) + intended send time (8)
  private static final int ID = Sha256.DIGEST_BYTES;
  private static final int VERIFY_BATCH = 128;
  private static final String[] FIELD_REASONS = fieldReasons();

  private final Config config;
  private final OneToOneRingBuffer submitRing;
  private final OneToOneRingBuffer[] verifyRings;
  private final ManyToOneRingBuffer commitRing;
  private final List<AgentRunner> runners = new ArrayList<>();
  private final ThreadMXBean threadBean = ManagementFactory.getThreadMXBean();
  private final AtomicLong ingressCpu = new AtomicLong();
  private final AtomicLong ingressItems = new AtomicLong();
  private final LongAdder verifyCpu = new LongAdder();
  private final LongAdder hashCpu = new LongAdder();
  private final LongAdder verifyItems = new LongAdder();
  private final AtomicLong merkleCpu = new AtomicLong();
  private final AtomicLong persistCpu = new AtomicLong();
  private final AtomicLong fsyncWall = new AtomicLong();
  private final AtomicLong committedItems = new AtomicLong();
  private final AtomicLong batches = new AtomicLong();
  private volatile Throwable failure;
  private CompletionListener listener;
  private Path logFile;
  private FileChannel log;

  public LocalPipelineTarget(Config config) {
    this.config = config;
    this.submitRing = new OneToOneRingBuffer(ring(config.queueBytes()));
    this.verifyRings = new OneToOneRingBuffer[config.verifiers()];
    for (int v = 0; v < verifyRings.length; v++) {
      verifyRings[v] = new OneToOneRingBuffer(ring(1 << 21));
    }
    this.commitRing = new ManyToOneRingBuffer(ring(1 << 23));
  }

  private static UnsafeBuffer ring(int capacity) {
    return new UnsafeBuffer(
        ByteBuffer.allocateDirect(capacity + RingBufferDescriptor.TRAILER_LENGTH));
  }

  private static String[] fieldReasons() {
    AgentRunError[] errors = AgentRunError.values();
    String[] reasons = new String[errors.length];
    for (AgentRunError e : errors) {
      reasons[e.ordinal()] = "invalid:" + e.name().toLowerCase(java.util.Locale.ROOT);
    }
    return reasons;
  }

  @Override
  public TargetInfo info() {
    return new TargetInfo(
        "local",
        "single-process pipeline (NOT the cluster): ingress validation -> Ed25519 verify ("
            + config.verifiers()
            + " threads) -> SHA-256 tx id -> group commit (RFC 6962 batch root, append, "
            + (config.fsync() ? "fsync" : "NO fsync")
            + ") in one JVM; no consensus, replication, execution or RocksDB",
        "signature verified, fields valid, id hashed, batch appended to a local file"
            + (config.fsync() ? " and fsync'ed" : " (not fsync'ed)")
            + "; NOT ordered by consensus, NOT executed, NOT replicated",
        "cpu: sig-verify Ed25519.verify, one signature per call, "
            + config.verifiers()
            + " thread(s)");
  }

  @Override
  public void start(CompletionListener listener) throws IOException {
    this.listener = listener;
    Files.createDirectories(config.dataDir());
    logFile = Files.createTempFile(config.dataDir(), "local-pipeline-", ".log");
    log = FileChannel.open(logFile, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    start(new IngressAgent());
    for (int v = 0; v < verifyRings.length; v++) {
      start(new VerifyAgent(v));
    }
    start(new CommitAgent());
  }

  private void start(Agent agent) {
    AgentRunner runner =
        new AgentRunner(
            new BackoffIdleStrategy(50, 10, 10_000, 1_000_000), this::onError, null, agent);
    runners.add(runner);
    AgentRunner.startOnThread(runner);
  }

  private void onError(Throwable error) {
    if (failure == null) {
      failure = error;
    }
  }

  /** The first error a stage hit, if any (a healthy run has none). */
  public Throwable failure() {
    return failure;
  }

  @Override
  public void submit(
      DirectBuffer buffer, int offset, int length, long sequence, long intendedSendNs) {
    int index = submitRing.tryClaim(MSG, HEADER + length);
    if (index < 0) {
      listener.onRejected(sequence, "overload:ingress-queue", System.nanoTime());
      return;
    }
    MutableDirectBuffer ring = submitRing.buffer();
    ring.putLong(index, sequence);
    ring.putLong(index + 8, intendedSendNs);
    ring.putBytes(index + HEADER, buffer, offset, length);
    submitRing.commit(index);
  }

  @Override
  public List<StageCost> stageCosts() {
    long verified = verifyItems.sum();
    return List.of(
        new StageCost(
            "ingress",
            ingressCpu.get(),
            ingressItems.get(),
            0,
            "decode, field validation, chain id, enqueue"),
        new StageCost(
            "sigverify", verifyCpu.sum(), verified, 0, "Ed25519 verify, one signature per call"),
        new StageCost("txid-hash", hashCpu.sum(), verified, 0, "SHA-256 transaction id"),
        new StageCost(
            "merkle",
            merkleCpu.get(),
            committedItems.get(),
            0,
            "RFC 6962 root of each commit batch"),
        new StageCost(
            "persist",
            persistCpu.get(),
            committedItems.get(),
            fsyncWall.get(),
            "append batch to file" + (config.fsync() ? " + fsync (wall time in wallNs)" : "")));
  }

  /** Group commits done. */
  public long batches() {
    return batches.get();
  }

  public Path logFile() {
    return logFile;
  }

  @Override
  public void close() throws IOException {
    for (AgentRunner runner : runners) {
      runner.close();
    }
    runners.clear();
    if (log != null) {
      log.close();
      log = null;
      if (!config.keepData()) {
        Files.deleteIfExists(logFile);
      }
    }
  }

  private long cpu() {
    return threadBean.getCurrentThreadCpuTime();
  }

  /** Decode and validate; accept and forward to a verifier, or reject. */
  private final class IngressAgent implements Agent {
    private final AgentRunFlyweight run = new AgentRunFlyweight();
    private int nextVerifier;
    private long items;

    private Action onMessage(int type, MutableDirectBuffer buffer, int index, int length) {
      long sequence = buffer.getLong(index);
      int recordLength = length - HEADER;
      if (recordLength != RECORD) {
        listener.onRejected(sequence, "invalid:wrong_length", System.nanoTime());
        items++;
        return Action.CONTINUE;
      }
      run.wrap(buffer, index + HEADER);
      AgentRunError error = run.validate();
      if (error != AgentRunError.NONE) {
        listener.onRejected(sequence, FIELD_REASONS[error.ordinal()], System.nanoTime());
        items++;
        return Action.CONTINUE;
      }
      if (run.chainId() != config.chainId()) {
        listener.onRejected(sequence, "invalid:wrong_chain", System.nanoTime());
        items++;
        return Action.CONTINUE;
      }
      for (int attempt = 0; attempt < verifyRings.length; attempt++) {
        OneToOneRingBuffer ring = verifyRings[nextVerifier];
        nextVerifier = nextVerifier + 1 == verifyRings.length ? 0 : nextVerifier + 1;
        int at = ring.tryClaim(MSG, length);
        if (at >= 0) {
          ring.buffer().putBytes(at, buffer, index, length);
          ring.commit(at);
          listener.onAccepted(sequence, System.nanoTime());
          items++;
          return Action.CONTINUE;
        }
      }
      return Action
          .ABORT; // every verifier is full: leave it queued; the submit queue absorbs, then sheds
    }

    private final org.agrona.concurrent.ControlledMessageHandler handler = this::onMessage;

    @Override
    public int doWork() {
      long cpu0 = cpu();
      long before = items;
      int work = submitRing.controlledRead(handler, 256);
      if (work > 0) {
        ingressCpu.addAndGet(cpu() - cpu0);
        ingressItems.addAndGet(items - before);
      }
      return work;
    }

    @Override
    public String roleName() {
      return "local-ingress";
    }
  }

  /** Verify a batch of signatures, hash the good ones, forward them to the commit stage. */
  private final class VerifyAgent implements Agent {
    private static final int SLOT = HEADER + RECORD;
    private final OneToOneRingBuffer in;
    private final int id;
    private final UnsafeBuffer batch =
        new UnsafeBuffer(ByteBuffer.allocateDirect(VERIFY_BATCH * SLOT));
    private final boolean[] good = new boolean[VERIFY_BATCH];
    private final byte[] ids = new byte[VERIFY_BATCH * ID];
    private final AgentRunFlyweight run = new AgentRunFlyweight();
    private final Sha256 hasher = new Sha256();
    private int count;

    VerifyAgent(int id) {
      this.id = id;
      this.in = verifyRings[id];
    }

    private final org.agrona.concurrent.MessageHandler copy =
        (type, buffer, index, length) -> {
          batch.putBytes(count * SLOT, buffer, index, length);
          count++;
        };

    @Override
    public int doWork() {
      count = 0;
      int read = in.read(copy, VERIFY_BATCH);
      if (read == 0) {
        return 0;
      }
      long cpu0 = cpu();
      for (int i = 0; i < count; i++) {
        run.wrap(batch, i * SLOT + HEADER);
        good[i] = run.verifySignature();
      }
      long cpu1 = cpu();
      for (int i = 0; i < count; i++) {
        if (good[i]) {
          run.wrap(batch, i * SLOT + HEADER);
          run.transactionId(hasher, ids, i * ID);
        }
      }
      long cpu2 = cpu();
      verifyCpu.add(cpu1 - cpu0);
      hashCpu.add(cpu2 - cpu1);
      verifyItems.add(count);
      for (int i = 0; i < count; i++) {
        long sequence = batch.getLong(i * SLOT);
        if (!good[i]) {
          listener.onRejected(sequence, "bad_signature", System.nanoTime());
          continue;
        }
        int at;
        while ((at = commitRing.tryClaim(MSG, HEADER + ID + RECORD)) < 0) {
          if (Thread.currentThread().isInterrupted()) {
            return read;
          }
          Thread.onSpinWait(); // accepted already: wait for the commit stage, never drop
        }
        MutableDirectBuffer out = commitRing.buffer();
        out.putBytes(at, batch, i * SLOT, HEADER);
        out.putBytes(at + HEADER, ids, i * ID, ID);
        out.putBytes(at + HEADER + ID, batch, i * SLOT + HEADER, RECORD);
        commitRing.commit(at);
      }
      return read;
    }

    @Override
    public String roleName() {
      return "local-sigverify-" + id;
    }
  }

  /** Group commit: batch root, append, fsync, then report the batch committed. */
  private final class CommitAgent implements Agent {
    private static final int BATCH_HEADER = 4 + 8 + 4 + ID;
    private static final int MAGIC = 0x414c4231; // "ALB1"
    private final int max = config.maxCommitBatch();
    private final long[] sequences = new long[max];
    private final byte[] ids = new byte[max * ID];
    private final byte[] root = new byte[ID];
    private final ByteBuffer out =
        ByteBuffer.allocateDirect(BATCH_HEADER + max * (ID + RECORD))
            .order(ByteOrder.LITTLE_ENDIAN);
    private final UnsafeBuffer outView = new UnsafeBuffer(out);
    private final BatchMerkleRoot merkle = new BatchMerkleRoot(max);
    private int count;
    private long batchNumber;

    private final org.agrona.concurrent.MessageHandler take =
        (type, buffer, index, length) -> {
          sequences[count] = buffer.getLong(index);
          buffer.getBytes(index + HEADER, ids, count * ID, ID);
          outView.putBytes(
              BATCH_HEADER + count * (ID + RECORD), buffer, index + HEADER, ID + RECORD);
          count++;
        };

    @Override
    public int doWork() throws IOException {
      count = 0;
      int read = commitRing.read(take, max);
      if (read == 0) {
        return 0;
      }
      long cpu0 = cpu();
      merkle.root(ids, count, root);
      long cpu1 = cpu();
      outView.putInt(0, MAGIC);
      outView.putLong(4, batchNumber++);
      outView.putInt(12, count);
      outView.putBytes(16, root);
      out.clear().limit(BATCH_HEADER + count * (ID + RECORD));
      try {
        while (out.hasRemaining()) {
          log.write(out);
        }
        if (config.fsync()) {
          long wall0 = System.nanoTime();
          log.force(false);
          fsyncWall.addAndGet(System.nanoTime() - wall0);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(
            "local pipeline: batch log write failed: " + e.getMessage(), e);
      }
      long committedNs = System.nanoTime();
      long cpu2 = cpu();
      merkleCpu.addAndGet(cpu1 - cpu0);
      persistCpu.addAndGet(cpu2 - cpu1);
      committedItems.addAndGet(count);
      batches.incrementAndGet();
      for (int i = 0; i < count; i++) {
        listener.onCommitted(sequences[i], committedNs);
      }
      return read;
    }

    @Override
    public String roleName() {
      return "local-commit";
    }
  }
}
