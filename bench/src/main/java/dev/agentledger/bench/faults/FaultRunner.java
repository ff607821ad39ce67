package dev.agentledger.bench.faults;

import dev.agentledger.bench.faults.core.CatchUp;
import dev.agentledger.bench.faults.core.FaultKind;
import dev.agentledger.bench.faults.core.FaultStep;
import dev.agentledger.bench.faults.core.ScenarioResult;
import dev.agentledger.bench.loadgen.LoadGenerator;
import dev.agentledger.bench.loadgen.NanoClock;
import dev.agentledger.bench.loadgen.PresignedPool;
import dev.agentledger.bench.loadgen.RunContents;
import dev.agentledger.bench.loadgen.cluster.ClusterTarget;
import dev.agentledger.bench.loadgen.core.CompositeSchedule;
import dev.agentledger.bench.loadgen.core.FixedRate;
import dev.agentledger.bench.loadgen.core.RateSchedule;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one fault scenario against a {@link LocalCluster}: honest open-loop load from the real load
 * generator ({@link ClusterTarget}, pre-signed runs of agents no other scenario uses) for the
 * scenario's duration, split in three equal phases: before, during the fault, after the heal or
 * restart. Then the checks: the transactions the cluster committed in each phase (the commits
 * between the highest commit heights seen at the phase boundaries, read back through {@code
 * /v1/commits}; the load generator's own per-second count from the commit feed is printed beside
 * them), every accepted transaction committed (those the commit feed did not report are asked for
 * through the query API), the validators' chains equal at every common height, a sample of
 * committed runs proved and verified offline, and the fault's own check (the victim rejoined, caps
 * held, the relay's frames refused, overload shed explicitly, a full disk stopped the validator
 * with its storage exit code).
 */
final class FaultRunner {
  /** Exit status of {@code node run} when a storage write fails ({@code AgentLedgerCli}). */
  static final int STORAGE_EXIT = dev.agentledger.node.cli.AgentLedgerCli.EXIT_STORAGE_FAILURE;

  /** Connections one address may hold on a client or HTTP port ({@code ConnectionLimits}). */
  static final int PER_ADDRESS_CAP = 64;

  /**
   * Knobs of every scenario.
   *
   * @param rateTps the honest load's offered rate
   * @param durationNs the load's duration (a third before, a third during, a third after the fault)
   * @param drainNs how long to wait after the load for outstanding commits
   * @param proofs committed runs to prove and verify per scenario
   * @param overloadTps offered rate during the overload scenario's fault
   * @param overloadNs how long the overload lasts
   * @param floodConnections connections opened to each of the client and HTTP ports
   * @param readyTimeout how long a restarted validator may take to serve again
   * @param rejoinTimeout how long a healed validator may take to reach the others' commit height
   */
  record Settings(
      double rateTps,
      long durationNs,
      long drainNs,
      int proofs,
      double overloadTps,
      long overloadNs,
      int floodConnections,
      Duration readyTimeout,
      Duration rejoinTimeout) {}

  private final LocalCluster cluster;
  private final Settings settings;
  private final PrintWriter log;
  private final SplittableRandom random;
  private final boolean tmpfs;
  private final boolean namespaces;

  FaultRunner(LocalCluster cluster, Settings settings, PrintWriter log, long seed, boolean tmpfs) {
    this(cluster, settings, log, seed, tmpfs, NetNamespace.available());
  }

  /**
   * @param tmpfs whether the disk-full victim's data directory is a tmpfs (root)
   * @param namespaces whether network namespaces can be made here (root, iproute2)
   */
  FaultRunner(
      LocalCluster cluster,
      Settings settings,
      PrintWriter log,
      long seed,
      boolean tmpfs,
      boolean namespaces) {
    this.cluster = cluster;
    this.settings = settings;
    this.log = log;
    this.random = new SplittableRandom(seed);
    this.tmpfs = tmpfs;
    this.namespaces = namespaces;
  }

  /** The schedule of {@code kind}: the honest rate, with the overload in the middle third. */
  RateSchedule schedule(FaultKind kind) {
    long third = settings.durationNs() / 3;
    if (kind != FaultKind.OVERLOAD && kind != FaultKind.HEAP) {
      return new FixedRate(settings.rateTps(), settings.durationNs());
    }
    return CompositeSchedule.steps(
        new double[] {settings.rateTps(), settings.overloadTps(), settings.rateTps()},
        new long[] {third, settings.overloadNs(), settings.durationNs() - third});
  }

