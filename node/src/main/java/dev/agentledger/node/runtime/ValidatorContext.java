package dev.agentledger.node.runtime;

import dev.agentledger.node.accel.NodeAccelerators;
import dev.agentledger.node.config.ConfigException;
import dev.agentledger.node.config.ExecutionGenesisMapping;
import dev.agentledger.node.config.Genesis;
import dev.agentledger.node.config.NodeSetup;
import dev.agentledger.node.consensus.core.PrimaryConfig;
import dev.agentledger.node.execution.state.SmtStateStore;
import dev.agentledger.node.ingress.BatchSignatureVerifier;
import dev.agentledger.node.ingress.IngressConfig;
import dev.agentledger.node.ingress.SingleEd25519Verifier;
import dev.agentledger.node.mempool.core.MempoolConfig;
import dev.agentledger.node.net.Wire;
import dev.agentledger.node.net.netty.IoKind;
import dev.agentledger.node.net.netty.NettyTransport;
import dev.agentledger.node.worker.ValidatorNode;
import dev.agentledger.node.worker.core.BatchCertificateSink;
import dev.agentledger.node.worker.core.ExecutionBacklog;
import dev.agentledger.node.worker.core.QueueDelayGate;
import dev.agentledger.node.worker.core.WorkerConfig;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Every setting of one validator process, with its default, validated and derived in one place
 * ({@link #conclude()}), in the manner of Aeron's {@code ConsensusModule.Context}: the settings of
 * each stage (transport, worker, mempool, verify stage, consensus, execution), how the stages'
 * agents are placed on threads ({@link ThreadingMode}), and the signature backend. {@link
 * Validator#launch} builds and runs the validator from it.
 *
 * <p>Built from a loaded {@link NodeSetup} ({@link #fromSetup}: what {@code node run} does, each
 * flag a setter) or from an explicit {@link ValidatorNode.Config} ({@link #forNode}: tests and
 * in-process clusters, which also pass the consensus and execution settings they want).
 */
public final class ValidatorContext {
  /** {@code node run}'s defaults, one per setting. */
  public static final int DEFAULT_IO_THREADS = 2;

  public static final int DEFAULT_BATCH_SIZE = 1000;
  public static final long DEFAULT_BATCH_DELAY_MS = 20;
  public static final long DEFAULT_RESEND_MS = 1000;
  public static final int DEFAULT_MAX_PENDING_BATCHES = 32;
  public static final int DEFAULT_VERIFY_THREADS = 1;
  public static final long DEFAULT_EMPTY_PROPOSAL_DELAY_MS = 50;
  public static final long DEFAULT_IDLE_PROPOSAL_DELAY_MS = 10_000;
  public static final long DEFAULT_MIN_ROUND_MS = 0;
  public static final long DEFAULT_LEADER_TIMEOUT_MS = 600;
  public static final long DEFAULT_STRAGGLER_WAIT_MS = 15;

  /** Bounds of the adaptive leader timeout; 0 means the leader timeout itself (fixed). */
  public static final long DEFAULT_LEADER_TIMEOUT_MIN_MS = 0;

  public static final long DEFAULT_LEADER_TIMEOUT_MAX_MS = 0;
  public static final int DEFAULT_GC_DEPTH = 20;
  public static final int DEFAULT_CONSENSUS_VERIFY_THREADS = 2;
  public static final long DEFAULT_TICK_MS = 10;
  public static final int DEFAULT_STATE_RETAIN_VERSIONS = SmtStateStore.DEFAULT_RETAINED_VERSIONS;
  public static final ThreadingMode DEFAULT_THREADING = ThreadingMode.DEDICATED;

  /** See {@link ExecutionBacklog.Limits}. */
  public static final long DEFAULT_MAX_EXECUTION_BACKLOG = ExecutionBacklog.Limits.DEFAULT_MAX_RUNS;

  public static final int DEFAULT_BACKLOG_HEAP_PERCENT =
      ExecutionBacklog.Limits.DEFAULT_HEAP_PERCENT;

  /**
   * Queueing delay at which admission closes ({@link QueueDelayGate}): what is accepted and not yet
   * committed at this validator would take longer than this to commit at the measured rate.
   */
  public static final long DEFAULT_ADMISSION_DELAY_MS =
      QueueDelayGate.Limits.DEFAULT_TARGET_DELAY_MS;

  /** Queued work under which the delay bound never closes admission ({@link QueueDelayGate}). */
  public static final long DEFAULT_ADMISSION_FLOOR_RUNS = QueueDelayGate.Limits.DEFAULT_FLOOR_RUNS;

  /** See {@link ValidatorNode.AdmissionSettings#DEFAULT_HELD_EXPIRY_MS}. */
  public static final long DEFAULT_HELD_EXPIRY_MS =
      ValidatorNode.AdmissionSettings.DEFAULT_HELD_EXPIRY_MS;

  /** See {@link ValidatorNode.ExecutionSettings#DEFAULT_STATE_RETAIN_HEAP_PERCENT}. */
  public static final int DEFAULT_STATE_RETAIN_HEAP_PERCENT =
      ValidatorNode.ExecutionSettings.DEFAULT_STATE_RETAIN_HEAP_PERCENT;

  /**
   * Cap of {@code node run}'s start-up JIT warm-up ({@code --jit-warmup-ms}; it stops earlier once
   * the JIT has settled). Four validators warming up together on two cores stay within the demo's
   * ready timeout. A context {@link #forNode} (tests, in-process clusters) has none unless set.
   */
  public static final long DEFAULT_JIT_WARMUP_MAX_MS = 30_000;

  /** The longest warm-up cap accepted. */
  public static final long MAX_JIT_WARMUP_MAX_MS = 600_000;

  /** Bytes of each inbound ring (peer frames, and the verify agents' input rings). */
  public static final int INBOUND_RING_BYTES = 32 << 20;

  private final NodeSetup setup;
  private ValidatorNode.Config nodeConfig;
  private ValidatorNode.ConsensusSettings consensus;
  private ValidatorNode.ExecutionSettings execution;
  private boolean explicitStages;

  private IoKind ioKind;
  private int ioThreads = DEFAULT_IO_THREADS;
  private int batchSize = DEFAULT_BATCH_SIZE;
  private long batchDelayMs = DEFAULT_BATCH_DELAY_MS;
  private long resendMs = DEFAULT_RESEND_MS;
  private MempoolConfig mempool =
      nodeRunMempool(100_000, 1000, 2000, 50_000, 100_000, 100_000, 200_000);
  private int verifyThreads = DEFAULT_VERIFY_THREADS;
  private long emptyProposalDelayMs = DEFAULT_EMPTY_PROPOSAL_DELAY_MS;
  private long idleProposalDelayMs = DEFAULT_IDLE_PROPOSAL_DELAY_MS;
  private long minRoundMs = DEFAULT_MIN_ROUND_MS;
  private long leaderTimeoutMs = DEFAULT_LEADER_TIMEOUT_MS;
  private long stragglerWaitMs = DEFAULT_STRAGGLER_WAIT_MS;
  private long leaderTimeoutMinMs = DEFAULT_LEADER_TIMEOUT_MIN_MS;
  private long leaderTimeoutMaxMs = DEFAULT_LEADER_TIMEOUT_MAX_MS;
  private int gcDepth = DEFAULT_GC_DEPTH;
  private int consensusVerifyThreads = DEFAULT_CONSENSUS_VERIFY_THREADS;
  private boolean executionVerify;
  private int stateRetainVersions = DEFAULT_STATE_RETAIN_VERSIONS;
  private long maxExecutionBacklog = DEFAULT_MAX_EXECUTION_BACKLOG;
  private int backlogHeapPercent = DEFAULT_BACKLOG_HEAP_PERCENT;
  private long admissionDelayMs = DEFAULT_ADMISSION_DELAY_MS;
  private long admissionFloorRuns = DEFAULT_ADMISSION_FLOOR_RUNS;
  private long heldExpiryMs = DEFAULT_HELD_EXPIRY_MS;
  private ValidatorNode.AdmissionSettings admission;
  private int stateRetainHeapPercent = DEFAULT_STATE_RETAIN_HEAP_PERCENT;
  private long stateCacheMb;
  private ThreadingMode threading = DEFAULT_THREADING;
  private long jitWarmupMaxMs;
  private AgentPlacement placement = AgentPlacement.NONE;
  private Optional<ThreadAffinity> affinity = Optional.empty();
  private java.util.function.UnaryOperator<dev.agentledger.node.idle.StageAgent> agentDecorator =
      java.util.function.UnaryOperator.identity();
  private NodeAccelerators accelerators;
  private BatchCertificateSink sink = c -> {};
  private ValidatorNode.Environment environment;
  private BatchSignatureVerifier verifier;
  private boolean concluded;

  private ValidatorContext(NodeSetup setup, ValidatorNode.Config nodeConfig) {
    this.setup = setup;
    this.nodeConfig = nodeConfig;
  }

  /**
   * A validator as {@code node run} builds it from a node configuration, genesis and key; the
   * configuration's {@code threading} and {@code agent_cores} are the threading mode and placement
   * until a setter says otherwise.
   */
  public static ValidatorContext fromSetup(NodeSetup setup) {
    ValidatorContext c = new ValidatorContext(Objects.requireNonNull(setup, "setup"), null);
    c.jitWarmupMaxMs = DEFAULT_JIT_WARMUP_MAX_MS;
    var agents = setup.config().agents();
    if (agents.threading() != null) {
      c.threading = ThreadingMode.parse(agents.threading());
    }
    c.placement = new AgentPlacement(agents.cores());
    return c;
  }

  /**
   * A validator from explicit stage settings: {@code consensus} null runs the data path only,
   * {@code execution} null runs no execution (it needs consensus).
   */
  public static ValidatorContext forNode(
      ValidatorNode.Config config,
      ValidatorNode.ConsensusSettings consensus,
      ValidatorNode.ExecutionSettings execution) {
    ValidatorContext c = new ValidatorContext(null, Objects.requireNonNull(config, "config"));
    c.consensus = consensus;
    c.execution = execution;
    c.explicitStages = true;
    c.verifyThreads = 0;
    c.admissionDelayMs = 0; // no queueing-delay bound unless set (tests, in-process clusters)
    return c;
  }

  /**
   * The mempool {@code node run} configures: {@code capacity} pending transactions, per-agent and
   * per-connection and per-address token buckets (0: off), its fixed per-agent bounds.
   */
  public static MempoolConfig nodeRunMempool(
      int capacity,
      long agentRate,
      long agentBurst,
      long connectionRate,
      long connectionBurst,
      long ipRate,
      long ipBurst) {
    return new MempoolConfig(
        capacity,
        4096,
        1024,
        1 << 20,
        agentRate,
        agentBurst,
        1024,
        connectionRate,
        connectionBurst,
        4096,
        ipRate,
        ipBurst);
  }

  // ---------------------------------------------------------------- settings

  /** The network transport (default: the first available of io_uring, epoll, nio). */
  public ValidatorContext ioKind(IoKind v) {
    ioKind = Objects.requireNonNull(v);
    return this;
  }

  public ValidatorContext ioThreads(int v) {
    ioThreads = v;
    return this;
  }

  public ValidatorContext batchSize(int v) {
    batchSize = v;
    return this;
  }

  public ValidatorContext batchDelayMs(long v) {
    batchDelayMs = v;
    return this;
  }

  public ValidatorContext resendMs(long v) {
    resendMs = v;
    return this;
  }

  public ValidatorContext mempool(MempoolConfig v) {
    mempool = Objects.requireNonNull(v);
    return this;
  }

  /** Verify-stage agents (0: the worker agent verifies inline). */
  public ValidatorContext verifyThreads(int v) {
    verifyThreads = v;
    return this;
  }

  public ValidatorContext emptyProposalDelayMs(long v) {
    emptyProposalDelayMs = v;
    return this;
  }

  public ValidatorContext idleProposalDelayMs(long v) {
    idleProposalDelayMs = v;
    return this;
  }

  public ValidatorContext minRoundMs(long v) {
    minRoundMs = v;
    return this;
  }

  public ValidatorContext leaderTimeoutMs(long v) {
    leaderTimeoutMs = v;
    return this;
  }

  /** Lower bound of the adaptive leader timeout (0: the leader timeout). */
  public ValidatorContext leaderTimeoutMinMs(long v) {
    leaderTimeoutMinMs = v;
    return this;
  }

  /** Upper bound of the adaptive leader timeout (0: the leader timeout). */
  public ValidatorContext leaderTimeoutMaxMs(long v) {
    leaderTimeoutMaxMs = v;
    return this;
  }

  public ValidatorContext stragglerWaitMs(long v) {
    stragglerWaitMs = v;
    return this;
  }

  public ValidatorContext gcDepth(int v) {
    gcDepth = v;
    return this;
  }

  public ValidatorContext consensusVerifyThreads(int v) {
    consensusVerifyThreads = v;
    return this;
  }

  public ValidatorContext executionVerify(boolean v) {
    executionVerify = v;
    return this;
  }

  public ValidatorContext stateRetainVersions(int v) {
    stateRetainVersions = v;
    return this;
  }

  /**
   * Transactions in commits not executed yet at which submissions are refused and sealing pauses
   * ({@link ExecutionBacklog}); {@code node run} settings only ({@link #forNode} passes its own in
   * the execution settings).
   */
  public ValidatorContext maxExecutionBacklog(long v) {
    maxExecutionBacklog = v;
    return this;
  }

  /** Heap after collection, in percent of the maximum, that closes admission while backlogged. */
  public ValidatorContext backlogHeapPercent(int v) {
    backlogHeapPercent = v;
    return this;
  }

  /**
   * The queueing delay at which submissions are refused as OVERLOADED ({@link QueueDelayGate}; 0:
   * no such bound), in ms; with execution only.
   */
  public ValidatorContext admissionDelayMs(long v) {
    admissionDelayMs = v;
    return this;
  }

  /** Queued work, in transactions, under which the delay bound never closes admission. */
  public ValidatorContext admissionFloorRuns(long v) {
    admissionFloorRuns = v;
    return this;
  }

  /**
   * How long the mempool holds a transaction whose earlier nonces have not arrived before it drops
   * it and answers it as expired, in ms.
   */
  public ValidatorContext heldExpiryMs(long v) {
    heldExpiryMs = v;
    return this;
  }

  /**
   * Percent of the maximum heap the retained state versions may hold before the oldest are pruned
   * ({@link dev.agentledger.node.execution.state.SmtStateStore}).
   */
  public ValidatorContext stateRetainHeapPercent(int v) {
    stateRetainHeapPercent = v;
    return this;
  }

  /**
   * MiB of the execution state's pages held in memory, the rest paged out to RocksDB (0: a share of
   * the direct-memory limit; {@link ValidatorNode.ExecutionSettings#stateCacheBytes}).
   */
  public ValidatorContext stateCacheMb(long v) {
    stateCacheMb = v;
    return this;
  }

  public ValidatorContext threading(ThreadingMode v) {
    threading = Objects.requireNonNull(v);
    return this;
  }

  /**
   * Cap of the JIT warm-up that {@link Validator#launch} runs before it binds any port (0: none;
   * default {@link #DEFAULT_JIT_WARMUP_MAX_MS} from a node setup, 0 {@link #forNode}).
   */
  public ValidatorContext jitWarmupMaxMs(long v) {
    jitWarmupMaxMs = v;
    return this;
  }

  /** CPUs for the agents' threads by role ({@code agent_cores}; {@code DEDICATED} only). */
  public ValidatorContext placement(AgentPlacement v) {
    placement = Objects.requireNonNull(v);
    return this;
  }

  /**
   * Wraps every stage agent before it is run (default: as it is); fault-injection tests make an
   * agent fail this way.
   */
  public ValidatorContext agentDecorator(
      java.util.function.UnaryOperator<dev.agentledger.node.idle.StageAgent> v) {
    agentDecorator = Objects.requireNonNull(v);
    return this;
  }

  /** What wraps every stage agent before it is run. */
  public java.util.function.UnaryOperator<dev.agentledger.node.idle.StageAgent> agentDecorator() {
    return agentDecorator;
  }

  /**
   * The signature backend's routed verifiers (default: CPU only); may be set after {@link
   * #conclude()} (a device is opened after the settings are known good). The caller closes it.
   */
  public ValidatorContext accelerators(NodeAccelerators v) {
    accelerators = Objects.requireNonNull(v);
    return this;
  }

  /**
   * Where the validator runs: its transport, store, clocks and mempool seed (default: {@link
   * ValidatorNode.Environment#production}, Netty, the data directory and the system clocks; the
   * simulator passes simulated ones).
   */
  public ValidatorContext environment(ValidatorNode.Environment v) {
    environment = Objects.requireNonNull(v);
    return this;
  }

  /** Told of every batch certificate the worker forms or accepts (default: nobody). */
  public ValidatorContext certificateSink(BatchCertificateSink v) {
    sink = Objects.requireNonNull(v);
    return this;
  }

  /** The worker agent's inline verifier (default: one-by-one Ed25519). */
  public ValidatorContext inlineVerifier(BatchSignatureVerifier v) {
    verifier = Objects.requireNonNull(v);
    return this;
  }

  // ---------------------------------------------------------------- conclude

  /**
   * Validates every setting and derives the stages' configurations; idempotent.
   *
   * @throws IllegalArgumentException naming the first bad setting, in {@code node run}'s flag
   *     spelling
   * @throws ConfigException when the genesis cannot be mapped to execution's
   */
  public ValidatorContext conclude() throws ConfigException {
    if (concluded) {
      return this;
    }
    check(
        batchSize >= 1 && batchSize <= Wire.MAX_BATCH_RECORDS,
        "--batch-size must be 1.." + Wire.MAX_BATCH_RECORDS);
    check(verifyThreads >= 0, "--verify-threads must be 0 or more");
    String mempoolRoom = mempoolRoom(mempool, Runtime.getRuntime().maxMemory());
    check(mempoolRoom == null, mempoolRoom);
    check(stateRetainVersions >= 1, "--state-retain-versions must be at least 1");
    check(maxExecutionBacklog >= 2, "--max-execution-backlog must be at least 2");
    check(
        admissionDelayMs >= 0 && admissionDelayMs <= 600_000,
        "--admission-delay-ms must be 0..600000");
    check(admissionFloorRuns >= 1, "the admission floor must be at least 1 run");
    check(heldExpiryMs >= 1 && heldExpiryMs <= 3_600_000, "--held-expiry-ms must be 1..3600000");
    admission =
        new ValidatorNode.AdmissionSettings(
            new QueueDelayGate.Limits(admissionDelayMs, admissionFloorRuns), heldExpiryMs);
    check(
        backlogHeapPercent >= 11 && backlogHeapPercent <= 100,
        "--backlog-heap-percent must be 11..100");
    check(
        stateRetainHeapPercent >= 1
            && stateRetainHeapPercent
                <= ValidatorNode.ExecutionSettings.MAX_STATE_RETAIN_HEAP_PERCENT,
        "--state-retain-heap-percent must be 1.."
            + ValidatorNode.ExecutionSettings.MAX_STATE_RETAIN_HEAP_PERCENT);
    long directMiB = new dev.agentledger.node.metrics.DirectMemory().maxBytes() >> 20;
    check(
        stateCacheMb >= 0
            && stateCacheMb <= ValidatorNode.ExecutionSettings.MAX_STATE_CACHE_MB
            && stateCacheMb < directMiB,
        "--state-cache-mb must be 0 (derived) or 1.."
            + Math.max(
                1, Math.min(directMiB - 1, ValidatorNode.ExecutionSettings.MAX_STATE_CACHE_MB))
            + " (below this JVM's direct-memory limit of "
            + directMiB
            + " MiB, the share of native memory the node is sized for)");
    check(
        jitWarmupMaxMs >= 0 && jitWarmupMaxMs <= MAX_JIT_WARMUP_MAX_MS,
        "--jit-warmup-ms must be 0.." + MAX_JIT_WARMUP_MAX_MS);
    check(
        leaderTimeoutMs >= 1 && stragglerWaitMs >= 0,
        "--leader-timeout-ms must be at least 1 and --straggler-wait-ms not negative");
    check(consensusVerifyThreads >= 1, "--consensus-verify-threads must be at least 1");
    long minMs = leaderTimeoutMinMs == 0 ? leaderTimeoutMs : leaderTimeoutMinMs;
    long maxMs = leaderTimeoutMaxMs == 0 ? leaderTimeoutMs : leaderTimeoutMaxMs;
    check(
        leaderTimeoutMinMs >= 0
            && leaderTimeoutMaxMs >= 0
            && minMs <= leaderTimeoutMs
            && leaderTimeoutMs <= maxMs,
        "--leader-timeout-min-ms <= --leader-timeout-ms <= --leader-timeout-max-ms must hold (0: the"
            + " leader timeout), got "
            + minMs
            + " <= "
            + leaderTimeoutMs
            + " <= "
            + maxMs);
    if (!placement.isEmpty()) {
      check(
          threading == ThreadingMode.DEDICATED,
          "agent_cores pins agents only under threading dedicated (threading is "
              + threading.configName()
              + ")");
      affinity = ThreadAffinity.linux();
      check(
          affinity.isPresent(),
          "agent_cores: pinning agents to CPUs needs Linux sched_setaffinity, not available here");
      List<String> problems = placement.problems(threading, affinity.get().current());
      check(problems.isEmpty(), String.join("; ", problems));
    }
    if (verifier == null) {
      verifier = new SingleEd25519Verifier();
    }
    if (ioKind == null) {
      ioKind = IoKind.detect();
    }
    if (!explicitStages) {
      Genesis genesis = setup.genesis();
      nodeConfig =
          new ValidatorNode.Config(
              genesis.toCommittee(),
              indexOf(setup),
              setup.key(),
              new IngressConfig(
                  (int) genesis.chainId(),
                  0,
                  0,
                  60_000_000_000L,
                  0,
                  ExecutionGenesisMapping.fees(genesis.fees())),
              setup.config().dataDir(),
              new NettyTransport.Config(
                      setup.config().peerListen().host(),
                      setup.config().peerListen().port(),
                      setup.config().clientListen().host(),
                      setup.config().clientListen().port(),
                      ioKind,
                      ioThreads,
                      32 << 20)
                  .withClientTls(
                      setup.config().tls() == null
                          ? null
                          : dev.agentledger.node.net.tls.ServerTls.load(
                              setup.config().tls().cert(), setup.config().tls().key())),
              mempool,
              new WorkerConfig(
                  batchSize,
                  TimeUnit.MILLISECONDS.toNanos(batchDelayMs),
                  TimeUnit.MILLISECONDS.toNanos(Math.max(1, resendMs)),
                  DEFAULT_MAX_PENDING_BATCHES),
              INBOUND_RING_BYTES);
      PrimaryConfig defaults = PrimaryConfig.defaults();
      consensus =
          new ValidatorNode.ConsensusSettings(
              new PrimaryConfig(
                  leaderTimeoutMs,
                  defaults.resendMs(),
                  defaults.fetchRetryMs(),
                  gcDepth,
                  defaults.reputation(),
                  defaults.reputationWindow(),
                  defaults.maxBatchesPerVertex(),
                  defaults.maxFetchItems()),
              emptyProposalDelayMs,
              idleProposalDelayMs,
              minRoundMs,
              stragglerWaitMs,
              DEFAULT_TICK_MS,
              consensusVerifyThreads,
              minMs,
              maxMs);
      execution =
          new ValidatorNode.ExecutionSettings(
              ExecutionGenesisMapping.fromGenesis(genesis),
              genesis.toCommittee(),
              executionVerify,
              new InetSocketAddress(
                  setup.config().queryListen().host(), setup.config().queryListen().port()),
              new InetSocketAddress(
                  setup.config().metricsListen().host(), setup.config().metricsListen().port()),
              stateRetainVersions,
              new ExecutionBacklog.Limits(maxExecutionBacklog, backlogHeapPercent),
              stateRetainHeapPercent,
              stateCacheMb);
    }
    check(execution == null || consensus != null, "execution needs consensus");
    concluded = true;
    return this;
  }

  /**
   * Null when a full mempool of {@code config} fits in a heap of {@code heapMaxBytes}, else why
   * not. The pool starts small and grows as transactions and agents arrive, so a bound the heap
   * cannot hold would fail only under load, with an {@link OutOfMemoryError}; it is refused at
   * start instead.
   */
  static String mempoolRoom(MempoolConfig config, long heapMaxBytes) {
    long full = dev.agentledger.node.mempool.core.Mempool.maxHeapBytes(config);
    if (full < heapMaxBytes) {
      return null;
    }
    return "--mempool-capacity: a full mempool ("
        + config.capacity()
        + " transactions, "
        + config.maxAgents()
        + " agents) takes "
        + (full >> 20)
        + " MiB, more than the heap ("
        + (heapMaxBytes >> 20)
        + " MiB): lower --mempool-capacity or give the node a larger -Xmx";
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  private static int indexOf(NodeSetup setup) {
    Genesis genesis = setup.genesis();
    for (int i = 0; i < genesis.committee().size(); i++) {
      if (genesis.committee().get(i).id().equals(setup.self().id())) {
        return i;
      }
    }
    throw new IllegalArgumentException(
        "validator " + setup.self().id() + " is not in the genesis committee");
  }

  private void requireConcluded() {
    if (!concluded) {
      throw new IllegalStateException("conclude() first");
    }
  }

  // ---------------------------------------------------------------- derived (after conclude)

  public ValidatorNode.Config nodeConfig() {
    requireConcluded();
    return nodeConfig;
  }

  public ValidatorNode.ConsensusSettings consensus() {
    requireConcluded();
    return consensus;
  }

  public ValidatorNode.ExecutionSettings execution() {
    requireConcluded();
    return execution;
  }

  /** The queueing-delay bound and the held-transaction expiry. */
  public ValidatorNode.AdmissionSettings admission() {
    requireConcluded();
    return admission;
  }

  public int verifyThreads() {
    return verifyThreads;
  }

  /** The JIT warm-up's cap (0: none). */
  public long jitWarmupMaxMs() {
    return jitWarmupMaxMs;
  }

  public ThreadingMode threading() {
    return threading;
  }

  public AgentPlacement placement() {
    return placement;
  }

  /** The affinity calls when agents are pinned (after {@link #conclude()}), else empty. */
  Optional<ThreadAffinity> affinity() {
    return affinity;
  }

  public NodeAccelerators accelerators() {
    if (accelerators == null) {
      accelerators = NodeAccelerators.cpu();
    }
    return accelerators;
  }

  ValidatorNode.Environment environment() {
    if (environment == null) {
      environment = ValidatorNode.Environment.production();
    }
    return environment;
  }

  BatchCertificateSink certificateSink() {
    return sink;
  }

  BatchSignatureVerifier inlineVerifier() {
    requireConcluded();
    return verifier;
  }
}
