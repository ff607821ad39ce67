package dev.agentledger.bench.speed;

import dev.agentledger.bench.loadgen.RunContents;
import dev.agentledger.bench.loadgen.core.ZipfSampler;
import dev.agentledger.hash.Sha256;
import dev.agentledger.hash.simd.WarmSha256;
import dev.agentledger.hash.smt.ArenaSparseMerkleTree;
import dev.agentledger.node.committee.Committee;
import dev.agentledger.node.events.EventLog;
import dev.agentledger.node.execution.ExecutionStage;
import dev.agentledger.node.execution.core.CommitOutput;
import dev.agentledger.node.execution.core.CommittedInput;
import dev.agentledger.node.execution.core.ExecutionGenesis;
import dev.agentledger.node.execution.core.FeeSchedule;
import dev.agentledger.node.execution.core.GenesisAccount;
import dev.agentledger.node.execution.core.LedgerExecutor;
import dev.agentledger.node.execution.core.Roles;
import dev.agentledger.node.execution.core.StateStore;
import dev.agentledger.node.execution.state.SmtStateStore;
import dev.agentledger.node.metrics.MetricsRegistry;
import dev.agentledger.node.query.memory.InMemoryQueryStore;
import dev.agentledger.node.storage.ColumnFamily;
import dev.agentledger.node.storage.Durability;
import dev.agentledger.node.storage.Store;
import dev.agentledger.node.storage.WriteBatch;
import dev.agentledger.node.storage.rocksdb.RocksDbStore;
import dev.agentledger.node.tx.AgentRunBuilder;
import dev.agentledger.node.tx.AgentRunFlyweight;
import dev.agentledger.node.tx.RunOutcome;
import dev.agentledger.sig.Ed25519KeyPair;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * {@code agentledger speed execution}: the node's real {@link LedgerExecutor} over the real state
 * ({@link SmtStateStore}, in memory or durable in RocksDB, one synced write per commit as in the
 * execution stage), on demo-like runs: Zipf-skewed agents, tasks and models ({@link
 * RunContents#defaults()}: 10,000 agents, skew 1.1, 32 models; tasks Zipf over 100,000), token
 * counts, outcome mix and {@code parent_run} chains as the load generator makes them. Signatures
 * count as verified before ordering, as in the node. The state is pre-filled with {@code accounts}
 * accounts in one batch.
 *
 * <p>Beside it, in the same process, the anchor: {@code rocksdb-floor}, a second RocksDB pre-filled
 * with the same accounts that writes, per commit, exactly the keys and values execution changed
 * (one batch, synced) with no execution and no Merkleization: what no state commitment that writes
 * every changed value per commit can beat. The execution row's state writes one log record per
 * commit and the changed values only at its checkpoints (one put per key per checkpoint; {@link
 * SmtStateStore}), so its puts per transaction may be fewer than the floor's.
 *
 * <p>Warm-up, as a validator's start-up JIT warm-up does it: the multi-buffer SHA-256 engine is
 * compiled before the measured commits, on the executor's own shapes. The first half of the warm-up
 * commits run with the SHA-256 gate held open ({@link WarmSha256}: every batch of hashes through
 * the engine, so C2 compiles it for the tree's nodes and leaves, the values' lengths and the run
 * keys' messages); then every route of the gate is exercised ({@link WarmSha256#exerciseRoutes})
 * and the gate goes back to measuring (from shut: it opens on probes that find the engine faster),
 * for the rest of the warm-up and the measured commits. A gate held open or shut by {@code
 * -Dagentledger.sha256.gate} stays so throughout.
 *
 * <p>The executor writes each commit into a reused {@link CommitOutput} ({@link
 * LedgerExecutor#executeInto}), as an allocation-free consumer would; the node's execution stage
 * still copies it into receipt and event objects for its query store and event log.
 *
 * <p>With {@code stage}, a third row, {@code execution-stage}: the node's whole {@link
 * ExecutionStage} on the same commits (a fresh state of the same accounts, in the same store kind):
 * the executor, the commit record and its signature, the query store's entries (in the state's
 * write batch when durable), the event log and the signature collector, as a validator's execution
 * thread runs them.
 *
 * <p>Measured on the calling thread over the measured commits only: CPU time ({@code
 * ThreadMXBean.getCurrentThreadCpuTime}), wall time, bytes allocated ({@code
 * com.sun.management.ThreadMXBean.getCurrentThreadAllocatedBytes}), and the state tree's SHA-256
 * compressions. The execution row also gives the part spent persisting (stage and write), of it the
 * part spent staging (encoding the log record and the checkpoint's values into the write batch; the
 * rest is RocksDB's write and sync), the part of execution spent closing the version (sorting its
 * keys, hashing their values, the tree update and its hashing: {@link StateStore#root}), and the
 * bytes of the log records per transaction.
 */
public final class ExecutionSpeed {
  /** What to run. */
  public record Options(
      int commitSize,
      int accounts,
      boolean rocksdb,
      int warmupCommits,
      int commits,
      int tasks,
      long seed,
      boolean stage,
      long stateCacheMb) {
    public Options {
      if (commitSize < 1 || accounts < 1 || warmupCommits < 0 || commits < 1 || tasks < 1) {
        throw new IllegalArgumentException("sizes must be positive");
      }
      if (stateCacheMb < 0) {
        throw new IllegalArgumentException("--state-cache-mb must be 0 (unbounded) or more");
      }
    }

    /** With the state's pages all in memory ({@code stateCacheMb} 0). */
    public Options(
        int commitSize,
        int accounts,
        boolean rocksdb,
        int warmupCommits,
        int commits,
        int tasks,
        long seed,
        boolean stage) {
      this(commitSize, accounts, rocksdb, warmupCommits, commits, tasks, seed, stage, 0);
    }

    public static Options defaults() {
      return new Options(1000, 1_000_000, true, 100, 100, 100_000, 42, false);
    }
  }

  /** One row of the report. */
  public record Row(
      String name,
      String store,
      int commitSize,
      int accounts,
      int commits,
      double cpuNsPerTx,
      double wallNsPerTx,
      double allocBytesPerTx,
      double hashesPerTx,
      double putsPerTx,
      double persistCpuNsPerTx,
      double stageCpuNsPerTx,
      double closeCpuNsPerTx,
      double logBytesPerTx,
      double pageReadsPerTx,
      double pageWritesPerTx) {
    /** A row without paging (the state's pages all in memory, or no state). */
    public Row(
        String name,
        String store,
        int commitSize,
        int accounts,
        int commits,
        double cpuNsPerTx,
        double wallNsPerTx,
        double allocBytesPerTx,
        double hashesPerTx,
        double putsPerTx,
        double persistCpuNsPerTx,
        double stageCpuNsPerTx,
        double closeCpuNsPerTx,
        double logBytesPerTx) {
      this(
          name,
          store,
          commitSize,
          accounts,
          commits,
          cpuNsPerTx,
          wallNsPerTx,
          allocBytesPerTx,
          hashesPerTx,
          putsPerTx,
          persistCpuNsPerTx,
          stageCpuNsPerTx,
          closeCpuNsPerTx,
          logBytesPerTx,
          0,
          0);
    }

    String json(double floorCpu) {
      return String.format(
          Locale.ROOT,
          "{\"name\":\"%s\",\"store\":\"%s\",\"commitSize\":%d,\"accounts\":%d,\"commits\":%d,"
              + "\"cpuNsPerTx\":%.0f,\"wallNsPerTx\":%.0f,\"allocBytesPerTx\":%.1f,"
              + "\"hashesPerTx\":%.2f,\"putsPerTx\":%.2f,\"persistCpuNsPerTx\":%.0f,"
              + "\"stageCpuNsPerTx\":%.0f,\"closeCpuNsPerTx\":%.0f,\"logBytesPerTx\":%.1f,"
              + "\"cpuRatioToFloor\":%.2f,\"pageReadsPerTx\":%.3f,\"pageWritesPerTx\":%.3f}",
          name,
          store,
          commitSize,
          accounts,
          commits,
          cpuNsPerTx,
          wallNsPerTx,
          allocBytesPerTx,
          hashesPerTx,
          putsPerTx,
          persistCpuNsPerTx,
          stageCpuNsPerTx,
          closeCpuNsPerTx,
          logBytesPerTx,
          floorCpu > 0 ? cpuNsPerTx / floorCpu : 0,
          pageReadsPerTx,
          pageWritesPerTx);
    }
  }

  private static final int CHAIN = 1;
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private ExecutionSpeed() {}

  /** Runs both rows and prints them (text table, or one JSON object per line). */
  public static List<Row> run(Options options, boolean json, PrintStream out) throws IOException {
    THREADS.setThreadAllocatedMemoryEnabled(true);
    THREADS.setThreadCpuTimeEnabled(true);
    long began = System.nanoTime();
    Workload workload = Workload.make(options);
    ArenaSparseMerkleTree.warmUp(java.util.concurrent.TimeUnit.SECONDS.toNanos(5));
    if (!json) {
      out.printf(
          Locale.ROOT,
          "workload: %d accounts, %d agents, %d+%d commits of %d runs, made in %.1f s%n",
          options.accounts(),
          RunContents.defaults().agents(),
          options.warmupCommits(),
          options.commits(),
          options.commitSize(),
          (System.nanoTime() - began) / 1e9);
    }
    Path dir = Files.createTempDirectory("agentledger-speed-execution");
    try {
      List<List<byte[]>> writes = new ArrayList<>();
      Row execution = execution(options, workload, dir.resolve("state"), writes);
      Row floor = floor(options, workload, dir.resolve("floor"), writes);
      List<Row> rows = new ArrayList<>(List.of(execution, floor));
      if (options.stage()) {
        rows.add(stage(options, workload, dir.resolve("stage")));
      }
      if (json) {
        for (Row r : rows) {
          out.println(r.json(floor.cpuNsPerTx()));
        }
      } else {
        out.printf(
            Locale.ROOT,
            "%-14s %-8s %12s %12s %12s %10s %9s %14s%n",
            "name",
            "store",
            "cpu ns/tx",
            "wall ns/tx",
            "alloc B/tx",
            "hashes/tx",
            "puts/tx",
            "persist ns/tx");
        for (Row r : rows) {
          out.printf(
              Locale.ROOT,
              "%-14s %-8s %12.0f %12.0f %12.1f %10.2f %9.2f %14.0f%n",
              r.name(),
              r.store(),
              r.cpuNsPerTx(),
              r.wallNsPerTx(),
              r.allocBytesPerTx(),
              r.hashesPerTx(),
              r.putsPerTx(),
              r.persistCpuNsPerTx());
        }
        out.printf(
            Locale.ROOT,
            "execution / rocksdb-floor CPU: %.2f x%n",
            execution.cpuNsPerTx() / floor.cpuNsPerTx());
      }
      return List.copyOf(rows);
    } finally {
      deleteTree(dir);
    }
  }

  private static Row execution(
      Options options, Workload workload, Path dir, List<List<byte[]>> writes) {
    Store store = options.rocksdb() ? RocksDbStore.open(dir) : null;
    try {
      int expectedKeys =
          options.accounts()
              + 2 * (options.warmupCommits() + options.commits()) * options.commitSize();
      SmtStateStore state =
          store == null
              ? SmtStateStore.inMemory(64, expectedKeys)
              : SmtStateStore.durable(
                  store,
                  64,
                  SmtStateStore.UNBOUNDED_BYTES,
                  expectedKeys,
                  SmtStateStore.DEFAULT_CHECKPOINT_VERSIONS,
                  options.stateCacheMb() == 0
                      ? SmtStateStore.UNBOUNDED_CACHE
                      : options.stateCacheMb() << 20);
      ClosingTimer timed = new ClosingTimer(state);
      LedgerExecutor executor = new LedgerExecutor(workload.genesis, timed, false);
      CommitOutput output = new CommitOutput();
      if (store != null) {
        state.persist(store, Durability.SYNCED);
      }
      long cpu = 0;
      long wall = 0;
      long alloc = 0;
      long persistCpu = 0;
      long stageCpu = 0;
      long closeCpu = 0;
      long logBytes = 0;
      long hashes = 0;
      long puts = 0;
      long pageReads = 0;
      long pageWrites = 0;
      long[] putCount = new long[1];
      int gateMode = WarmSha256.mode();
      int engineWarmup = gateMode == WarmSha256.MEASURED ? options.warmupCommits() / 2 : 0;
      if (engineWarmup > 0) {
        WarmSha256.force(WarmSha256.OPEN);
      }
      for (int c = 0; c < workload.commits.size(); c++) {
        if (c == engineWarmup && engineWarmup > 0) {
          WarmSha256.force(gateMode);
          WarmSha256.exerciseRoutes();
        }
        boolean measured = c >= options.warmupCommits();
        long hashesBefore = state.treeHashes();
        long reads0 = state.pageReads();
        long writes0 = state.pageWrites();
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        long alloc0 = THREADS.getCurrentThreadAllocatedBytes();
        long wall0 = System.nanoTime();
        long close0 = timed.cpuNs;
        executor.executeInto(workload.commits.get(c), output);
        long cpu1 = THREADS.getCurrentThreadCpuTime();
        long staged = cpu1;
        long logBytes0 = state.loggedBytes();
        if (store != null) {
          try (WriteBatch batch = store.newBatch()) {
            long version = state.stage(batch);
            staged = THREADS.getCurrentThreadCpuTime();
            putCount[0] = batch.size();
            store.write(batch, Durability.SYNCED);
            state.written(version);
          }
        }
        long wall1 = System.nanoTime();
        long cpu2 = THREADS.getCurrentThreadCpuTime();
        long alloc1 = THREADS.getCurrentThreadAllocatedBytes();
        if (measured) {
          cpu += cpu2 - cpu0;
          persistCpu += cpu2 - cpu1;
          stageCpu += staged - cpu1;
          closeCpu += timed.cpuNs - close0;
          logBytes += state.loggedBytes() - logBytes0;
          wall += wall1 - wall0;
          alloc += alloc1 - alloc0;
          hashes += state.treeHashes() - hashesBefore;
          puts += putCount[0];
          pageReads += state.pageReads() - reads0;
          pageWrites += state.pageWrites() - writes0;
          List<byte[]> written = new ArrayList<>();
          state.forEachWrite(
              (key, keyOffset, value, valueOffset, length) -> {
                byte[] entry = new byte[32 + 1 + Math.max(0, length)];
                System.arraycopy(key, keyOffset, entry, 0, 32);
                entry[32] = (byte) (length < 0 ? 0 : 1);
                if (length > 0) {
                  System.arraycopy(value, valueOffset, entry, 33, length);
                }
                written.add(entry);
              });
          writes.add(written);
        }
      }
      double txs = (double) options.commits() * options.commitSize();
      return new Row(
          "execution",
          options.rocksdb() ? "rocksdb" : "memory",
          options.commitSize(),
          options.accounts(),
          options.commits(),
          cpu / txs,
          wall / txs,
          alloc / txs,
          hashes / txs,
          puts / txs,
          persistCpu / txs,
          stageCpu / txs,
          closeCpu / txs,
          logBytes / txs,
          pageReads / txs,
          pageWrites / txs);
    } finally {
      if (store != null) {
        store.close();
      }
    }
  }

  private static Row floor(
      Options options, Workload workload, Path dir, List<List<byte[]>> writes) {
    try (RocksDbStore store = RocksDbStore.open(dir)) {
      // The same pre-filled accounts (key = the state key, value = an account record's size).
      byte[] value = new byte[1 + 58];
      value[0] = 1;
      WriteBatch fill = store.newBatch();
      int inBatch = 0;
      for (GenesisAccount account : workload.genesis.accounts()) {
        byte[] key = dev.agentledger.node.execution.core.StateKeys.account(account.publicKey());
        fill.putRaw(ColumnFamily.STATE_VALUES, key, 0, 32, value, 0, value.length);
        if (++inBatch == 100_000) {
          store.write(fill, Durability.BUFFERED);
          fill = store.newBatch();
          inBatch = 0;
        }
      }
      store.write(fill, Durability.SYNCED);
      long cpu = 0;
      long wall = 0;
      long alloc = 0;
      long puts = 0;
      for (List<byte[]> commit : writes) {
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        long alloc0 = THREADS.getCurrentThreadAllocatedBytes();
        long wall0 = System.nanoTime();
        try (WriteBatch batch = store.newBatch()) {
          for (int i = 0; i < commit.size(); i++) {
            byte[] entry = commit.get(i);
            batch.putRaw(ColumnFamily.STATE_VALUES, entry, 0, 32, entry, 32, entry.length - 32);
          }
          puts += batch.size();
          store.write(batch, Durability.SYNCED);
        }
        wall += System.nanoTime() - wall0;
        cpu += THREADS.getCurrentThreadCpuTime() - cpu0;
        alloc += THREADS.getCurrentThreadAllocatedBytes() - alloc0;
      }
      double txs = (double) options.commits() * options.commitSize();
      return new Row(
          "rocksdb-floor",
          "rocksdb",
          options.commitSize(),
          options.accounts(),
          options.commits(),
          cpu / txs,
          wall / txs,
          alloc / txs,
          0,
          puts / txs,
          cpu / txs,
          0,
          0,
          0);
    }
  }

  private static Row stage(Options options, Workload workload, Path dir) {
    Store store = options.rocksdb() ? RocksDbStore.open(dir) : null;
    try {
      Ed25519KeyPair validator = Ed25519KeyPair.fromSeed(new byte[32]);
      Committee committee =
          new Committee(CHAIN, 0, List.of(new Committee.Validator(0, validator.publicKey(), 1)));
      MetricsRegistry metrics = new MetricsRegistry();
      EventLog events = new EventLog();
      ExecutionStage stage =
          store == null
              ? new ExecutionStage(
                  workload.genesis,
                  committee,
                  validator,
                  new InMemoryQueryStore(),
                  events,
                  metrics,
                  false,
                  System::nanoTime)
              : ExecutionStage.durable(
                  workload.genesis,
                  store,
                  ExecutionStage.StateSettings.DEFAULTS.withRetainVersions(64),
                  committee,
                  validator,
                  events,
                  metrics,
                  false,
                  System::nanoTime);
      long cpu = 0;
      long wall = 0;
      long alloc = 0;
      for (int c = 0; c < workload.commits.size(); c++) {
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        long alloc0 = THREADS.getCurrentThreadAllocatedBytes();
        long wall0 = System.nanoTime();
        stage.execute(workload.commits.get(c));
        long wall1 = System.nanoTime();
        long cpu1 = THREADS.getCurrentThreadCpuTime();
        long alloc1 = THREADS.getCurrentThreadAllocatedBytes();
        if (c >= options.warmupCommits()) {
          cpu += cpu1 - cpu0;
          wall += wall1 - wall0;
          alloc += alloc1 - alloc0;
        }
      }
      double txs = (double) options.commits() * options.commitSize();
      return new Row(
          "execution-stage",
          options.rocksdb() ? "rocksdb" : "memory",
          options.commitSize(),
          options.accounts(),
          options.commits(),
          cpu / txs,
          wall / txs,
          alloc / txs,
          0,
          0,
          0,
          0,
          0,
          0);
    } finally {
      if (store != null) {
        store.close();
      }
    }
  }

  /**
   * The state as the executor sees it, with the thread CPU spent in {@link StateStore#root}
   * (closing the version) added up: two clock reads per commit.
   */
  private static final class ClosingTimer implements StateStore {
    private final SmtStateStore state;
    long cpuNs;

    ClosingTimer(SmtStateStore state) {
      this.state = state;
    }

    @Override
    public byte[] get(byte[] key) {
      return state.get(key);
    }

    @Override
    public void put(byte[] key, byte[] value) {
      state.put(key, value);
    }

    @Override
    public byte[] root() {
      long t0 = THREADS.getCurrentThreadCpuTime();
      byte[] root = state.root();
      cpuNs += THREADS.getCurrentThreadCpuTime() - t0;
      return root;
    }

    @Override
    public void root(byte[] out) {
      long t0 = THREADS.getCurrentThreadCpuTime();
      state.root(out);
      cpuNs += THREADS.getCurrentThreadCpuTime() - t0;
    }

    @Override
    public void prefetch(byte[] keys, int offset, int count) {
      state.prefetch(keys, offset, count);
    }

    @Override
    public int read(byte[] key, byte[] out) {
      return state.read(key, out);
    }

    @Override
    public void write(byte[] key, byte[] value, int length) {
      state.write(key, value, length);
    }

    @Override
    public void writeOnce(byte[] key, byte[] value, int length) {
      state.writeOnce(key, value, length);
    }
  }

  /** The genesis (pre-filled accounts) and every commit's records, made before any timing. */
  private static final class Workload {
    ExecutionGenesis genesis;
    final List<CommittedInput> commits = new ArrayList<>();

    static Workload make(Options options) {
      RunContents contents = RunContents.defaults();
      int agents = Math.min(contents.agents(), options.accounts());
      SplittableRandom random = new SplittableRandom(options.seed());
      List<GenesisAccount> accounts = new ArrayList<>(options.accounts());
      byte[][] agentKeys = new byte[agents][];
      for (int a = 0; a < options.accounts(); a++) {
        byte[] key = new byte[32];
        random.nextBytes(key);
        int roles = a < agents ? Roles.AGENT : 0;
        if (a == 0) {
          roles |= Roles.ADMIN;
        }
        if (a < agents) {
          agentKeys[a] = key;
        }
        accounts.add(new GenesisAccount(key, roles, 1L << 40));
      }
      Workload w = new Workload();
      w.genesis = new ExecutionGenesis(CHAIN, new FeeSchedule(1_000, 1, 2, 8, 1, 10), accounts);
      ZipfSampler agentPick = new ZipfSampler(agents, contents.agentSkew());
      ZipfSampler taskPick = new ZipfSampler(options.tasks(), 1.0);
      ZipfSampler modelPick = new ZipfSampler(contents.models(), 1.0);
      ZipfSampler inputPick =
          new ZipfSampler(
              (int) (contents.maxInputTokens() / RunContents.TOKEN_GRANULE), contents.tokenSkew());
      ZipfSampler outputPick =
          new ZipfSampler(
              (int) (contents.maxOutputTokens() / RunContents.TOKEN_GRANULE), contents.tokenSkew());
      byte[][] models = new byte[contents.models()][];
      for (int m = 0; m < models.length; m++) {
        models[m] = Sha256.digest(("model-" + m).getBytes(StandardCharsets.US_ASCII));
      }
      long[] nonces = new long[agents];
      byte[][] lastRun = new byte[agents][];
      byte[] zero = new byte[32];
      byte[] task = new byte[16];
      byte[] cid = new byte[36];
      Sha256 hasher = new Sha256();
      AgentRunFlyweight flyweight = new AgentRunFlyweight();
      UnsafeBuffer view = new UnsafeBuffer(new byte[1]);
      long time = 1_767_225_600_000_000_000L;
      int total = options.warmupCommits() + options.commits();
      for (int c = 0; c < total; c++) {
        List<byte[]> txs = new ArrayList<>(options.commitSize());
        for (int t = 0; t < options.commitSize(); t++) {
          int a = agentPick.rank(random.nextDouble()) - 1;
          int taskRank = taskPick.rank(random.nextDouble());
          for (int k = 0; k < 4; k++) {
            task[k] = (byte) (taskRank >>> (8 * k));
          }
          long computeMs = 50 + (long) (-Math.log(1 - random.nextDouble()) * 4_000);
          time += 1_000_000L;
          random.nextBytes(cid);
          cid[0] = 0x01;
          cid[1] = 0x55;
          cid[2] = 0x12;
          cid[3] = 0x20;
          byte[] record =
              new AgentRunBuilder()
                  .chainId(CHAIN)
                  .nonce(nonces[a]++)
                  .taskId(task)
                  .parentRun(lastRun[a] == null ? zero : lastRun[a])
                  .startedAt(time)
                  .endedAt(time + computeMs * 1_000_000L)
                  .inputTokens(
                      (long) inputPick.rank(random.nextDouble()) * RunContents.TOKEN_GRANULE)
                  .outputTokens(
                      (long) outputPick.rank(random.nextDouble()) * RunContents.TOKEN_GRANULE)
                  .computeMs(computeMs)
                  .gpuMs(random.nextInt(4) == 0 ? 0 : computeMs * random.nextInt(1, 9) / 10)
                  .peakMemoryBytes((1L << 28) + random.nextLong(1L << 34))
                  .model(models[modelPick.rank(random.nextDouble()) - 1])
                  .outcome(random.nextInt(10) == 0 ? RunOutcome.FAILURE : RunOutcome.SUCCESS)
                  .priority(random.nextInt(4))
                  .maxFee(1L << 40)
                  .metadataCid(cid)
                  .unsigned(agentKeys[a]);
          view.wrap(record);
          flyweight.wrap(view, 0);
          byte[] id = new byte[32];
          flyweight.transactionId(hasher, id, 0);
          lastRun[a] = id;
          txs.add(record);
        }
        w.commits.add(new CommittedInput(c + 1, c, new byte[32], List.of(), txs));
      }
      return w;
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