  /**
   * Honest load at the scenarios' rate for {@code warmNs} before the first scenario, with load
   * agents {@code [firstAgent, firstAgent + agents)}, so that the first scenario's phases measure a
   * cluster that already commits (compiled, links and client connections up) rather than one that
   * is still starting. Prints what it committed.
   */
  void warmUp(RunContents contents, int firstAgent, int agents, long warmNs) throws Exception {
    FixedRate schedule = new FixedRate(settings.rateTps(), warmNs);
    say("warm-up: %s with %,d agents", schedule.describe(), agents);
    PresignedPool pool = presign("warm-up", contents, schedule, firstAgent, agents);
    ClusterTarget target =
        new ClusterTarget(
            ClusterTarget.Config.of(cluster.cluster().clients(), "node run --sig-backend cpu"));
    LoadGenerator.RunResult run =
        LoadGenerator.run(
            schedule,
            pool,
            target,
            NanoClock.SYSTEM,
            new LoadGenerator.Options(settings.drainNs(), TimeUnit.MILLISECONDS.toNanos(20)));
    var tally = run.tally();
    say(
        "warm-up: submitted %,d, accepted %,d, committed %,d (%.1f tps), commit height %d",
        tally.submitted(),
        tally.accepted(),
        tally.committed(),
        run.committedTps(),
        cluster.highestCommit());
  }

  private PresignedPool presign(
      String label, RunContents contents, RateSchedule schedule, int firstAgent, int agents)
      throws Exception {
    long count = schedule.count();
    if (count > PresignedPool.MAX_SIZE) {
      throw new IllegalArgumentException(
          label + ": " + count + " runs to sign, at most " + PresignedPool.MAX_SIZE);
    }
    return PresignedPool.build(
        contents.withAgents(agents),
        (int) count,
        Runtime.getRuntime().availableProcessors(),
        i -> cluster.cluster().agents().key(firstAgent + i));
  }

  /**
   * Runs {@code step} with load agents {@code [firstAgent, firstAgent + agents)}.
   *
   * @param contents the signed runs' contents (chain id, seed)
   */
  ScenarioResult run(FaultStep step, RunContents contents, int firstAgent, int agents)
      throws Exception {
    String label = step.label();
    FaultKind kind = step.kind();
    if (kind == FaultKind.DISK_FULL && !tmpfs) {
      return ScenarioResult.skipped(
          label,
          "fill the data directory",
          "needs root to mount a small tmpfs as the validator's data directory");
    }
    if (kind == FaultKind.PARTITION_NETNS && !namespaces) {
      return ScenarioResult.skipped(
          label,
          "cut at the IP level",
          "needs root and iproute2 to make a network namespace (the proxy-based partition runs"
              + " without)");
    }
    restoreAll();
    RateSchedule schedule = schedule(kind);
    say(
        "%s: signing %,d runs for %,d agents (%s)",
        label, schedule.count(), agents, schedule.describe());
    PresignedPool pool = presign(label, contents, schedule, firstAgent, agents);
    ClusterTarget target =
        new ClusterTarget(
            ClusterTarget.Config.of(cluster.cluster().clients(), "node run --sig-backend cpu"));
    long third = settings.durationNs() / 3;
    long faultNs = kind == FaultKind.OVERLOAD ? settings.overloadNs() : third;
    AtomicReference<LoadGenerator.RunResult> result = new AtomicReference<>();
    AtomicReference<Exception> loadFailure = new AtomicReference<>();
    List<String> failures = new ArrayList<>();
    Fault fault = fault(step);
    fault.before(failures);
    long[] heights = new long[4];
    heights[0] = cluster.highestCommit();
    long t0 = System.nanoTime();
    Thread load =
        Thread.ofPlatform()
            .name("faults-load")
            .start(
                () -> {
                  try {
                    result.set(
                        LoadGenerator.run(
                            schedule,
                            pool,
                            target,
                            NanoClock.SYSTEM,
                            new LoadGenerator.Options(
                                settings.drainNs(), TimeUnit.MILLISECONDS.toNanos(20))));
                  } catch (Exception e) {
                    loadFailure.set(e);
                  }
                });
    try {
      sleepUntil(t0 + third);
      heights[1] = cluster.highestCommit();
      say("%s: injecting: %s", label, fault.description());
      fault.inject(failures);
      long overrun = System.nanoTime() - (t0 + third + faultNs);
      if (overrun > 0) {
        failures.add(
            String.format(
                Locale.ROOT,
                "injecting the fault took %.1f s beyond its %.1f s window: the phases below are"
                    + " not measured where they should be",
                overrun / 1e9,
                faultNs / 1e9));
      }
      sleepUntil(t0 + third + faultNs);
      heights[2] = cluster.highestCommit();
      say("%s: healing", label);
      fault.heal(failures);
    } finally {
      load.join();
    }
    if (target.reconnects() > 0) {
      say(
          "%s: load generator reconnected %d time(s), %,d unanswered run(s) sent again",
          label, target.reconnects(), target.resentAfterReconnect());
    }
    if (target.failure() != null) {
      say("%s: load generator connection: %s", label, target.failure());
    }
    if (loadFailure.get() != null) {
      throw new IOException(label + ": the load generator failed", loadFailure.get());
    }
    LoadGenerator.RunResult run = result.get();
    long[] feedPhases = phases(run.recorder().timeline(), third, faultNs);
    fault.after(failures);
    heights[3] = cluster.highestCommit();
    long[] phases = new long[3];
    for (int p = 0; p < 3; p++) {
      phases[p] = cluster.transactionsCommitted(heights[p], heights[p + 1]);
      if (phases[p] < 0) {
        failures.add("no running validator served commits " + heights[p] + ".." + heights[p + 1]);
      }
    }
    say(
        "%s: commits %d..%d before, ..%d during, ..%d after the fault: %d, %d, %d transactions"
            + " (the feed reported %d, %d, %d of the load's)",
        label,
        heights[0],
        heights[1],
        heights[2],
        heights[3],
        phases[0],
        phases[1],
        phases[2],
        feedPhases[0],
        feedPhases[1],
        feedPhases[2]);

    List<Long> committed = new ArrayList<>(run.recorder().committedSequences());
    if (run.settleNote() != null) {
      say("%s: after the drain: %s", label, run.settleNote());
    }
    long lost = recheckLost(run, pool, committed, target);
    long compared = cluster.compareChains();
    boolean forkFree = compared >= 0 || compared == Long.MIN_VALUE;
    if (compared < 0 && compared != Long.MIN_VALUE) {
      say("%s: FORK at commit %d", label, -compared);
    } else {
      say("%s: chains agree at %d common heights", label, Math.max(compared, 0));
    }
    int[] proofs = proofs(committed, pool);
    failures.addAll(
        0,
        ScenarioResult.commonFailures(
            phases[1],
            phases[2],
            lost,
            forkFree,
            proofs[0],
            proofs[1],
            kind == FaultKind.KILL_TWO));
    var tally = run.tally();
    if (kind == FaultKind.HEAP
        && fault instanceof HeapExhaustion heap
        && !heap.exited
        && explicitOverload(tally.rejectedByReason())
                + explicitOverload(run.recorder().retriedByReason())
            == 0) {
      failures.add(
          "heap: v"
              + heap.victim
              + " neither stopped nor refused with OVERLOADED (or a rate/agent limit) under load");
    }
    if (kind == FaultKind.OVERLOAD) {
      if (explicitOverload(tally.rejectedByReason())
              + explicitOverload(run.recorder().retriedByReason())
          == 0) {
        failures.add("overload: no explicit OVERLOADED (or rate/agent limit) rejection");
      }
      if (tally.unanswered() > 0) {
        failures.add("overload: " + tally.unanswered() + " submissions never answered");
      }
    }
    failures.forEach(f -> say("%s: FAILED: %s", label, f));
    say(
        "%s: submitted %,d, accepted %,d, committed %,d, rejected %,d %s, retried %,d %s, lost %d,"
            + " unanswered %d",
        label,
        tally.submitted(),
        tally.accepted(),
        tally.committed(),
        tally.rejected(),
        tally.rejectedByReason(),
        run.recorder().retries(),
        run.recorder().retriedByReason(),
        lost,
        tally.unanswered());
    return new ScenarioResult(
        label,
        fault.description(),
        phases[0],
        phases[1],
        phases[2],
        tally.accepted(),
        lost,
        forkFree,
        proofs[0],
        proofs[1],
        failures,
        null,
        fault.notes());
  }

