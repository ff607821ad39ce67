package dev.agentledger.node.consensus;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentledger.hash.Sha256;
import dev.agentledger.node.commitlog.CommitLog;
import dev.agentledger.node.commitlog.CommitLogFlyweight;
import dev.agentledger.node.committee.Committee;
import dev.agentledger.node.consensus.core.Batch;
import dev.agentledger.node.consensus.core.Certificate;
import dev.agentledger.node.consensus.core.CommittedSubDag;
import dev.agentledger.node.consensus.core.ConsensusCodec;
import dev.agentledger.node.consensus.core.ConsensusMessage;
import dev.agentledger.node.consensus.core.ConsensusMessage.BatchMessage;
import dev.agentledger.node.consensus.core.ConsensusMessage.FetchRequest;
import dev.agentledger.node.consensus.core.ConsensusMessage.FetchResponse;
import dev.agentledger.node.consensus.core.Digest;
import dev.agentledger.node.consensus.core.MessageVerifier;
import dev.agentledger.node.consensus.core.PrimaryConfig;
import dev.agentledger.node.consensus.core.PrimaryCore;
import dev.agentledger.node.consensus.core.PrimaryOutbox;
import dev.agentledger.node.idle.ParkingIdleStrategy;
import dev.agentledger.node.idle.StageAgent;
import dev.agentledger.node.net.MessageType;
import dev.agentledger.node.net.Wire;
import dev.agentledger.node.storage.Column;
import dev.agentledger.node.storage.ColumnFamily;
import dev.agentledger.node.storage.Durability;
import dev.agentledger.node.storage.Serializer;
import dev.agentledger.node.storage.Store;
import dev.agentledger.node.storage.WriteBatch;
import dev.agentledger.node.tx.TransactionSlot;
import dev.agentledger.node.worker.core.BatchCertificate;
import dev.agentledger.node.worker.core.VerifiedCertificates;
import dev.agentledger.node.worker.core.Worker;
import dev.agentledger.sig.Ed25519KeyPair;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The primary of one validator, running: an agent ({@link #agent()}, run by whichever thread the
 * node's threading mode gives it) that owns a {@link PrimaryCore} and drives it with verified peer
 * messages, this validator's certified worker batches and a clock; the core's messages go out as
 * CONSENSUS frames over the authenticated peer links; the committed sub-DAG stream is resolved to
 * worker batches and transaction ids and written durably.
 *
 * <p>Vertices name batch-certificate digests: a consensus {@link Batch} is the payload of a worker
 * {@link BatchCertificate} (its digest is SHA-256 of that payload). A batch received from a peer is
 * accepted only when its certificate verifies against the committee (quorum of acks).
 *
 * <p>Each consensus commit is resolved to the worker batches and transaction ids it orders and
 * written as one entry of the commit log ({@link CommitLog}, layout {@link
 * dev.agentledger.node.commitlog.CommitLogDescriptor}) under the commit index, hash chained, so two
 * validators agree on a commit's chain value exactly when they agree on the whole committed prefix.
 * The {@code tx_index} column holds one key per (transaction id, commit index that ordered it), the
 * index big-endian after the id and no value, written without a read; {@link #committedAt} seeks to
 * an id and takes its first commit. An entry is written once all its worker batches are held
 * locally (missing ones are fetched by the worker).
 */
public final class PrimaryService implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(PrimaryService.class.getName());

  /** Transaction id (32 bytes) then commit index (u64 big-endian) to nothing. */
  private static final Column<byte[], byte[]> TX_INDEX = Column.raw(ColumnFamily.TX_INDEX);

  private static final int TX_INDEX_KEY_LENGTH = 32 + 8;
  private static final byte[] NO_VALUE = new byte[0];
  public static final Column<byte[], Long> COMMITTED_BATCHES =
      Column.of(ColumnFamily.COMMITTED_BATCHES, Serializer.BYTES, Serializer.LONG);
  private static final Column<String, Long> META =
      Column.of(ColumnFamily.META, Serializer.STRING, Serializer.LONG);
  private static final String LAST_KEY = "commit.last";
  private static final String TXS_KEY = "commit.txs";
  private static final int WINDOW = 32;

  /**
   * Valid consensus signatures remembered so that each is verified once (see {@link
   * KnownSignatures}): a round brings each validator about 20 (vertices, votes, certificates'
   * votes), so this covers the rounds above the gc round many times over.
   */
  static final int KNOWN_SIGNATURES = 4096;

  /**
   * Own signatures by signed bytes, the most recent {@value #OWN_SIGNATURES}: a vote sent again
   * (its vertex came again before the author had a quorum) is the same signature, since Ed25519
   * signing is deterministic, so it is taken from here instead of signed again.
   */
  static final int OWN_SIGNATURES = 256;

  private final LinkedHashMap<ByteBuffer, byte[]> ownSignatures =
      new LinkedHashMap<>(OWN_SIGNATURES * 2, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ByteBuffer, byte[]> eldest) {
          return size() > OWN_SIGNATURES;
        }
      };

  /** Sends a frame to a peer (the transport). */
  @FunctionalInterface
  public interface PeerSender {
    boolean send(int peer, DirectBuffer frame, int offset, int length);
  }

  private record Inbound(int from, ConsensusMessage message) {}

  /**
   * The tick period while the core is idle-paced and no commit waits for batches: the timers left
   * are the idle proposal delay and the leader timeout (hundreds of ms), and every message or own
   * batch wakes the thread at once.
   */
  static final long IDLE_TICK_MS = 50;

  /**
   * The tick period while the next proposal waits for certificates rather than for a timer (see
   * {@link #proposalWaitsOnTimer}): each certificate is handled as it arrives, so ticking every
   * {@code tickMs} then only repeats the same checks.
   */
  static final long WAIT_TICK_MS = 50;

  private volatile Runnable commitListener = () -> {};

  /** Monotonic nanoseconds: the core's timers and the committer's fetch pacing. */
  private final java.util.function.LongSupplier clock;

  private final int self;
  private final int chainId;
  private final Committee committee;
  private final Store store;
  private final StoreConsensusStore consensusStore;
  private final PeerSender sender;
  private final Consumer<BatchCertificate> workerFetch;
  private final PrimaryCore core;
  private final ParallelMessageVerifier verifier;
  private final VerifiedCertificates verifiedCertificates;

  /** Batch certificates whose acknowledgements are in the duty cycle's verification batch. */
  private final List<CollectedCertificate> collectedCertificates = new ArrayList<>();

  private volatile long certificateSignatures;
  private volatile long certificateCacheHits;
  private final ManyToOneConcurrentArrayQueue<Inbound> inbound =
      new ManyToOneConcurrentArrayQueue<>(1 << 17);
  private final ConcurrentLinkedQueue<BatchCertificate> localBatches =
      new ConcurrentLinkedQueue<>();
  private final long tickMs;
  private final Set<String> ownDelivered = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * An own certified batch not yet in a written commit: its transactions, when it was certified.
   */
  private record OwnBatch(int txs, long certifiedAtMs) {}

  /** Own certified batches not yet in a written commit, by digest (hex). */
  private final Map<String, OwnBatch> ownUnordered = new java.util.concurrent.ConcurrentHashMap<>();

  /** Own batches whose commit was written, and the sum of their certified-to-written times. */
  private long ownBatchesWritten;

  private long ownBatchCertifiedToWrittenMs;

  private final java.util.concurrent.atomic.AtomicLong ownUnorderedTxs =
      new java.util.concurrent.atomic.AtomicLong();
  private final ParkingIdleStrategy idle;
  private final StageAgent stageAgent;
  private final List<Inbound> drained = new ArrayList<>();
  private final List<ConsensusMessage> messages = new ArrayList<>();
  private long lastTickMs;
  private volatile boolean running = true;

  // Committer state (primary thread; published through volatiles for status).
  private final ArrayDeque<CommittedSubDag> pending = new ArrayDeque<>();
  private volatile long lastQueued = -1;
  private volatile long lastIndex = -1;
  private volatile long committedTxs;
  private byte[] chain = new byte[32];
  private final LinkedHashMap<Long, String> window = new LinkedHashMap<>();

  /** {@link #window} as an immutable snapshot (index in decimal to hex), read by the status. */
  private volatile Map<String, String> commitChain = Map.of();

  private volatile long round = -1;
  private volatile long reproposed;
  private volatile long abandoned;
  private volatile long weaklyOrdered;
  private volatile long weaklyOrderedBatches;
  private volatile long leaderTimeoutMs;
  private volatile long leaderTimeouts;
  private volatile long droppedMessages;
  private volatile long invalidMessages;
  private volatile long signaturesMade;
  private volatile long framesSent;
  private volatile long messagesTaken;

  /** Votes dropped unverified: they would not count ({@link PrimaryCore#wantsVote}). */
  private volatile long lateVotes;

  private volatile long commitWrites;

  /**
   * CPU time of this primary's agent thread by part of its duty cycle (ns, from the thread's CPU
   * clock): checking message signatures, the core's handling of messages and own batches, its
   * timers, and resolving and writing commits; signing is part of the core's handling and also
   * counted on its own.
   */
  private volatile long verifyCpuNs;

  private volatile long coreCpuNs;
  private volatile long tickCpuNs;
  private volatile long commitCpuNs;
  private volatile long signCpuNs;
  private volatile long commitStoreCpuNs;
  private static final java.lang.management.ThreadMXBean THREADS =
      java.lang.management.ManagementFactory.getThreadMXBean();
  private long lastAskMs;
  private long lastLookAheadMs;

  /**
   * Ordered commits behind a commit waiting for its batches whose missing batches are handed to the
   * worker's fetcher too, so a validator behind fetches a range of commits in parallel.
   */
  static final int LOOK_AHEAD_COMMITS = 256;

  /** How often the look-ahead window is scanned while the head commit waits for batches. */
  static final long LOOK_AHEAD_EVERY_MS = 50;

  /** A batch handed to the worker is handed again after this long if it is still missing. */
  static final long ASK_AGAIN_MS = 2_000;

  /** Missing batch certificates asked of one peer in one look-ahead FetchRequest. */
  static final int FETCH_REFS_PER_PEER = 64;

  private long fetchRotation;

  /**
   * Batches handed to the worker's fetcher and batch certificates asked of the peers (digest hex to
   * when), at most this many remembered.
   */
  private static final int ASKED_LIMIT = 16_384;

  private final LinkedHashMap<String, Long> asked =
      new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
          return size() > ASKED_LIMIT;
        }
      };
  private final Sha256 sha = new Sha256();
  private final TransactionSlot slot = new TransactionSlot();
  private final CommitLogFlyweight entry = new CommitLogFlyweight();

  /** A {@code tx_index} key being written: the transaction id, then the commit index. */
  private final byte[] txIndexKey = new byte[TX_INDEX_KEY_LENGTH];

  private final UnsafeBuffer body = new UnsafeBuffer(new byte[0]);

  /**
   * @param verifiedCertificates worker batch certificates already verified on this validator
   *     (shared with its worker, so a certificate that arrives as a BATCH_CERT and again inside a
   *     consensus batch reference is checked once)
   * @param sigVerifiers one signature batch verifier per verifying thread (the node's routed
   *     sig_backend verifiers)
   */
  public PrimaryService(
      Committee committee,
      int self,
      int chainId,
      Ed25519KeyPair key,
      Store store,
      PeerSender sender,
      Consumer<BatchCertificate> workerFetch,
      PrimaryConfig config,
      long emptyProposalDelayMs,
      long tickMs,
      int verifyThreads,
      VerifiedCertificates verifiedCertificates,
      java.util.function.Supplier<dev.agentledger.sig.BatchVerifier> sigVerifiers) {
    this(
        committee,
        self,
        chainId,
        key,
        store,
        sender,
        workerFetch,
        config,
        emptyProposalDelayMs,
        tickMs,
        verifyThreads,
        verifiedCertificates,
        sigVerifiers,
        System::nanoTime);
  }

  /** As above, on {@code nanoClock} (monotonic nanoseconds) instead of the system clock. */
  public PrimaryService(
      Committee committee,
      int self,
      int chainId,
      Ed25519KeyPair key,
      Store store,
      PeerSender sender,
      Consumer<BatchCertificate> workerFetch,
      PrimaryConfig config,
      long emptyProposalDelayMs,
      long tickMs,
      int verifyThreads,
      VerifiedCertificates verifiedCertificates,
      java.util.function.Supplier<dev.agentledger.sig.BatchVerifier> sigVerifiers,
      java.util.function.LongSupplier nanoClock) {
    this.clock = nanoClock;
    this.verifiedCertificates = verifiedCertificates;
    this.committee = committee;
    this.self = self;
    this.chainId = chainId;
    this.store = store;
    this.consensusStore = new StoreConsensusStore(store);
    this.sender = sender;
    this.workerFetch = workerFetch;
    this.tickMs = tickMs;
    this.verifier =
        new ParallelMessageVerifier(
            new MessageVerifier(committee),
            () -> Ed25519Signatures.batchVerifier(committee, sigVerifiers.get()),
            Math.max(1, verifyThreads),
            8,
            KNOWN_SIGNATURES);
    CommitLog.open(store);
    restoreCommitter();
    this.core =
        new PrimaryCore(
            config,
            committee,
            self,
            countingSigner(Ed25519Signatures.signer(key.seed())),
            consensusStore,
            new Outbox(),
            this::enqueue,
            nowMs());
    core.setEmptyProposalDelayMs(emptyProposalDelayMs);
    this.idle = new ParkingIdleStrategy(10, 2, 20_000, IDLE_TICK_MS * 1_000_000L, this::parkCapNs);
    this.stageAgent =
        new StageAgent(
            new Agent() {
              @Override
              public int doWork() {
                return PrimaryService.this.doWork();
              }

              @Override
              public String roleName() {
                return "primary-" + self;
              }
            },
            idle,
            StageAgent.Lane.PIPELINE);
  }

  /** Called on the primary thread after each commit is written (wakes execution). */
  public void setCommitListener(Runnable listener) {
    this.commitListener = listener;
  }

  /** See {@link PrimaryCore#setStragglerWaitMs}; call before its agent runs. */
  public void setStragglerWaitMs(long ms) {
    core.setStragglerWaitMs(ms);
  }

  /** See {@link PrimaryCore#setLeaderTimeoutBounds}; call before its agent runs. */
  public void setLeaderTimeoutBounds(long minMs, long maxMs) {
    core.setLeaderTimeoutBounds(minMs, maxMs);
  }

  /** See {@link PrimaryCore#setMinRoundMs}; call before its agent runs. */
  public void setMinRoundMs(long ms) {
    core.setMinRoundMs(ms);
  }

  /**
   * Pace of proposals naming no batch while nothing is left to order (see {@link
   * PrimaryCore#setIdleProposalDelayMs}); call before its agent runs.
   */
  public void setIdleProposalDelayMs(long ms) {
    core.setIdleProposalDelayMs(ms);
  }

  private dev.agentledger.node.consensus.core.Signer countingSigner(
      dev.agentledger.node.consensus.core.Signer signer) {
    return message -> {
      ByteBuffer key = ByteBuffer.wrap(message.clone());
      byte[] signature = ownSignatures.get(key);
      if (signature == null) {
        signaturesMade++;
        long t0 = cpuNs();
        signature = signer.sign(message);
        signCpuNs += cpuNs() - t0;
        ownSignatures.put(key, signature);
        verifier.remember(self, message, signature);
      }
      return signature.clone();
    };
  }

  private static long cpuNs() {
    return THREADS.getCurrentThreadCpuTime();
  }

  private long nowMs() {
    return clock.getAsLong() / 1_000_000L;
  }

  // ---------------------------------------------------------------- inputs (any thread)

  /**
   * A validated CONSENSUS frame from an authenticated peer (I/O thread): decoded strictly, queued.
   */
  public void onPeerFrame(int from, DirectBuffer buffer, int offset, int length) {
    byte[] body = new byte[length - Wire.HEADER_LENGTH];
    buffer.getBytes(offset + Wire.HEADER_LENGTH, body);
    ConsensusMessage m;
    try {
      m = ConsensusCodec.decode(body, 0, body.length);
    } catch (IllegalArgumentException e) {
      invalidMessages++;
      return;
    }
    if (!inbound.offer(new Inbound(from, m))) {
      droppedMessages++;
    }
    idle.wake();
  }

  /**
   * A worker batch certificate (worker thread): this validator's own batches go into its vertices.
   */
  public void onBatchCertified(BatchCertificate certificate) {
    if (certificate.author() != self) {
      return;
    }
    String hex = HexFormat.of().formatHex(certificate.digest());
    if (ownDelivered.add(hex)) {
      ownUnordered.put(hex, new OwnBatch(certificate.txCount(), nowMs()));
      ownUnorderedTxs.addAndGet(certificate.txCount());
      localBatches.add(certificate);
      idle.wake();
    }
  }

  // ---------------------------------------------------------------- the primary agent

  /**
   * One duty cycle of the primary agent: the queued messages (signatures verified in one batch),
   * own certified batches, the core's timers when their period is due, and the commits waiting for
   * their batches. Returns the messages and batches taken; a tick alone counts as no work. A cycle
   * that leaves nothing to do parks the agent at once ({@link ParkingIdleStrategy#parkAtOnce})
   * until its next tick ({@link #parkCapNs()}) or until a producer (a peer frame, an own batch)
   * wakes it, and reads no CPU clock; only while a commit waits for batches that the worker fetches
   * (which wakes nobody) does the idle strategy spin, yield and back off as usual, polling for
   * them.
   */
  private int doWork() {
    if (!running) {
      return 0;
    }
    int work = 0;
    try {
      long period = tickPeriodMs();
      inbound.drainTo(drained, 1024);
      long now = nowMs();
      if (drained.isEmpty()
          && localBatches.isEmpty()
          && pending.isEmpty()
          && now - lastTickMs < period) {
        // Nothing to do until a producer wakes the agent or the next tick is due: park once until
        // then, instead of spinning, yielding and backing off through a dozen empty duty cycles
        // (each reads the thread's CPU clock, a system call, several times).
        idle.parkAtOnce();
        return 0;
      }
      work += drained.size();
      messagesTaken += drained.size();
      // A certificate the DAG holds already (a peer's periodic repeat) is not verified again, nor
      // is a vote the core would drop (one for an own vertex already certified or left behind).
      drained.removeIf(this::needsNoCheck);
      long t0 = cpuNs();
      if (!drained.isEmpty()) {
        messages.clear();
        for (Inbound in : drained) {
          messages.add(in.message());
        }
        collectedCertificates.clear();
        boolean[] valid = verifier.verifyAll(messages, this::collectBatchCertificates);
        rememberCertificates(valid);
        long t1 = cpuNs();
        verifyCpuNs += t1 - t0;
        t0 = t1;
        // The votes these messages cause are made durable with one write (one fsync), then sent.
        core.beginVoteGroup();
        try {
          for (int i = 0; i < drained.size(); i++) {
            Inbound in = drained.get(i);
            if (valid[i]) {
              core.onMessage(in.from(), in.message(), now);
            } else {
              invalidMessages++;
            }
          }
        } finally {
          core.endVoteGroup();
        }
        drained.clear();
      }
      BatchCertificate local;
      while ((local = localBatches.poll()) != null) {
        core.onLocalBatch(Batch.of(certificatePayload(local)), now);
        work++;
      }
      long t1 = cpuNs();
      coreCpuNs += t1 - t0;
      t0 = t1;
      if (now - lastTickMs >= period) {
        lastTickMs = now;
        core.onTick(now);
        round = core.proposedRound();
        reproposed = core.reproposedBatches();
        abandoned = core.abandonedVertices();
        weaklyOrdered = core.weaklyOrderedCertificates();
        weaklyOrderedBatches = core.weaklyOrderedBatches();
        leaderTimeoutMs = core.leaderTimeoutMs();
        leaderTimeouts = core.leaderTimeouts();
        t1 = cpuNs();
        tickCpuNs += t1 - t0;
        t0 = t1;
      }
      advanceCommits(now);
      commitCpuNs += cpuNs() - t0;
      if (work == 0 && pending.isEmpty()) {
        idle.parkAtOnce(); // a tick alone: the same wait as above
      }
    } catch (RuntimeException e) {
      drained.clear();
      if (!running || store.writeFailure() != null) { // a failed store: the node is stopping
        running = false;
        return 0;
      }
      LOG.log(System.Logger.Level.ERROR, "primary " + self + " step failed", e);
    }
    return work;
  }

  /**
   * A message the core would drop before looking at its signatures: a certificate the DAG holds, or
   * a vote that would not count ({@link PrimaryCore#wantsVote}). Taken out before the batch
   * verification, so its signatures are not checked.
   */
  private boolean needsNoCheck(Inbound in) {
    if (in.message() instanceof ConsensusMessage.CertificateMessage m) {
      return core.knowsCertificate(m.certificate().digest());
    }
    if (in.message() instanceof ConsensusMessage.VoteMessage m
        && !core.wantsVote(m.vote().vertex())) {
      lateVotes++;
      return true;
    }
    return false;
  }

  private long tickPeriodMs() {
    if (core.isIdlePaced() && pending.isEmpty()) {
      return IDLE_TICK_MS;
    }
    return proposalWaitsOnTimer() ? tickMs : Math.max(tickMs, WAIT_TICK_MS);
  }

  /**
   * Whether the next proposal waits only on the core's timers (the first proposal, or some round
   * from the own one up holds a quorum of certificates, so the leader, straggler, empty-proposal or
   * minimum-round wait decides when it goes): then the core is ticked every {@code tickMs}.
   * Otherwise the proposal waits for certificates, each of which the core handles the moment it
   * arrives, and the timers left (re-sends, fetch retries) are hundreds of ms.
   */
  private boolean proposalWaitsOnTimer() {
    long own = core.proposedRound();
    if (own < 0) {
      return true;
    }
    dev.agentledger.node.consensus.core.Dag dag = core.consensus().dag();
    for (long r = dag.maxRound(); r >= own; r--) {
      if (dag.stakeAt(r, committee) >= committee.quorumThreshold()) {
        return true;
      }
    }
    return false;
  }

  /** How long the idle agent may park: until its next tick (the core's timers). */
  private long parkCapNs() {
    return Math.max(0, lastTickMs + tickPeriodMs() - nowMs()) * 1_000_000L;
  }

  /**
   * The primary's agent (role {@code primary-<v>}): the single thread that owns the {@link
   * PrimaryCore} and the committer, whoever runs it.
   */
  public StageAgent agent() {
    return stageAgent;
  }

  private static byte[] certificatePayload(BatchCertificate c) {
    byte[] frame = c.toBytes();
    byte[] payload = new byte[frame.length - Wire.HEADER_LENGTH];
    System.arraycopy(frame, Wire.HEADER_LENGTH, payload, 0, payload.length);
    return payload;
  }

  /** The worker batch certificate inside a consensus batch, or null when malformed. */
  static BatchCertificate decodeBatchCertificate(byte[] payload) {
    if (payload.length + Wire.HEADER_LENGTH > Wire.MAX_PEER_FRAME) {
      return null;
    }
    UnsafeBuffer frame = new UnsafeBuffer(new byte[Wire.HEADER_LENGTH + payload.length]);
    Wire.header(frame, 0, MessageType.BATCH_CERT);
    frame.putBytes(Wire.HEADER_LENGTH, payload);
    if (Wire.validate(frame, 0, frame.capacity()) != Wire.FrameError.OK) {
      return null;
    }
    return BatchCertificate.decode(frame, 0);
  }

  /**
   * Every batch a peer hands the primary must carry a worker certificate that verifies: for each
   * batch of {@code m} not held yet whose certificate is not among the verified ones (the worker's
   * or this primary's), the certificate's form is checked here ({@link BatchCertificate#formError}
   * and a quorum of stake: the checks of {@link BatchCertificate#verify} that need no signature)
   * and its acknowledgement signatures go into the duty cycle's batch with the consensus signatures
   * (one multi-scalar multiplication for all instead of one small one per certificate; the verdicts
   * are single verification's). Once the message verified, {@link #rememberCertificates} adds them
   * to the verified set shared with the worker.
   */
  private boolean collectBatchCertificates(
      int owner, ConsensusMessage m, dev.agentledger.node.consensus.core.MessageSignatures items) {
    List<Batch> batches =
        switch (m) {
          case BatchMessage b -> List.of(b.batch());
          case FetchResponse r -> r.batches();
          default -> List.of();
        };
    for (Batch b : batches) {
      if (consensusStore.batch(b.digest()) != null) {
        continue;
      }
      BatchCertificate c = decodeBatchCertificate(b.payload());
      if (c == null || c.formError(committee) != null) {
        return false;
      }
      byte[] encoding = c.toBytes();
      if (verifiedCertificates.contains(encoding)) {
        certificateCacheHits++;
        continue;
      }
      if (!committee.isQuorum(c.signerStake(committee))) {
        return false;
      }
      byte[] ack = new byte[BatchCertificate.ACK_MESSAGE_LENGTH];
      BatchCertificate.ackMessage(chainId, c.author(), c.seq(), c.digest(), c.txCount(), ack);
      for (int i = 0; i < c.signers().length; i++) {
        items.add(owner, c.signers()[i], ack, c.signatures()[i]);
      }
      certificateSignatures += c.signers().length;
      collectedCertificates.add(new CollectedCertificate(owner, encoding));
    }
    return true;
  }

  /** The certificates {@link #collectBatchCertificates} checked whose message verified. */
  private void rememberCertificates(boolean[] valid) {
    for (CollectedCertificate c : collectedCertificates) {
      if (valid[c.owner()]) {
        verifiedCertificates.add(c.encoding());
      }
    }
    collectedCertificates.clear();
  }

  private record CollectedCertificate(int owner, byte[] encoding) {}

  private final class Outbox implements PrimaryOutbox {
    @Override
    public void send(int to, ConsensusMessage message) {
      byte[] body = ConsensusCodec.encode(message);
      UnsafeBuffer frame = new UnsafeBuffer(new byte[Wire.HEADER_LENGTH + body.length]);
      int n = Wire.consensus(frame, 0, body);
      sender.send(to, frame, 0, n);
      framesSent++;
    }

    @Override
    public void broadcast(ConsensusMessage message) {
      byte[] body = ConsensusCodec.encode(message);
      UnsafeBuffer frame = new UnsafeBuffer(new byte[Wire.HEADER_LENGTH + body.length]);
      int n = Wire.consensus(frame, 0, body);
      for (int peer = 0; peer < committee.size(); peer++) {
        if (peer != self) {
          sender.send(peer, frame, 0, n);
          framesSent++;
        }
      }
    }
  }

  // ---------------------------------------------------------------- committer

  private void restoreCommitter() {
    Long last = store.get(META, LAST_KEY);
    if (last != null) {
      lastIndex = last;
      Long txs = store.get(META, TXS_KEY);
      committedTxs = txs == null ? 0 : txs;
      chain = CommitLog.read(store, last, entry).chain();
      remember(last, chain);
    }
    lastQueued = lastIndex;
    for (CommittedSubDag d : consensusStore.committed()) {
      enqueue(d);
    }
  }

  private void enqueue(CommittedSubDag d) {
    if (d.index() > lastQueued) {
      if (d.index() != lastQueued + 1) {
        throw new IllegalStateException("commit " + d.index() + " after " + lastQueued);
      }
      pending.add(d);
      lastQueued = d.index();
    }
  }

  private void advanceCommits(long now) {
    while (!pending.isEmpty()) {
      CommittedSubDag d = pending.peek();
      List<byte[]> workerDigests = new ArrayList<>();
      ByteBuffer txIds = null;
      List<Digest> missingRefs = new ArrayList<>();
      List<BatchCertificate> missingBatches = new ArrayList<>();
      List<byte[]> bodies = new ArrayList<>();
      Set<String> seenInCommit = new HashSet<>();
      int txCount = 0;
      for (Certificate c : d.certificates()) {
        for (Digest ref : c.vertex().batches()) {
          Batch b = consensusStore.batch(ref);
          if (b == null) {
            missingRefs.add(ref);
            continue;
          }
          BatchCertificate bc = decodeBatchCertificate(b.payload());
          if (bc == null) {
            throw new IllegalStateException(
                "stored batch reference " + ref + " does not hold a certificate");
          }
          String h = HexFormat.of().formatHex(bc.digest());
          if (!seenInCommit.add(h) || store.get(COMMITTED_BATCHES, bc.digest()) != null) {
            continue; // ordered before (a batch named twice is applied once, at its first commit)
          }
          byte[] body = store.get(Worker.BATCHES, bc.digest());
          if (body == null) {
            missingBatches.add(bc);
            continue;
          }
          workerDigests.add(bc.digest());
          bodies.add(body);
          txCount +=
              ByteBuffer.wrap(body, Wire.BATCH_COUNT, 4)
                  .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                  .getInt();
        }
      }
      if (!missingRefs.isEmpty() || !missingBatches.isEmpty()) {
        if (now - lastAskMs >= 300) {
          lastAskMs = now;
          if (!missingRefs.isEmpty()) {
            new Outbox().broadcast(new FetchRequest(List.of(), missingRefs));
          }
          missingBatches.forEach(workerFetch);
        }
        if (now - lastLookAheadMs >= LOOK_AHEAD_EVERY_MS) {
          lastLookAheadMs = now;
          fetchAhead(now);
        }
        return;
      }
      writeCommit(d, workerDigests, bodies, txCount);
      pending.poll();
    }
  }

  /**
   * While the head commit waits: hands the worker the missing batches of the first {@link
   * #LOOK_AHEAD_COMMITS} ordered commits (its fetcher spreads them over the peers, bounded in
   * flight), and asks the peers for the batch certificates those commits name that this node lacks,
   * at most {@link #FETCH_REFS_PER_PEER} per peer, a different peer first each time. Each batch or
   * certificate is asked for once per {@link #ASK_AGAIN_MS}.
   */
  private void fetchAhead(long now) {
    int commits = 0;
    List<Digest> refs = new ArrayList<>();
    int maxRefs = Math.max(1, committee.size() - 1) * FETCH_REFS_PER_PEER;
    for (CommittedSubDag d : pending) {
      if (commits++ >= LOOK_AHEAD_COMMITS) {
        break;
      }
      for (Certificate c : d.certificates()) {
        for (Digest ref : c.vertex().batches()) {
          Batch b = consensusStore.batch(ref);
          if (b == null) {
            // The batch's certificate itself is missing here: asked of the peers below.
            if (refs.size() < maxRefs && askNow("r" + ref, now)) {
              refs.add(ref);
            }
            continue;
          }
          BatchCertificate bc = decodeBatchCertificate(b.payload());
          if (bc == null || store.contains(Worker.BATCHES, bc.digest())) {
            continue;
          }
          if (askNow(HexFormat.of().formatHex(bc.digest()), now)) {
            workerFetch.accept(bc);
          }
        }
      }
    }
    // Missing batch certificates: spread over the peers, one FetchRequest each.
    int peers = committee.size() - 1;
    for (int k = 0; k < peers && k * FETCH_REFS_PER_PEER < refs.size(); k++) {
      int peer = Math.floorMod(self + 1 + (int) ((fetchRotation + k) % peers), committee.size());
      List<Digest> part =
          refs.subList(
              k * FETCH_REFS_PER_PEER, Math.min(refs.size(), (k + 1) * FETCH_REFS_PER_PEER));
      new Outbox().send(peer, new FetchRequest(List.of(), List.copyOf(part)));
    }
    fetchRotation++;
  }

  /** Whether {@code key} was not handed out within {@link #ASK_AGAIN_MS}; marks it handed out. */
  private boolean askNow(String key, long now) {
    Long at = asked.get(key);
    if (at != null && now - at < ASK_AGAIN_MS) {
      return false;
    }
    asked.put(key, now);
    return true;
  }

  private void writeCommit(
      CommittedSubDag d, List<byte[]> workerDigests, List<byte[]> bodies, int txCount) {
    byte[] next;
    try (WriteBatch b = store.newBatch()) {
      entry.create(workerDigests.size(), txCount);
      entry.anchor(d.anchor().digest().toBytes()).anchorRound(d.anchorRound());
      for (int i = 0; i < workerDigests.size(); i++) {
        entry.batchDigest(i, workerDigests.get(i));
      }
      // Each id is hashed into the key, copied into the entry and put as a key of its own: no read
      // and no allocation per transaction (a repeat of an id in this commit puts the same key).
      byte[] key = txIndexKey;
      putLongBigEndian(key, 32, d.index());
      int at = 0;
      for (byte[] bytes : bodies) {
        body.wrap(bytes);
        int n = body.getInt(Wire.BATCH_COUNT, java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
          slot.transactionId(body, Wire.BATCH_RECORDS + i * TransactionSlot.LENGTH, sha, key, 0);
          entry.txId(at++, key, 0);
          b.putRaw(ColumnFamily.TX_INDEX, key, 0, TX_INDEX_KEY_LENGTH, NO_VALUE, 0, 0);
        }
      }
      byte[] record = entry.seal(chain, sha);
      next = entry.chain();
      b.put(CommitLog.COLUMN, d.index(), record);
      for (byte[] w : workerDigests) {
        b.put(COMMITTED_BATCHES, w, d.index());
      }
      b.put(META, LAST_KEY, d.index());
      b.put(META, TXS_KEY, committedTxs + txCount);
      long t0 = cpuNs();
      store.write(b, Durability.SYNCED);
      commitStoreCpuNs += cpuNs() - t0;
    }
    commitWrites++;
    if (!ownUnordered.isEmpty()) {
      for (byte[] w : workerDigests) {
        String hex = HexFormat.of().formatHex(w);
        OwnBatch own = ownUnordered.remove(hex);
        if (own != null) {
          ownBatchesWritten++;
          ownBatchCertifiedToWrittenMs += nowMs() - own.certifiedAtMs();
          ownUnorderedTxs.addAndGet(-own.txs());
        }
      }
    }
    chain = next;
    committedTxs += txCount;
    lastIndex = d.index();
    remember(d.index(), next);
    commitListener.run();
  }

  private void remember(long index, byte[] chainValue) {
    window.put(index, HexFormat.of().formatHex(chainValue));
    while (window.size() > WINDOW) {
      window.remove(window.keySet().iterator().next());
    }
    LinkedHashMap<String, String> snapshot = new LinkedHashMap<>();
    for (Map.Entry<Long, String> e : window.entrySet()) {
      snapshot.put(Long.toString(e.getKey()), e.getValue());
    }
    commitChain = java.util.Collections.unmodifiableMap(snapshot);
  }

  private static void putLongBigEndian(byte[] b, int at, long v) {
    for (int i = 7; i >= 0; i--) {
      b[at + i] = (byte) v;
      v >>>= 8;
    }
  }

  /**
   * The index of the first consensus commit of {@code store} that ordered transaction {@code txId}
   * (32 bytes), or null when none did: one seek in the {@code tx_index} column.
   */
  public static Long committedAt(Store store, byte[] txId) {
    if (txId.length != 32) {
      return null;
    }
    Long[] first = new Long[1];
    store.scan(
        TX_INDEX,
        txId,
        (key, value) -> {
          if (key.length == TX_INDEX_KEY_LENGTH && Arrays.equals(key, 0, 32, txId, 0, 32)) {
            long index = 0;
            for (int i = 32; i < TX_INDEX_KEY_LENGTH; i++) {
              index = (index << 8) | (key[i] & 0xFF);
            }
            first[0] = index;
          }
          return false;
        });
    return first[0];
  }

  // ---------------------------------------------------------------- observation

  public long lastCommittedIndex() {
    return lastIndex;
  }

  /** The round this primary last proposed in. */
  public long round() {
    return round;
  }

  /** Transactions in all commits written so far (a transaction named twice counts twice). */
  public long committedTransactions() {
    return committedTxs;
  }

  /**
   * Transactions in the written commits {@code fromIndex..toIndex} (inclusive; none when {@code
   * fromIndex > toIndex}), read back from the commit log: each entry's {@code tx_count}.
   */
  public long transactionsInCommits(long fromIndex, long toIndex) {
    CommitLogFlyweight read = new CommitLogFlyweight();
    long total = 0;
    for (long k = Math.max(0, fromIndex); k <= toIndex; k++) {
      total += Integer.toUnsignedLong(CommitLog.read(store, k, read).txCount());
    }
    return total;
  }

  /**
   * Transactions in this validator's own certified batches that no written commit holds yet
   * (waiting for a vertex, or named by one not yet ordered); since start.
   */
  public long ownUnorderedTransactions() {
    return ownUnorderedTxs.get();
  }

  /** Digests (hex) of this validator's own certified batches that no written commit holds yet. */
  public java.util.Set<String> ownUnorderedBatches() {
    return java.util.Collections.unmodifiableSet(ownUnordered.keySet());
  }

  /** Consensus messages dropped because the primary's queue was full. */
  public long droppedMessages() {
    return droppedMessages;
  }

  /** Consensus messages refused as malformed or badly signed. */
  public long invalidMessages() {
    return invalidMessages;
  }

  /** Commits ordered by consensus but not yet written (their batches are still being fetched). */
  public long pendingCommits() {
    return Math.max(0, lastQueued - lastIndex);
  }

  /** The status member {@code consensus}; {@code commitChain} maps each recent index to its hex. */
  public ObjectNode status() {
    long last = lastIndex;
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("round", round)
        .put("committedIndex", last)
        .put("committedTxs", committedTxs)
        .put("pendingCommits", Math.max(0, lastQueued - last))
        .put("reproposedBatches", reproposed)
        .put("abandonedVertices", abandoned)
        .put("weaklyOrderedVertices", weaklyOrdered)
        .put("weaklyOrderedBatches", weaklyOrderedBatches)
        .put("leaderTimeoutMs", leaderTimeoutMs)
        .put("leaderTimeouts", leaderTimeouts)
        .put("invalidMessages", invalidMessages)
        .put("droppedMessages", droppedMessages);
    json.putObject("work")
        .put("messagesTaken", messagesTaken)
        .put("signatureChecks", verifier.checked())
        .put("signatureChecksSkipped", verifier.skipped())
        .put("lateVotesDropped", lateVotes)
        .put("certificateSignatures", certificateSignatures)
        .put("certificateCacheHits", certificateCacheHits)
        .put("signaturesMade", signaturesMade)
        .put("framesSent", framesSent)
        .put("bufferedWrites", consensusStore.bufferedWrites())
        .put("syncedWrites", consensusStore.syncedWrites() + commitWrites)
        .put("commitWrites", commitWrites)
        .put("verifyCpuMs", verifyCpuNs / 1_000_000)
        .put("coreCpuMs", coreCpuNs / 1_000_000)
        .put("signCpuMs", signCpuNs / 1_000_000)
        .put("tickCpuMs", tickCpuNs / 1_000_000)
        .put("commitCpuMs", commitCpuNs / 1_000_000)
        .put("commitStoreCpuMs", commitStoreCpuNs / 1_000_000);
    dev.agentledger.node.consensus.core.PathTimes path = core.pathTimes();
    json.putObject("path")
        .put("batchesProposed", path.batchesProposed())
        .put("batchWaitMs", path.batchWaitMs())
        .put("proposals", path.proposals())
        .put("proposalsWithBatches", path.proposalsWithBatches())
        .put("quorumWaits", path.quorumWaits())
        .put("quorumWaitMs", path.quorumWaitMs())
        .put("quorumWaitsWithBatches", path.quorumWaitsWithBatches())
        .put("quorumWaitWithBatchesMs", path.quorumWaitWithBatchesMs())
        .put("certified", path.certified())
        .put("certifyMs", path.certifyMs())
        .put("committed", path.committed())
        .put("commitMs", path.commitMs())
        .put("commitRounds", path.commitRounds())
        .put("ownBatchesWritten", ownBatchesWritten)
        .put("ownBatchCertifiedToWrittenMs", ownBatchCertifiedToWrittenMs);
    ObjectNode chainJson = json.putObject("commitChain");
    commitChain.forEach(chainJson::put);
    return json;
  }

  @Override
  public void close() {
    running = false;
    verifier.close();
  }
}
