package dev.agentledger.node.cli;

import dev.agentledger.accel.AccelException;
import dev.agentledger.node.accel.NodeAccelerators;
import dev.agentledger.node.config.ConfigException;
import dev.agentledger.node.config.NodeConfig;
import dev.agentledger.node.config.NodeSetup;
import dev.agentledger.node.config.SigBackend;
import dev.agentledger.node.mempool.core.MempoolConfig;
import dev.agentledger.node.net.netty.IoKind;
import dev.agentledger.node.runtime.Validator;
import dev.agentledger.node.runtime.ValidatorContext;
import dev.agentledger.node.worker.ValidatorNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code agentledger node run --config FILE}: one validator (ingress, mempool, worker, storage,
 * peer links) until SIGTERM/SIGINT. Prints the chosen I/O transport at start.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Run one validator: client ingress, mempool, worker batches and certificates, the DAG consensus primary (Bullshark) with durable commits, RocksDB storage, authenticated peer links.",
      "Prints which network transport it chose (io_uring, epoll or nio) and runs until SIGTERM or SIGINT."
    })
final class NodeRunCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--config",
      required = true,
      paramLabel = "FILE",
      description = "Node configuration (agentledger-node/v1, YAML or JSON).")
  Path config;

  @Option(
      names = "--transport",
      defaultValue = "auto",
      paramLabel = "KIND",
      description =
          "auto, io_uring, epoll or nio (default: ${DEFAULT-VALUE}: io_uring, else epoll, else nio).")
  String transport;

  @Option(
      names = "--batch-size",
      defaultValue = "" + ValidatorContext.DEFAULT_BATCH_SIZE,
      paramLabel = "TXS",
      description = "Seal a worker batch at this many transactions (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(
      names = "--batch-delay-ms",
      defaultValue = "" + ValidatorContext.DEFAULT_BATCH_DELAY_MS,
      paramLabel = "MS",
      description = "Seal a non-empty batch after this long (default: ${DEFAULT-VALUE}).")
  long batchDelayMs;

  @Option(
      names = "--resend-ms",
      defaultValue = "" + ValidatorContext.DEFAULT_RESEND_MS,
      paramLabel = "MS",
      description =
          "Resend an unacknowledged own batch (and a missing-batch request) after this long, backing off up to 8x (default: ${DEFAULT-VALUE}).")
  long resendMs;

  @Option(
      names = "--mempool-capacity",
      defaultValue = "100000",
      paramLabel = "TXS",
      description = "Pending transactions at most (default: ${DEFAULT-VALUE}).")
  int mempoolCapacity;

  @Option(
      names = "--agent-rate",
      defaultValue = "1000",
      paramLabel = "TPS",
      description =
          "Admit at most this many transactions per second per agent, with bursts of --agent-burst"
              + " (RATE_LIMITED beyond; 0: off; default: ${DEFAULT-VALUE}).")
  long agentRate;

  @Option(
      names = "--agent-burst",
      defaultValue = "2000",
      paramLabel = "TXS",
      description = "Burst of the per-agent rate limit (default: ${DEFAULT-VALUE}).")
  long agentBurst;

  @Option(
      names = "--connection-rate",
      defaultValue = "50000",
      paramLabel = "TPS",
      description =
          "Admit at most this many transactions per second per client connection, with bursts of"
              + " --connection-burst (RATE_LIMITED beyond; 0: off; default: ${DEFAULT-VALUE}).")
  long connectionRate;

  @Option(
      names = "--connection-burst",
      defaultValue = "100000",
      paramLabel = "TXS",
      description = "Burst of the per-connection rate limit (default: ${DEFAULT-VALUE}).")
  long connectionBurst;

  @Option(
      names = "--ip-rate",
      defaultValue = "100000",
      paramLabel = "TPS",
      description =
          "Admit at most this many transactions per second per client address (all its connections"
              + " together, an IPv6 address by its /64), with bursts of --ip-burst (RATE_LIMITED"
              + " beyond; 0: off; default: ${DEFAULT-VALUE}).")
  long ipRate;

  @Option(
      names = "--ip-burst",
      defaultValue = "200000",
      paramLabel = "TXS",
      description = "Burst of the per-address rate limit (default: ${DEFAULT-VALUE}).")
  long ipBurst;

  @Option(
      names = "--io-threads",
      defaultValue = "" + ValidatorContext.DEFAULT_IO_THREADS,
      paramLabel = "N",
      description = "Netty I/O threads (default: ${DEFAULT-VALUE}).")
  int ioThreads;

  @Option(
      names = "--verify-threads",
      defaultValue = "" + ValidatorContext.DEFAULT_VERIFY_THREADS,
      paramLabel = "N",
      description = {
        "Signature verification of client submissions and peer batches: N > 0 = a verify stage of N threads doing CPU batch verification off the worker agent (default: ${DEFAULT-VALUE});",
        "0 = one by one inline on the worker agent (the old path, for comparison)."
      })
  int verifyThreads;

  @Option(
      names = "--empty-proposal-delay-ms",
      defaultValue = "" + ValidatorContext.DEFAULT_EMPTY_PROPOSAL_DELAY_MS,
      paramLabel = "MS",
      description =
          "Consensus: a proposal naming no batch waits this long after the previous one (default: ${DEFAULT-VALUE}).")
  long emptyProposalDelayMs;

  @Option(
      names = "--idle-proposal-delay-ms",
      defaultValue = "" + ValidatorContext.DEFAULT_IDLE_PROPOSAL_DELAY_MS,
      paramLabel = "MS",
      description =
          "Consensus: while nothing is left to order (no batch in flight), a proposal naming no batch waits this long"
              + " instead of --empty-proposal-delay-ms, so an idle cluster does not spend CPU on empty rounds; a value not above"
              + " --empty-proposal-delay-ms turns it off (default: ${DEFAULT-VALUE}).")
  long idleProposalDelayMs;

  @Option(
      names = "--min-round-ms",
      defaultValue = "" + ValidatorContext.DEFAULT_MIN_ROUND_MS,
      paramLabel = "MS",
      description =
          "Consensus: a proposal that does not fill a vertex with batches waits at least this long after the previous one;"
              + " fewer, fuller rounds under load for up to MS more latency per round (0: off; default: ${DEFAULT-VALUE}).")
  long minRoundMs;

  @Option(
      names = "--state-retain-versions",
      defaultValue = "" + ValidatorContext.DEFAULT_STATE_RETAIN_VERSIONS,
      paramLabel = "N",
      description =
          "Execution: state versions (one per commit) kept readable and provable; older ones are pruned as commits"
              + " land, and queries for them answer \"pruned\" with the horizon (default: ${DEFAULT-VALUE}).")
  int stateRetainVersions;

  @Option(
      names = "--state-retain-heap-percent",
      defaultValue = "" + ValidatorContext.DEFAULT_STATE_RETAIN_HEAP_PERCENT,
      paramLabel = "PERCENT",
      description =
          "Execution: share of the maximum heap the retained state versions (their before-images and replaced"
              + " tree nodes) may hold; past it the oldest are pruned even within --state-retain-versions"
              + " (1..50; default: ${DEFAULT-VALUE}).")
  int stateRetainHeapPercent;

  @Option(
      names = "--state-cache-mb",
      defaultValue = "0",
      paramLabel = "N",
      description =
          "Execution: MiB of the state's pages (tree nodes, newest values) held in memory; the rest are paged"
              + " out to RocksDB and read back when touched (0: a quarter of the JVM's direct-memory"
              + " limit; default: ${DEFAULT-VALUE}).")
  long stateCacheMb;

  @Option(
      names = "--max-execution-backlog",
      defaultValue = "" + ValidatorContext.DEFAULT_MAX_EXECUTION_BACKLOG,
      paramLabel = "N",
      description =
          "Execution: transactions in commits not executed yet at which submissions are refused as OVERLOADED and"
              + " sealing pauses, until the backlog is down to half (default: ${DEFAULT-VALUE}).")
  long maxExecutionBacklog;

  @Option(
      names = "--backlog-heap-percent",
      defaultValue = "" + ValidatorContext.DEFAULT_BACKLOG_HEAP_PERCENT,
      paramLabel = "PERCENT",
      description =
          "Execution: heap used after a garbage collection, in percent of the maximum heap, at which submissions are"
              + " refused while anything is backlogged, until it is ten points lower (100: never; default:"
              + " ${DEFAULT-VALUE}).")
  int backlogHeapPercent;

  @Option(
      names = "--admission-delay-ms",
      defaultValue = "" + ValidatorContext.DEFAULT_ADMISSION_DELAY_MS,
      paramLabel = "MS",
      description =
          "Execution: refuse submissions as OVERLOADED while what this validator accepted and has not committed would"
              + " take longer than this to commit at its measured commit rate, until it is down to half (0: no such"
              + " bound; default: ${DEFAULT-VALUE}).")
  long admissionDelayMs;

  @Option(
      names = "--held-expiry-ms",
      defaultValue = "" + ValidatorContext.DEFAULT_HELD_EXPIRY_MS,
      paramLabel = "MS",
      description =
          "Drop an accepted transaction held this long for an earlier nonce of its signer that has not arrived,"
              + " and answer it as expired (1..3600000; default: ${DEFAULT-VALUE}).")
  long heldExpiryMs;

  @Option(
      names = "--leader-timeout-ms",
      defaultValue = "" + ValidatorContext.DEFAULT_LEADER_TIMEOUT_MS,
      paramLabel = "MS",
      description =
          "Consensus: how long a primary waits for the anchor of an even round, or for its support in the odd round"
              + " after, before it proposes without (default: ${DEFAULT-VALUE}).")
  long leaderTimeoutMs;

  @Option(
      names = "--leader-timeout-min-ms",
      defaultValue = "" + ValidatorContext.DEFAULT_LEADER_TIMEOUT_MIN_MS,
      paramLabel = "MS",
      description =
          "Consensus: lower bound of the adaptive leader timeout, which doubles after a wait that ran out and shrinks"
              + " by an eighth after a leader that arrived, starting at --leader-timeout-ms (0: that value; default: ${DEFAULT-VALUE}).")
  long leaderTimeoutMinMs;

  @Option(
      names = "--leader-timeout-max-ms",
      defaultValue = "" + ValidatorContext.DEFAULT_LEADER_TIMEOUT_MAX_MS,
      paramLabel = "MS",
      description =
          "Consensus: upper bound of the adaptive leader timeout (0: --leader-timeout-ms; both 0 keep it fixed; default:"
              + " ${DEFAULT-VALUE}).")
  long leaderTimeoutMaxMs;

  @Option(
      names = "--straggler-wait-ms",
      defaultValue = "" + ValidatorContext.DEFAULT_STRAGGLER_WAIT_MS,
      paramLabel = "MS",
      description =
          "Consensus: once a round's certificates hold a quorum, wait up to this long for the rest before proposing,"
              + " so that the slowest validator's vertex is named by the next round instead of waiting for the gc round"
              + " (0: off; default: ${DEFAULT-VALUE}).")
  long stragglerWaitMs;

  @Option(
      names = "--gc-depth",
      defaultValue = "" + ValidatorContext.DEFAULT_GC_DEPTH,
      paramLabel = "ROUNDS",
      description =
          "Consensus: rounds kept below the last committed anchor; an own vertex below it uncommitted has its batches proposed again (default: ${DEFAULT-VALUE}).")
  int gcDepth;

  @Option(
      names = "--consensus-verify-threads",
      defaultValue = "" + ValidatorContext.DEFAULT_CONSENSUS_VERIFY_THREADS,
      paramLabel = "N",
      description = "Threads verifying consensus signatures (default: ${DEFAULT-VALUE}).")
  int consensusVerifyThreads;

  @Option(
      names = "--status-interval-s",
      defaultValue = "0",
      paramLabel = "S",
      description = "Print the status JSON every S seconds (0: never).")
  long statusIntervalS;

  @Option(
      names = "--execution-verify",
      defaultValue = "false",
      negatable = true,
      fallbackValue = "true",
      description =
          "Execution verifies every transaction's signature again, in batches (default: ${DEFAULT-VALUE}: it trusts the"
              + " certificate: more than 2/3 of the stake acknowledged each batch only after verifying every signature in it, so at"
              + " least one honest validator did; --execution-verify adds the second check as defence in depth).")
  boolean executionVerify;

  @Option(
      names = "--jit-warmup-ms",
      defaultValue = ValidatorContext.DEFAULT_JIT_WARMUP_MAX_MS + "",
      paramLabel = "MS",
      description =
          "Before serving, run the hot code (signature verification, hashing, the state tree, the execution stage, consensus) on throw-away data until the"
              + " JIT has compiled it, for at most this long (0: skip; default: ${DEFAULT-VALUE}).")
  long jitWarmupMs;

  @Option(
      names = "--sig-backend",
      paramLabel = "B",
      description = {
        "Where the verify stage's Ed25519 batches go: cpu, opencl, cuda or auto (default: the configuration's sig_backend).",
        "A device serves batches from its calibrated crossover (every batch when it is slower than the CPU at every size),"
            + " the CPU the smaller ones and any batch the device fails; opencl or cuda unavailable here stops the node with"
            + " one line saying why; auto takes the first of cuda, opencl that beats the CPU, else the CPU, and says which."
      })
  String sigBackend;

  @Option(
      names = "--threading",
      paramLabel = "MODE",
      description = {
        "How the validator's agents (verify, worker, primary, execution, feed) are placed on threads: dedicated or shared (default: the configuration's threading, else dedicated).",
        "dedicated = one thread per agent; shared = the verify agents on one thread and the others in turn on another, for small or shared machines."
      })
  String threading;

  @Option(
      names = "--min-free-disk-mib",
      paramLabel = "N",
      description =
          "Stop with exit code 74, before a write fails, when the data directory's file system has less than N MiB free"
              + " (0: never; default: the configuration's min_free_disk_mib, else 1%% of that file system, at least 64 and at most 512 MiB).")
  Long minFreeDiskMib;

  /** The configuration's {@code min_free_disk_mib}, null when not set. */
  private Long configMinFreeDiskMib;

  /** Wraps every agent before it runs (tests inject an agent failure here). */
  java.util.function.UnaryOperator<dev.agentledger.node.idle.StageAgent> agentDecorator =
      java.util.function.UnaryOperator.identity();

  /** Free bytes of the data directory's file system, -1 when unknown; tests replace it. */
  java.util.function.ToLongFunction<Path> freeSpace =
      new dev.agentledger.node.storage.DiskSpace.Probe();

  @Option(
      names = "--duration-s",
      defaultValue = "0",
      paramLabel = "S",
      description = "Stop after S seconds (0: run until signalled).")
  long durationS;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    NodeSetup setup;
    IoKind kind;
    try {
      setup = NodeSetup.load(config);
      kind = IoKind.parse(transport);
      if (minFreeDiskMib != null
          && (minFreeDiskMib < 0 || minFreeDiskMib > NodeConfig.MAX_MIN_FREE_DISK_MIB)) {
        throw new IllegalArgumentException(
            "--min-free-disk-mib must be between 0 and " + NodeConfig.MAX_MIN_FREE_DISK_MIB);
      }
      configMinFreeDiskMib = setup.config().minFreeDiskMib();
    } catch (ConfigException | IllegalArgumentException e) {
      throw new MalformedInputException(e.getMessage());
    }
    String keyProblem =
        dev.agentledger.node.keys.KeyFile.permissionProblem(setup.config().keyFile());
    if (keyProblem != null) {
      throw new MalformedInputException(keyProblem);
    }
    if (batchSize < 1 || batchSize > dev.agentledger.node.net.Wire.MAX_BATCH_RECORDS) {
      throw new MalformedInputException(
          "--batch-size must be 1.." + dev.agentledger.node.net.Wire.MAX_BATCH_RECORDS);
    }
    if (stateRetainVersions < 1) {
      throw new MalformedInputException("--state-retain-versions must be at least 1");
    }
    if (leaderTimeoutMs < 1 || stragglerWaitMs < 0) {
      throw new MalformedInputException(
          "--leader-timeout-ms must be at least 1 and --straggler-wait-ms not negative");
    }
    dev.agentledger.node.runtime.ThreadingMode threadingMode = null;
    try {
      if (threading != null) {
        threadingMode = dev.agentledger.node.runtime.ThreadingMode.parse(threading);
      }
    } catch (IllegalArgumentException e) {
      throw new MalformedInputException("--threading: " + e.getMessage());
    }
    if (threadingMode == dev.agentledger.node.runtime.ThreadingMode.INVOKER) {
      throw new MalformedInputException(
          "--threading invoker leaves the duty cycles to the caller (tests, the simulator); node run"
              + " takes dedicated or shared");
    }
    ValidatorContext context =
        ValidatorContext.fromSetup(setup)
            .ioKind(kind)
            .ioThreads(ioThreads)
            .batchSize(batchSize)
            .batchDelayMs(batchDelayMs)
            .resendMs(resendMs)
            .mempool(mempoolConfig())
            .verifyThreads(verifyThreads)
            .emptyProposalDelayMs(emptyProposalDelayMs)
            .idleProposalDelayMs(idleProposalDelayMs)
            .minRoundMs(minRoundMs)
            .leaderTimeoutMs(leaderTimeoutMs)
            .leaderTimeoutMinMs(leaderTimeoutMinMs)
            .leaderTimeoutMaxMs(leaderTimeoutMaxMs)
            .stragglerWaitMs(stragglerWaitMs)
            .gcDepth(gcDepth)
            .consensusVerifyThreads(Math.max(1, consensusVerifyThreads))
            .executionVerify(executionVerify)
            .stateRetainVersions(stateRetainVersions)
            .maxExecutionBacklog(maxExecutionBacklog)
            .backlogHeapPercent(backlogHeapPercent)
            .admissionDelayMs(admissionDelayMs)
            .heldExpiryMs(heldExpiryMs)
            .stateRetainHeapPercent(stateRetainHeapPercent)
            .stateCacheMb(stateCacheMb)
            .jitWarmupMaxMs(jitWarmupMs);
    if (threadingMode != null) {
      context.threading(threadingMode);
    }
    try {
      context.conclude();
    } catch (ConfigException | IllegalArgumentException e) {
      throw new MalformedInputException(e.getMessage());
    }
    SigBackend requestedBackend = setup.config().sigBackend();
    if (sigBackend != null) {
      requestedBackend = SigBackend.fromConfigName(sigBackend);
      if (requestedBackend == null) {
        throw new MalformedInputException(
            "--sig-backend: '" + sigBackend + "' is not one of cpu, opencl, cuda, auto");
      }
    }
    CountDownLatch stop = new CountDownLatch(1);
    int exitCode = 0;
    if (verifyThreads < 0) {
      throw new MalformedInputException("--verify-threads must be 0 or more");
    }
    NodeAccelerators accelerators;
    try {
      accelerators = NodeAccelerators.open(requestedBackend);
    } catch (AccelException e) {
      spec.commandLine().getErr().println("agentledger node: " + e.getMessage());
      return AgentLedgerCli.EXIT_FAILURE;
    }
    out.println("agentledger node: sig backend " + accelerators.summary());
    out.flush();
    context.accelerators(accelerators);
    context.agentDecorator(agentDecorator);
    ValidatorNode.Config nodeConfig = context.nodeConfig();
    Validator launched;
    try {
      launched = Validator.launch(context);
    } catch (OutOfMemoryError e) {
      // the validator's fixed structures (rings, batches, caches) do not fit the heap: one line,
      // the agent-failure exit code, as when an agent runs out of heap later
      accelerators.close();
      PrintWriter err = spec.commandLine().getErr();
      err.println(
          "agentledger node: out of heap while starting the validator (max heap "
              + (Runtime.getRuntime().maxMemory() >> 20)
              + " MiB): "
              + e
              + "; stopping with exit code "
              + AgentLedgerCli.EXIT_AGENT_FAILURE
              + " (give the node a larger -Xmx, then restart)");
      err.flush();
      return AgentLedgerCli.EXIT_AGENT_FAILURE;
    }
    try (NodeAccelerators accel = accelerators;
        Validator validator = launched) {
      out.println("agentledger node: " + validator.jitWarmup().describe());
      out.flush();
      // After the warm-up (the crossover is measured against the CPU verifier as the JIT left it),
      // in the background: the node serves meanwhile.
      accelerators.calibrateInBackground(
          line -> {
            out.println("agentledger node: sig backend calibrated: " + line);
            out.flush();
          });
      ValidatorNode node = validator.node();
      out.println(
          "agentledger node: validator "
              + setup.self().id()
              + " (index "
              + nodeConfig.self()
              + ") transport="
              + node.transport().ioKind()
              + " peers="
              + node.transport().peerAddress()
              + " clients="
              + node.transport().clientAddress()
              + " query=http://"
              + hostPort(node.queryAddress())
              + " data_dir="
              + nodeConfig.dataDir());
      if (kind != IoKind.IO_URING) {
        out.println(
            "agentledger node: io_uring unavailable or not chosen: "
                + IoKind.unavailabilityCause(IoKind.IO_URING));
      }
      out.flush();
      Thread hook = new Thread(stop::countDown, "agentledger-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      long deadline =
          durationS > 0 ? System.nanoTime() + TimeUnit.SECONDS.toNanos(durationS) : Long.MAX_VALUE;
      long intervalNs = TimeUnit.SECONDS.toNanos(Math.max(1, statusIntervalS));
      long nextStatus = System.nanoTime() + intervalNs;
      long floorBytes = stopFloorBytes(nodeConfig.dataDir());
      // One fail-stop path: a storage failure (74) is checked before an agent failure (70), since a
      // failed write also stops execution.
      while (!stop.await(100, TimeUnit.MILLISECONDS) && System.nanoTime() < deadline) {
        long free = floorBytes > 0 ? freeSpace.applyAsLong(nodeConfig.dataDir()) : -1;
        if (free >= 0 && free < floorBytes) {
          PrintWriter err = spec.commandLine().getErr();
          err.println(
              "agentledger node: disk nearly full: "
                  + free
                  + " bytes free in "
                  + nodeConfig.dataDir()
                  + ", under the floor of "
                  + floorBytes
                  + " bytes (--min-free-disk-mib); stopping with exit code "
                  + AgentLedgerCli.EXIT_STORAGE_FAILURE
                  + " before a write fails (free disk space, then restart)");
          err.flush();
          exitCode = AgentLedgerCli.EXIT_STORAGE_FAILURE;
          break;
        }
        dev.agentledger.node.storage.StoreException failure = node.store().writeFailure();
        if (failure != null) {
          PrintWriter err = spec.commandLine().getErr();
          err.println(
              "agentledger node: storage write failed in "
                  + nodeConfig.dataDir()
                  + ": "
                  + failure.getMessage()
                  + "; stopping with exit code "
                  + AgentLedgerCli.EXIT_STORAGE_FAILURE
                  + " (free disk space, then restart)");
          err.flush();
          exitCode = AgentLedgerCli.EXIT_STORAGE_FAILURE;
          break;
        }
        dev.agentledger.node.runtime.AgentHost.Failure agentFailure = validator.failure();
        if (agentFailure != null) {
          PrintWriter err = spec.commandLine().getErr();
          err.println(
              "agentledger node: agent "
                  + agentFailure.agent()
                  + " failed: "
                  + agentFailure.error()
                  + "; stopping with exit code "
                  + AgentLedgerCli.EXIT_AGENT_FAILURE
                  + " (ports and store closed; restart the node)");
          err.flush();
          exitCode = AgentLedgerCli.EXIT_AGENT_FAILURE;
          break;
        }
        if (statusIntervalS > 0 && System.nanoTime() - nextStatus >= 0) {
          out.println(node.statusJson());
          out.flush();
          nextStatus += intervalNs;
        }
      }
      if (exitCode == 0) {
        out.println(node.statusJson());
      }
      out.println("agentledger node: stopping");
      out.flush();
    }
    return exitCode;
  }

  /**
   * The free space under which the node stops: {@code --min-free-disk-mib}, else the
   * configuration's {@code min_free_disk_mib}, else the default of {@link
   * dev.agentledger.node.storage.DiskSpace#defaultStopFloorBytes}; 0 (never) without a data
   * directory.
   */
  long stopFloorBytes(Path dataDir) {
    if (dataDir == null) {
      return 0;
    }
    if (minFreeDiskMib != null) {
      return minFreeDiskMib << 20;
    }
    if (configMinFreeDiskMib != null) {
      return configMinFreeDiskMib << 20;
    }
    return dev.agentledger.node.storage.DiskSpace.defaultStopFloorBytes(
        dev.agentledger.node.storage.DiskSpace.totalBytes(dataDir));
  }

  /** The mempool bounds and rate limits the options ask for. */
  MempoolConfig mempoolConfig() {
    if (agentRate < 0
        || agentBurst < 0
        || connectionRate < 0
        || connectionBurst < 0
        || ipRate < 0
        || ipBurst < 0) {
      throw new MalformedInputException("rate limits and bursts must be 0 or more");
    }
    return ValidatorContext.nodeRunMempool(
        mempoolCapacity, agentRate, agentBurst, connectionRate, connectionBurst, ipRate, ipBurst);
  }

  private static String hostPort(java.net.InetSocketAddress a) {
    return a == null ? "-" : a.getHostString() + ":" + a.getPort();
  }
}