  /** Commits of the load before, during and after the fault, from its per-second timeline. */
  static long[] phases(long[][] timeline, long beforeNs, long faultNs) {
    long[] phases = new long[3];
    long faultStart = beforeNs / 1_000_000_000L;
    long faultEnd = (beforeNs + faultNs) / 1_000_000_000L;
    for (long[] row : timeline) {
      int phase = row[0] < faultStart ? 0 : row[0] < faultEnd ? 1 : 2;
      phases[phase] += row[2];
    }
    return phases;
  }

  private long recheckLost(
      LoadGenerator.RunResult run, PresignedPool pool, List<Long> found, ClusterTarget target) {
    return ClusterChecks.recheckLost(
        cluster, run, pool, found, log, settings.rejoinTimeout(), target);
  }

  private int[] proofs(List<Long> committed, PresignedPool pool) throws Exception {
    return ClusterChecks.proofs(cluster, committed, pool, settings.proofs(), random, log);
  }

  /**
   * Starts every validator that is not running (after a scenario that failed half-way), and moves
   * one a namespace partition left in its network namespace back onto the host's loopback.
   */
  private void restoreAll() throws Exception {
    List<Integer> started = new ArrayList<>();
    cluster.healAll();
    for (int v : cluster.isolatedValidators()) {
      cluster.kill(v);
      cluster.restore(v);
    }
    for (int i = 0; i < cluster.size(); i++) {
      if (!cluster.alive(i)) {
        cluster.kill(i);
        cluster.start(i);
        started.add(i);
      }
    }
    if (!started.isEmpty()) {
      say("restarting %s before the next scenario", started);
      String why = cluster.awaitReady(started, cluster.size() - 1, settings.readyTimeout());
      if (why != null) {
        throw new IOException("validators " + started + " not ready again: " + why);
      }
    }
  }

