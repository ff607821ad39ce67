package dev.agentledger.node.worker;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentledger.node.accel.NodeAccelerators;
import dev.agentledger.node.idle.ParkingIdleStrategy;
import dev.agentledger.node.idle.StageAgent;
import dev.agentledger.node.ingress.BatchSignatureVerifier;
import dev.agentledger.node.ingress.CpuBatchSignatureVerifier;
import dev.agentledger.node.ingress.IngressChecks;
import dev.agentledger.node.ingress.IngressProcessor;
import dev.agentledger.node.ingress.RecordVerifier;
import dev.agentledger.node.ingress.RoutedBatchSignatureVerifier;
import dev.agentledger.node.net.MessageType;
import dev.agentledger.node.net.Wire;
import dev.agentledger.node.tx.AgentRunBuilder;
import dev.agentledger.node.worker.core.PeerBatchCheck;
import dev.agentledger.sig.Ed25519KeyPair;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RecordDescriptor;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * The signature-verification stage between the I/O threads and the single-writer worker agent.
 *
 * <p>I/O threads copy client frames and non-consensus peer frames into the input rings of one of
 * {@code threads} {@link VerifyAgent}s (a client connection and a peer always map to the same
 * agent, so per-link order is kept). Each agent drains what has queued (peer ring first), runs the
 * cheap checks on SUBMIT records and the structural checks on peer BATCH frames ({@link
 * PeerBatchCheck}), verifies ALL staged signatures, peer and client alike, with one {@link
 * BatchSignatureVerifier} call (in a node the accel router's, {@link #routedVerifiers}: CPU batch
 * verification below the calibrated crossover, the configured device from it; the batch equation is
 * amortised over everything that queued while the previous round ran; with {@link #linger} a round
 * of few signatures first waits a few milliseconds for more), and forwards the frames in arrival
 * order to the worker agent's rings:
 *
 * <ul>
 *   <li>a SUBMIT as {@link #CLIENT_VERIFIED}: {@code u64 connection | i32 frameLength | frame | one
 *       status byte per record} (ACCEPTED = may be admitted; others final, BAD_SIGNATURE from the
 *       batch verifier's bisection);
 *   <li>a peer BATCH whose every signature is valid as {@link #PEER_VERIFIED} ({@code i32 peer |
 *       frame}); one with an invalid signature is dropped here (not acknowledged, counted, logged
 *       once per author), so a Byzantine author cannot get forged transactions certified;
 *   <li>any other frame unchanged ({@link #PEER}, {@link #CLIENT}).
 * </ul>
 *
 * Backpressure: a full input ring refuses the frame (the node answers OVERLOADED to a SUBMIT and
 * drops a peer frame, which the worker retransmits); a full output ring makes the agent wait, so
 * its input ring fills. Nothing is allocated per transaction: records are copied into the
 * verifier's flat arrays and the frames into one reused staging buffer.
 */
final class VerifyStage implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(VerifyStage.class.getName());

  /** Message kinds in the worker agent's rings. */
  static final int PEER = 1;

  static final int CLIENT = 2;
  static final int PEER_VERIFIED = 3;
  static final int CLIENT_VERIFIED = 4;

  /**
   * Stop staging more frames once this many signatures wait (the CPU batch rate peaks near 1024).
   */
  static final int TARGET_SIGNATURES = 1024;

  private static final int MAX_FRAMES_PER_ROUND = 256;

  /**
   * A round that has fewer signatures than this waits up to the linger time for more frames (when
   * lingering is on): the batch equation's cost per signature falls with the batch's size (Straus
   * up to 80 signatures, then Pippenger with wider windows), so rounds of a few signatures cost
   * about twice per signature what rounds of a thousand do (on an AVX2 host about 55 µs at 16-64
   * signatures, 39-48 at 256, 23-29 at 1,024).
   */
  static final int LINGER_SIGNATURES = 256;

  /** Longest park of an idle verify agent; a queued frame wakes it at once. */
  static final long IDLE_PARK_NS = 100_000_000L;

  private static final long WARMUP_NS = 1_500_000_000L;
  private static final int WARMUP_ROUNDS = 60;

  private final VerifyAgent[] agents;
  private final ParkingIdleStrategy[] idles;
  private volatile Runnable outputListener = () -> {};
  private final int self;
  private final boolean[] loggedBadAuthor;
  private volatile long lingerNs;
  private volatile java.util.function.LongSupplier clock = System::nanoTime;

  /**
   * @param peerOut the worker agent's peer ring; {@code clientOut} its client ring
   * @param verifiers one verifier per agent (each agent owns its instance)
   */
  VerifyStage(
      int self,
      int threads,
      int chainId,
      int committeeSize,
      IngressChecks checks,
      Supplier<BatchSignatureVerifier> verifiers,
      int peerRingBytes,
      ManyToOneRingBuffer peerOut,
      ManyToOneRingBuffer clientOut) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1: " + threads);
    }
    this.self = self;
    this.loggedBadAuthor = new boolean[committeeSize];
    agents = new VerifyAgent[threads];
    idles = new ParkingIdleStrategy[threads];
    for (int i = 0; i < threads; i++) {
      int agent = i;
      idles[i] =
          new ParkingIdleStrategy(10, 2, 20_000, IDLE_PARK_NS, () -> agents[agent].lingerCapNs());
      agents[i] =
          new VerifyAgent(
              i,
              new RecordVerifier(checks, verifiers.get(), Wire.MAX_BATCH_RECORDS),
              new PeerBatchCheck(self, chainId, committeeSize),
              peerRingBytes,
              peerOut,
              clientOut);
    }
  }

  /**
   * The verifiers of a node's stage: one {@link RoutedBatchSignatureVerifier} per agent over the
   * node's accel router ({@link NodeAccelerators#verifiers()}), so that the records of peer batches
   * and of client submissions, verified in one call per round, go where the router sends that
   * round's batch (the CPU below the crossover, the configured device from it, the CPU again when
   * the device fails), in chunks of {@link CpuBatchSignatureVerifier#DEFAULT_CHUNK}.
   */
  static Supplier<BatchSignatureVerifier> routedVerifiers(NodeAccelerators accelerators) {
    Supplier<dev.agentledger.sig.BatchVerifier> backends = accelerators.verifiers();
    return () ->
        new RoutedBatchSignatureVerifier(backends.get(), CpuBatchSignatureVerifier.DEFAULT_CHUNK);
  }

  /**
   * The stage's agents (roles {@code verify-<v>-<k>}), each with the idle strategy that {@link
   * #offerPeer} and {@link #offerClient} wake, in the {@link StageAgent.Lane#VERIFY} lane.
   */
  List<StageAgent> agents() {
    List<StageAgent> out = new ArrayList<>(agents.length);
    for (int i = 0; i < agents.length; i++) {
      out.add(new StageAgent(agents[i], idles[i], StageAgent.Lane.VERIFY));
    }
    return out;
  }

  /**
   * Lets a round with fewer than {@link #LINGER_SIGNATURES} signatures wait up to {@code lingerNs}
   * (on {@code clock}) from its first staged frame for more frames before it is verified; 0 (the
   * default) verifies whatever queued at once. A round whose next frame does not fit is verified at
   * once. A lingering agent returns 0 and has its idle strategy {@linkplain
   * ParkingIdleStrategy#parkAtOnce() park at once} until the round's deadline, and a queued frame
   * wakes it: one duty cycle per arriving frame plus one at the deadline, no spinning. Set before
   * the agents run; meant for agents on their own threads, not for a caller-driven agent.
   */
  void linger(long lingerNs, java.util.function.LongSupplier clock) {
    if (lingerNs < 0) {
      throw new IllegalArgumentException("linger must be 0 or more ns: " + lingerNs);
    }
    this.clock = java.util.Objects.requireNonNull(clock);
    this.lingerNs = lingerNs;
  }

  /** Called after each message this stage writes to the worker's rings (wakes the worker). */
  void onOutput(Runnable listener) {
    this.outputListener = listener;
  }

  /** Queues a peer frame (copied); false when the agent's input ring is full. */
  boolean offerPeer(int peer, DirectBuffer buffer, int offset, int length) {
    int agent = Math.floorMod(peer, agents.length);
    ManyToOneRingBuffer ring = agents[agent].peerIn;
    int index = ring.tryClaim(PEER, 4 + length);
    if (index <= 0) {
      return false;
    }
    MutableDirectBuffer b = ring.buffer();
    b.putInt(index, peer);
    b.putBytes(index + 4, buffer, offset, length);
    ring.commit(index);
    wake(agent);
    return true;
  }

  /** Queues a client frame (copied); false when the agent's input ring is full. */
  boolean offerClient(long connection, DirectBuffer buffer, int offset, int length) {
    int agent = (int) Math.floorMod(connection, (long) agents.length);
    ManyToOneRingBuffer ring = agents[agent].clientIn;
    int index = ring.tryClaim(CLIENT, 8 + length);
    if (index <= 0) {
      return false;
    }
    MutableDirectBuffer b = ring.buffer();
    b.putLong(index, connection);
    b.putBytes(index + 8, buffer, offset, length);
    ring.commit(index);
    wake(agent);
    return true;
  }

  private void wake(int agent) {
    ParkingIdleStrategy idle = idles[agent];
    if (idle != null) {
      idle.wake();
    }
  }

  /** The status member {@code verify}: the stage's counters, summed over its agents. */
  ObjectNode status() {
    long signatures = 0;
    long calls = 0;
    long busyNs = 0;
    long frames = 0;
    long bad = 0;
    long refused = 0;
    long skipped = 0;
    long lingered = 0;
    for (VerifyAgent a : agents) {
      lingered += a.lingered;
      signatures += a.signatures;
      calls += a.rounds;
      busyNs += a.verifyNs;
      frames += a.frames;
      bad += a.badSignatureBatches;
      refused += a.refusedBatches;
      skipped += a.reverified;
    }
    return JsonNodeFactory.instance
        .objectNode()
        .put("threads", agents.length)
        .put("frames", frames)
        .put("signatures", signatures)
        .put("verifyRounds", calls)
        .put("meanRoundSignatures", calls == 0 ? 0 : signatures / calls)
        .put("verifyMs", busyNs / 1_000_000)
        .put(
            "verifyUsPerSignature",
            signatures == 0 ? 0 : Math.round(busyNs / 10.0 / signatures) / 100.0)
        .put("badSignatureBatches", bad)
        .put("refusedBatches", refused)
        .put("knownBatchesSkipped", skipped)
        .put("lingerUs", lingerNs / 1_000)
        .put("lingeredCycles", lingered);
  }

  long signatures() {
    return sum(a -> a.signatures);
  }

  long rounds() {
    return sum(a -> a.rounds);
  }

  long verifyNs() {
    return sum(a -> a.verifyNs);
  }

  long badSignatureBatches() {
    return sum(a -> a.badSignatureBatches);
  }

  private long sum(java.util.function.ToLongFunction<VerifyAgent> counter) {
    long n = 0;
    for (VerifyAgent a : agents) {
      n += counter.applyAsLong(a);
    }
    return n;
  }

  @Override
  public void close() {
    for (VerifyAgent a : agents) {
      a.running = false;
    }
  }

  private void logBadBatch(int from, int author, long seq, int bad) {
    synchronized (loggedBadAuthor) {
      if (author >= loggedBadAuthor.length || loggedBadAuthor[author]) {
        return;
      }
      loggedBadAuthor[author] = true;
    }
    LOG.log(
        System.Logger.Level.WARNING,
        "validator {0}: refused batch {1}/{2} from {3}: {4} invalid transaction signature(s); not acknowledged"
            + " (further refusals for this author are only counted)",
        self,
        author,
        seq,
        from,
        bad);
  }

  /**
   * The identities (author, seq, count, digest: the first 46 bytes of a BATCH payload) of the last
   * {@code capacity} batches an agent verified; a linear scan, a few µs per batch.
   */
  private static final class BatchIdentityRing {
    private static final int ID =
        Wire.BATCH_RECORDS; // author u16 | seq u64 | digest 32 | count u32
    private final byte[] ids;
    private final int capacity;
    private int next;
    private int size;

    BatchIdentityRing(int capacity) {
      this.capacity = capacity;
      this.ids = new byte[capacity * ID];
    }

    /** Whether the BATCH frame at {@code buffer[frameAt]} has a recorded identity. */
    boolean contains(DirectBuffer buffer, int frameAt) {
      int p = frameAt + Wire.HEADER_LENGTH;
      long digestHead = buffer.getLong(p + Wire.BATCH_DIGEST);
      for (int i = 0; i < size; i++) {
        int o = i * ID;
        if ((long) LONGS.get(ids, o + Wire.BATCH_DIGEST) != digestHead) {
          continue;
        }
        boolean same = true;
        for (int k = 0; k < ID && same; k++) {
          same = ids[o + k] == buffer.getByte(p + k);
        }
        if (same) {
          return true;
        }
      }
      return false;
    }

    void add(DirectBuffer buffer, int frameAt) {
      buffer.getBytes(frameAt + Wire.HEADER_LENGTH, ids, next * ID, ID);
      next = (next + 1) % capacity;
      size = Math.min(size + 1, capacity);
    }

    private static final java.lang.invoke.VarHandle LONGS =
        java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
            long[].class, java.nio.ByteOrder.nativeOrder());
  }

  private static ManyToOneRingBuffer ring(int bytes) {
    int capacity = Integer.highestOneBit(bytes - 1) << 1;
    return new ManyToOneRingBuffer(
        new UnsafeBuffer(
            ByteBuffer.allocateDirect(capacity + RingBufferDescriptor.TRAILER_LENGTH)));
  }

  /** One verifier thread: drain, stage, verify once, forward in order. */
  private final class VerifyAgent implements Agent {
    private static final int STAGED_PASS = 0;
    private static final int STAGED_SUBMIT = 1;
    private static final int STAGED_BATCH = 2;

    private final int id;
    final ManyToOneRingBuffer peerIn;
    final ManyToOneRingBuffer clientIn;
    private final ManyToOneRingBuffer peerOut;
    private final ManyToOneRingBuffer clientOut;
    private final RecordVerifier records;
    private final PeerBatchCheck batchCheck;
    private final IdleStrategy outputFull = new BackoffIdleStrategy(10, 2, 20_000, 1_000_000);
    private final ExpandableArrayBuffer staging = new ExpandableArrayBuffer(1 << 20);
    private final int[] stagedKind = new int[MAX_FRAMES_PER_ROUND];
    private final int[] stagedRingType = new int[MAX_FRAMES_PER_ROUND];
    private final int[] stagedAt = new int[MAX_FRAMES_PER_ROUND];
    private final int[] stagedLength = new int[MAX_FRAMES_PER_ROUND];
    private final int[] stagedFirst = new int[MAX_FRAMES_PER_ROUND];
    private final int[] stagedCount = new int[MAX_FRAMES_PER_ROUND];
    private int staged;
    private int stagingLength;
    private long stagedClientBytes;
    private long stagedPeerBytes;
    private long nowUnixNs;
    private long roundStartNs;
    private boolean lingering;
    private boolean aborted;
    private volatile boolean running = true;
    private final ControlledMessageHandler peerHandler = this::onPeer;
    private final ControlledMessageHandler clientHandler = this::onClient;

    // Metrics (single writer: this agent).
    volatile long signatures;
    volatile long rounds;
    volatile long verifyNs;
    volatile long frames;
    volatile long badSignatureBatches;
    volatile long refusedBatches;
    volatile long reverified;
    volatile long lingered;
    private final BatchIdentityRing verifiedBatches = new BatchIdentityRing(1024);

    VerifyAgent(
        int id,
        RecordVerifier records,
        PeerBatchCheck batchCheck,
        int peerRingBytes,
        ManyToOneRingBuffer peerOut,
        ManyToOneRingBuffer clientOut) {
      this.id = id;
      this.records = records;
      this.batchCheck = batchCheck;
      this.peerIn = ring(Math.max(peerRingBytes, 8 * Wire.MAX_PEER_FRAME));
      this.clientIn = ring(64 * Wire.MAX_CLIENT_FRAME);
      this.peerOut = peerOut;
      this.clientOut = clientOut;
    }

    @Override
    public int doWork() {
      if (staged == 0) {
        stagingLength = 0;
        stagedClientBytes = 0;
        stagedPeerBytes = 0;
        records.clear();
      }
      int before = staged;
      aborted = false;
      nowUnixNs = System.currentTimeMillis() * 1_000_000L;
      peerIn.controlledRead(peerHandler, MAX_FRAMES_PER_ROUND);
      clientIn.controlledRead(clientHandler, MAX_FRAMES_PER_ROUND);
      if (staged == 0) {
        return 0;
      }
      long linger = lingerNs;
      if (linger > 0) {
        long now = clock.getAsLong();
        if (before == 0) {
          roundStartNs = now;
        }
        if (!aborted
            && running
            && staged < MAX_FRAMES_PER_ROUND
            && records.records() < LINGER_SIGNATURES
            && now - roundStartNs < linger) {
          // Wait for more frames: park until the deadline (lingerCapNs) or until a queued frame
          // wakes the agent, without spins or back-off; 0 so that the thread idles now.
          lingered++;
          lingering = true;
          idles[id].parkAtOnce();
          return 0;
        }
      }
      lingering = false;
      int n = records.records();
      if (n > 0) {
        long t0 = System.nanoTime();
        records.verify();
        verifyNs += System.nanoTime() - t0;
        signatures += n;
        rounds++;
      }
      for (int f = 0; f < staged; f++) {
        forward(f);
      }
      int done = staged;
      frames += done;
      staged = 0;
      return done;
    }

    /**
     * While this agent lingers, how long until its round's deadline (at least 1 ns; called on its
     * thread by its idle strategy before a park); otherwise no limit.
     */
    long lingerCapNs() {
      return lingering ? Math.max(1, roundStartNs + lingerNs - clock.getAsLong()) : Long.MAX_VALUE;
    }

    /** The frame waits for the next round: this round is verified without lingering. */
    private ControlledMessageHandler.Action abort() {
      aborted = true;
      return ControlledMessageHandler.Action.ABORT;
    }

    private ControlledMessageHandler.Action onPeer(
        int type, MutableDirectBuffer buffer, int index, int length) {
      int at = index + 4;
      if (Wire.type(buffer, at) != MessageType.BATCH) {
        return stage(STAGED_PASS, PEER, buffer, index, length, -1, 0);
      }
      int count = PeerBatchCheck.count(buffer, at);
      if (verifiedBatches.contains(buffer, at)) {
        // A retransmission (or fetch answer) of a batch this agent verified and forwarded: same
        // author, seq, count and digest. Its records are not re-checked: the worker already has
        // the verified batch under that digest (forwarded earlier, in order), never overwrites
        // it, and acknowledges exactly the (author, seq, digest, count) it acknowledged before.
        reverified++;
        return stage(STAGED_PASS, PEER_VERIFIED, buffer, index, length, -1, 0);
      }
      if (full(count) || !fits(peerOut, length, 0)) {
        return abort();
      }
      if (batchCheck.check(buffer, at) != PeerBatchCheck.Result.OK) {
        refusedBatches++;
        return ControlledMessageHandler.Action.CONTINUE;
      }
      int first = records.stageRecords(buffer, PeerBatchCheck.recordsAt(at), count);
      return stage(STAGED_BATCH, PEER_VERIFIED, buffer, index, length, first, count);
    }

    private ControlledMessageHandler.Action onClient(
        int type, MutableDirectBuffer buffer, int index, int length) {
      int at = index + 8;
      if (Wire.type(buffer, at) != MessageType.SUBMIT) {
        return stage(STAGED_PASS, CLIENT, buffer, index, length, -1, 0);
      }
      int count = IngressProcessor.count(buffer, at);
      if (full(count) || !fits(clientOut, length, 4 + count)) {
        return abort();
      }
      int first =
          records.stageSubmit(
              buffer, at + Wire.HEADER_LENGTH + Wire.SUBMIT_RECORDS, count, nowUnixNs);
      return stage(STAGED_SUBMIT, CLIENT_VERIFIED, buffer, index, length, first, count);
    }

    /** True when a frame of {@code count} records must wait for the next round. */
    private boolean full(int count) {
      int n = records.records();
      return staged == MAX_FRAMES_PER_ROUND
          || (n > 0 && (n >= TARGET_SIGNATURES || count > records.remaining()));
    }

    /**
     * True when a message of {@code length + extra} bytes still fits in {@code out} after what this
     * round has staged for it. A round never stages more than its outputs can take, so {@link
     * #publish} does not wait on a ring whose consumer runs on the same thread (shared and invoker
     * threading); with several verify agents writing one ring it may still wait, on their own
     * threads.
     */
    private boolean fits(ManyToOneRingBuffer out, int length, int extra) {
      int need = RecordDescriptor.HEADER_LENGTH + length + extra;
      need = (need + RecordDescriptor.ALIGNMENT - 1) & -RecordDescriptor.ALIGNMENT;
      long staged = out == clientOut ? stagedClientBytes : stagedPeerBytes;
      if (staged + need > out.capacity() - out.size()) {
        return false;
      }
      if (out == clientOut) {
        stagedClientBytes += need;
      } else {
        stagedPeerBytes += need;
      }
      return true;
    }

    private ControlledMessageHandler.Action stage(
        int kind, int ringType, DirectBuffer buffer, int index, int length, int first, int count) {
      if (staged == MAX_FRAMES_PER_ROUND) {
        return abort();
      }
      if (kind == STAGED_PASS && !fits(ringType == CLIENT ? clientOut : peerOut, length, 0)) {
        return abort();
      }
      int f = staged++;
      stagedKind[f] = kind;
      stagedRingType[f] = ringType;
      stagedAt[f] = stagingLength;
      stagedLength[f] = length;
      stagedFirst[f] = first;
      stagedCount[f] = count;
      staging.putBytes(stagingLength, buffer, index, length);
      stagingLength += length;
      return ControlledMessageHandler.Action.CONTINUE;
    }

    private void forward(int f) {
      int at = stagedAt[f];
      int length = stagedLength[f];
      switch (stagedKind[f]) {
        case STAGED_PASS ->
            publish(
                stagedRingType[f] == CLIENT ? clientOut : peerOut,
                stagedRingType[f],
                at,
                length,
                -1,
                0);
        case STAGED_BATCH -> {
          int bad = records.invalidSignatures(stagedFirst[f], stagedCount[f]);
          if (bad > 0) {
            badSignatureBatches++;
            int frameAt = at + 4;
            logBadBatch(
                staging.getInt(at),
                PeerBatchCheck.author(staging, frameAt),
                PeerBatchCheck.seq(staging, frameAt),
                bad);
            return;
          }
          verifiedBatches.add(staging, at + 4);
          publish(peerOut, PEER_VERIFIED, at, length, -1, 0);
        }
        default -> publish(clientOut, CLIENT_VERIFIED, at, length, stagedFirst[f], stagedCount[f]);
      }
    }

    /**
     * Copies staged bytes [at, +length) to {@code ring} as one message of {@code type}, waiting
     * while it is full. A CLIENT_VERIFIED message is {@code connection | frameLength | frame |
     * statuses}.
     */
    private void publish(
        ManyToOneRingBuffer ring, int type, int at, int length, int first, int count) {
      int messageLength = type == CLIENT_VERIFIED ? length + 4 + count : length;
      int index;
      outputFull.reset();
      while ((index = ring.tryClaim(type, messageLength)) <= 0) {
        if (!running || Thread.currentThread().isInterrupted()) {
          return;
        }
        outputFull.idle();
      }
      MutableDirectBuffer b = ring.buffer();
      if (type == CLIENT_VERIFIED) {
        b.putLong(index, staging.getLong(at));
        b.putInt(index + 8, length - 8);
        b.putBytes(index + 12, staging, at + 8, length - 8);
        records.copyStatus(first, count, b, index + 12 + length - 8);
      } else {
        b.putBytes(index, staging, at, length);
      }
      ring.commit(index);
      outputListener.run();
    }

    /**
     * Warms the verifier before the first real frame (JIT): a cold batch equation runs interpreted
     * for seconds on a shared machine, which would show up as commit latency. Bounded by {@link
     * #WARMUP_NS} and {@link #WARMUP_ROUNDS}.
     */
    @Override
    public void onStart() {
      int n = 64;
      UnsafeBuffer frame = new UnsafeBuffer(new byte[n * Wire.RECORD]);
      Ed25519KeyPair key = Ed25519KeyPair.fromSeed(new byte[32]);
      for (int i = 0; i < n; i++) {
        frame.putBytes(
            i * Wire.RECORD, new AgentRunBuilder().nonce(i).startedAt(1).endedAt(2).sign(key));
      }
      frame.putByte(
          Wire.RECORD - 1, (byte) (frame.getByte(Wire.RECORD - 1) ^ 1)); // exercise bisection too
      long deadline = System.nanoTime() + WARMUP_NS;
      for (int round = 0;
          round < WARMUP_ROUNDS && System.nanoTime() < deadline && running;
          round++) {
        records.clear();
        records.stageRecords(frame, 0, n);
        records.verify();
      }
      records.clear();
    }

    @Override
    public String roleName() {
      return "verify-" + self + "-" + id;
    }
  }
}
