package dev.agentledger.node.worker;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentledger.node.committee.Committee;
import dev.agentledger.node.consensus.PrimaryService;
import dev.agentledger.node.consensus.core.PrimaryConfig;
import dev.agentledger.node.idle.ParkingIdleStrategy;
import dev.agentledger.node.idle.StageAgent;
import dev.agentledger.node.ingress.BatchSignatureVerifier;
import dev.agentledger.node.ingress.IngressChecks;
import dev.agentledger.node.ingress.IngressConfig;
import dev.agentledger.node.ingress.IngressProcessor;
import dev.agentledger.node.ingress.SingleEd25519Verifier;
import dev.agentledger.node.mempool.core.Mempool;
import dev.agentledger.node.mempool.core.MempoolConfig;
import dev.agentledger.node.net.MessageType;
import dev.agentledger.node.net.Transport;
import dev.agentledger.node.net.TransportListener;
import dev.agentledger.node.net.TxStatus;
import dev.agentledger.node.net.Wire;
import dev.agentledger.node.net.netty.NettyTransport;
import dev.agentledger.node.storage.DiskSpace;
import dev.agentledger.node.storage.Store;
import dev.agentledger.node.storage.memory.InMemoryStore;
import dev.agentledger.node.storage.rocksdb.RocksDbStore;
import dev.agentledger.node.worker.core.BatchCertificate;
import dev.agentledger.node.worker.core.BatchCertificateSink;
import dev.agentledger.node.worker.core.CertificateVerifier;
import dev.agentledger.node.worker.core.ExecutionBacklog;
import dev.agentledger.node.worker.core.QueueDelayGate;
import dev.agentledger.node.worker.core.VerifiedCertificates;
import dev.agentledger.node.worker.core.Worker;
import dev.agentledger.node.worker.core.WorkerConfig;
import dev.agentledger.sig.Ed25519KeyPair;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * One validator's stages, assembled: storage, Netty transport (peer links and client port), the
 * verify agents, one {@link WorkerAgent} that runs ingress, mempool and worker, and (when
 * configured) the consensus primary, execution and the commit feed; {@link #agents()} hands the
 * agents to whoever runs them ({@code runtime.Validator}, under a threading mode). I/O threads only
 * copy validated frames into many-to-one ring buffers (one for peers, one for clients, the peer
 * ring served first); the agent is the single writer of all state. When the ring is full, a
 * client's SUBMIT is answered OVERLOADED on the I/O thread (explicit backpressure) and a peer frame
 * is dropped (the worker retransmits).
 */
public final class ValidatorNode implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(ValidatorNode.class.getName());
  private static final int PEER = VerifyStage.PEER;
  private static final int CLIENT = VerifyStage.CLIENT;

  /**
   * Peer-ring messages: a signer's nonce an executed commit consumed ({@link CommittedNonceSink}).
   */
  private static final int COMMITTED_NONCE = 16;

  /**
   * Peer-ring messages: a signer's nonce of a transaction an executed commit refused as {@code
   * BAD_NONCE} ({@link CommittedNonceSink}); if this validator accepted it and the ledger has not
   * reached its nonce yet, the mempool takes it back.
   */
  private static final int REFUSED_NONCE = 17;

  /**
   * {@code TX_QUERY}'s answer for a transaction this validator accepted and then dropped without
   * batching it (-1: not committed yet; 0 or more: its consensus commit index).
   */
  public static final long EXPIRED_ANSWER = -2;

  /** {@code TX_QUERY}'s answer for a transaction ordered by consensus and not yet executed here. */
  public static final long ORDERED_ANSWER = -3;

  /** Client frames the agent takes per duty cycle when the verify stage has done the signatures. */
  private static final int CLIENT_FRAMES_PER_CYCLE = 16;

  /**
   * Admission beyond the execution backlog: the queueing-delay bound ({@link QueueDelayGate}, with
   * execution only) and how long the mempool holds a transaction whose earlier nonces have not
   * arrived before it drops it and answers it as expired ({@code TX_QUERY}: -2).
   */
  public record AdmissionSettings(QueueDelayGate.Limits delay, long heldExpiryMs) {
    /**
     * Ten times the longest pause between two resubmissions of a refused run by {@code
     * client.ClusterSubmitter} (1 s), so a predecessor that is being retried arrives well within
     * it.
     */
    public static final long DEFAULT_HELD_EXPIRY_MS = 10_000;

    public AdmissionSettings {
      if (heldExpiryMs < 1 || heldExpiryMs > 3_600_000) {
        throw new IllegalArgumentException("--held-expiry-ms must be 1..3600000");
      }
    }

    public static AdmissionSettings defaults() {
      return new AdmissionSettings(QueueDelayGate.Limits.defaults(), DEFAULT_HELD_EXPIRY_MS);
    }
  }

  /** Everything one validator needs. {@code dataDir} null: in-memory storage. */
  public record Config(
      Committee committee,
      int self,
      Ed25519KeyPair key,
      IngressConfig ingress,
      Path dataDir,
      NettyTransport.Config transport,
      MempoolConfig mempool,
      WorkerConfig worker,
      int inboundRingBytes) {}

  /**
   * Opens the validator's transport: its peer links and client port, delivering what it reads to
   * {@code listener}.
   */
  @FunctionalInterface
  public interface TransportFactory {
    Transport open(Config config, TransportListener listener);
  }

  /**
   * What a validator takes from its surroundings: the transport of its peer links and client port,
   * its store, its clocks and the seed of the mempool's randomised structures. {@link #production}
   * is Netty, the configuration's data directory (RocksDB, or in memory without one) and the system
   * clocks; the simulator passes a simulated network, an in-memory store that outlives a crash, and
   * simulated time.
   *
   * @param transport opens the transport
   * @param store the store (null: RocksDB in the configuration's data directory, in memory without
   *     one); one passed in is durable for this validator (ACCEPTED waits for the ingress log, and
   *     a later validator on the same store resumes from it) and is closed with the validator
   * @param nanoClock monotonic nanoseconds for every timer, rate and deadline of the stages
   * @param unixNanoClock wall-clock Unix nanoseconds (ingress time checks)
   * @param mempoolSeed the mempool's hashing seed
   */
  public record Environment(
      TransportFactory transport,
      Store store,
      java.util.function.LongSupplier nanoClock,
      java.util.function.LongSupplier unixNanoClock,
      long mempoolSeed) {
    public Environment {
      java.util.Objects.requireNonNull(transport, "transport");
      java.util.Objects.requireNonNull(nanoClock, "nanoClock");
      java.util.Objects.requireNonNull(unixNanoClock, "unixNanoClock");
    }

    /** Netty links, the configuration's storage, the system clocks, a random seed. */
    public static Environment production() {
      return new Environment(
          (config, listener) ->
              new NettyTransport(
                  config.transport(),
                  config.committee(),
                  config.self(),
                  config.ingress().chainId(),
                  config.key(),
                  listener),
          null,
          System::nanoTime,
          () -> System.currentTimeMillis() * 1_000_000L,
          java.util.concurrent.ThreadLocalRandom.current().nextLong());
    }
  }

  private final Config config;
  private final Store store;

  /** RocksDB's memory as of the last status (null before it, or without a data directory). */
  private volatile RocksDbStore.MemoryUsage storageMemory;

  private final Mempool mempool;
  private final IngressProcessor ingress;
  private final Worker worker;
  private final VerifiedCertificates verifiedCertificates;
  private final Transport transport;

  /** Monotonic time for every stage of this validator ({@link Environment#nanoClock}). */
  private final java.util.function.LongSupplier clock;

  /** Wall-clock time in Unix nanoseconds ({@link Environment#unixNanoClock}). */
  private final java.util.function.LongSupplier unixClock;

  private final ManyToOneRingBuffer inbound;
  private final ManyToOneRingBuffer clientInbound;
  private final WorkerAgent agent;
  private final VerifyStage verifyStage;
  private final dev.agentledger.node.accel.NodeAccelerators accelerators;
  private final AtomicLong overloadedFrames = new AtomicLong();

  /**
   * Runs refused OVERLOADED on an I/O thread (a gate or a full ring refused their whole frame
   * before the mempool saw them), as (signer 32 B, nonce u64 little-endian) pairs, one message per
   * frame: the worker agent reads them before any later client frame and the mempool records each
   * refusal, so the agents' later nonces are refused after it instead of held behind the gap
   * ({@link Mempool#refusedBeforeAdmission}).
   */
  private final ManyToOneRingBuffer ioRefusals =
      new ManyToOneRingBuffer(
          new UnsafeBuffer(
              ByteBuffer.allocateDirect((1 << 20) + RingBufferDescriptor.TRAILER_LENGTH)));

  /** Frames refused on an I/O thread whose refusals {@link #ioRefusals} had no room for. */
  private final AtomicLong unrecordedRefusals = new AtomicLong();

  private static final int REFUSAL_BYTES = 40;
  private final AtomicLong droppedPeerFrames = new AtomicLong();
  private final AtomicLong catchUpRefusals = new AtomicLong();

  /**
   * Backpressure from execution (null without execution): decided by the worker agent each duty
   * cycle, read by the I/O threads, which refuse a SUBMIT as OVERLOADED while it is closed.
   */
  private final ExecutionBacklog backlog;

  /** SUBMIT frames, and their records, refused because {@link #backlog} was closed. */
  private final AtomicLong backlogRefusedFrames = new AtomicLong();

  private final AtomicLong backlogRefusedRuns = new AtomicLong();

  /**
   * Admission bounded by queueing delay (null without execution): decided by the worker agent each
   * duty cycle from the queued work and the measured commit rate, read by the I/O threads, which
   * refuse a SUBMIT as OVERLOADED while it is closed. Set before the agents start ({@link
   * #configureAdmission}).
   */
  private QueueDelayGate delayGate;

  private long heldExpiryNs = AdmissionSettings.DEFAULT_HELD_EXPIRY_MS * 1_000_000L;

  /** SUBMIT frames, and their records, refused because {@link #delayGate} was closed. */
  private final AtomicLong delayRefusedFrames = new AtomicLong();

  private final AtomicLong delayRefusedRuns = new AtomicLong();

  /**
   * Runs of SUBMIT frames past the gates and not yet answered by the worker agent (in the verify
   * stage or the client ring): admitted work the gates must count, since under load the verify
   * stage's rings hold many frames.
   */
  private final AtomicLong unansweredRuns = new AtomicLong();

  /** Accepted transactions the mempool dropped unbatched (expired or evicted while held). */
  private final ExpiredTransactions expired = new ExpiredTransactions();

  private final dev.agentledger.node.metrics.HeapAfterGc heapAfterGc;

  /** Direct memory (the execution state's native pages count there); read with the heap. */
  private final dev.agentledger.node.metrics.DirectMemory directMemory =
      new dev.agentledger.node.metrics.DirectMemory();

  /**
   * Transactions in commits written before this start and not executed then, and the committer's
   * total at start: the backlog is {@code backlogAtStart + (committed - committedAtStart) -
   * executed since start}.
   */
  private long backlogAtStart;

  private long committedAtStart;

  /**
   * {@link #catchingUp}: whether this validator has caught up once since it opened (true from the
   * start for a fresh ledger or a committee of one), and the head it must reach (-1: no peer's
   * commit signature seen yet). Written by the worker agent only.
   */
  private volatile boolean caughtUpOnce;

  private long catchUpTarget = -1;
  private final dev.agentledger.node.ingress.IngressLog ingressLog;
  private CommittedNonceSink committedNonces;
  private StateNonceSource ledgerNonces;
  private volatile ObjectNode runtimeStatus;

  /**
   * How the worker agent waits: parks up to {@link #IDLE_PARK_NS} while nothing is due, at most
   * {@link #BATCH_TIMER_PARK_NS} while transactions wait to be sealed (the batch delay) and {@link
   * #RESEND_TIMER_PARK_NS} while own batches wait for acknowledgements or batches are being
   * fetched; every producer of its rings wakes it.
   */
  private final ParkingIdleStrategy agentIdle;

  static final long IDLE_PARK_NS = 100_000_000L;

  /**
   * How often the worker reads the admission gates' inputs and expires held transactions: a
   * millisecond is far below the gates' own time scales (a 250 ms rate sample, a delay target of
   * seconds, a held-run bound of seconds).
   */
  static final long ADMISSION_CHECK_PERIOD_NS = 1_000_000L;

  static final long BATCH_TIMER_PARK_NS = 1_000_000L;
  static final long RESEND_TIMER_PARK_NS = 10_000_000L;

  private final PrimaryService primary;
  private final ExecutionSettings executionSettings;
  private final dev.agentledger.node.metrics.MetricsRegistry metrics =
      dev.agentledger.node.metrics.MetricsRegistry.forNode(
          dev.agentledger.node.metrics.BuildInfo.ofThisBuild());
  private final dev.agentledger.node.query.QueryStore queries;
  private final dev.agentledger.node.events.EventLog events;
  private final dev.agentledger.node.execution.ExecutionService execution;
  private final dev.agentledger.node.feed.CommitFeed feed;
  private dev.agentledger.node.query.http.QueryHttpServer queryServer;
  private dev.agentledger.node.query.http.QueryHttpServer metricsServer;
  private dev.agentledger.node.api.http.ApiHttpHandler.Routes apiRoutes;
  private java.net.InetSocketAddress queryAddress;
  private final ValidatorHealth health;

  /**
   * Execution behind consensus: the genesis accounts and fees, the committee commit certificates
   * are checked against, whether execution verifies every signature again, and where the HTTP query
   * API (and, when different, the Prometheus endpoint) listens (null: not served), how many state
   * versions stay provable ({@code node run --state-retain-versions}), the execution backlog past
   * which submissions are refused and sealing pauses ({@code --max-execution-backlog}, {@code
   * --backlog-heap-percent}), and the share of the maximum heap the retained state versions may
   * hold before the oldest are pruned ({@code --state-retain-heap-percent}).
   */
  public record ExecutionSettings(
      dev.agentledger.node.execution.core.ExecutionGenesis genesis,
      dev.agentledger.node.committee.Committee committee,
      boolean verifySignatures,
      java.net.InetSocketAddress queryBind,
      java.net.InetSocketAddress metricsBind,
      int stateRetainVersions,
      ExecutionBacklog.Limits backlog,
      int stateRetainHeapPercent,
      long stateCacheMb) {
    /**
     * Percent of the maximum heap the retained state versions may hold: at the demo's 768 MiB heap
     * about 92 MiB, some 120,000 retained runs at the measured 790 bytes each.
     */
    public static final int DEFAULT_STATE_RETAIN_HEAP_PERCENT = 12;

    /** Highest {@link #stateRetainHeapPercent}: the rest of the heap is the live state's. */
    public static final int MAX_STATE_RETAIN_HEAP_PERCENT = 50;

    /** Largest {@link #stateCacheMb} (1 TiB). */
    public static final long MAX_STATE_CACHE_MB = 1L << 20;

    /** The state cache's share of the direct-memory limit when {@link #stateCacheMb} is 0. */
    public static final int DEFAULT_STATE_CACHE_DIRECT_PERCENT = 25;

    public ExecutionSettings {
      if (stateRetainHeapPercent < 1 || stateRetainHeapPercent > MAX_STATE_RETAIN_HEAP_PERCENT) {
        throw new IllegalArgumentException(
            "--state-retain-heap-percent must be 1.." + MAX_STATE_RETAIN_HEAP_PERCENT);
      }
      if (stateCacheMb < 0 || stateCacheMb > MAX_STATE_CACHE_MB) {
        throw new IllegalArgumentException(
            "--state-cache-mb must be 0.." + MAX_STATE_CACHE_MB + " (0: derived)");
      }
    }

    /** With the state cache derived from the direct-memory limit ({@code stateCacheMb} 0). */
    public ExecutionSettings(
        dev.agentledger.node.execution.core.ExecutionGenesis genesis,
        dev.agentledger.node.committee.Committee committee,
        boolean verifySignatures,
        java.net.InetSocketAddress queryBind,
        java.net.InetSocketAddress metricsBind,
        int stateRetainVersions,
        ExecutionBacklog.Limits backlog,
        int stateRetainHeapPercent) {
      this(
          genesis,
          committee,
          verifySignatures,
          queryBind,
          metricsBind,
          stateRetainVersions,
          backlog,
          stateRetainHeapPercent,
          0);
    }

    /**
     * The bound on the execution state's resident pages in bytes: {@link #stateCacheMb} MiB, or
     * when 0 {@link #DEFAULT_STATE_CACHE_DIRECT_PERCENT} of {@code maxDirectBytes} (the pages are
     * native memory: anonymous mappings on Linux, elsewhere direct memory counted against {@code
     * -XX:MaxDirectMemorySize}), at least 16 MiB.
     */
    public long stateCacheBytes(long maxDirectBytes) {
      if (stateCacheMb > 0) {
        return stateCacheMb << 20;
      }
      return Math.max(16L << 20, maxDirectBytes / 100 * DEFAULT_STATE_CACHE_DIRECT_PERCENT);
    }

    /** With {@link #DEFAULT_STATE_RETAIN_HEAP_PERCENT}. */
    public ExecutionSettings(
        dev.agentledger.node.execution.core.ExecutionGenesis genesis,
        dev.agentledger.node.committee.Committee committee,
        boolean verifySignatures,
        java.net.InetSocketAddress queryBind,
        java.net.InetSocketAddress metricsBind,
        int stateRetainVersions,
        ExecutionBacklog.Limits backlog) {
      this(
          genesis,
          committee,
          verifySignatures,
          queryBind,
          metricsBind,
          stateRetainVersions,
          backlog,
          DEFAULT_STATE_RETAIN_HEAP_PERCENT);
    }

    /** The byte bound on the retained state versions: the percent of {@code maxHeapBytes}. */
    public long stateRetainBytes(long maxHeapBytes) {
      return maxHeapBytes / 100 * stateRetainHeapPercent;
    }

    /** With the default execution backlog bounds ({@link ExecutionBacklog.Limits#defaults()}). */
    public ExecutionSettings(
        dev.agentledger.node.execution.core.ExecutionGenesis genesis,
        dev.agentledger.node.committee.Committee committee,
        boolean verifySignatures,
        java.net.InetSocketAddress queryBind,
        java.net.InetSocketAddress metricsBind,
        int stateRetainVersions) {
      this(
          genesis,
          committee,
          verifySignatures,
          queryBind,
          metricsBind,
          stateRetainVersions,
          ExecutionBacklog.Limits.defaults());
    }

    public ExecutionSettings(
        dev.agentledger.node.execution.core.ExecutionGenesis genesis,
        dev.agentledger.node.committee.Committee committee,
        boolean verifySignatures,
        java.net.InetSocketAddress queryBind,
        java.net.InetSocketAddress metricsBind) {
      this(
          genesis,
          committee,
          verifySignatures,
          queryBind,
          metricsBind,
          dev.agentledger.node.execution.state.SmtStateStore.DEFAULT_RETAINED_VERSIONS);
    }
  }

  /**
   * The consensus primary's settings: its core configuration, how long a proposal without batches
   * waits (while batches are in flight, and while nothing is left to order), the minimum round
   * time, the straggler wait, the driver's tick, the threads verifying consensus signatures, and
   * the bounds of the adaptive leader timeout (equal to the core configuration's {@code
   * leaderTimeoutMs}: fixed).
   */
  public record ConsensusSettings(
      PrimaryConfig primary,
      long emptyProposalDelayMs,
      long idleProposalDelayMs,
      long minRoundMs,
      long stragglerWaitMs,
      long tickMs,
      int verifyThreads,
      long leaderTimeoutMinMs,
      long leaderTimeoutMaxMs) {
    /**
     * Without the idle pace, a minimum round time or a straggler wait, with a fixed leader timeout:
     * empty proposals always wait {@code emptyProposalDelayMs}.
     */
    public ConsensusSettings(
        PrimaryConfig primary, long emptyProposalDelayMs, long tickMs, int verifyThreads) {
      this(
          primary,
          emptyProposalDelayMs,
          -1,
          0,
          0,
          tickMs,
          verifyThreads,
          primary.leaderTimeoutMs(),
          primary.leaderTimeoutMs());
    }

    public static ConsensusSettings defaults() {
      return new ConsensusSettings(PrimaryConfig.defaults(), 50, 10, 2);
    }
  }

  public ValidatorNode(Config config, BatchCertificateSink sink) {
    this(config, sink, new SingleEd25519Verifier());
  }

  public ValidatorNode(Config config, BatchCertificateSink sink, BatchSignatureVerifier verifier) {
    this(config, sink, verifier, null);
  }

  /** A validator; with {@code consensus} non-null it also runs the DAG consensus primary. */
  public ValidatorNode(
      Config config,
      BatchCertificateSink sink,
      BatchSignatureVerifier verifier,
      ConsensusSettings consensus) {
    this(config, sink, verifier, consensus, null, 0);
  }

  /**
   * A validator; with {@code consensus} non-null it runs the DAG consensus primary, and with {@code
   * execution} non-null (needs consensus) it also executes every commit, certifies commits with the
   * other validators and serves the query API.
   */
  public ValidatorNode(
      Config config,
      BatchCertificateSink sink,
      BatchSignatureVerifier verifier,
      ConsensusSettings consensus,
      ExecutionSettings execution) {
    this(config, sink, verifier, consensus, execution, 0);
  }

  /**
   * A validator whose client submissions and peer batches have their signatures batch-verified by
   * {@code verifyThreads} {@link VerifyStage} threads (CPU batch verification) before the worker
   * agent sees them; with 0 the agent verifies inline with {@code verifier}.
   */
  public ValidatorNode(
      Config config,
      BatchCertificateSink sink,
      BatchSignatureVerifier verifier,
      ConsensusSettings consensus,
      int verifyThreads) {
    this(config, sink, verifier, consensus, null, verifyThreads);
  }

  /**
   * The full validator: consensus when {@code consensus} is non-null, execution, commit
   * certification and the query API when {@code execution} is non-null (needs consensus), and
   * {@code verifyThreads} batch-verification threads in front of the worker agent (0: inline).
   */
  public ValidatorNode(
      Config config,
      BatchCertificateSink sink,
      BatchSignatureVerifier verifier,
      ConsensusSettings consensus,
      ExecutionSettings execution,
      int verifyThreads) {
    this(
        config,
        sink,
        verifier,
        consensus,
        execution,
        verifyThreads,
        dev.agentledger.node.accel.NodeAccelerators.cpu());
  }

  /**
   * The full validator whose verify stage sends its signature batches where {@code accelerators}
   * route them (CPU below the crossover, the configured device from it). The caller owns {@code
   * accelerators} and closes it after the node.
   */
  public ValidatorNode(
      Config config,
      BatchCertificateSink sink,
      BatchSignatureVerifier verifier,
      ConsensusSettings consensus,
      ExecutionSettings execution,
      int verifyThreads,
      dev.agentledger.node.accel.NodeAccelerators accelerators) {
    this(
        config,
        sink,
        verifier,
        consensus,
        execution,
        verifyThreads,
        accelerators,
        Environment.production());
  }

  /**
   * The full validator in {@code environment}: its transport, store, clocks and mempool seed come
   * from there instead of Netty, the data directory and the system.
   */
  public ValidatorNode(
      Config config,
      BatchCertificateSink sink,
      BatchSignatureVerifier verifier,
      ConsensusSettings consensus,
      ExecutionSettings execution,
      int verifyThreads,
      dev.agentledger.node.accel.NodeAccelerators accelerators,
      Environment environment) {
    if (execution != null && consensus == null) {
      throw new IllegalArgumentException("execution needs consensus");
    }
    this.config = config;
    this.executionSettings = execution;
    this.accelerators = accelerators;
    this.clock = environment.nanoClock();
    this.unixClock = environment.unixNanoClock();
    this.store =
        environment.store() != null
            ? environment.store()
            : config.dataDir() == null
                ? new InMemoryStore()
                : RocksDbStore.open(config.dataDir(), RocksDbStore.Options.configured());
    this.mempool = new Mempool(config.mempool(), environment.mempoolSeed());
    mempool.onDropped(this::onDroppedHeld);
    this.ingress = new IngressProcessor(new IngressChecks(config.ingress()), verifier, mempool);
    int capacity =
        Integer.highestOneBit(Math.max(config.inboundRingBytes(), 8 * Wire.MAX_PEER_FRAME) - 1)
            << 1;
    this.inbound =
        new ManyToOneRingBuffer(
            new UnsafeBuffer(
                ByteBuffer.allocateDirect(capacity + RingBufferDescriptor.TRAILER_LENGTH)));
    int clientCapacity = Integer.highestOneBit(64 * Wire.MAX_CLIENT_FRAME - 1) << 1;
    this.clientInbound =
        new ManyToOneRingBuffer(
            new UnsafeBuffer(
                ByteBuffer.allocateDirect(clientCapacity + RingBufferDescriptor.TRAILER_LENGTH)));
    this.transport = environment.transport().open(config, new Listener());
    // With a durable store an ACCEPTED reply waits for the synced ingress log (durable ACCEPTED).
    this.ingressLog =
        config.dataDir() == null && environment.store() == null
            ? null
            : new dev.agentledger.node.ingress.IngressLog(
                store, (c, frame, at, length) -> transport.sendToClient(c, frame, at, length));
    this.verifyStage =
        verifyThreads <= 0
            ? null
            : new VerifyStage(
                config.self(),
                verifyThreads,
                config.ingress().chainId(),
                config.committee().size(),
                new IngressChecks(config.ingress()),
                VerifyStage.routedVerifiers(accelerators),
                config.inboundRingBytes(),
                inbound,
                clientInbound);
    this.verifiedCertificates = new VerifiedCertificates(4096);
    this.worker =
        new Worker(
            config.self(),
            config.ingress().chainId(),
            config.committee(),
            config.key(),
            store,
            mempool,
            config.worker(),
            transport::sendToPeer,
            c -> {
              sink.onBatchCertified(c);
              if (primaryRef() != null) {
                primaryRef().onBatchCertified(c);
              }
            },
            verifier,
            new CertificateVerifier(
                config.committee(),
                config.ingress().chainId(),
                verifiedCertificates,
                accelerators.verifiers().get()));
    worker.hashWith(accelerators.hashing());
    this.agent = new WorkerAgent();
    this.agentIdle =
        new ParkingIdleStrategy(
            10,
            2,
            20_000,
            IDLE_PARK_NS,
            () ->
                mempool.readyCount() > 0 && !worker.sealingPaused()
                    ? BATCH_TIMER_PARK_NS
                    : worker.pendingBatches() > 0 || worker.missingBatches() > 0
                        ? RESEND_TIMER_PARK_NS
                        : IDLE_PARK_NS);
    if (verifyStage != null) {
      verifyStage.onOutput(agentIdle::wake);
    }
    this.primary =
        consensus == null
            ? null
            : new PrimaryService(
                config.committee(),
                config.self(),
                config.ingress().chainId(),
                config.key(),
                store,
                transport::sendToPeer,
                this::fetchBatch,
                consensus.primary(),
                consensus.emptyProposalDelayMs(),
                consensus.tickMs(),
                consensus.verifyThreads(),
                verifiedCertificates,
                accelerators.verifiers(),
                clock);
    if (primary != null) {
      primary.setIdleProposalDelayMs(consensus.idleProposalDelayMs());
      primary.setMinRoundMs(consensus.minRoundMs());
      primary.setStragglerWaitMs(consensus.stragglerWaitMs());
      primary.setLeaderTimeoutBounds(
          consensus.leaderTimeoutMinMs(), consensus.leaderTimeoutMaxMs());
    }
    if (execution == null) {
      this.queries = null;
      this.events = null;
      this.execution = null;
      this.feed = null;
    } else {
      // State and query store live in the node's store (RocksDB with a data dir): each commit's
      // state version and query entries are one synced write, and a restarted node resumes at the
      // last commit it wrote; the service replays the consensus commits after it.
      this.events = new dev.agentledger.node.events.EventLog();
      dev.agentledger.node.execution.ExecutionStage stage =
          dev.agentledger.node.execution.ExecutionStage.durable(
              execution.genesis(),
              store,
              dev.agentledger.node.execution.ExecutionStage.StateSettings.DEFAULTS
                  .withRetainVersions(execution.stateRetainVersions())
                  .withRetainBytes(execution.stateRetainBytes(Runtime.getRuntime().maxMemory()))
                  .withStateCacheBytes(execution.stateCacheBytes(directMemory.maxBytes())),
              execution.committee(),
              config.key(),
              events,
              metrics,
              execution.verifySignatures(),
              clock);
      stage.hashRootsWith(accelerators.hashing());
      this.queries = stage.queryStore();
      // Events of commits older than the log's window are rebuilt from the stored commits.
      dev.agentledger.node.query.QueryStore history = queries;
      events.pageFrom(
          s ->
              history
                  .commit(s)
                  .map(
                      c ->
                          dev.agentledger.node.events.ReceiptEvents.derive(
                              s, c.transactions(), c.receipts()))
                  .orElse(null));
      this.feed =
          new dev.agentledger.node.feed.CommitFeed(
              queries, dev.agentledger.node.feed.CommitFeed.Config.defaults());
      stage.publishTo(feed);
      // The mempool starts each agent at the executed state's nonce and follows every commit.
      this.ledgerNonces = new StateNonceSource(stage::stateValue);
      mempool.seedNoncesFrom(ledgerNonces);
      this.committedNonces =
          new CommittedNonceSink(inbound, COMMITTED_NONCE, REFUSED_NONCE, () -> agentIdle.wake());
      this.execution =
          new dev.agentledger.node.execution.ExecutionService(
              stage,
              queries,
              store,
              primary,
              config.committee(),
              config.self(),
              config.key(),
              transport::sendToPeer,
              clock);
      primary.setCommitListener(this.execution::wake);
    }
    if (this.execution == null) {
      this.backlog = null;
      this.heapAfterGc = null;
    } else {
      this.heapAfterGc = new dev.agentledger.node.metrics.HeapAfterGc();
      this.backlog = new ExecutionBacklog(execution.backlog(), heapAfterGc.maxBytes());
      // Off until configured: node run's context turns it on (configureAdmission).
      this.delayGate =
          new QueueDelayGate(
              new QueueDelayGate.Limits(0, QueueDelayGate.Limits.DEFAULT_FLOOR_RUNS));
      this.committedAtStart = primary.committedTransactions();
      this.backlogAtStart =
          primary.transactionsInCommits(
              this.execution.executedSequence(), primary.lastCommittedIndex());
      backlog.update(backlogAtStart, 0);
    }
    this.caughtUpOnce =
        execution == null
            || config.committee().size() == 1
            || this.execution.executedSequence() == 0;
    registerMetrics();
    health =
        new ValidatorHealth(config.committee(), config.self(), new ValidatorSignals(this), clock);
  }

  /**
   * The data path's counters and queue depths on {@code /metrics}, read when scraped (each stage
   * counts on its own thread; a scrape may see a value a few microseconds old). No per-agent
   * labels.
   */
  private void registerMetrics() {
    accelerators.registerMetrics(metrics);
    dev.agentledger.node.metrics.PeerLinkMetrics.register(
        metrics, config.committee().size(), config.self(), transport::isConnected);
    for (TxStatus s : TxStatus.values()) {
      metrics.counter(
          "agentledger_ingress_transactions_total",
          "Submitted transactions by ingress verdict.",
          () -> ingress.count(s),
          "status",
          s.name().toLowerCase(java.util.Locale.ROOT));
    }
    metrics.counter(
        "agentledger_ingress_overloaded_frames_total",
        "SUBMIT frames refused because the client ring was full.",
        overloadedFrames::get);
    metrics.gauge(
        "agentledger_ingress_queue_bytes",
        "Bytes waiting in the inbound rings.",
        clientInbound::size,
        "ring",
        "client");
    metrics.gauge(
        "agentledger_ingress_queue_bytes",
        "Bytes waiting in the inbound rings.",
        inbound::size,
        "ring",
        "peer");
    metrics.gauge(
        "agentledger_mempool_transactions",
        "Pending transactions, by state.",
        mempool::size,
        "state",
        "pending");
    metrics.gauge(
        "agentledger_mempool_transactions",
        "Pending transactions, by state.",
        mempool::heldCount,
        "state",
        "held");
    metrics.counter(
        "agentledger_mempool_admitted_total",
        "Transactions admitted to the mempool.",
        () -> mempool.metrics().admitted());
    metrics.counter(
        "agentledger_mempool_evicted_total",
        "Held transactions evicted for ready ones.",
        () -> mempool.metrics().evicted());
    metrics.counter(
        "agentledger_mempool_expired_total",
        "Held transactions dropped after waiting longer than the bound for an earlier nonce.",
        () -> mempool.metrics().expired());
    metrics.counter(
        "agentledger_worker_batches_total",
        "Worker batches, by stage.",
        worker::sealedBatches,
        "stage",
        "sealed");
    metrics.counter(
        "agentledger_worker_batches_total",
        "Worker batches, by stage.",
        worker::certifiedBatches,
        "stage",
        "certified");
    metrics.counter(
        "agentledger_worker_transactions_total",
        "Transactions in worker batches, by stage.",
        worker::sealedTxs,
        "stage",
        "sealed");
    metrics.counter(
        "agentledger_worker_transactions_total",
        "Transactions in worker batches, by stage.",
        worker::certifiedTxs,
        "stage",
        "certified");
    String storageHelp =
        "RocksDB native memory by part (cache includes the memtables charged to it; budget is its"
            + " capacity), as of the last status.";
    metrics.gauge(
        "agentledger_storage_memory_bytes",
        storageHelp,
        () -> storageMemory == null ? 0 : storageMemory.cacheBytes(),
        "part",
        "cache");
    metrics.gauge(
        "agentledger_storage_memory_bytes",
        storageHelp,
        () -> storageMemory == null ? 0 : storageMemory.memtableBytes(),
        "part",
        "memtables");
    metrics.gauge(
        "agentledger_storage_memory_bytes",
        storageHelp,
        () -> storageMemory == null ? 0 : storageMemory.tableReaderBytes(),
        "part",
        "table_readers");
    metrics.gauge(
        "agentledger_storage_memory_bytes",
        storageHelp,
        () -> storageMemory == null ? 0 : storageMemory.capacityBytes(),
        "part",
        "budget");
    metrics.gauge(
        "agentledger_worker_pending_batches",
        "Own batches waiting for a quorum of acks.",
        worker::pendingBatches);
    metrics.gauge(
        "agentledger_worker_missing_batches",
        "Certified batches being fetched from peers.",
        worker::missingBatches);
    metrics.counter(
        "agentledger_transport_dropped_sends_total",
        "Frames dropped because a peer link was not writable.",
        transport::droppedSends);
    metrics.gauge(
        "agentledger_client_connections",
        "Client connections open now.",
        transport::clientConnections);
    metrics.counter(
        "agentledger_client_connections_refused_total",
        "Client connections refused at accept: the port's or one address's connection limit.",
        transport::clientConnectionsRefused);
    metrics.counter(
        "agentledger_client_connections_timed_out_total",
        "Client connections closed for silence or for a frame not whole in time.",
        transport::clientConnectionsTimedOut);
    metrics.counter(
        "agentledger_transport_dropped_peer_frames_total",
        "Peer frames dropped because the peer ring was full.",
        droppedPeerFrames::get);
    if (verifyStage != null) {
      metrics.counter(
          "agentledger_verify_signatures_total",
          "Signatures batch-verified by the verify stage.",
          verifyStage::signatures);
      metrics.counter(
          "agentledger_verify_rounds_total",
          "Batch-verification calls of the verify stage.",
          verifyStage::rounds);
      metrics.secondsCounter(
          "agentledger_verify_busy_seconds_total",
          "Time the verify stage spent inside batch verification.",
          verifyStage::verifyNs);
    }
    if (primary != null) {
      metrics.gauge(
          "agentledger_consensus_round", "Round of this primary's last proposal.", primary::round);
      metrics.gauge(
          "agentledger_consensus_committed_index",
          "Index of the last commit written (-1: none).",
          primary::lastCommittedIndex);
      metrics.gauge(
          "agentledger_consensus_pending_commits",
          "Ordered commits waiting for their batches.",
          primary::pendingCommits);
      metrics.counter(
          "agentledger_consensus_committed_transactions_total",
          "Transactions in written commits.",
          primary::committedTransactions);
      metrics.counter(
          "agentledger_consensus_dropped_messages_total",
          "Consensus messages dropped (queue full).",
          primary::droppedMessages);
      metrics.counter(
          "agentledger_consensus_invalid_messages_total",
          "Consensus messages refused.",
          primary::invalidMessages);
    }
    if (backlog != null) {
      metrics.gauge(
          "agentledger_execution_backlog_transactions",
          "Transactions in written commits not executed yet.",
          backlog::backlogRuns);
      metrics.gauge(
          "agentledger_execution_backlog_high_water_transactions",
          "Largest execution backlog since start.",
          backlog::highWaterRuns);
      metrics.gauge(
          "agentledger_execution_backlog_admitting",
          "1 while submissions are admitted, 0 while the execution backlog refuses them.",
          () -> backlog.isOpen() ? 1 : 0);
      metrics.counter(
          "agentledger_ingress_backlog_refused_transactions_total",
          "Submitted transactions refused as OVERLOADED because the execution backlog was full.",
          backlogRefusedRuns::get);
      metrics.gauge(
          "agentledger_jvm_heap_after_gc_bytes",
          "Heap used after the last garbage collection.",
          heapAfterGc::usedAfterGcBytes);
      metrics.gauge(
          "agentledger_admission_queued_transactions",
          "Work queued ahead of a run accepted now (the queueing-delay bound's measure).",
          () -> delayGate.queuedRuns());
      metrics.gauge(
          "agentledger_admission_bound_transactions",
          "Queued work at which the queueing-delay bound refuses submissions.",
          () -> delayGate.boundRuns());
      metrics.gauge(
          "agentledger_admission_commit_rate_transactions_per_second",
          "Transactions executed per second over the last 4 s.",
          () -> delayGate.ratePerSec());
      metrics.counter(
          "agentledger_ingress_delay_refused_transactions_total",
          "Submitted transactions refused as OVERLOADED by the queueing-delay bound.",
          delayRefusedRuns::get);
    }
    if (execution != null) {
      metrics.gauge(
          "agentledger_execution_highest_peer_sequence",
          "Highest commit sequence a peer has signed.",
          execution::highestPeerSequence);
      metrics.gauge(
          "agentledger_execution_caught_up",
          "1 when this node has executed what its peers have.",
          () -> execution.caughtUp() ? 1 : 0);
    }
  }

  /** The node's metrics registry (what {@code /metrics} renders). */
  public dev.agentledger.node.metrics.MetricsRegistry metrics() {
    return metrics;
  }

  /**
   * Replays the ingress log into the mempool, binds, dials peers and serves the query API. The
   * agents ({@link #agents()}) do not run yet: the caller runs them under a threading mode ({@code
   * runtime.Validator}).
   */
  public ValidatorNode open() {
    if (ingressLog != null) {
      ingressLog.forEachExpired(expired::restore);
      replayIngressLog();
    }
    transport.start();
    LOG.log(
        System.Logger.Level.INFO,
        "validator {0} up: transport={1} peers={2} clients={3}",
        config.self(),
        transport.ioKind(),
        transport.peerAddress(),
        transport.clientAddress());
    if (execution != null) {
      committedNonces.subscribe(feed);
      startQueryServers();
    }
    return this;
  }

  /** The client port as the HTTP API dials it (a wildcard bind is reached on loopback). */
  private java.net.InetSocketAddress clientAddressForApi() {
    java.net.InetSocketAddress bound = transport.clientAddress();
    return bound.getAddress().isAnyLocalAddress()
        ? new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), bound.getPort())
        : bound;
  }

  /**
   * Offers the transactions of the ingress log (ACCEPTED before the last stop or crash, not yet
   * executed) to the mempool again, before clients or peers are served.
   */
  private void replayIngressLog() {
    dev.agentledger.node.tx.TransactionSlot slot = new dev.agentledger.node.tx.TransactionSlot();
    dev.agentledger.hash.Sha256 sha = new dev.agentledger.hash.Sha256();
    byte[] id = new byte[32];
    dev.agentledger.node.ingress.IngressLog.Replay replay =
        ingressLog.replay(
            mempool,
            record -> {
              // Ordered and not executed yet (commit index i is executed as sequence i + 1). One
              // executed as BAD_NONCE is offered again: it was refused, not consumed.
              slot.transactionId(new UnsafeBuffer(record), 0, sha, id, 0);
              Long at = PrimaryService.committedAt(store, id);
              return at != null && (execution == null || at >= execution.executedSequence());
            },
            clock.getAsLong());
    if (replay.offered() > 0) {
      LOG.log(
          System.Logger.Level.INFO,
          "validator {0}: ingress log replayed: {1} logged, {2} back in the mempool, {3} dropped as"
              + " already executed",
          config.self(),
          replay.offered(),
          replay.admitted(),
          replay.dropped());
    }
  }

  /** The ingress log (null without a data directory: ACCEPTED is then not durable). */
  public dev.agentledger.node.ingress.IngressLog ingressLog() {
    return ingressLog;
  }

  /** The mempool (read it only on the worker agent's thread or after {@link #close}). */
  Mempool mempool() {
    return mempool;
  }

  /**
   * Every agent of this validator, in the order a shared thread runs them: the verify agents, the
   * worker agent (ingress, mempool, worker), the consensus primary, execution, the commit feed.
   * Each comes with the idle strategy its producers wake; nothing here owns a thread.
   */
  public java.util.List<StageAgent> agents() {
    java.util.List<StageAgent> out = new java.util.ArrayList<>();
    if (verifyStage != null) {
      out.addAll(verifyStage.agents());
    }
    out.add(new StageAgent(agent, agentIdle, StageAgent.Lane.PIPELINE));
    if (primary != null) {
      out.add(primary.agent());
    }
    if (execution != null) {
      out.add(execution.agent());
      out.add(feed.agent(Integer.toString(config.self())));
    }
    return out;
  }

  /**
   * The status JSON's {@code runtime} member (threading mode, agents, threads), set by whoever runs
   * the agents.
   */
  public void runtimeStatus(ObjectNode member) {
    this.runtimeStatus = member;
    agent.statusStale = true; // the agents started before it was set: rebuild at the next cycle
  }

  /**
   * An agent's duty cycle threw: logged, unless the store has failed (the node reports that once
   * and stops) or it is the fatal error {@link #onAgentFailed} already reported.
   */
  public void onAgentError(Throwable t) {
    if (store.writeFailure() == null && t != failedAgentError) {
      LOG.log(System.Logger.Level.ERROR, "validator " + config.self() + " agent failed", t);
    }
  }

  /**
   * An agent died of an {@link Error} (called once, on its thread, by whoever runs the agents): one
   * log line naming the agent and the error; the status JSON reports it from then on ({@code
   * agentFailure}, and {@code execution.failed} when it was the execution agent). The owner stops
   * the node.
   */
  public void onAgentFailed(String agent, Throwable error) {
    failedAgent = agent;
    failedAgentError = error;
    LOG.log(
        System.Logger.Level.ERROR,
        "validator " + config.self() + " agent " + agent + " died: " + error + "; stopping",
        error);
  }

  private volatile String failedAgent;
  private volatile Throwable failedAgentError;
  private final AtomicLong stoppingRefusals = new AtomicLong();

  /**
   * True once an agent died of an {@code Error} ({@link #onAgentFailed}) or execution stopped for
   * good: the node must stop, and SUBMITs arriving from then on are answered OVERLOADED on the I/O
   * thread, without waiting for {@code node run}'s stop.
   */
  public boolean stopping() {
    return failedAgent != null || (execution != null && execution.failure() != null);
  }

  /** SUBMIT frames refused because the node was {@link #stopping}, since start. */
  public long stoppingRefusals() {
    return stoppingRefusals.get();
  }

  private void startQueryServers() {
    dev.agentledger.node.query.QueryApi api =
        new dev.agentledger.node.query.QueryApi(
                new dev.agentledger.node.query.ProofService(queries),
                executionSettings.committee(),
                events,
                metrics)
            .statusSource(this::statusJson);
    try {
      if (executionSettings.queryBind() != null) {
        var tls = config.transport().clientTls(); // one certificate for client and HTTP ports
        apiRoutes =
            new dev.agentledger.node.api.http.ApiHttpHandler.Routes(
                clientAddressForApi(), tls == null ? null : tls.pinnedClient());
        queryServer =
            new dev.agentledger.node.query.http.QueryHttpServer(api, feed)
                .health(health)
                .tls(tls)
                .withRoutes(apiRoutes);
        queryAddress = queryServer.start(executionSettings.queryBind());
      }
      java.net.InetSocketAddress m = executionSettings.metricsBind();
      if (m != null
          && (executionSettings.queryBind() == null || !m.equals(executionSettings.queryBind()))) {
        metricsServer =
            new dev.agentledger.node.query.http.QueryHttpServer(api, true).health(health);
        metricsServer.start(m);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while binding the query API", e);
    }
  }

  /** Where the HTTP query API listens, or null when it is not served. */
  public java.net.InetSocketAddress queryAddress() {
    return queryAddress;
  }

  /** The execution service, or null when this node does not execute. */
  public dev.agentledger.node.execution.ExecutionService execution() {
    return execution;
  }

  /** The commit feed (null when this node does not execute). */
  public dev.agentledger.node.feed.CommitFeed feed() {
    return feed;
  }

  /** The query store execution writes (null when this node does not execute). */
  public dev.agentledger.node.query.QueryStore queries() {
    return queries;
  }

  private PrimaryService primaryRef() {
    return primary;
  }

  /** The consensus primary, or null when this node runs the data path only. */
  public PrimaryService primary() {
    return primary;
  }

  /**
   * Hands a batch certificate to the worker as if its author had sent it, so the worker fetches the
   * batch.
   */
  private void fetchBatch(BatchCertificate certificate) {
    byte[] frame = certificate.toBytes();
    int index = inbound.tryClaim(PEER, 4 + frame.length);
    if (index <= 0) {
      return;
    }
    MutableDirectBuffer b = inbound.buffer();
    b.putInt(index, certificate.author());
    b.putBytes(index + 4, frame);
    inbound.commit(index);
    agentIdle.wake();
  }

  public Transport transport() {
    return transport;
  }

  public Store store() {
    return store;
  }

  public int self() {
    return config.self();
  }

  /** Liveness and readiness, as {@code /health} and {@code /ready} answer them. */
  public dev.agentledger.node.health.NodeHealth health() {
    return health;
  }

  /** The data directory, or null with in-memory storage. */
  Path dataDir() {
    return config.dataDir();
  }

  /**
   * Whether the worker agent runs: it has done a duty cycle within the last {@link
   * #AGENT_HEARTBEAT_NS} (an idle agent still cycles at least every park interval, and refreshes
   * its heartbeat once a second) and the node is not closed. Whoever runs it (a dedicated or shared
   * thread, or an invoker) does not matter.
   */
  boolean agentRunning() {
    long beat = agent.heartbeatNs;
    return !closed && beat != 0 && clock.getAsLong() - beat < AGENT_HEARTBEAT_NS;
  }

  /**
   * The status member {@code agentFailure} ({@code {agent, error}}) once an agent died of an {@link
   * Error}, and {@code execution.failed} when that agent was execution's.
   */
  private void agentFailureStatus(ObjectNode status) {
    String agent = failedAgent;
    Throwable error = failedAgentError;
    if (agent == null || error == null) {
      return;
    }
    status.putObject("agentFailure").put("agent", agent).put("error", String.valueOf(error));
    if (execution != null
        && agent.equals(execution.agent().roleName())
        && status.get("execution") instanceof ObjectNode json
        && json.path("failed").isNull()) {
      json.put("failed", String.valueOf(error));
    }
  }

  /** How recent the worker agent's last heartbeat must be for {@link #agentRunning}. */
  static final long AGENT_HEARTBEAT_NS = 10_000_000_000L;

  private volatile boolean closed;

  /**
   * Submissions refused as OVERLOADED, and SUBMIT frames refused for a full ring or a full
   * execution backlog, since start.
   */
  long overloadRefusals() {
    return overloadedFrames.get()
        + ingress.count(TxStatus.OVERLOADED)
        + backlogRefusedFrames.get()
        + delayRefusedFrames.get();
  }

  /**
   * Whether this validator, restarted on a ledger it had executed before, has yet to catch up: the
   * mempool reads an agent's next nonce from the executed state, and until that state reaches the
   * head the cluster had when this validator came back, a transaction committed while it was down
   * would look new and the agent's next one would be held behind it. So until execution reaches
   * both the first commit sequence a peer signs after the restart and what its own consensus log
   * holds, submissions are refused as OVERLOADED (the client retries, here or elsewhere). From then
   * on the commit feed keeps the mempool's nonces current; the check is not made again. A fresh
   * ledger, a committee of one and a node without execution never wait. Worker agent only.
   */
  private boolean catchingUp() {
    if (caughtUpOnce) {
      return false;
    }
    long peers = execution.highestPeerSequence();
    if (peers == 0) {
      return true; // no peer has told us its head yet
    }
    if (catchUpTarget < 0) {
      catchUpTarget = Math.max(peers, primary.lastCommittedIndex() + 1);
    }
    if (execution.executedSequence() < catchUpTarget) {
      return true;
    }
    caughtUpOnce = true;
    LOG.log(
        System.Logger.Level.INFO,
        "validator {0}: caught up to commit {1} after the restart; accepting submissions",
        config.self(),
        catchUpTarget);
    return false;
  }

  /**
   * Transactions in commits consensus has written and execution has not applied yet (0 without
   * execution). Execution's count is read first: no commit is executed before it is written, so the
   * difference is never below the true backlog's floor.
   */
  public long executionBacklogRuns() {
    return execution == null ? 0 : backlogRuns();
  }

  private long backlogRuns() {
    long executed = execution.executedTransactions();
    long committed = primary.committedTransactions();
    return backlogAtStart + (committed - committedAtStart) - executed;
  }

  /**
   * Sets the queueing-delay bound and the held-transaction expiry; call before {@link #open} (the
   * agents read them without synchronisation once started).
   */
  public void configureAdmission(AdmissionSettings settings) {
    heldExpiryNs = settings.heldExpiryMs() * 1_000_000L;
    if (execution != null) {
      delayGate = new QueueDelayGate(settings.delay());
    }
  }

  /** The queueing-delay gate (null without execution). */
  public QueueDelayGate delayGate() {
    return delayGate;
  }

  private final dev.agentledger.node.tx.TransactionSlot droppedSlot =
      new dev.agentledger.node.tx.TransactionSlot();
  private final dev.agentledger.hash.Sha256 droppedSha = new dev.agentledger.hash.Sha256();

  /**
   * The mempool dropped a held transaction it had accepted (worker agent): its id is answered as
   * expired from now on (after a restart too: the id goes to disk with the next ingress log flush),
   * and its ingress log entry goes, so a restart does not hold it again.
   */
  private void onDroppedHeld(DirectBuffer buffer, int offset) {
    byte[] id = new byte[32];
    droppedSlot.transactionId(buffer, offset, droppedSha, id, 0);
    long sequence = expired.add(id);
    if (ingressLog != null) {
      ingressLog.forget(
          buffer,
          offset + dev.agentledger.node.tx.TransactionSlot.SIGNER_OFFSET,
          dev.agentledger.node.tx.TransactionSlot.nonce(buffer, offset));
      if (sequence >= 0) {
        ingressLog.rememberExpired(sequence, id, expired.capacity());
      }
    }
  }

  /**
   * What {@code TX_QUERY} answers for transaction {@code id}: the index of the commit that ordered
   * it (once executed, with execution), {@link #ORDERED_ANSWER} while ordered and not executed,
   * {@link #EXPIRED_ANSWER} when this validator accepted it and dropped it unbatched since it
   * started, else -1. On the worker agent's thread, or between duty cycles under {@code INVOKER}.
   */
  public long queryAnswer(byte[] id) {
    Long committedAt = PrimaryService.committedAt(store, id);
    if (committedAt == null) {
      // -2: accepted here, then dropped unbatched (held for a nonce gap past the bound).
      return expired.contains(id) ? EXPIRED_ANSWER : -1;
    }
    if (execution != null && committedAt + 1 > execution.executedSequence()) {
      // With execution, a transaction counts as committed once its commit is executed.
      return ORDERED_ANSWER;
    }
    return committedAt;
  }

  /**
   * Lets the verify agents wait up to {@code lingerNs} (on this validator's clock) for a round of
   * more signatures ({@code VerifyStage#linger}); for agents on their own threads. No effect
   * without verify agents.
   */
  public void lingerVerifyRounds(long lingerNs) {
    if (verifyStage != null) {
      verifyStage.linger(lingerNs, clock);
    }
  }

  /**
   * Where this validator holds the run whose record is at {@code record[at]}, as one line for an
   * operator ({@code TX_WHERE}): committed, ordered and not executed, expired, in the mempool
   * (ready, held for an earlier nonce, or returned by execution and waiting for the ledger's
   * nonce), in an own batch sealed and not yet certified, in an own certified batch consensus has
   * not ordered, only in the ingress log (accepted, and in no pool or batch), or unknown here.
   * Reads stored batches; on the worker agent's thread, or between duty cycles under {@code
   * INVOKER}.
   */
  public String where(DirectBuffer record, int at) {
    byte[] id = new byte[32];
    whereRun.wrap(record, at);
    whereRun.transactionId(dev.agentledger.hash.Sha256.perThread(), id, 0);
    long answer = queryAnswer(id);
    int key = at + dev.agentledger.node.tx.TransactionSlot.SIGNER_OFFSET;
    long nonce = dev.agentledger.node.tx.TransactionSlot.nonce(record, at);
    if (answer >= 0) {
      return "committed at commit " + answer;
    }
    if (answer == ORDERED_ANSWER) {
      return "ordered by consensus, not yet executed here";
    }
    if (answer == EXPIRED_ANSWER) {
      return "expired here: accepted, then dropped unbatched (held past the bound)";
    }
    long ledger = ledgerNonces == null ? -1 : ledgerNonces.committedNextNonce(record, key);
    long[] heads = new long[3];
    mempool.heads(record, key, heads);
    String nonces =
        String.format(
            java.util.Locale.ROOT,
            " (ledger's next nonce %d, pool's next %d; pool heads: ready %d, held %d, returned %d)",
            ledger,
            mempool.expectedNonce(record, key),
            heads[0],
            heads[1],
            heads[2]);
    switch (mempool.locate(record, key, nonce)) {
      case Mempool.READY -> {
        return "in the mempool, ready"
            + (worker.sealingPaused() ? "; sealing paused (execution backlog)" : "")
            + nonces;
      }
      case Mempool.HELD -> {
        return "in the mempool, held for an earlier nonce" + nonces;
      }
      case Mempool.RETURNED -> {
        return "in the mempool, returned by execution, waiting for the ledger to reach its nonce"
            + nonces;
      }
      default -> {}
    }
    String sealed = worker.locatePendingOwn(record, key, nonce);
    if (sealed != null) {
      return sealed + nonces;
    }
    if (primary != null) {
      for (String batch : primary.ownUnorderedBatches()) {
        byte[] stored = store.get(Worker.BATCHES, java.util.HexFormat.of().parseHex(batch));
        if (stored != null && Worker.indexInBatch(stored, record, key, nonce) >= 0) {
          return "in own certified batch "
              + batch.substring(0, 16)
              + ", not yet ordered by consensus"
              + nonces;
        }
      }
    }
    if (ingressLog != null && ingressLog.logged(record, key, nonce) != null) {
      return "accepted here (in the ingress log) but in no pool or own batch" + nonces;
    }
    return "unknown here" + nonces;
  }

  private final dev.agentledger.node.tx.AgentRunFlyweight whereRun =
      new dev.agentledger.node.tx.AgentRunFlyweight();

  /** Accepted transactions dropped unbatched since start (expired or evicted while held). */
  public long expiredTransactions() {
    return expired.total();
  }

  /** Submitted transactions refused as OVERLOADED because the execution backlog was full. */
  public long backlogRefusedRuns() {
    return backlogRefusedRuns.get();
  }

  /** The execution backlog's gate (null without execution). */
  public ExecutionBacklog executionBacklog() {
    return backlog;
  }

  /** Whether this validator refuses submissions because it is catching up after a restart. */
  public boolean isCatchingUp() {
    return !caughtUpOnce;
  }

  /** SUBMIT frames refused because this validator was {@link #catchingUp}, since start. */
  public long catchUpRefusals() {
    return catchUpRefusals.get();
  }

  /**
   * A JSON status line (also answered to STATUS_REQUEST). Built on the agent thread for
   * consistency, once a second while it is read ({@link #STATUS_WATCH_NS}). A read of a status over
   * two seconds old has it rebuilt at the agent's next duty cycle and, while the agent is running
   * (its one-second tick came within the last two seconds), waits for that, up to {@link
   * #STATUS_WAIT_NS}; so a reader after a quiet spell gets a fresh status, not the last one built.
   */
  public String statusJson() {
    long now = System.nanoTime();
    agent.statusReadNs = now;
    long built = agent.statusBuiltNs;
    if (now - built > 2_000_000_000L) {
      agent.statusStale = true;
      agentIdle.wake();
      if (now - agent.heartbeatNs < 2_000_000_000L) {
        long deadline = now + STATUS_WAIT_NS;
        while (agent.statusBuiltNs == built && System.nanoTime() - deadline < 0 && !closed) {
          java.util.concurrent.locks.LockSupport.parkNanos(200_000L);
        }
      }
    }
    return agent.status;
  }

  /** The longest a {@link #statusJson} read of a stale status waits for the rebuild. */
  static final long STATUS_WAIT_NS = 500_000_000L;

  /** The worker keeps rebuilding the status each second for this long after it was last read. */
  static final long STATUS_WATCH_NS = 30_000_000_000L;

  @Override
  public void close() {
    closed = true;
    if (apiRoutes != null) {
      apiRoutes.close();
    }
    if (queryServer != null) {
      queryServer.close();
    }
    if (metricsServer != null) {
      metricsServer.close();
    }
    if (execution != null) {
      execution.close();
    }
    if (heapAfterGc != null) {
      heapAfterGc.close();
    }
    if (committedNonces != null) {
      committedNonces.close();
    }
    if (feed != null) {
      feed.close();
    }
    if (primary != null) {
      primary.close();
    }
    if (verifyStage != null) {
      verifyStage.close();
    }
    transport.close();
    store.close();
  }

  private final class Listener implements TransportListener {
    private final ThreadLocal<UnsafeBuffer> rejectBuffer =
        ThreadLocal.withInitial(
            () ->
                new UnsafeBuffer(
                    new byte[Wire.HEADER_LENGTH + Wire.RESULT_CODES + Wire.MAX_SUBMIT_RECORDS]));

    @Override
    public void onPeerFrame(int peer, DirectBuffer buffer, int offset, int length) {
      byte type = Wire.type(buffer, offset);
      if (type == MessageType.CONSENSUS) {
        if (primary != null) {
          primary.onPeerFrame(peer, buffer, offset, length);
        }
        return;
      }
      if (type == MessageType.COMMIT_SIG || type == MessageType.COMMIT_SIG_REQUEST) {
        if (execution != null) {
          execution.onPeerFrame(peer, buffer, offset, length);
        }
        return;
      }
      if (verifyStage != null) {
        if (!verifyStage.offerPeer(peer, buffer, offset, length)) {
          droppedPeerFrames.incrementAndGet();
        }
        return;
      }
      int index = inbound.tryClaim(PEER, 4 + length);
      if (index <= 0) {
        droppedPeerFrames.incrementAndGet();
        return;
      }
      MutableDirectBuffer b = inbound.buffer();
      b.putInt(index, peer);
      b.putBytes(index + 4, buffer, offset, length);
      inbound.commit(index);
      agentIdle.wake();
    }

    /** Answers every record of the SUBMIT frame OVERLOADED (retryable), on the calling thread. */
    private void rejectOverloaded(long connection, DirectBuffer buffer, int offset) {
      UnsafeBuffer out = rejectBuffer.get();
      int n = IngressProcessor.rejectAll(buffer, offset, TxStatus.OVERLOADED, out, 0);
      recordRefusals(buffer, offset);
      transport.sendToClient(connection, out, 0, n);
    }

    /**
     * Hands the signers and nonces of a SUBMIT refused here to the worker ({@link #ioRefusals}).
     */
    private void recordRefusals(DirectBuffer frame, int offset) {
      int count = IngressProcessor.count(frame, offset);
      int index = ioRefusals.tryClaim(CLIENT, count * REFUSAL_BYTES);
      if (index <= 0) {
        unrecordedRefusals.incrementAndGet();
        return;
      }
      MutableDirectBuffer b = ioRefusals.buffer();
      for (int i = 0; i < count; i++) {
        int at = offset + Wire.HEADER_LENGTH + Wire.SUBMIT_RECORDS + i * Wire.RECORD;
        int to = index + i * REFUSAL_BYTES;
        b.putBytes(to, frame, at + dev.agentledger.node.tx.TransactionSlot.SIGNER_OFFSET, 32);
        b.putLong(
            to + 32,
            dev.agentledger.node.tx.TransactionSlot.nonce(frame, at),
            java.nio.ByteOrder.LITTLE_ENDIAN);
      }
      ioRefusals.commit(index);
    }

    @Override
    public void onClientFrame(long connection, DirectBuffer buffer, int offset, int length) {
      if (Wire.type(buffer, offset) == MessageType.SUBSCRIBE) {
        subscribe(connection, buffer, offset);
        return;
      }
      if (Wire.type(buffer, offset) == MessageType.SUBMIT && stopping()) {
        // An agent died or execution stopped for good: the node is about to stop, so nothing
        // more is admitted (the client retries after the restart, or elsewhere).
        stoppingRefusals.incrementAndGet();
        rejectOverloaded(connection, buffer, offset);
        return;
      }
      if (backlog != null && !backlog.isOpen() && Wire.type(buffer, offset) == MessageType.SUBMIT) {
        // Execution is behind: refused before any signature is verified, retryable.
        backlogRefusedFrames.incrementAndGet();
        backlogRefusedRuns.addAndGet(IngressProcessor.count(buffer, offset));
        rejectOverloaded(connection, buffer, offset);
        return;
      }
      if (delayGate != null
          && !delayGate.isOpen()
          && Wire.type(buffer, offset) == MessageType.SUBMIT) {
        // What is accepted already takes longer than the target delay to commit: refused before
        // any signature is verified, retryable.
        delayRefusedFrames.incrementAndGet();
        delayRefusedRuns.addAndGet(IngressProcessor.count(buffer, offset));
        rejectOverloaded(connection, buffer, offset);
        return;
      }
      int index =
          verifyStage != null
              ? (verifyStage.offerClient(connection, buffer, offset, length) ? 1 : 0)
              : clientInbound.tryClaim(CLIENT, 8 + length);
      if (index > 0 && Wire.type(buffer, offset) == MessageType.SUBMIT) {
        // Admitted past the gates; the worker agent counts them out when it answers the frame.
        unansweredRuns.addAndGet(IngressProcessor.count(buffer, offset));
      }
      if (index <= 0) {
        overloadedFrames.incrementAndGet();
        if (Wire.type(buffer, offset) == MessageType.SUBMIT) {
          rejectOverloaded(connection, buffer, offset);
        }
        return;
      }
      if (verifyStage != null) {
        return;
      }
      MutableDirectBuffer b = clientInbound.buffer();
      b.putLong(index, connection);
      b.putBytes(index + 8, buffer, offset, length);
      clientInbound.commit(index);
      agentIdle.wake();
    }
  }

  /** A SUBSCRIBE frame (I/O thread): the subscription is served by the feed's agent. */
  private void subscribe(long connection, DirectBuffer buffer, int offset) {
    int p = offset + Wire.HEADER_LENGTH;
    java.nio.ByteOrder le = java.nio.ByteOrder.LITTLE_ENDIAN;
    dev.agentledger.node.feed.ClientFeedSink sink =
        new dev.agentledger.node.feed.ClientFeedSink(
            transport, connection, buffer.getLong(p + Wire.REQUEST_ID, le));
    if (feed == null) {
      sink.end(
          dev.agentledger.node.net.FeedEndReason.BAD_REQUEST,
          "this node does not execute commits: it has no commit feed");
      return;
    }
    int count = Short.toUnsignedInt(buffer.getShort(p + Wire.SUBSCRIBE_COUNT, le));
    java.util.List<byte[]> agents = new java.util.ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      byte[] key = new byte[32];
      buffer.getBytes(p + Wire.SUBSCRIBE_KEYS + i * 32, key);
      agents.add(key);
    }
    feed.subscribe(
        buffer.getLong(p + Wire.SUBSCRIBE_FROM, le),
        dev.agentledger.node.feed.FeedFilter.agents(agents),
        sink);
  }

  /**
   * The single writer: drains the inbound ring, runs ingress and the worker, writes a group of
   * batches at once.
   */
  private final class WorkerAgent implements Agent {
    private final UnsafeBuffer reply = new UnsafeBuffer(new byte[Wire.MAX_CLIENT_FRAME]);
    private final org.agrona.concurrent.MessageHandler handler = this::onMessage;
    private volatile String status = "{}";
    private long lastStatusNs;

    /**
     * glibc's malloc_trim, every {@link #mallocTrimPeriodNs} (none where the C library has no such
     * call or the period is 0): RSS then follows the native memory in use, not its highest sum
     * ({@link dev.agentledger.node.storage.MallocTrim}).
     */
    private final dev.agentledger.node.storage.MallocTrim mallocTrim =
        dev.agentledger.node.storage.MallocTrim.glibc().orElse(null);

    private final long mallocTrimPeriodNs =
        dev.agentledger.node.storage.MallocTrim.periodNs(
            System.getProperty(dev.agentledger.node.storage.MallocTrim.PERIOD_PROPERTY));

    private long lastMallocTrimNs;

    /** When {@link #statusJson} was last called, and when the status was last built. */
    private volatile long statusReadNs = System.nanoTime() - STATUS_WATCH_NS;

    private volatile long statusBuiltNs = System.nanoTime() - STATUS_WATCH_NS;

    /** Set from another thread when the status must be rebuilt at the next duty cycle. */
    private volatile boolean statusStale;

    private volatile long heartbeatNs;

    /** {@link #catchingUp}, read once per duty cycle. */
    private boolean behind;

    /**
     * The backlog and queueing-delay gates and the held-transaction expiry: at most once per {@link
     * #ADMISSION_CHECK_PERIOD_NS}, not on every duty cycle (a loaded worker runs tens of thousands
     * of cycles a second, and each reading here touches counters other stages write).
     */
    private void admissionChecks(long nowNs) {
      if (backlog != null) {
        // Own certified batches not yet ordered count too: consensus will order them into commits
        // execution must run, and under overload they are what makes a commit huge.
        worker.pauseSealing(
            !backlog.update(
                backlogRuns() + primary.ownUnorderedTransactions(), memoryInUseBytes()));
        // Own work not yet ordered weighs once per validator: the committee orders about as much
        // of every other validator's work as of ours.
        long ownQueued =
            unansweredRuns.get()
                + mempool.readyCount()
                + worker.pendingOwnTxs()
                + primary.ownUnorderedTransactions();
        delayGate.update(
            nowNs,
            config.committee().size() * ownQueued + backlogRuns(),
            execution.executedTransactions());
      }
      mempool.expireHeld(nowNs, heldExpiryNs);
    }

    /** When {@link #admissionChecks} last ran. */
    private long lastAdmissionChecksNs;

    private boolean admissionChecked;

    @Override
    public int doWork() {
      long nowNs = clock.getAsLong();
      behind = catchingUp();
      if (!admissionChecked || nowNs - lastAdmissionChecksNs >= ADMISSION_CHECK_PERIOD_NS) {
        admissionChecked = true;
        lastAdmissionChecksNs = nowNs;
        admissionChecks(nowNs);
      }
      // Peer traffic first and in bulk (cheap, and it is what certifies batches); then a bounded
      // number of client frames: inline, each costs a batch of signature verifications, so only a
      // couple; behind the verify stage only admission is left, so more. A flood of submissions
      // cannot starve dissemination: it fills the client ring and gets OVERLOADED.
      int work = inbound.read(handler, 256);
      work += clientInbound.read(handler, verifyStage == null ? 2 : CLIENT_FRAMES_PER_CYCLE);
      work += worker.onTick(nowNs);
      if (ingressLog != null && worker.hasPendingWrites()) {
        // One fsync per cycle: the ingress log's entries go out buffered, and the worker's synced
        // group write right after covers them; only then the held ACCEPTED replies and the
        // worker's frames go out.
        ingressLog.writeDeferringSync();
        work += worker.flush();
        work += ingressLog.synced();
      } else {
        if (ingressLog != null) {
          work += ingressLog.flush(); // one synced write, then the held ACCEPTED replies
        }
        work += worker.flush();
      }
      if (statusStale || nowNs - lastStatusNs > 1_000_000_000L) {
        lastStatusNs = nowNs;
        heartbeatNs = nowNs;
        if (committedNonces != null) {
          committedNonces.resubscribeIfEnded();
        }
        if (mallocTrim != null
            && mallocTrimPeriodNs > 0
            && nowNs - lastMallocTrimNs >= mallocTrimPeriodNs) {
          lastMallocTrimNs = nowNs;
          mallocTrim.trim();
        }
        // Built only while someone reads it: a build costs milliseconds of this thread (the
        // per-thread CPU readings, the JSON), a large share of its time at a few thousand tps.
        if (statusStale || nowNs - statusReadNs < STATUS_WATCH_NS) {
          statusStale = false;
          status = buildStatus();
          statusBuiltNs = nowNs;
        }
      }
      return work;
    }

    private void onMessage(int kind, MutableDirectBuffer buffer, int index, int length) {
      if (kind == VerifyStage.PEER_VERIFIED) {
        worker.onVerifiedBatch(buffer.getInt(index), buffer, index + 4, length - 4);
      } else if (kind == VerifyStage.CLIENT_VERIFIED) {
        long connection = buffer.getLong(index);
        int frameLength = buffer.getInt(index + 8);
        int at = index + 12;
        unansweredRuns.addAndGet(-IngressProcessor.count(buffer, at));
        takeIoRefusals();
        if (behind) {
          refuseWhileCatchingUp(buffer, at, connection);
          return;
        }
        int n =
            ingress.onVerifiedSubmit(
                buffer, at, buffer, at + frameLength, connection, clock.getAsLong(), reply, 0);
        answerSubmit(buffer, at, connection, n);
      } else if (kind == COMMITTED_NONCE) {
        long nonce = buffer.getLong(index + 32, java.nio.ByteOrder.LITTLE_ENDIAN);
        mempool.onCommitted(buffer, index, nonce);
        if (ingressLog != null) {
          ingressLog.onCommitted(buffer, index, nonce);
        }
      } else if (kind == REFUSED_NONCE) {
        takeBackRefused(buffer, index);
      } else if (kind == PEER) {
        int peer = buffer.getInt(index);
        int at = index + 4;
        int len = length - 4;
        switch (Wire.type(buffer, at)) {
          case MessageType.BATCH -> worker.onBatch(peer, buffer, at, len);
          case MessageType.BATCH_ACK -> worker.onAck(peer, buffer, at);
          case MessageType.BATCH_CERT -> worker.onCertificate(peer, buffer, at, clock.getAsLong());
          case MessageType.BATCH_REQUEST -> worker.onBatchRequest(peer, buffer, at);
          default -> {}
        }
      } else {
        long connection = buffer.getLong(index);
        int at = index + 8;
        switch (Wire.type(buffer, at)) {
          case MessageType.SUBMIT -> {
            unansweredRuns.addAndGet(-IngressProcessor.count(buffer, at));
            takeIoRefusals();
            if (behind) {
              refuseWhileCatchingUp(buffer, at, connection);
              return;
            }
            int n =
                ingress.onSubmit(
                    buffer, at, connection, clock.getAsLong(), unixClock.getAsLong(), reply, 0);
            answerSubmit(buffer, at, connection, n);
          }
          case MessageType.STATUS_REQUEST -> {
            long requestId =
                buffer.getLong(at + Wire.HEADER_LENGTH, java.nio.ByteOrder.LITTLE_ENDIAN);
            status = buildStatus();
            statusBuiltNs = System.nanoTime();
            byte[] json = status.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            int n = Wire.statusResponse(reply, 0, requestId, json);
            transport.sendToClient(connection, reply, 0, n);
          }
          case MessageType.TX_QUERY -> {
            long requestId =
                buffer.getLong(at + Wire.HEADER_LENGTH, java.nio.ByteOrder.LITTLE_ENDIAN);
            int n =
                Short.toUnsignedInt(
                    buffer.getShort(
                        at + Wire.HEADER_LENGTH + Wire.COUNT16, java.nio.ByteOrder.LITTLE_ENDIAN));
            StringBuilder json = new StringBuilder("{\"committed\":[");
            byte[] id = new byte[32];
            for (int i = 0; i < n; i++) {
              buffer.getBytes(at + Wire.HEADER_LENGTH + Wire.SUBMIT_RECORDS + i * 32, id);
              json.append(i == 0 ? "" : ",").append(queryAnswer(id));
            }
            json.append("]}");
            int len =
                Wire.statusResponse(
                    reply,
                    0,
                    requestId,
                    json.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            transport.sendToClient(connection, reply, 0, len);
          }
          case MessageType.TX_WHERE -> {
            long requestId =
                buffer.getLong(at + Wire.HEADER_LENGTH, java.nio.ByteOrder.LITTLE_ENDIAN);
            int n =
                Short.toUnsignedInt(
                    buffer.getShort(
                        at + Wire.HEADER_LENGTH + Wire.COUNT16, java.nio.ByteOrder.LITTLE_ENDIAN));
            ArrayNode lines = JsonNodeFactory.instance.arrayNode();
            for (int i = 0; i < n; i++) {
              lines.add(
                  where(buffer, at + Wire.HEADER_LENGTH + Wire.SUBMIT_RECORDS + i * Wire.RECORD));
            }
            ObjectNode answer = JsonNodeFactory.instance.objectNode();
            answer.set("where", lines);
            byte[] json = answer.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            if (json.length > Wire.MAX_STATUS_JSON) {
              json =
                  "{\"where\":[],\"error\":\"answer too long: ask about fewer runs\"}"
                      .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            }
            int len = Wire.statusResponse(reply, 0, requestId, json);
            transport.sendToClient(connection, reply, 0, len);
          }
          default -> {}
        }
      }
    }

    /**
     * Answers every record of a SUBMIT OVERLOADED: this validator's executed state is behind, so it
     * cannot tell a committed nonce from the next one (the client retries later or elsewhere).
     */
    private void refuseWhileCatchingUp(DirectBuffer frame, int at, long connection) {
      catchUpRefusals.incrementAndGet();
      for (int i = 0; i < IngressProcessor.count(frame, at); i++) {
        int record = at + Wire.HEADER_LENGTH + Wire.SUBMIT_RECORDS + i * Wire.RECORD;
        mempool.refusedBeforeAdmission(
            frame,
            record + dev.agentledger.node.tx.TransactionSlot.SIGNER_OFFSET,
            dev.agentledger.node.tx.TransactionSlot.nonce(frame, record));
      }
      int n = IngressProcessor.rejectAll(frame, at, TxStatus.OVERLOADED, reply, 0);
      transport.sendToClient(connection, reply, 0, n);
    }

    /**
     * Execution refused a transaction of the signer at {@code buffer[index]} as {@code BAD_NONCE}
     * at the nonce after the key: when this validator accepted a transaction at that (signer,
     * nonce) (its ingress log holds it, so no commit consumed the nonce yet), the mempool takes it
     * back; it is batched again once the ledger reaches its nonce. A batch of the signer's earlier
     * nonces ordered after a later one (an own batch proposed again after its vertex was left out)
     * makes the later one's runs arrive too early; otherwise they would be lost, and the signer's
     * ledger nonce would stay behind what the mempool expects.
     */
    private void takeBackRefused(DirectBuffer buffer, int index) {
      if (ingressLog == null || ledgerNonces == null) {
        return;
      }
      long nonce = buffer.getLong(index + 32, java.nio.ByteOrder.LITTLE_ENDIAN);
      byte[] logged = ingressLog.logged(buffer, index, nonce);
      if (logged != null) {
        mempool.requeue(
            new UnsafeBuffer(logged), 0, ledgerNonces.committedNextNonce(buffer, index));
      }
    }

    private final org.agrona.concurrent.MessageHandler refusalHandler =
        (kind, buffer, index, length) -> {
          for (int p = index; p + REFUSAL_BYTES <= index + length; p += REFUSAL_BYTES) {
            mempool.refusedBeforeAdmission(
                buffer, p, buffer.getLong(p + 32, java.nio.ByteOrder.LITTLE_ENDIAN));
          }
        };

    /**
     * Records the refusals I/O threads made ({@link #ioRefusals}) before a client frame is
     * admitted: a frame refused there was refused before any later frame of its connection reached
     * this thread, so its refusal is in the ring by now.
     */
    private void takeIoRefusals() {
      ioRefusals.read(refusalHandler, Integer.MAX_VALUE);
    }

    /** Sends a SUBMIT_RESULT, through the ingress log when ACCEPTED must be durable first. */
    private void answerSubmit(DirectBuffer frame, int at, long connection, int replyLength) {
      if (ingressLog == null) {
        transport.sendToClient(connection, reply, 0, replyLength);
      } else {
        ingressLog.onSubmitResult(frame, at, connection, reply, 0, replyLength);
      }
    }

    private boolean lowDiskLogged;

    /**
     * Puts the {@code storage} member (data directory free space), none without a data directory.
     */
    private final DiskSpace.Probe freeSpace = new DiskSpace.Probe();

    private void storageStatus(ObjectNode status) {
      if (config.dataDir() == null) {
        return;
      }
      long free = freeSpace.applyAsLong(config.dataDir());
      boolean low = DiskSpace.low(free, DiskSpace.LOW_DISK_BYTES);
      if (low && !lowDiskLogged) {
        LOG.log(
            System.Logger.Level.WARNING,
            "validator {0}: low disk space: {1} bytes free in {2}; the node stops (exit 74) under"
                + " its free-space floor (--min-free-disk-mib) or when a write fails",
            config.self(),
            free,
            config.dataDir());
      }
      lowDiskLogged = low;
      ObjectNode storage =
          DiskSpace.status(free, DiskSpace.LOW_DISK_BYTES, store.writeFailure() != null);
      if (store instanceof RocksDbStore rocks) {
        RocksDbStore.MemoryUsage m = rocks.memoryUsage();
        storageMemory = m;
        storage
            .putObject("memory")
            .put("budgetBytes", m.capacityBytes())
            .put("memtableBudgetBytes", m.memtableBudgetBytes())
            .put("cacheBytes", m.cacheBytes())
            .put("cachePinnedBytes", m.cachePinnedBytes())
            .put("memtableBytes", m.memtableBytes())
            .put("tableReaderBytes", m.tableReaderBytes());
      }
      status.set("storage", storage);
    }

    /**
     * What the backlog gate compares with its heap limit: the heap after the last collection, or
     * direct memory as the same share of the heap when that share is higher (Netty's buffers, and,
     * off Linux, the execution state's native pages, which grow there with the ledger: past {@code
     * -XX:MaxDirectMemorySize} execution would fail).
     */
    private long memoryInUseBytes() {
      return Math.max(
          heapAfterGc.usedAfterGcBytes(), directMemory.asShareOf(heapAfterGc.maxBytes()));
    }

    private String buildStatus() {
      ObjectNode status = JsonNodeFactory.instance.objectNode();
      status
          .put("validator", config.self())
          .put("chainId", Integer.toUnsignedLong(config.ingress().chainId()))
          .put("transport", transport.ioKind().toString())
          .put("peerAddress", String.valueOf(transport.peerAddress()))
          .put("clientAddress", String.valueOf(transport.clientAddress()));
      status
          .putObject("mempool")
          .put("size", mempool.size())
          .put("held", mempool.heldCount())
          .put("admitted", mempool.metrics().admitted())
          .put("rejected", mempool.metrics().rejected())
          .put("evicted", mempool.metrics().evicted())
          .put("requeued", mempool.metrics().requeued())
          .put("expired", mempool.metrics().expired())
          .put("heldExpiryMs", heldExpiryNs / 1_000_000L);
      status
          .putObject("ingress")
          .put("accepted", ingress.count(TxStatus.ACCEPTED))
          .put("badSignature", ingress.count(TxStatus.BAD_SIGNATURE))
          .put("overloadedFrames", overloadedFrames.get())
          .put("refusalsRecorded", mempool.metrics().refusedBeforeAdmission())
          .put("refusalsUnrecorded", unrecordedRefusals.get())
          .put("catchingUp", !caughtUpOnce)
          .put("catchUpRefusedFrames", catchUpRefusals.get());
      if (backlog != null) {
        status
            .putObject("backlog")
            .put("runs", backlog.backlogRuns())
            .put("unorderedOwnRuns", primary.ownUnorderedTransactions())
            .put(
                "commits",
                Math.max(0, primary.lastCommittedIndex() + 1 - execution.executedSequence()))
            .put("highWaterRuns", backlog.highWaterRuns())
            .put("maxRuns", backlog.limits().maxRuns())
            .put("lowRuns", backlog.limits().lowRuns())
            .put("heapAfterGcBytes", heapAfterGc.usedAfterGcBytes())
            .put("directUsedBytes", directMemory.usedBytes())
            .put("directLimitBytes", directMemory.maxBytes())
            .put("mallocTrims", mallocTrim == null ? -1 : mallocTrim.trims())
            .put("heapLimitBytes", Math.min(backlog.heapLimitBytes(), heapAfterGc.maxBytes()))
            .put("admitting", backlog.isOpen())
            .put("closedFor", backlog.closedFor().name().toLowerCase(java.util.Locale.ROOT))
            .put("closures", backlog.closures())
            .put("refusedFrames", backlogRefusedFrames.get())
            .put("refusedRuns", backlogRefusedRuns.get())
            .put("sealingPaused", worker.sealingPaused());
        QueueDelayGate gate = delayGate;
        status
            .putObject("admission")
            .put("targetDelayMs", gate.limits().targetDelayMs())
            .put("floorRuns", gate.limits().floorRuns())
            .put("queuedRuns", gate.queuedRuns())
            .put("commitRatePerSec", gate.ratePerSec())
            .put("boundRuns", gate.boundRuns())
            .put("estimatedDelayMs", Math.min(gate.estimatedDelayMs(), 3_600_000L))
            .put("admitting", gate.isOpen() && backlog.isOpen())
            .put(
                "closedFor",
                !backlog.isOpen()
                    ? backlog.closedFor().name().toLowerCase(java.util.Locale.ROOT)
                    : gate.isOpen() ? "none" : "delay")
            .put("delayClosures", gate.closures())
            .put("delayRefusedFrames", delayRefusedFrames.get())
            .put("delayRefusedRuns", delayRefusedRuns.get())
            .put("unansweredRuns", unansweredRuns.get())
            .put(
                "ownQueuedRuns",
                unansweredRuns.get()
                    + mempool.readyCount()
                    + worker.pendingOwnTxs()
                    + primary.ownUnorderedTransactions());
      }
      if (verifyStage != null) {
        status.set("verify", verifyStage.status());
      }
      status.set("accel", accelerators.status());
      status
          .putObject("worker")
          .put("sealedBatches", worker.sealedBatches())
          .put("sealedTxs", worker.sealedTxs())
          .put("certifiedBatches", worker.certifiedBatches())
          .put("certifiedTxs", worker.certifiedTxs())
          .put("sealWaits", worker.sealWaits())
          .put("sealWaitMs", worker.sealWaitNs() / 1_000_000)
          .put("certifyWaits", worker.certifyWaits())
          .put("certifyWaitMs", worker.certifyWaitNs() / 1_000_000)
          .put("pendingBatches", worker.pendingBatches())
          .put("missingBatches", worker.missingBatches())
          .put("acksSent", worker.acksSent())
          .put("refusedMessages", worker.refusedMessages())
          .put("fetchRequests", worker.fetchRequests())
          .put("fetchInFlight", worker.fetcher().inFlight())
          .put("fetchTimeouts", worker.fetcher().timeouts())
          .put("certificateSignatures", worker.certificateVerifier().signaturesVerified())
          .put("certificateCacheHits", worker.certificateVerifier().cacheHits())
          .put("certificatesVerifiedTwice", verifiedCertificates.duplicates())
          .put(
              "badSignatureBatches",
              worker.badSignatureBatches()
                  + (verifyStage == null ? 0 : verifyStage.badSignatureBatches()));
      status
          .put("transportDroppedSends", transport.droppedSends())
          .put("droppedPeerFrames", droppedPeerFrames.get());
      ObjectNode network = status.putObject("network");
      transport.peerTraffic(network::put);
      ArrayNode peers = status.putArray("peers");
      for (int i = 0; i < config.committee().size(); i++) {
        if (i != config.self()) {
          peers.addObject().put("validator", i).put("connected", transport.isConnected(i));
        }
      }
      storageStatus(status);
      threadCosts(status);
      ObjectNode runtime = runtimeStatus;
      if (runtime != null) {
        status.set("runtime", runtime);
      }
      if (primary != null) {
        status.set("consensus", primary.status());
      }
      if (execution != null) {
        execution.status(status);
      }
      agentFailureStatus(status);
      if (feed != null) {
        status.set("feed", feed.status());
      }
      return status.toString();
    }

    /**
     * CPU time and heap bytes allocated per thread group of this JVM ({@link
     * dev.agentledger.node.metrics.ThreadGroupCosts}: digits in thread names folded to N): the
     * profiler-free per-stage cost (verify-N-N, worker-N, the Netty I/O threads, primary,
     * execution, feed). {@code threadsCpuMs} leaves out groups under 10 ms; GC is not a Java thread
     * and shows in the process total only. {@code threadsAllocatedBytes} leaves out groups under 1
     * MiB; its process total counts threads that ended too.
     */
    private final java.util.Map<Long, String> threadGroups = new java.util.HashMap<>();

    private void threadCosts(ObjectNode status) {
      java.lang.management.ThreadMXBean threads =
          java.lang.management.ManagementFactory.getThreadMXBean();
      if (!threads.isThreadCpuTimeSupported()) {
        status.putObject("threadsCpuMs");
        return;
      }
      long[] ids = threads.getAllThreadIds();
      String[] groups = new String[ids.length];
      long[] cpuNs = new long[ids.length];
      for (int i = 0; i < ids.length; i++) {
        String group = threadGroups.get(ids[i]);
        if (group == null) {
          // names are looked up once per thread: getThreadInfo is a VM operation
          java.lang.management.ThreadInfo info = threads.getThreadInfo(ids[i]);
          if (info != null) {
            group = dev.agentledger.node.metrics.ThreadGroupCosts.group(info.getThreadName());
            threadGroups.put(ids[i], group);
          }
        }
        groups[i] = group;
        cpuNs[i] = threads.getThreadCpuTime(ids[i]);
      }
      if (threadGroups.size() > 4 * ids.length + 64) {
        java.util.Set<Long> live = new java.util.HashSet<>();
        for (long id : ids) {
          live.add(id);
        }
        threadGroups.keySet().retainAll(live);
      }
      long processNs = -1;
      if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
          instanceof com.sun.management.OperatingSystemMXBean os) {
        processNs = os.getProcessCpuTime();
      }
      status.set(
          "threadsCpuMs",
          dev.agentledger.node.metrics.ThreadGroupCosts.json(
              processNs,
              dev.agentledger.node.metrics.ThreadGroupCosts.sum(groups, cpuNs, ids.length),
              1_000_000L,
              10_000_000L));
      if (threads instanceof com.sun.management.ThreadMXBean sun
          && sun.isThreadAllocatedMemorySupported()
          && sun.isThreadAllocatedMemoryEnabled()) {
        long[] allocated = sun.getThreadAllocatedBytes(ids);
        status.set(
            "threadsAllocatedBytes",
            dev.agentledger.node.metrics.ThreadGroupCosts.json(
                sun.getTotalThreadAllocatedBytes(),
                dev.agentledger.node.metrics.ThreadGroupCosts.sum(groups, allocated, ids.length),
                1L,
                1L << 20));
      }
    }

    @Override
    public String roleName() {
      return "worker-" + config.self();
    }
  }
}