  /** One fault: what it does, its injection, its heal, and its own checks once the load ended. */
  private interface Fault {
    String description();

    void inject(List<String> failures) throws Exception;

    void heal(List<String> failures) throws Exception;

    /** Before the load starts. */
    default void before(List<String> failures) throws Exception {}

    default void after(List<String> failures) throws Exception {}

    /** What the fault measured beside its checks, for the notes under the table. */
    default List<String> notes() {
      return List.of();
    }
  }

  private Fault fault(FaultStep step) {
    List<Integer> victims = step.victims();
    return switch (step.kind()) {
      case KILL_ONE, KILL_TWO -> new Kill(victims);
      case PARTITION -> new Partition(victims.get(0));
      case PARTITION_NETNS -> new NamespacePartition(victims.get(0));
      case RELAY -> new Relay(victims.get(0));
      case FLOOD -> new Flood(victims.get(0));
      case OVERLOAD -> new Overload();
      case DISK_FULL -> new DiskFull(victims.get(0));
      case HEAP -> new HeapExhaustion(victims.get(0));
    };
  }

  /**
   * kill -9 of the victims, restarted at the heal; they must serve and catch up again. The first
   * victim's catch-up rate is measured while the load still runs ({@link #measureCatchUp}).
   */
  private final class Kill implements Fault {
    private final List<Integer> victims;
    private final List<String> notes = new ArrayList<>();

    Kill(List<Integer> victims) {
      this.victims = victims;
    }

    @Override
    public String description() {
      return "kill -9 " + names(victims) + ", restart";
    }

    @Override
    public void inject(List<String> failures) throws Exception {
      for (int v : victims) {
        cluster.kill(v);
      }
    }

    @Override
    public void heal(List<String> failures) throws Exception {
      for (int v : victims) {
        cluster.start(v);
      }
      CatchUp catchUp = measureCatchUp(victims.get(0), settings.readyTimeout());
      notes.add("v" + victims.get(0) + " " + catchUp.describe());
      say("%s: v%d %s", description(), victims.get(0), catchUp.describe());
      String why = cluster.awaitReady(victims, 1, settings.readyTimeout());
      if (why != null) {
        failures.add(names(victims) + " did not serve again after the restart: " + why);
      }
    }

    @Override
    public List<String> notes() {
      return notes;
    }

    @Override
    public void after(List<String> failures) throws Exception {
      for (int v : victims) {
        rejoin(v, failures);
      }
    }
  }

  /** The proxies of the victim's links cut them all, both directions; healed by relaying again. */
  private final class Partition implements Fault {
    private final int victim;

    Partition(int victim) {
      this.victim = victim;
    }

    @Override
    public String description() {
      return "cut v" + victim + "'s peer links, heal";
    }

    @Override
    public void inject(List<String> failures) {
      cluster.cutOff(victim);
    }

    @Override
    public void heal(List<String> failures) {
      cluster.healAll();
    }

    @Override
    public void after(List<String> failures) throws Exception {
      rejoin(victim, failures);
    }
  }

  /**
   * The victim, restarted inside a network namespace of its own before the load ({@link
   * LocalCluster#isolate}), is cut off at the IP level: the host end of its veth pair goes down, so
   * every packet to or from it (peer links both ways, its clients, its query API) is dropped, with
   * no reset or close, as when a cable is pulled. Healed by setting the link up again; it must
   * catch up. The next scenario moves it back onto the loopback ({@link #restoreAll}); the
   * cluster's close, or the next run's start, deletes the namespace.
   */
  private final class NamespacePartition implements Fault {
    private final int victim;
    private final List<String> notes = new ArrayList<>();

    NamespacePartition(int victim) {
      this.victim = victim;
    }

    @Override
    public String description() {
      return "cut v" + victim + " at the IP level (netns), heal";
    }

    @Override
    public void before(List<String> failures) throws Exception {
      cluster.kill(victim);
      NetNamespace ns = cluster.isolate(victim);
      cluster.start(victim);
      String why = cluster.awaitReady(List.of(victim), cluster.size() - 1, settings.readyTimeout());
      String how =
          String.format(
              Locale.ROOT,
              "partition by network namespace %s: v%d at %s, host end %s (link %s)",
              ns.name(),
              victim,
              ns.namespaceAddress().getHostAddress(),
              ns.hostAddress().getHostAddress(),
              NetNamespace.hostLink(cluster.basePort(), victim));
      notes.add(how);
      say(
          "%s; restarted inside it: %s",
          how, why == null ? "serving" : "not serving (" + why + ")");
      if (why != null) {
        failures.add("partition-netns: v" + victim + " did not serve in its namespace: " + why);
      }
    }

    @Override
    public void inject(List<String> failures) throws Exception {
      cluster.cutIp(victim);
    }

