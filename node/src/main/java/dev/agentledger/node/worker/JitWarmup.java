package dev.agentledger.node.worker;

import dev.agentledger.hash.simd.MultiBufferSha256;
import dev.agentledger.hash.simd.WarmSha256;
import dev.agentledger.node.commit.CommitSignature;
import dev.agentledger.node.committee.Committee;
import dev.agentledger.node.consensus.Ed25519Signatures;
import dev.agentledger.node.consensus.core.MessageSignatures;
import dev.agentledger.node.consensus.core.RangeVerifier;
import dev.agentledger.node.events.EventLog;
import dev.agentledger.node.execution.ExecutionStage;
import dev.agentledger.node.execution.core.AccountRecord;
import dev.agentledger.node.execution.core.CommittedInput;
import dev.agentledger.node.execution.core.ExecutionGenesis;
import dev.agentledger.node.execution.core.FeeSchedule;
import dev.agentledger.node.execution.core.GenesisAccount;
import dev.agentledger.node.execution.core.Receipt;
import dev.agentledger.node.execution.core.Roles;
import dev.agentledger.node.execution.core.RunEntry;
import dev.agentledger.node.execution.core.StateKeys;
import dev.agentledger.node.execution.core.UsageRecord;
import dev.agentledger.node.execution.state.SmtStateStore;
import dev.agentledger.node.ingress.CounterModeRandom;
import dev.agentledger.node.ingress.CpuBatchSignatureVerifier;
import dev.agentledger.node.ingress.RecordVerifier;
import dev.agentledger.node.metrics.MetricsRegistry;
import dev.agentledger.node.net.tls.LinkTls;
import dev.agentledger.node.query.memory.InMemoryQueryStore;
import dev.agentledger.node.runtime.core.JitSettling;
import dev.agentledger.node.sim.SimConfig;
import dev.agentledger.node.sim.SimResult;
import dev.agentledger.node.sim.Simulator;
import dev.agentledger.node.storage.StoreException;
import dev.agentledger.node.storage.rocksdb.RocksDbStore;
import dev.agentledger.node.tx.AgentRunBuilder;
import dev.agentledger.node.tx.AgentRunDescriptor;
import dev.agentledger.node.tx.RunOutcome;
import dev.agentledger.node.worker.core.BatchCertificate;
import dev.agentledger.node.worker.core.BatchDigester;
import dev.agentledger.node.worker.core.CertificateVerifier;
import dev.agentledger.node.worker.core.VerifiedCertificates;
import dev.agentledger.sig.Ed25519KeyPair;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Runs the node's hot code on throw-away data before the node serves, until the JIT has compiled it
 * (C2, with the Vector API intrinsified) or a cap has passed, so the first transactions meet
 * compiled code. Until C2 compiles them, the Vector API kernels run as C1 code that calls every
 * vector operation out of line and boxes its result: hundreds of times slower (about 0.1 µs per
 * multi-buffer hash compiled against 45–198 µs as C1 on the 2-core demo machine), and on a small
 * machine hosting several validators the compiler threads would then compete with the load.
 *
 * <p>Exercised, on the paths and shapes the node uses ({@link #WARMED}): batch verification of
 * AgentRun records in batches of 1 to 1,024 ({@link RecordVerifier} over {@link
 * CpuBatchSignatureVerifier}, as in the verify stage; batches above {@code
 * MultiScalarMul.STRAUS_MAX_POINTS} points take the lane-bucket Pippenger path), Ed25519 signing
 * (acknowledgements, votes), consensus signature ranges ({@link Ed25519Signatures#batchVerifier}),
 * worker batch certificates ({@link CertificateVerifier}), batch digests ({@link BatchDigester}),
 * the multi-buffer SHA-256 on commit-output shapes (32-byte leaves, interior nodes, receipts) and
 * state-tree updates ({@link SmtStateStore}: its levels of eight nodes or more go through the
 * multi-buffer engine), and two of the node's own stages on a workload of their own: the execution
 * stage ({@link ExecutionStage} in its durable form over a RocksDB store in a temporary directory,
 * deleted at the end: AgentRun commits of 1 to 1,024 runs with the demo's mix of outcomes, tokens,
 * tasks and models, each commit written synced and certified by a quorum of commit signatures) and
 * the consensus primaries ({@link Simulator}: four primaries with real signatures, proposing,
 * voting, certifying and committing for {@link #CONSENSUS_SIM_MS} of simulated time a pass), TLS
 * records both ways between two of the node's own {@link LinkTls} engines in memory ({@link
 * #TLS_RECORDS} a pass), and every route of the SHA-256 gate ({@link WarmSha256#exerciseRoutes},
 * once a pass, so that the gate opening or shutting under load is no uncommon trap in the code C2
 * compiled). Every key is generated here; nothing is sent, and nothing stays on disk (the execution
 * step runs in memory where no temporary directory can be made). The directory's name carries the
 * validator's pid; a shutdown hook deletes it when the JVM exits during the warm-up, and a later
 * start deletes the ones that validators killed with SIGKILL left behind ({@link #removeOrphans}).
 * Verdicts are checked as it goes: a warm-up that sees a wrong one (a refused signature, a failed
 * execution, a consensus invariant) throws, so a broken build fails at start.
 *
 * <p>Two rare branches of the node's hot code are taken here on purpose, so that the profiles C2
 * compiles from hold them and load does not meet them as uncommon traps (each one threw a large
 * compiled method back to the interpreter and cost a recompilation of 0.1 to 1.5 s of a compiler
 * thread inside a measured demo run): the reseed of the batch verifiers' randomness ({@link
 * CounterModeRandom}, every {@value CounterModeRandom#DEFAULT_RESEED_BLOCKS} blocks: once at
 * construction, {@link #RESEED_DRAW_BYTES} drawn before any batch is verified), and pages of the
 * state that are not resident (a new page, or one paged out): the execution step's state keeps at
 * most {@link #STATE_CACHE_BYTES} of its pages in memory, so that its tree and newest values fault,
 * evict, write back and read back pages on every pass, as a node's state does when it grows.
 *
 * <p>When to stop is {@link JitSettling}'s decision, from the JIT's total compilation time and the
 * CPU time of the process's other threads after each round of at least {@link #ROUND_NS}; the cap
 * bounds it (the clock is read between the steps of a pass, so the cap may be passed by one step:
 * on a machine loaded far beyond its cores, a cold batch verification can take seconds).
 */
public final class JitWarmup implements AutoCloseable {
  /** What the warm-up exercises, as reported. */
  public static final List<String> WARMED =
      List.of(
          "ed25519-batch-verify",
          "ed25519-sign",
          "consensus-signatures",
          "batch-certificates",
          "batch-digest",
          "sha256-multibuffer",
          "state-tree",
          "execution-stage",
          "consensus-primaries",
          "tls-records");

  /** Simulated time of the consensus step's committee, per pass. */
  public static final long CONSENSUS_SIM_MS = 1_500;

  /**
   * TLS records a pass sends between the two link engines, half each way: the node's link records
   * (ciphers, GCM, the engine's record layer) otherwise meet the JIT only under load.
   */
  static final int TLS_RECORDS = 60;

  /** Plaintext sizes of the TLS step's records, in turn (the node's frames, up to a record). */
  private static final int[] TLS_RECORD_SIZES = {96, 1_200, 16_384, 320, 4_096, 40};

  /**
   * Bytes drawn at construction from a batch verifier's randomness: one block past {@link
   * CounterModeRandom#DEFAULT_RESEED_BLOCKS} blocks of 64 bytes, so that it reseeds once.
   */
  static final long RESEED_DRAW_BYTES = (CounterModeRandom.DEFAULT_RESEED_BLOCKS + 1) * 64;

  /**
   * The execution step's bound on its state's resident pages: 16 pages of {@code
   * PageCache.PAGE_BYTES}, far below what its runs write in a few passes, so pages are paged out
   * and read back from the first passes on.
   */
  static final long STATE_CACHE_BYTES = 256 * 1024;

  /** Shortest round between two looks at the JIT. */
  public static final long ROUND_NS = 250_000_000L;

  /**
   * What one warm-up did.
   *
   * @param outcome {@code settled}, {@code capped} or {@code disabled}
   * @param rounds rounds between looks at the JIT
   * @param iterations passes over every exercised path
   * @param compileMs JIT compilation time (all compiler threads) during the warm-up
   * @param runsExecuted AgentRuns the execution stage executed
   * @param consensusCommits commits of the consensus step's primaries (the least of the four,
   *     summed over passes)
   */
  public record Result(
      String outcome,
      int rounds,
      long iterations,
      long signaturesVerified,
      long hashes,
      long elapsedMs,
      long capMs,
      long compileMs,
      long runsExecuted,
      long consensusCommits) {

    /** No warm-up (cap 0). */
    public static Result disabled() {
      return new Result("disabled", 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    /** The one log line. */
    public String describe() {
      if (outcome.equals("disabled")) {
        return "JIT warm-up disabled";
      }
      return "JIT warm-up "
          + outcome
          + " in "
          + elapsedMs
          + " ms (cap "
          + capMs
          + " ms): "
          + rounds
          + " rounds, "
          + iterations
          + " passes over "
          + String.join(", ", WARMED)
          + "; "
          + signaturesVerified
          + " signatures verified, "
          + hashes
          + " multi-buffer hashes, "
          + runsExecuted
          + " runs executed, "
          + consensusCommits
          + " consensus commits, JIT compiling "
          + compileMs
          + " ms";
    }
  }

  /**
   * Batch sizes of successive passes: the first pass already takes the Pippenger path (above {@code
   * MultiScalarMul.STRAUS_MAX_POINTS} points), so a capped warm-up on a starved machine has run
   * every kernel at least once.
   */
  private static final int[] BATCH_SIZES = {256, 8, 1024, 64, 1};

  private static final int MAX_BATCH = 1024;
  private static final int SIGNED = 64;
  private static final int TREE_KEYS = 256;

  /**
   * Value lengths of the state's own entries (account, run entry, usage total): the state hashes
   * the values of each length together, and these shapes compile the engine's one- and two-block
   * paths, including a padding-only last block.
   */
  private static final int[] TREE_VALUE_LENGTHS = {
    AccountRecord.ENCODED_LENGTH, RunEntry.ENCODED_LENGTH, UsageRecord.ENCODED_LENGTH
  };

  private final int chain = 0x5741524d;
  private final UnsafeBuffer frame;
  private final RecordVerifier recordVerifier;
  private final Ed25519KeyPair[] validators = new Ed25519KeyPair[4];
  private final RangeVerifier consensus;
  private final MessageSignatures consensusItems = new MessageSignatures();
  private final CertificateVerifier certificates;
  private final BatchDigester digester = new BatchDigester();
  private final byte[] digest = new byte[32];
  private final byte[] ack = new byte[BatchCertificate.ACK_MESSAGE_LENGTH];
  private final SmtStateStore state = SmtStateStore.inMemory(4);
  private final byte[][] keys = new byte[TREE_KEYS][32];
  private final byte[] value = new byte[128];
  private final byte[] leaves = new byte[32 * MAX_BATCH];
  private final byte[] receipts = new byte[(Receipt.ENCODED_LENGTH + 1) * MAX_BATCH];
  private final byte[] digests = new byte[32 * MAX_BATCH];

  /** Agents of the execution step's genesis (self-paying, funded for any warm-up). */
  private static final int AGENTS = 16;

  private static final int TASKS = 64;
  private static final int MODELS = 32;

  private final Ed25519KeyPair[] agents = new Ed25519KeyPair[AGENTS];
  private final long[] nonces = new long[AGENTS];
  private final ExecutionGenesis genesis;
  private final Committee executionCommittee;
  private Path stageDirectory;
  private RocksDbStore stageStore;
  private ExecutionStage stage;
  private long commitSequence;

  /**
   * The steps of a pass in order: the six big ones (0 to 5) with the TLS records (6) in the middle,
   * so that on a starved machine no kind of step waits for all the others.
   */
  private static final int[] ORDER = {0, 1, 2, 6, 3, 4, 5};

  private static final int STEPS = ORDER.length;
  private SSLEngine tlsClient;
  private SSLEngine tlsServer;
  private ByteBuffer tlsPlain;
  private ByteBuffer tlsWire;
  private ByteBuffer tlsReceived;
  private long tlsRecords;
  private int nextStep;
  private long iterations;
  private long signaturesVerified;
  private long hashes;
  private long runsExecuted;
  private long consensusCommits;
  private long randomBytesDrawn;

  JitWarmup() {
    drawPastReseed();
    // AgentRun records signed by a few agents, laid out as in a frame; the first SIGNED repeat up
    // to a full batch (each copy is a valid signature)
    int length = AgentRunDescriptor.ENCODED_LENGTH;
    frame = new UnsafeBuffer(new byte[MAX_BATCH * length]);
    for (int i = 0; i < SIGNED; i++) {
      Ed25519KeyPair agent = Ed25519KeyPair.fromSeed(seed(i % 8 + 1));
      byte[] run =
          new AgentRunBuilder()
              .chainId(chain)
              .nonce(i)
              .startedAt(1_000 + i)
              .endedAt(2_000 + i)
              .sign(agent);
      frame.putBytes(i * length, run);
    }
    for (int i = SIGNED; i < MAX_BATCH; i++) {
      frame.putBytes(i * length, frame, (i % SIGNED) * length, length);
    }
    recordVerifier = new RecordVerifier(null, new CpuBatchSignatureVerifier(), MAX_BATCH);
    // a committee of four for consensus signatures and batch certificates
    List<byte[]> publicKeys = new ArrayList<>();
    for (int v = 0; v < 4; v++) {
      validators[v] = Ed25519KeyPair.fromSeed(seed(100 + v));
      publicKeys.add(validators[v].publicKey());
    }
    Committee committee = Committee.ofStakes(0, publicKeys, new long[] {1, 1, 1, 1});
    consensus = Ed25519Signatures.batchVerifier(committee);
    certificates = new CertificateVerifier(committee, chain, new VerifiedCertificates(16));
    for (int i = 0; i < leaves.length; i++) {
      leaves[i] = (byte) (i * 31);
    }
    List<GenesisAccount> accounts = new ArrayList<>();
    for (int a = 0; a < AGENTS; a++) {
      agents[a] = Ed25519KeyPair.fromSeed(seed(200 + a));
      accounts.add(new GenesisAccount(agents[a].publicKey(), Roles.AGENT, 1L << 50));
    }
    List<Committee.Validator> signers = new ArrayList<>();
    for (int v = 0; v < 4; v++) {
      signers.add(new Committee.Validator(v, publicKeys.get(v), 1));
    }
    executionCommittee = new Committee(chain, 0, signers);
    accounts.add(new GenesisAccount(validators[3].publicKey(), Roles.ADMIN, 1));
    genesis = new ExecutionGenesis(chain, FeeSchedule.defaults(), accounts);
  }

  /**
   * Warms up until the JIT settles or {@code capMs} has passed; 0 disables it.
   *
   * @throws IllegalArgumentException for a negative cap
   * @throws IllegalStateException when a valid signature is refused (a broken build)
   */
  public static Result run(long capMs) {
    if (capMs < 0) {
      throw new IllegalArgumentException("the JIT warm-up cap must be 0 or more, got " + capMs);
    }
    if (capMs == 0) {
      return Result.disabled();
    }
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    long start = System.nanoTime();
    long compileAtStart = compileMs(jit);
    try (JitWarmup warm = new JitWarmup()) {
      JitSettling settling = settle(warm::step, ROUND_NS, capMs * 1_000_000L);
      return new Result(
          settling.state() == JitSettling.State.SETTLED ? "settled" : "capped",
          settling.rounds(),
          warm.iterations,
          warm.signaturesVerified,
          warm.hashes,
          (System.nanoTime() - start) / 1_000_000L,
          capMs,
          compileMs(jit) - compileAtStart,
          warm.runsExecuted,
          warm.consensusCommits);
    }
  }

  /**
   * Runs {@code step} over and over in rounds of at least {@code roundNs}, giving {@link
   * JitSettling} the JIT's compilation total and the other threads' CPU after each round, until it
   * finds the JIT settled or {@code capNs} has passed. The clock is read after every step, so a
   * cold step is the most the cap can be passed by.
   *
   * @return the settling, no longer {@link JitSettling.State#RUNNING}
   */
  public static JitSettling settle(Runnable step, long roundNs, long capNs) {
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long start = System.nanoTime();
    JitSettling settling = new JitSettling(capNs, compileMs(jit));
    JitSettling.State state = JitSettling.State.RUNNING;
    while (state == JitSettling.State.RUNNING) {
      long roundStart = System.nanoTime();
      long processCpu = processCpuNs();
      long ownCpu = threads.getCurrentThreadCpuTime();
      long now;
      do {
        step.run();
        now = System.nanoTime();
      } while (now - roundStart < roundNs && now - start < capNs);
      long otherCpu =
          processCpu < 0 || ownCpu < 0
              ? 0
              : Math.max(
                  0, (processCpuNs() - processCpu) - (threads.getCurrentThreadCpuTime() - ownCpu));
      state = settling.round(now - start, now - roundStart, compileMs(jit), otherCpu);
    }
    return settling;
  }

  /** {@code n} passes over every exercised path, with no look at the JIT (tests). */
  static Result iterations(int n) {
    long start = System.nanoTime();
    try (JitWarmup warm = new JitWarmup()) {
      while (warm.iterations < n) {
        warm.step();
      }
      return new Result(
          "settled",
          0,
          warm.iterations,
          warm.signaturesVerified,
          warm.hashes,
          (System.nanoTime() - start) / 1_000_000L,
          0,
          0,
          warm.runsExecuted,
          warm.consensusCommits);
    }
  }

  /**
   * Name prefix of the execution step's directory under {@code java.io.tmpdir}; the owner's pid and
   * a random suffix follow, so a later start can tell a killed validator's leftover from a running
   * one's.
   */
  static final String SCRATCH_PREFIX = "agentledger-jit-warmup-";

  /** Deletes the execution step's directory if the JVM exits (SIGTERM) during the warm-up. */
  private Thread removeOnExit;

  /** Where the execution step's store was, while it exists (tests); null before the first pass. */
  Path stageDirectory() {
    return stageDirectory;
  }

  /** Closes the execution step's store and deletes its directory. */
  @Override
  public void close() {
    if (stageStore != null) {
      stageStore.close();
      stageStore = null;
    }
    if (stageDirectory != null) {
      try {
        deleteTree(stageDirectory);
      } catch (IOException e) {
        throw new UncheckedIOException("JIT warm-up: cannot delete " + stageDirectory, e);
      }
    }
    tlsClient = null;
    tlsServer = null;
    if (removeOnExit != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(removeOnExit);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running or about to: it deletes the same directory
      }
      removeOnExit = null;
    }
  }

  /**
   * Deletes the execution step's directories that validators killed during their warm-up left in
   * {@code temp} (SIGKILL runs no cleanup): those named {@value #SCRATCH_PREFIX}{@code <pid>-...}
   * whose process no longer runs and in which nothing changed for {@link #ORPHAN_IDLE_MS} (a
   * validator in another pid namespace sharing the directory keeps writing to its store). Best
   * effort: a directory that cannot be deleted stays, and a directory without a pid in its name (an
   * older build's) is left alone.
   */
  static void removeOrphans(Path temp) {
    try (Stream<Path> entries = Files.list(temp)) {
      for (Path dir : entries.toList()) {
        long owner = scratchOwner(dir.getFileName().toString());
        try {
          if (owner > 0
              && ProcessHandle.of(owner).isEmpty()
              && Files.isDirectory(dir)
              && idleFor(dir) >= ORPHAN_IDLE_MS) {
            deleteTreeIfPossible(dir);
          }
        } catch (IOException | UncheckedIOException e) {
          // gone meanwhile, or unreadable: left as it is
        }
      }
    } catch (IOException | UncheckedIOException | SecurityException e) {
      // an unreadable temporary directory: the warm-up still runs; nothing is removed
    }
  }

  /** How long a dead owner's directory must have been left unchanged before it is deleted. */
  static final long ORPHAN_IDLE_MS = 60_000;

  /** Milliseconds since anything in the tree at {@code dir} was last modified. */
  private static long idleFor(Path dir) throws IOException {
    long newest = 0;
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.toList()) {
        newest = Math.max(newest, Files.getLastModifiedTime(p).toMillis());
      }
    }
    return System.currentTimeMillis() - newest;
  }

  /** The pid in a scratch directory's name, or -1 when {@code name} is not one. */
  static long scratchOwner(String name) {
    if (!name.startsWith(SCRATCH_PREFIX)) {
      return -1;
    }
    int end = name.indexOf('-', SCRATCH_PREFIX.length());
    if (end <= SCRATCH_PREFIX.length()) {
      return -1;
    }
    try {
      return Long.parseLong(name, SCRATCH_PREFIX.length(), end, 10);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** {@link #deleteTree}, leaving what cannot be deleted. */
  private static void deleteTreeIfPossible(Path dir) {
    try {
      deleteTree(dir);
    } catch (IOException | UncheckedIOException e) {
      // best effort: what cannot be deleted stays
    }
  }

  /**
   * Draws {@link #RESEED_DRAW_BYTES} from a new {@link CounterModeRandom} in the draws of a batch
   * of 64 signatures (1 KiB), so that its reseed runs before any verifier's batch is compiled.
   */
  private void drawPastReseed() {
    CounterModeRandom random = CounterModeRandom.seeded();
    byte[] draw = new byte[1024];
    while (randomBytesDrawn < RESEED_DRAW_BYTES) {
      random.nextBytes(draw);
      randomBytesDrawn += draw.length;
    }
  }

  /** Bytes drawn by {@link #drawPastReseed} (tests). */
  long randomBytesDrawn() {
    return randomBytesDrawn;
  }

  /** The execution step's store while it exists (tests); null before the first pass. */
  RocksDbStore stageStore() {
    return stageStore;
  }

  /**
   * The next step of the current pass over every exercised path (a pass is {@link #STEPS} steps, at
   * the next batch size): the clock is read between steps, so a cold step is the most the cap can
   * be passed by.
   */
  void step() {
    int round = (int) iterations;
    int size = BATCH_SIZES[round % BATCH_SIZES.length];
    switch (ORDER[nextStep]) {
      case 0 -> {
        recordVerifier.clear();
        recordVerifier.stageRecords(frame, 0, size);
        recordVerifier.verify();
        expect(
            recordVerifier.invalidSignatures(0, size) == 0,
            "a valid AgentRun signature was refused");
        signaturesVerified += size;
      }
      case 1 -> {
        digester.digest(round % 4, round, frame, 0, size, digest);
        BatchCertificate.ackMessage(chain, round % 4, round, digest, size, ack);
        int[] signers = {0, 1, 2};
        byte[][] sigs = new byte[3][];
        consensusItems.clear();
        for (int s = 0; s < 3; s++) {
          sigs[s] = validators[s].sign(ack);
          consensusItems.add(s, s, ack, sigs[s]);
        }
        expect(
            certificates.verify(new BatchCertificate(round % 4, round, digest, size, signers, sigs))
                == null,
            "a valid batch certificate was refused");
        consensus.verifyRange(consensusItems, 0, 3);
        boolean[] ok = {true, true, true};
        consensusItems.ownerValid(ok);
        expect(ok[0] && ok[1] && ok[2], "a valid consensus signature was refused");
        signaturesVerified += 6;
      }
      case 2 -> {
        WarmSha256.exerciseRoutes();
        // commit-output shapes: transaction-id leaves, their interior nodes, receipt leaves
        leaves[round & 1023] ^= (byte) round;
        MultiBufferSha256.hashLeaves32(leaves, 0, size, digests, 0);
        MultiBufferSha256.hashNodes(leaves, 0, size / 2, digests, 0);
        MultiBufferSha256.digestFixed(receipts, 0, Receipt.ENCODED_LENGTH + 1, size, digests, 0);
        receipts[round % receipts.length] = digests[round & 31];
        hashes += size + size / 2 + size;
      }
      case 4 -> executeCommit(round, size);
      case 6 -> tlsRecords(round);
      case 5 -> {
        SimResult sim = consensusPass(round);
        expect(sim.ok(), "the consensus primaries broke an invariant: " + sim.violation());
        consensusCommits += sim.minCommits();
      }
      default -> {
        // state-tree updates: a bounded key space, so the tree stops growing after 16 passes
        for (int k = 0; k < keys.length; k++) {
          keys[k][0] = (byte) k;
          keys[k][1] = (byte) (k >>> 8);
          keys[k][2] = (byte) (round & 15);
          value[0] = (byte) round;
          state.write(keys[k], value, TREE_VALUE_LENGTHS[k % TREE_VALUE_LENGTHS.length]);
        }
        state.root();
      }
    }
    nextStep = (nextStep + 1) % STEPS;
    if (nextStep == 0) {
      iterations++;
    }
  }

  /**
   * One commit of {@code size} AgentRuns through the execution stage, then certified by two more
   * validators' commit signatures. The runs are unsigned: the stage trusts its input's certificates
   * by default, as the node's does ({@code --execution-verify} off).
   */
  private void executeCommit(int round, int size) {
    if (stage == null) {
      openStage();
    }
    List<byte[]> runs = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      int a = (round * 7 + i) % AGENTS;
      int mix = (round * 31 + i) % 100; // the demo's 90/6/3/1 outcomes
      RunOutcome outcome =
          mix < 90
              ? RunOutcome.SUCCESS
              : mix < 96
                  ? RunOutcome.FAILURE
                  : mix < 99 ? RunOutcome.PARTIAL : RunOutcome.CANCELLED;
      byte[] task = new byte[16];
      task[0] = (byte) ((round + i) % TASKS);
      byte[] model = new byte[32];
      model[0] = (byte) (i * i % MODELS);
      runs.add(
          new AgentRunBuilder()
              .chainId(chain)
              .nonce(nonces[a]++)
              .taskId(task)
              .model(model)
              .startedAt(1_000_000L * round + i + 1)
              .endedAt(1_000_000L * round + i + 5_001 + 97L * i)
              .inputTokens(1 + (i * 7919L) % 128_000)
              .outputTokens(1 + (i * 104_729L) % 16_000)
              .computeMs(i % 5_000)
              .gpuMs(i % 3 == 0 ? 0 : i % 2_000)
              .peakMemoryBytes(1L << (20 + i % 12))
              .outcome(outcome)
              .maxFee(Long.MAX_VALUE / 4)
              .unsigned(agents[a].publicKey()));
    }
    byte[] anchor = new byte[32];
    anchor[0] = (byte) round;
    long sequence = commitSequence + 1;
    try {
      stage.execute(new CommittedInput(sequence, sequence, anchor, List.of(digest.clone()), runs));
    } catch (StoreException e) {
      // a full or failing temporary disk: the following passes execute in memory
      closeStore();
      openInMemoryStage();
      return;
    }
    commitSequence = sequence;
    expect(stage.lastSequence() == sequence, "a commit was not executed");
    byte[] hash = stage.lastCommitHash();
    for (int v = 1; v <= 2; v++) {
      expect(
          stage.addSignature(sequence, CommitSignature.sign(validators[v], hash)),
          "a valid commit signature was refused");
    }
    runsExecuted += size;
  }

  /**
   * {@link #TLS_RECORDS} TLS records, half each way, between two of the node's own link engines
   * ({@link LinkTls}: TLS 1.3, the same parameters and so the same cipher suite) in memory.
   */
  private void tlsRecords(int round) {
    try {
      if (tlsClient == null) {
        openTls();
      }
      for (int i = 0; i < TLS_RECORDS; i++) {
        int size = TLS_RECORD_SIZES[(round + i) % TLS_RECORD_SIZES.length];
        boolean fromClient = (i & 1) == 0;
        record(fromClient ? tlsClient : tlsServer, fromClient ? tlsServer : tlsClient, size, i);
        tlsRecords++;
      }
    } catch (SSLException e) {
      throw new IllegalStateException("JIT warm-up: TLS between two link engines failed", e);
    }
  }

  /** One record of {@code size} plaintext bytes from {@code from} to {@code to}, checked. */
  private void record(SSLEngine from, SSLEngine to, int size, int fill) throws SSLException {
    tlsPlain.clear();
    for (int b = 0; b < size; b++) {
      tlsPlain.put((byte) (b + fill));
    }
    tlsPlain.flip();
    tlsWire.clear();
    while (tlsPlain.hasRemaining()) {
      expect(from.wrap(tlsPlain, tlsWire).getStatus() == SSLEngineResult.Status.OK, "TLS wrap");
    }
    tlsWire.flip();
    tlsReceived.clear();
    while (tlsWire.hasRemaining()) {
      // a TLS 1.3 client first reads the server's session tickets: records with no data
      expect(
          to.unwrap(tlsWire, tlsReceived).getStatus() == SSLEngineResult.Status.OK, "TLS unwrap");
    }
    tlsReceived.flip();
    tlsPlain.rewind();
    expect(tlsReceived.equals(tlsPlain), "a TLS record came out different");
  }

  /** Two of the node's link engines, a dialer and an acceptor, after a full handshake. */
  private void openTls() throws SSLException {
    LinkTls acceptor = new LinkTls(executionCommittee, 0, chain, validators[0]);
    LinkTls dialer = new LinkTls(executionCommittee, 1, chain, validators[1]);
    tlsServer = acceptor.acceptorEngine();
    tlsClient = dialer.dialerEngine(0);
    int packet = tlsClient.getSession().getPacketBufferSize();
    tlsPlain = ByteBuffer.allocate(TLS_RECORD_SIZES[2]);
    tlsWire = ByteBuffer.allocate(8 * packet);
    tlsReceived = ByteBuffer.allocate(2 * tlsClient.getSession().getApplicationBufferSize());
    ByteBuffer toServer = ByteBuffer.allocate(8 * packet);
    ByteBuffer toClient = ByteBuffer.allocate(8 * packet);
    tlsClient.beginHandshake();
    tlsServer.beginHandshake();
    for (int i = 0; i < 1_000 && (handshaking(tlsClient) || handshaking(tlsServer)); i++) {
      shake(tlsClient, toServer, toClient);
      shake(tlsServer, toClient, toServer);
    }
    expect(!handshaking(tlsClient) && !handshaking(tlsServer), "a TLS handshake did not finish");
    // what the handshake left in flight (the server's session tickets) goes before the first record
    toClient.flip();
    tlsReceived.clear();
    while (toClient.hasRemaining()) {
      tlsClient.unwrap(toClient, tlsReceived);
    }
    toServer.flip();
    while (toServer.hasRemaining()) {
      tlsServer.unwrap(toServer, tlsReceived);
    }
  }

  private static boolean handshaking(SSLEngine engine) {
    SSLEngineResult.HandshakeStatus status = engine.getHandshakeStatus();
    return status != SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING
        && status != SSLEngineResult.HandshakeStatus.FINISHED;
  }

  /** One handshake move of {@code engine}: writes to {@code out}, reads from {@code in}. */
  private void shake(SSLEngine engine, ByteBuffer out, ByteBuffer in) throws SSLException {
    switch (engine.getHandshakeStatus()) {
      case NEED_TASK -> {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
          task.run();
        }
      }
      case NEED_WRAP -> engine.wrap(ByteBuffer.allocate(0), out);
      case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
        in.flip();
        tlsReceived.clear();
        engine.unwrap(in, tlsReceived);
        in.compact();
      }
      default -> {
        // finished or not handshaking: nothing to do
      }
    }
  }

  /** TLS records the warm-up sent (tests). */
  long tlsRecords() {
    return tlsRecords;
  }

  /** The nonce the execution step's state expects next from agent {@code a} (tests). */
  long nextNonce(int a) {
    byte[] value = stage.stateValue(StateKeys.account(agents[a].publicKey()));
    AccountRecord account = new AccountRecord();
    account.load(value, value.length);
    return account.nextNonce;
  }

  /** The nonce the execution step gives agent {@code a}'s next run (tests). */
  long issuedNonces(int a) {
    return nonces[a];
  }

  private void openStage() {
    try {
      Path temp = Path.of(System.getProperty("java.io.tmpdir"));
      removeOrphans(temp);
      stageDirectory =
          Files.createTempDirectory(temp, SCRATCH_PREFIX + ProcessHandle.current().pid() + "-");
      Path created = stageDirectory;
      removeOnExit = new Thread(() -> deleteTreeIfPossible(created), "jit-warmup-cleanup");
      Runtime.getRuntime().addShutdownHook(removeOnExit);
      stageStore = RocksDbStore.open(stageDirectory, RocksDbStore.Options.ofMemoryMib(16));
      stage =
          ExecutionStage.durable(
              genesis,
              stageStore,
              ExecutionStage.StateSettings.DEFAULTS.withStateCacheBytes(STATE_CACHE_BYTES),
              executionCommittee,
              validators[0],
              new EventLog(4_096),
              new MetricsRegistry(),
              false,
              System::nanoTime);
    } catch (IOException | StoreException e) { // no temporary directory, or RocksDB cannot open it
      closeStore();
      openInMemoryStage();
    }
  }

  private void openInMemoryStage() {
    java.util.Arrays.fill(nonces, 0);
    commitSequence = 0;
    stage =
        new ExecutionStage(
            genesis,
            executionCommittee,
            validators[0],
            new InMemoryQueryStore(),
            new EventLog(4_096),
            new MetricsRegistry(),
            false,
            System::nanoTime);
  }

  private void closeStore() {
    close();
    stageDirectory = null;
  }

  private static long compileMs(CompilationMXBean jit) {
    return jit != null && jit.isCompilationTimeMonitoringSupported()
        ? jit.getTotalCompilationTime()
        : 0;
  }

  /** CPU time of the whole process, or -1 where the platform does not say. */
  private static long processCpuNs() {
    return ManagementFactory.getOperatingSystemMXBean()
            instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime()
        : -1;
  }

  private static byte[] seed(int n) {
    byte[] s = new byte[32];
    s[0] = (byte) n;
    s[31] = 0x57;
    return s;
  }

  private static void expect(boolean condition, String what) {
    if (!condition) {
      throw new IllegalStateException(
          "JIT warm-up: " + what + " (the build's Ed25519 or hashing is broken)");
    }
  }

  /**
   * One pass of the consensus step: four simulated primaries with real signatures for {@link
   * #CONSENSUS_SIM_MS}, no faults. Safety invariants only: how many commits 1.5 simulated seconds
   * hold depends on the seed, and a warm-up that asked for liveness stopped healthy nodes from
   * starting.
   */
  static SimResult consensusPass(long seed) {
    return Simulator.run(
        new SimConfig(
            4,
            0,
            EnumSet.noneOf(dev.agentledger.node.sim.Fault.class),
            CONSENSUS_SIM_MS,
            0,
            0,
            true,
            dev.agentledger.node.consensus.core.PrimaryConfig.defaults()),
        seed);
  }
}