    @Override
    public void heal(List<String> failures) throws Exception {
      cluster.healIp(victim);
    }

    @Override
    public void after(List<String> failures) throws Exception {
      rejoin(victim, failures);
    }

    @Override
    public List<String> notes() {
      return notes;
    }
  }

  /**
   * A relay on the victim's peer link: it replays the bytes a real validator sent when its link was
   * set up (a recorded TLS session) and sends forged frames, each on a connection of its own to the
   * validator. The validator must close every such connection, and the real links (counted at the
   * proxy) must stay up: no new link while the attack lasts.
   */
  private final class Relay implements Fault {
    private static final int ATTEMPTS = 10;
    private final int victim;
    private long linksBefore;

    Relay(int victim) {
      this.victim = victim;
    }

    @Override
    public String description() {
      return "relay on v0-v" + victim + ": " + ATTEMPTS + " replays + " + ATTEMPTS + " forged";
    }

    @Override
    public void inject(List<String> failures) throws Exception {
      PeerProxy proxy = cluster.link(0, victim);
      linksBefore = cluster.linksSetUp(victim);
      byte[] recorded = proxy.recordedDialerBytes();
      if (recorded.length == 0) {
        failures.add("relay: no recorded session to replay");
      }
      List<byte[]> attempts = new ArrayList<>();
      for (int a = 0; a < 2 * ATTEMPTS; a++) {
        if (a % 2 == 0 && recorded.length > 0) {
          attempts.add(recorded);
        } else {
          byte[] forged = new byte[1024];
          random.nextBytes(forged);
          // a frame header as the node's codec reads it: a length, then a message type
          forged[0] = 0;
          forged[1] = 0;
          forged[2] = 3;
          forged[3] = (byte) 0xFC;
          attempts.add(forged);
        }
      }
      int refused = closedByPeerAtOnce(proxy.target(), attempts);
      if (refused != 2 * ATTEMPTS) {
        failures.add(
            "relay: v"
                + victim
                + " kept "
                + (2 * ATTEMPTS - refused)
                + " of "
                + 2 * ATTEMPTS
                + " replayed or forged connections open");
      }
      say(
          "relay: v%d closed %d of %d replayed or forged connections",
          victim, refused, 2 * ATTEMPTS);
    }

    @Override
    public void heal(List<String> failures) {
      long links = cluster.linksSetUp(victim) - linksBefore;
      if (links != 0) {
        failures.add("relay: " + links + " peer links of v" + victim + " were set up again");
      }
      int connected = cluster.connectedPeers(victim);
      if (connected != cluster.size() - 1) {
        failures.add(
            "relay: v"
                + victim
                + " has "
                + connected
                + " of "
                + (cluster.size() - 1)
                + " links up");
      }
    }
  }

  /**
   * Sends each of {@code attempts} on a connection of its own to {@code target}, all at once, and
   * counts the connections the other side closed within 10 s. At once, because a replayed TLS
   * session is only closed at the node's handshake timeout (5 s): one after the other, ten of them
   * outlast the fault's window and the load's phases are measured at the wrong times.
   */
  static int closedByPeerAtOnce(InetSocketAddress target, List<byte[]> attempts)
      throws InterruptedException {
    List<Thread> threads = new ArrayList<>();
    java.util.concurrent.atomic.AtomicInteger closed =
        new java.util.concurrent.atomic.AtomicInteger();
    for (byte[] bytes : attempts) {
      threads.add(
          Thread.ofVirtual()
              .name("faults-relay")
              .start(
                  () -> {
                    if (closedByPeer(target, bytes)) {
                      closed.incrementAndGet();
                    }
                  }));
    }
    for (Thread t : threads) {
      t.join();
    }
    return closed.get();
  }

  /**
   * Sends {@code bytes} on a new connection to {@code target} and waits up to 10 s for the other
   * side to close it (end of stream or reset).
   */
  private static boolean closedByPeer(InetSocketAddress target, byte[] bytes) {
    try (Socket s = new Socket()) {
      s.connect(target, 2_000);
      s.setSoTimeout(10_000);
      try {
        s.getOutputStream().write(bytes);
        s.getOutputStream().flush();
      } catch (IOException e) {
        return true;
      }
      InputStream in = s.getInputStream();
      byte[] sink = new byte[4096];
      while (true) {
        if (in.read(sink) < 0) {
          return true;
        }
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  /**
   * Thousands of connections from 127.0.0.2 to the victim's client and HTTP ports, opened at the
   * injection and held for the fault's window; at the heal, before they are closed, at most the
   * per-address cap may still be open on each port and the query API must answer. The counting is
   * at the heal, not in the injection, so that a loaded host's slow counting cannot push the
   * injection past its window, and the node has had the whole window to refuse the excess.
   */
  private final class Flood implements Fault {
    private final int victim;
    private final List<InetSocketAddress> targets = new ArrayList<>();
    private final List<List<Socket>> sockets = new ArrayList<>();
    private final List<Integer> opened = new ArrayList<>();

    Flood(int victim) {
      this.victim = victim;
    }

    @Override
    public String description() {
      return settings.floodConnections() + " conns each to v" + victim + " client+HTTP";
    }

    @Override
    public void inject(List<String> failures) throws Exception {
      InetAddress from = InetAddress.getByName("127.0.0.2");
      for (InetSocketAddress port :
          List.of(
              cluster.cluster().clients().get(victim), cluster.cluster().queries().get(victim))) {
        InetSocketAddress to = new InetSocketAddress(port.getHostString(), port.getPort());
        List<Socket> mine = new ArrayList<>();
        for (int c = 0; c < settings.floodConnections(); c++) {
          Socket s = new Socket();
          try {
            s.bind(new InetSocketAddress(from, 0));
            s.connect(to, 500);
            mine.add(s);
          } catch (IOException e) {
            s.close();
          }
        }
        targets.add(to);
        sockets.add(mine);
        opened.add(mine.size());
      }
    }

    @Override
    public void heal(List<String> failures) throws Exception {
      try {
        for (int t = 0; t < targets.size(); t++) {
          InetSocketAddress to = targets.get(t);
          List<Socket> mine = sockets.get(t);
          // A connection the kernel completed but the node has not yet accepted (and refused)
          // looks open from here, so the count is taken again until it is within the cap or 5 s
          // passed.
          int held = Integer.MAX_VALUE;
          long waitedMs = 0;
          for (; waitedMs <= 5_000 && held > PER_ADDRESS_CAP; waitedMs += 500) {
            if (waitedMs > 0) {
              Thread.sleep(500);
            }
            held = 0;
            for (Socket s : mine) {
              held += !s.isClosed() && stillOpen(s) ? 1 : 0;
            }
          }
          say(
              "flood: %,d connections to %s: %,d connected, %,d still held open at the heal",
              settings.floodConnections(), to, opened.get(t), held);
          if (held > PER_ADDRESS_CAP) {
            failures.add(
                "flood: "
                    + held
                    + " connections from one address held open on "
                    + to
                    + " (cap "
                    + PER_ADDRESS_CAP
                    + ")");
          }
        }
        if (cluster.get(victim, "/status") == null) {
          failures.add("flood: v" + victim + "'s query API did not answer during the flood");
        }
      } finally {
        for (List<Socket> mine : sockets) {
          for (Socket s : mine) {
            s.close();
          }
        }
      }
      if (!cluster.alive(victim)) {
        failures.add("flood: v" + victim + " exited");
      }
    }
  }

  private static boolean stillOpen(Socket s) {
    try {
      s.setSoTimeout(1);
      return s.getInputStream().read() >= 0;
    } catch (SocketTimeoutException e) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Offered load far above capacity: the validators must shed it explicitly and lose nothing. */
  private final class Overload implements Fault {
    @Override
    public String description() {
      return String.format(
          Locale.ROOT,
          "%,.0f tps offered for %.0f s",
          settings.overloadTps(),
          settings.overloadNs() / 1e9);
    }

    @Override
    public void inject(List<String> failures) {}

    @Override
    public void heal(List<String> failures) {}

    @Override
    public void after(List<String> failures) {
      // checked from the tally in run(): explicit rejects are reported by reason
    }
  }

  /**
   * Fills the victim's data directory (a small tmpfs) until writes fail: the validator must stop by
   * itself with the storage exit code; then the filler is removed and the validator restarted, and
   * it must serve and catch up again.
   */
  private final class DiskFull implements Fault {
    /** How long a validator on a full disk may keep running before the check fails. */
    private static final long STOP_TIMEOUT_S = 90;

    /**
     * Space left free before the load: more than the victim writes in the load's first third (its
     * log, WAL and one memtable flush at the suite's rates), little enough to fill within the
     * fault's window on a loaded host (a few seconds at the 43 MB/s seen under load 44).
     */
    static final long MARGIN_BYTES = 128L << 20;

    private final int victim;
    private Path filler;

    DiskFull(int victim) {
      this.victim = victim;
    }

    @Override
    public String description() {
      return "fill v" + victim + "'s data dir, free, restart";
    }

    /**
     * Fills all but {@link #MARGIN_BYTES} of the data directory before the load, so that the
     * injection inside the fault's window only writes the margin: filling the whole tmpfs took 10
     * to 21 s on a loaded 2-core host, longer than the window it must fit.
     */
    @Override
    public void before(List<String> failures) throws Exception {
      filler = cluster.dataDir(victim).resolve("faults-filler.bin");
      long usable = Files.getFileStore(cluster.dataDir(victim)).getUsableSpace();
      long start = System.nanoTime();
      long written = usable > 2 * MARGIN_BYTES ? fill(usable - MARGIN_BYTES) : 0;
      say(
          "disk-full: wrote %,d KiB of v%d's %,d KiB free before the load (%.1f s), leaving %,d"
              + " KiB to fill at the fault",
          written >> 10,
          victim,
          usable >> 10,
          (System.nanoTime() - start) / 1e9,
          (usable - written) >> 10);
    }

    @Override
    public void inject(List<String> failures) throws Exception {
      long start = System.nanoTime();
      long written = fill(Long.MAX_VALUE);
      say(
          "disk-full: wrote %,d KiB more into v%d's data dir until it was full (%.1f s)",
          written >> 10, victim, (System.nanoTime() - start) / 1e9);
    }

    /**
     * Appends to the filler until {@code limit} bytes are written or the file system refuses;
     * returns the bytes written.
     */
    private long fill(long limit) {
      byte[] chunk = new byte[64 * 1024];
      long written = 0;
      try (var out =
          Files.newOutputStream(filler, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
        while (written + chunk.length <= limit) {
          out.write(chunk);
          written += chunk.length;
        }
        return written;
      } catch (IOException e) {
        return written;
      }
    }

    @Override
    public void heal(List<String> failures) throws Exception {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STOP_TIMEOUT_S);
      while (cluster.alive(victim) && System.nanoTime() < deadline) {
        Thread.sleep(200);
        fill(Long.MAX_VALUE); // keep the disk full: take whatever the validator's compactions free
      }
      boolean exitedByItself = !cluster.alive(victim);
      int status = cluster.kill(victim);
      Files.deleteIfExists(filler);
      if (!exitedByItself) {
        failures.add(
            "disk-full: v" + victim + " kept running " + STOP_TIMEOUT_S + " s on a full disk");
      } else if (status != STORAGE_EXIT) {
        failures.add(
            "disk-full: v" + victim + " exited with status " + status + ", not " + STORAGE_EXIT);
      }
      say(
          "disk-full: v%d %s (status %d); space freed, restarting",
          victim, exitedByItself ? "exited" : "was still running", status);
      cluster.start(victim);
      String why = cluster.awaitReady(List.of(victim), 1, settings.readyTimeout());
      if (why != null) {
        failures.add("disk-full: v" + victim + " did not serve again: " + why);
      }
    }

    @Override
    public void after(List<String> failures) throws Exception {
      rejoin(victim, failures);
    }
  }

  /** The heap a validator runs with in the heap scenario. */
  static final String SMALL_HEAP = "200m";

  static final int AGENT_FAILURE_EXIT = dev.agentledger.node.cli.AgentLedgerCli.EXIT_AGENT_FAILURE;

  /**
   * Restarts the victim with a heap of {@link #SMALL_HEAP} before the load, whose middle third
   * holds the overload. Under it the victim must either keep serving and refuse what it cannot take
   * (explicit OVERLOADED or rate limits, checked from the load's tally), or stop by itself with the
   * agent failure exit code and exactly one line saying so, with no JVM crash report; a victim that
   * cannot even start in that heap must stop the same way, and is then started with the cluster's
   * heap before the load. At the heal it is started again with the cluster's heap and must serve
   * and catch up; the common checks then show that nothing it accepted was lost.
   */
  private final class HeapExhaustion implements Fault {
    private final int victim;
    private long logFrom;
    private boolean exited;
    private boolean stoppedAtStart;

    HeapExhaustion(int victim) {
      this.victim = victim;
    }

    @Override
    public String description() {
      return "v" + victim + " with -Xmx" + SMALL_HEAP + " under overload, restart";
    }

    @Override
    public void before(List<String> failures) throws Exception {
      cluster.kill(victim);
      logFrom = Files.size(cluster.log(victim));
      cluster.start(victim, SMALL_HEAP);
      String why = cluster.awaitReady(List.of(victim), 1, settings.readyTimeout());
      say(
          "heap: v%d restarted with -Xmx%s before the load: %s",
          victim, SMALL_HEAP, why == null ? "serving" : "not serving (" + why + ")");
      if (why != null) {
        stoppedAtStart = true;
        stopped(failures, "at start");
        restart(failures);
      }
    }

    @Override
    public void inject(List<String> failures) {
      // the overload of the schedule's middle third is the fault
    }

    @Override
    public void heal(List<String> failures) throws Exception {
      if (stoppedAtStart) {
        return;
      }
      stopped(failures, "under load");
      restart(failures);
    }

    /** Checks how the small-heap victim ended (or that it still runs), and stops it. */
    private void stopped(List<String> failures, String when) throws Exception {
      exited = !cluster.alive(victim);
      int status = cluster.kill(victim);
      String log = Files.readString(cluster.log(victim));
      String since = log.substring((int) Math.min(logFrom, log.length()));
      long stopLines = since.lines().filter(l -> l.contains("; stopping with exit code ")).count();
      String oom =
          since.lines().filter(l -> l.contains("OutOfMemoryError")).findFirst().orElse("none");
      if (exited) {
        if (status != AGENT_FAILURE_EXIT) {
          failures.add(
              "heap: v"
                  + victim
                  + " exited "
                  + when
                  + " with status "
                  + status
                  + ", not "
                  + AGENT_FAILURE_EXIT);
        }
        if (stopLines != 1) {
          failures.add(
              "heap: v" + victim + " printed " + stopLines + " 'stopping with exit code' lines");
        }
      }
      if (since.contains("A fatal error has been detected")) {
        failures.add("heap: v" + victim + "'s JVM crashed (see its hs_err report)");
      }
      say(
          "heap: v%d %s %s (status %d); first OutOfMemoryError line: %s",
          victim, exited ? "stopped by itself" : "was still running", when, status, oom.strip());
    }

    private void restart(List<String> failures) throws Exception {
      say("heap: restarting v%d with the cluster's heap", victim);
      cluster.start(victim);
      String why = cluster.awaitReady(List.of(victim), 1, settings.readyTimeout());
      if (why != null) {
        failures.add("heap: v" + victim + " did not serve again: " + why);
      }
    }

    @Override
    public void after(List<String> failures) throws Exception {
      rejoin(victim, failures);
    }
  }

  /** How often {@link #measureCatchUp} samples the commit heights. */
  private static final long CATCH_UP_SAMPLE_MS = 250;

  /**
   * Samples the executed commit height of validator {@code v}, just restarted, and the highest of
   * the other running validators, every {@link #CATCH_UP_SAMPLE_MS} ms until {@code v} has reached
   * the others' height or {@code timeout} passed; the load runs meanwhile. Heights are read through
   * the query API ({@code /v1/commits}), -1 while {@code v} does not answer.
   */
  private CatchUp measureCatchUp(int v, Duration timeout) throws InterruptedException {
    int max = (int) (timeout.toMillis() / CATCH_UP_SAMPLE_MS) + 1;
    long[] t = new long[max];
    long[] victim = new long[max];
    long[] others = new long[max];
    int n = 0;
    long deadline = System.nanoTime() + timeout.toNanos();
    while (n < max && System.nanoTime() < deadline) {
      t[n] = System.nanoTime();
      victim[n] = cluster.alive(v) ? cluster.latestCommit(v) : -1;
      long highest = -1;
      for (int i = 0; i < cluster.size(); i++) {
        if (i != v && cluster.alive(i)) {
          highest = Math.max(highest, cluster.latestCommit(i));
        }
      }
      others[n] = highest;
      n++;
      if (victim[n - 1] >= 0 && victim[n - 1] >= highest) {
        break;
      }
      if (!cluster.alive(v)) {
        break;
      }
      Thread.sleep(CATCH_UP_SAMPLE_MS);
    }
    return CatchUp.of(t, victim, others, n);
  }

  /**
   * Waits until validator {@code v} stores at least the commit height the others had when asked,
   * and is connected to every peer.
   */
  private void rejoin(int v, List<String> failures) throws InterruptedException {
    long target = 0;
    for (int i = 0; i < cluster.size(); i++) {
      if (i != v) {
        target = Math.max(target, cluster.latestCommit(i));
      }
    }
    long deadline = System.nanoTime() + settings.rejoinTimeout().toNanos();
    long latest = cluster.latestCommit(v);
    int connected = cluster.connectedPeers(v);
    while ((latest < target || connected < cluster.size() - 1) && System.nanoTime() < deadline) {
      Thread.sleep(500);
      latest = cluster.latestCommit(v);
      connected = cluster.connectedPeers(v);
    }
    if (latest < target || connected < cluster.size() - 1) {
      failures.add(
          String.format(
              Locale.ROOT,
              "v%d did not rejoin within %d s: commit %d of %d, %d of %d links up",
              v,
              settings.rejoinTimeout().toSeconds(),
              latest,
              target,
              connected,
              cluster.size() - 1));
    } else {
      say("v%d rejoined: commit %d (others at %d when asked), all links up", v, latest, target);
    }
  }

  /** Node-side overload rejections in {@code byReason} (the client's own queue excluded). */
  static long explicitOverload(Map<String, Long> byReason) {
    long n = 0;
    for (Map.Entry<String, Long> e : byReason.entrySet()) {
      if (e.getKey().startsWith("overload") && !e.getKey().equals("overload_client_queue")) {
        n += e.getValue();
      }
    }
    return n;
  }

  private static String names(List<Integer> victims) {
    StringBuilder s = new StringBuilder();
    for (int v : victims) {
      s.append(s.isEmpty() ? "" : ",").append('v').append(v);
    }
    return s.toString();
  }

  private void say(String format, Object... args) {
    log.printf(Locale.ROOT, format + "%n", args);
    log.flush();
  }

  private static void sleepUntil(long ns) throws InterruptedException {
    long left;
    while ((left = ns - System.nanoTime()) > 0) {
      TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
    }
  }
}
