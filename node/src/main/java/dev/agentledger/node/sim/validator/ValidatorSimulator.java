package dev.agentledger.node.sim.validator;

import dev.agentledger.hash.Sha256;
import dev.agentledger.node.commitlog.CommitLog;
import dev.agentledger.node.commitlog.CommitLogFlyweight;
import dev.agentledger.node.committee.Committee;
import dev.agentledger.node.config.ConfigException;
import dev.agentledger.node.consensus.Ed25519Signatures;
import dev.agentledger.node.consensus.core.Certificate;
import dev.agentledger.node.consensus.core.ConsensusCodec;
import dev.agentledger.node.consensus.core.ConsensusMessage;
import dev.agentledger.node.consensus.core.ConsensusMessage.CertificateMessage;
import dev.agentledger.node.consensus.core.ConsensusMessage.VertexMessage;
import dev.agentledger.node.consensus.core.ConsensusMessage.VoteMessage;
import dev.agentledger.node.consensus.core.Digest;
import dev.agentledger.node.consensus.core.PrimaryConfig;
import dev.agentledger.node.consensus.core.Signer;
import dev.agentledger.node.consensus.core.Vertex;
import dev.agentledger.node.consensus.core.Vote;
import dev.agentledger.node.execution.core.ExecutionGenesis;
import dev.agentledger.node.execution.core.FeeSchedule;
import dev.agentledger.node.execution.core.GenesisAccount;
import dev.agentledger.node.execution.core.Receipt;
import dev.agentledger.node.execution.core.Roles;
import dev.agentledger.node.idle.StageAgent;
import dev.agentledger.node.ingress.IngressConfig;
import dev.agentledger.node.mempool.core.MempoolConfig;
import dev.agentledger.node.net.MessageType;
import dev.agentledger.node.net.TxStatus;
import dev.agentledger.node.net.Wire;
import dev.agentledger.node.net.netty.NettyTransport;
import dev.agentledger.node.query.StoredCommit;
import dev.agentledger.node.runtime.ThreadingMode;
import dev.agentledger.node.runtime.Validator;
import dev.agentledger.node.runtime.ValidatorContext;
import dev.agentledger.node.sim.Byzantine;
import dev.agentledger.node.sim.Fault;
import dev.agentledger.node.storage.memory.InMemoryStore;
import dev.agentledger.node.tx.AgentRunBuilder;
import dev.agentledger.node.tx.RunOutcome;
import dev.agentledger.node.tx.TransactionSlot;
import dev.agentledger.node.worker.ValidatorNode;
import dev.agentledger.node.worker.core.ExecutionBacklog;
import dev.agentledger.node.worker.core.WorkerConfig;
import dev.agentledger.sig.Ed25519KeyPair;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A deterministic simulation of whole validators: each one a real {@link Validator} (worker,
 * mempool and ingress, the consensus primary, the committer, execution, the commit feed, and the
 * verify agents when configured) under {@link ThreadingMode#INVOKER}, over a simulated network
 * ({@link SimTransport}), an {@link InMemoryStore} per validator that outlives its crashes, and a
 * simulated clock that drives every agent. One thread, one seeded random generator, fixed 1 ms time
 * steps: the events due are delivered (frames, client actions, faults), then every running
 * validator's agents are invoked until they are idle.
 *
 * <p>Clients are signing agents, each submitting runs with consecutive nonces to one honest
 * validator over the client protocol (SUBMIT, SUBMIT_RESULT): the next frame once the last is
 * answered, an OVERLOADED run again after a pause, and the whole frame again when no answer comes
 * (its validator crashed).
 *
 * <p>Faults (the consensus {@link dev.agentledger.node.sim.Simulator}'s kinds, on the whole
 * validator): partitions, slow links, message loss, an overloaded validator (slow links, and
 * sealing five times as often), and crashes, where a validator is stopped without warning and
 * started again later from its store (its mempool and every frame in flight to or from it are gone;
 * what it acknowledged as durable must come back). Byzantine validators run the honest code, and
 * the simulator rewrites their outbound consensus frames with their key: equivocation (half the
 * peers get a second vertex for the round, naming fewer batches), withholding (no frame to some
 * peers), corrupted signatures, and votes for every vertex seen; a Byzantine validator with no
 * behaviour is mute.
 *
 * <p>Invariants, checked at the end of each seed on every honest validator: <b>no fork</b> — the
 * commit logs' hash chains agree at every index any two of them hold; <b>same state</b> — every
 * commit executed by two validators has the same state root on both; <b>exactly once</b> — every
 * run answered ACCEPTED was executed with its nonce consumed exactly once on every honest
 * validator, or is answered expired by the validator that accepted it (dropped unbatched for a
 * nonce gap), and no run is executed twice; <b>liveness</b> — every honest validator executed
 * commits after the heal, and every accepted run is executed (so a restarted validator has caught
 * up). A duty cycle that throws, or an agent that dies, is a violation too (fail-stop).
 */
public final class ValidatorSimulator {
  private static final int CHAIN = 0x51D;
  private static final long STEP_NS = 1_000_000L;
  private static final long MS = 1_000_000L;

  /** Wall-clock Unix time at simulated time 0 (2027-01-15). */
  private static final long UNIX_START_NS = 1_800_000_000_000_000_000L;

  private static final long CLIENT_LINK_NS = MS;
  private static final long REPLY_TIMEOUT_NS = 1_500 * MS;
  private static final int MAX_CYCLES_PER_STEP = 256;
  private static final double LOSS_PROBABILITY = 0.03;
  private static final double BADSIG_PROBABILITY = 0.15;
  private static final long BATCH_DELAY_NS = 20 * MS;
  private static final long HELD_EXPIRY_MS = 1_500;

  private enum Kind {
    PEER_FRAME,
    CLIENT_FRAME,
    CLIENT_REPLY,
    CLIENT_ACT,
    CLIENT_TIMEOUT,
    CRASH,
    RESTART,
    PARTITION,
    HEAL_PARTITION,
    SLOW,
    HEAL_ALL
  }

  private record Event(
      long time,
      long seq,
      Kind kind,
      int node,
      int from,
      byte[] frame,
      long extra,
      int toIncarnation,
      int fromIncarnation,
      int[] groups) {}

  private final ValidatorSimConfig config;
  private final long seed;
  private final SplittableRandom random;
  private final Committee committee;
  private final ExecutionGenesis genesis;
  private final Node[] nodes;
  private final Client[] clients;
  private final VerdictCache verdicts = new VerdictCache();
  private final dev.agentledger.node.accel.NodeAccelerators accelerators =
      dev.agentledger.node.accel.NodeAccelerators.cpu().wrapVerifiers(verdicts::wrap);
  private final PriorityQueue<Event> queue =
      new PriorityQueue<>(
          (a, b) -> a.time != b.time ? Long.compare(a.time, b.time) : Long.compare(a.seq, b.seq));
  private long now;
  private long sequence;
  private final long[][] latencyMs;
  private final long[][] lastDelivery;
  private int[] partitionGroups;
  private final long[] slowUntil;
  private final long[] slowExtraMs;
  private int overloaded = -1;
  private boolean faultsActive = true;
  private String violation;
  private final StringBuilder faultLog = new StringBuilder();
  private final SimNetwork network = new SimNetwork();
  private long peerFrames;
  private int restarts;
  private final TransactionSlot slot = new TransactionSlot();
  private final Sha256 sha = new Sha256();

  private final class Node {
    final int id;
    final Ed25519KeyPair key;
    final Signer signer;
    final boolean byzantine;
    final EnumSet<Fault> behaviours;
    final boolean[] withheld;
    final InMemoryStore store = new InMemoryStore();
    final Map<Digest, Vertex> twins = new HashMap<>();
    final Map<Digest, Long> twinMasks = new HashMap<>();
    final Map<Digest, TreeMap<Integer, Vote>> twinVotes = new HashMap<>();
    Validator validator;
    SimTransport transport;
    boolean down;
    int incarnation;
    long executedAtHeal = -1;

    Node(int id, Ed25519KeyPair key, boolean byzantine, EnumSet<Fault> behaviours) {
      this.id = id;
      this.key = key;
      this.signer = Ed25519Signatures.signer(key.seed());
      this.byzantine = byzantine;
      this.behaviours = behaviours;
      this.withheld = new boolean[config.validators()];
    }

    ValidatorNode node() {
      return validator.node();
    }
  }

  /** One signing agent and the client connection it submits over. */
  private final class Client {
    final int index;
    final Ed25519KeyPair key;
    final int home;
    long nextNonce;
    long requestId;
    boolean waiting;
    boolean done;
    List<byte[]> pending = new ArrayList<>();
    final Map<Long, List<byte[]>> requests = new HashMap<>();

    Client(int index, Ed25519KeyPair key, int home) {
      this.index = index;
      this.key = key;
      this.home = home;
    }
  }

  /** Every run a client signed, by id (hex), in signing order, with what it was answered. */
  private final LinkedHashMap<String, RunState> runs = new LinkedHashMap<>();

  private static final class RunState {
    final int client;
    final byte[] id;
    boolean accepted;
    TxStatus refused;

    RunState(int client, byte[] id) {
      this.client = client;
      this.id = id;
    }
  }

  private long overloadedAnswers;
  private long unanswered;

  public ValidatorSimulator(ValidatorSimConfig config, long seed) {
    this.config = config;
    this.seed = seed;
    this.random = new SplittableRandom(seed);
    int n = config.validators();
    List<Committee.Validator> members = new ArrayList<>();
    Ed25519KeyPair[] keys = new Ed25519KeyPair[n];
    for (int i = 0; i < n; i++) {
      byte[] keySeed = new byte[32];
      random.nextBytes(keySeed);
      keys[i] = Ed25519KeyPair.fromSeed(keySeed);
      long stake = 100 + random.nextInt(11);
      members.add(
          new Committee.Validator(
              i, "v" + i, keys[i].publicKey(), stake, List.of(), "sim-v" + i, 1, 2));
    }
    committee = new Committee(CHAIN, 0, members);
    boolean[] byzantine = Byzantine.choose(committee, config.byzantine(), random);
    EnumSet<Fault> enabled = Byzantine.enabled(config.faults());
    nodes = new Node[n];
    for (int i = 0; i < n; i++) {
      EnumSet<Fault> behaviours =
          byzantine[i] ? Byzantine.behaviours(enabled, random) : EnumSet.noneOf(Fault.class);
      if (byzantine[i]) {
        Byzantine.describe(faultLog, i, behaviours);
      }
      nodes[i] = new Node(i, keys[i], byzantine[i], behaviours);
      if (behaviours.contains(Fault.WITHHOLD)) {
        Byzantine.withhold(nodes[i].withheld, i, config.byzantine(), random);
      }
    }
    latencyMs = new long[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        latencyMs[i][j] = 5 + random.nextInt(46);
      }
    }
    lastDelivery = new long[n][n];
    slowUntil = new long[n];
    slowExtraMs = new long[n];
    List<Integer> honest = honestIds();
    List<GenesisAccount> accounts = new ArrayList<>();
    byte[] adminSeed = new byte[32];
    random.nextBytes(adminSeed);
    accounts.add(
        new GenesisAccount(Ed25519KeyPair.fromSeed(adminSeed).publicKey(), Roles.ADMIN, 0));
    clients = new Client[config.agents()];
    for (int a = 0; a < clients.length; a++) {
      byte[] keySeed = new byte[32];
      random.nextBytes(keySeed);
      Ed25519KeyPair key = Ed25519KeyPair.fromSeed(keySeed);
      clients[a] = new Client(a, key, honest.get(a % honest.size()));
      accounts.add(new GenesisAccount(key.publicKey(), Roles.AGENT, 1_000_000_000_000L));
    }
    genesis = new ExecutionGenesis(CHAIN, new FeeSchedule(100, 1, 2, 3, 5, 7), accounts);
  }

  private java.io.PrintWriter traceOut;
  private long tracePeriodNs;

  /**
   * Prints every validator's progress every {@code periodMs} of simulated time (debugging a seed):
   * its consensus round, last commit index, executed commits and transactions, and pending work.
   */
  public ValidatorSimulator trace(java.io.PrintWriter out, long periodMs) {
    this.traceOut = out;
    this.tracePeriodNs = periodMs * MS;
    return this;
  }

  private void traceLine() {
    StringBuilder line = new StringBuilder("t=").append(now / MS);
    if (faultsActive && partitionGroups != null) {
      line.append(" partition=").append(Arrays.toString(partitionGroups).replace(" ", ""));
    }
    for (Node node : nodes) {
      line.append(" | v").append(node.id).append(node.byzantine ? "b" : "");
      if (node.down) {
        line.append(" DOWN");
        continue;
      }
      ValidatorNode v = node.node();
      line.append(" r=")
          .append(v.primary().round())
          .append(" c=")
          .append(v.primary().lastCommittedIndex())
          .append(" x=")
          .append(v.execution().executedSequence())
          .append("/")
          .append(v.execution().executedTransactions())
          .append(" own=")
          .append(v.primary().ownUnorderedTransactions())
          .append(" pend=")
          .append(v.primary().pendingCommits());
    }
    traceOut.println(line);
    traceOut.flush();
  }

  /** Runs one seed with {@code config}. */
  public static ValidatorSimResult run(ValidatorSimConfig config, long seed) {
    return new ValidatorSimulator(config, seed).run();
  }

  public ValidatorSimResult run() {
    try {
      scheduleFaults();
      for (Node node : nodes) {
        start(node);
      }
      for (Client c : clients) {
        schedule(random.nextInt(200) * MS, Kind.CLIENT_ACT, -1, c.index, null, 0);
      }
      schedule(config.healAtMs() * MS, Kind.HEAL_ALL, -1, -1, null, 0);
      long end = config.durationMs() * MS;
      for (now = 0; now <= end && violation == null; now += STEP_NS) {
        Event e;
        while (violation == null && (e = queue.peek()) != null && e.time <= now) {
          queue.poll();
          handle(e);
        }
        for (Node node : nodes) {
          if (violation == null && !node.down) {
            invoke(node);
          }
        }
        if (traceOut != null && now % tracePeriodNs == 0) {
          traceLine();
        }
      }
      now = Math.min(now, end);
      if (violation == null) {
        checkEnd();
      }
      return result();
    } finally {
      for (Node node : nodes) {
        if (node.validator != null) {
          try {
            node.validator.close();
          } catch (RuntimeException ignored) {
            // closing after a violation: the result says what went wrong
          }
        }
      }
      accelerators.close();
    }
  }

  // ------------------------------------------------------------------ validators

  private void start(Node node) {
    WorkerConfig d = WorkerConfig.defaults();
    WorkerConfig worker =
        new WorkerConfig(
            d.batchSizeTxs(),
            node.id == overloaded ? BATCH_DELAY_NS / 5 : BATCH_DELAY_NS,
            d.resendNs(),
            d.maxPendingBatches(),
            d.maxPartialInFlight());
    ValidatorNode.Config nodeConfig =
        new ValidatorNode.Config(
            committee,
            node.id,
            node.key,
            new IngressConfig(CHAIN, 0, 0, 60_000_000_000L, 0),
            null,
            new NettyTransport.Config("127.0.0.1", 0, "127.0.0.1", 0, null, 1, 1 << 20),
            new MempoolConfig(4_096, 1_024, 1_024, 256, 0, 0, 64, 0, 0),
            worker,
            1 << 20);
    PrimaryConfig p = PrimaryConfig.defaults();
    ValidatorNode.ConsensusSettings consensus =
        new ValidatorNode.ConsensusSettings(
            p,
            ValidatorContext.DEFAULT_EMPTY_PROPOSAL_DELAY_MS,
            ValidatorContext.DEFAULT_IDLE_PROPOSAL_DELAY_MS,
            ValidatorContext.DEFAULT_MIN_ROUND_MS,
            ValidatorContext.DEFAULT_STRAGGLER_WAIT_MS,
            ValidatorContext.DEFAULT_TICK_MS,
            1,
            p.leaderTimeoutMs(),
            p.leaderTimeoutMs());
    ValidatorNode.ExecutionSettings execution =
        new ValidatorNode.ExecutionSettings(
            genesis,
            committee,
            false,
            null,
            null,
            ValidatorContext.DEFAULT_STATE_RETAIN_VERSIONS,
            // the heap is the simulation's, shared by every validator: only the run count gates
            new ExecutionBacklog.Limits(ExecutionBacklog.Limits.DEFAULT_MAX_RUNS, 100));
    int incarnation = node.incarnation;
    ValidatorNode.Environment environment =
        new ValidatorNode.Environment(
            (c, listener) -> {
              node.transport = new SimTransport(network, node.id, listener);
              return node.transport;
            },
            node.store,
            () -> now,
            () -> UNIX_START_NS + now,
            seed * 31 + node.id * 7919L + incarnation);
    ValidatorContext context =
        ValidatorContext.forNode(nodeConfig, consensus, execution)
            .verifyThreads(config.verifyThreads())
            .heldExpiryMs(HELD_EXPIRY_MS)
            .inlineVerifier(verdicts.runs())
            .accelerators(accelerators)
            .environment(environment)
            .threading(ThreadingMode.INVOKER)
            .agentDecorator(a -> failStop(node, a));
    try {
      node.validator = Validator.launch(context);
    } catch (ConfigException e) {
      throw new IllegalStateException("the simulated validator's settings: " + e.getMessage(), e);
    }
    node.down = false;
  }

  /** An agent whose duty cycle throwing is a violation (the host would log it and go on). */
  private StageAgent failStop(Node node, StageAgent stage) {
    Agent inner = stage.agent();
    Agent checked =
        new Agent() {
          @Override
          public void onStart() {
            inner.onStart();
          }

          @Override
          public int doWork() throws Exception {
            try {
              return inner.doWork();
            } catch (RuntimeException e) {
              fail(
                  "validator "
                      + node.id
                      + " agent "
                      + inner.roleName()
                      + " threw "
                      + e
                      + " at "
                      + now / MS
                      + " ms");
              throw e;
            }
          }

          @Override
          public void onClose() {
            inner.onClose();
          }

          @Override
          public String roleName() {
            return inner.roleName();
          }
        };
    return new StageAgent(checked, stage.idle(), stage.lane());
  }

  private void invoke(Node node) {
    try {
      for (int i = 0; i < MAX_CYCLES_PER_STEP && violation == null; i++) {
        if (node.validator.invoke() == 0) {
          break;
        }
      }
    } catch (RuntimeException | Error e) {
      fail("validator " + node.id + " invoke threw " + e + " at " + now / MS + " ms");
      return;
    }
    var failure = node.validator.failure();
    if (failure != null && violation == null) {
      fail(
          "validator "
              + node.id
              + " agent "
              + failure.agent()
              + " failed: "
              + failure.error()
              + " at "
              + now / MS
              + " ms");
    }
  }

  private void crash(Node node) {
    if (node.down) {
      return;
    }
    node.down = true;
    node.incarnation++;
    node.validator.close(); // the store outlives it, like a disk
    node.validator = null;
    node.transport = null;
  }

  private void restart(Node node) {
    if (!node.down) {
      return;
    }
    long before = lastCommitted(node.store);
    byte[] chain = before < 0 ? null : chainAt(node.store, before);
    start(node);
    restarts++;
    long after = node.node().primary().lastCommittedIndex();
    if (after != before || (chain != null && !Arrays.equals(chain, chainAt(node.store, after)))) {
      fail(
          "durability: validator "
              + node.id
              + " had commit "
              + before
              + " in its store and restarted at "
              + after);
    }
  }

  private static long lastCommitted(InMemoryStore store) {
    long last = -1;
    while (store.get(CommitLog.COLUMN, last + 1) != null) {
      last++;
    }
    return last;
  }

  private static byte[] chainAt(InMemoryStore store, long index) {
    return CommitLog.read(store, index, new CommitLogFlyweight()).chain();
  }

  // ------------------------------------------------------------------ faults

  private List<Integer> honestIds() {
    List<Integer> honest = new ArrayList<>();
    for (Node node : nodes) {
      if (!node.byzantine) {
        honest.add(node.id);
      }
    }
    return honest;
  }

  private void scheduleFaults() {
    long heal = config.healAtMs();
    int n = nodes.length;
    if (config.faults().contains(Fault.PARTITION) && n > 1) {
      for (long t = 300 + random.nextInt(500); t < heal - 300; ) {
        long duration = 300 + random.nextInt(1200);
        int[] groups = new int[n];
        int first = random.nextInt(n);
        for (int i = 0; i < n; i++) {
          groups[i] = i == first ? 0 : (i == (first + 1) % n ? 1 : random.nextInt(2));
        }
        schedule(t * MS, Kind.PARTITION, -1, -1, null, 0, groups);
        schedule(Math.min(t + duration, heal) * MS, Kind.HEAL_PARTITION, -1, -1, null, 0);
        faultLog
            .append("partition@")
            .append(t)
            .append('+')
            .append(duration)
            .append(Arrays.toString(groups).replace(" ", ""))
            .append(' ');
        t += duration + 300 + random.nextInt(1000);
      }
    }
    if (config.faults().contains(Fault.CRASH)) {
      List<Integer> honest = honestIds();
      int crashes = 0;
      for (long t = 300 + random.nextInt(700); t < heal - 300 && crashes < 2; crashes++) {
        int victim = honest.get(random.nextInt(honest.size()));
        long down = 300 + random.nextInt(1500);
        schedule(t * MS, Kind.CRASH, victim, -1, null, 0);
        schedule(Math.min(t + down, heal) * MS, Kind.RESTART, victim, -1, null, 0);
        faultLog
            .append("crash")
            .append(victim)
            .append('@')
            .append(t)
            .append('+')
            .append(down)
            .append(' ');
        t += down + 200 + random.nextInt(800);
      }
    }
    if (config.faults().contains(Fault.DELAY)) {
      for (long t = random.nextInt(500); t < heal; t += 300 + random.nextInt(800)) {
        int victim = random.nextInt(n);
        long extra = 100 + random.nextInt(600);
        schedule(t * MS, Kind.SLOW, victim, -1, null, extra);
      }
      faultLog.append("delay ");
    }
    if (config.faults().contains(Fault.LOSS)) {
      faultLog.append("loss ");
    }
    if (config.faults().contains(Fault.OVERLOAD)) {
      List<Integer> honest = honestIds();
      overloaded = honest.get(random.nextInt(honest.size()));
      faultLog.append("overload").append(overloaded).append(' ');
    }
  }

  // ------------------------------------------------------------------ events

  private void schedule(long time, Kind kind, int node, int from, byte[] frame, long extra) {
    schedule(time, kind, node, from, frame, extra, null);
  }

  private void schedule(
      long time, Kind kind, int node, int from, byte[] frame, long extra, int[] groups) {
    int toIncarnation = node >= 0 && node < nodes.length ? nodes[node].incarnation : 0;
    int fromIncarnation = from >= 0 && from < nodes.length ? nodes[from].incarnation : 0;
    queue.add(
        new Event(
            time,
            sequence++,
            kind,
            node,
            from,
            frame,
            extra,
            toIncarnation,
            fromIncarnation,
            groups));
  }

  private void handle(Event e) {
    switch (e.kind) {
      case PEER_FRAME -> deliverPeer(e);
      case CLIENT_FRAME -> deliverClient(e);
      case CLIENT_REPLY -> onReply(clients[(int) (e.extra & 0xFFFF_FFFFL) - 1], e.frame);
      case CLIENT_ACT -> act(clients[e.from]);
      case CLIENT_TIMEOUT -> {
        Client c = clients[e.from];
        if (c.waiting && c.requestId == e.extra) {
          c.waiting = false;
          unanswered++;
          act(c);
        }
      }
      case CRASH -> crash(nodes[e.node]);
      case RESTART -> restart(nodes[e.node]);
      case PARTITION -> partitionGroups = e.groups;
      case HEAL_PARTITION -> partitionGroups = null;
      case SLOW -> {
        slowUntil[e.node] = now + (200 + random.nextInt(800)) * MS;
        slowExtraMs[e.node] = e.extra;
      }
      case HEAL_ALL -> {
        faultsActive = false;
        partitionGroups = null;
        for (Node node : nodes) {
          restart(node);
        }
        for (Node node : nodes) {
          if (!node.down) {
            node.executedAtHeal = node.node().execution().executedSequence();
          }
        }
      }
    }
  }

  // ------------------------------------------------------------------ network

  private final class SimNetwork implements SimTransport.Network {
    @Override
    public boolean toPeer(int from, int to, byte[] frame) {
      Node node = nodes[from];
      if (node.down || to < 0 || to >= nodes.length || to == from) {
        return false;
      }
      if (node.byzantine) {
        if (node.behaviours.isEmpty() || node.withheld[to]) {
          return true; // sent, as far as the sender can tell
        }
        if (Wire.type(new UnsafeBuffer(frame), 0) == MessageType.CONSENSUS) {
          frame = byzantineRewrite(node, to, frame);
        }
      }
      return transmit(from, to, frame);
    }

    @Override
    public void toClient(int from, long connection, byte[] frame, boolean close) {
      schedule(now + CLIENT_LINK_NS, Kind.CLIENT_REPLY, from, -1, frame, connection);
    }

    @Override
    public boolean clientConnected(int validator, long connection) {
      Node node = nodes[validator];
      return !node.down && (connection >>> 32) == node.incarnation;
    }

    @Override
    public boolean linked(int from, int to) {
      return !nodes[to].down && !cut(from, to);
    }
  }

  private boolean cut(int from, int to) {
    return faultsActive && partitionGroups != null && partitionGroups[from] != partitionGroups[to];
  }

  /** Queues a frame on the link: FIFO per link, like the TCP connection it stands for. */
  private boolean transmit(int from, int to, byte[] frame) {
    if (nodes[to].down || cut(from, to)) {
      return false;
    }
    if (faultsActive
        && config.faults().contains(Fault.LOSS)
        && random.nextDouble() < LOSS_PROBABILITY) {
      return true;
    }
    long delayMs = latencyMs[from][to] + random.nextInt(25);
    if (faultsActive && (from == overloaded || to == overloaded)) {
      delayMs += 100 + random.nextInt(501);
    }
    if (faultsActive && (slowUntil[from] > now || slowUntil[to] > now)) {
      delayMs += slowUntil[from] > now ? slowExtraMs[from] : slowExtraMs[to];
    }
    long at = Math.max(now + delayMs * MS, lastDelivery[from][to]);
    lastDelivery[from][to] = at;
    schedule(at, Kind.PEER_FRAME, to, from, frame, 0);
    return true;
  }

  private void deliverPeer(Event e) {
    Node node = nodes[e.node];
    if (node.down
        || node.incarnation != e.toIncarnation
        || nodes[e.from].incarnation != e.fromIncarnation
        || cut(e.from, e.node)) {
      return; // the connection broke with the crash, or the partition cut it
    }
    UnsafeBuffer buffer = new UnsafeBuffer(e.frame);
    if (Wire.validate(buffer, 0, e.frame.length) != Wire.FrameError.OK
        || !MessageType.isPeerMessage(Wire.type(buffer, 0))) {
      fail("validator " + e.from + " sent a malformed frame to " + e.node);
      return;
    }
    if (node.byzantine && Wire.type(buffer, 0) == MessageType.CONSENSUS) {
      ConsensusMessage m = decode(e.frame);
      if (m instanceof VoteMessage vm && node.twinVotes.containsKey(vm.vote().vertex())) {
        collectTwinVote(node, vm.vote());
        return;
      }
      if (node.behaviours.contains(Fault.DOUBLEVOTE)
          && m instanceof VertexMessage vm
          && vm.vertex().author() != node.id) {
        transmit(
            node.id,
            vm.vertex().author(),
            encode(new VoteMessage(Vote.create(vm.vertex(), node.id, node.signer))));
      }
    }
    peerFrames++;
    node.transport.listener().onPeerFrame(e.from, buffer, 0, e.frame.length);
  }

  // ------------------------------------------------------------------ Byzantine behaviour

  private static ConsensusMessage decode(byte[] frame) {
    return ConsensusCodec.decode(frame, Wire.HEADER_LENGTH, frame.length - Wire.HEADER_LENGTH);
  }

  private static byte[] encode(ConsensusMessage message) {
    byte[] body = ConsensusCodec.encode(message);
    UnsafeBuffer out = new UnsafeBuffer(new byte[Wire.HEADER_LENGTH + body.length]);
    int n = Wire.consensus(out, 0, body);
    return Arrays.copyOf(out.byteArray(), n);
  }

  private byte[] byzantineRewrite(Node node, int to, byte[] frame) {
    ConsensusMessage m = decode(frame);
    ConsensusMessage out = m;
    if (node.behaviours.contains(Fault.EQUIVOCATE)
        && m instanceof VertexMessage vm
        && vm.vertex().author() == node.id) {
      out = equivocate(node, vm.vertex(), to);
    }
    if (node.behaviours.contains(Fault.BADSIG) && random.nextDouble() < BADSIG_PROBABILITY) {
      out = corrupt(out);
    }
    return out == m ? frame : encode(out);
  }

  /**
   * Half of the peers (chosen per vertex) get a second, validly signed vertex for the same round:
   * one naming a batch fewer, or without its weak links (a vertex with neither is sent as it is).
   */
  private ConsensusMessage equivocate(Node node, Vertex v, int to) {
    Vertex twin = node.twins.get(v.digest());
    if (twin == null) {
      List<Digest> batches = v.batches();
      List<dev.agentledger.node.consensus.core.WeakLink> weak = v.weakLinks();
      if (!batches.isEmpty()) {
        batches = batches.subList(0, batches.size() - 1);
      } else if (!weak.isEmpty()) {
        weak = List.of();
      } else {
        return new VertexMessage(v);
      }
      twin =
          Vertex.create(v.epoch(), v.round(), v.author(), batches, v.parents(), weak, node.signer);
      node.twins.put(v.digest(), twin);
      node.twinMasks.put(v.digest(), random.nextLong());
      TreeMap<Integer, Vote> votes = new TreeMap<>();
      votes.put(node.id, Vote.create(twin, node.id, node.signer));
      node.twinVotes.put(twin.digest(), votes);
    }
    long mask = node.twinMasks.get(v.digest());
    return ((mask >>> (to & 63)) & 1) == 0 ? new VertexMessage(v) : new VertexMessage(twin);
  }

  /** A twin that honest validators gave a quorum is certified and spread by its author. */
  private void collectTwinVote(Node node, Vote vote) {
    TreeMap<Integer, Vote> votes = node.twinVotes.get(vote.vertex());
    if (Byzantine.crossesQuorum(committee, votes, vote)) {
      Vertex twin = null;
      for (Vertex t : node.twins.values()) {
        if (t.digest().equals(vote.vertex())) {
          twin = t;
        }
      }
      byte[] forged =
          encode(new CertificateMessage(new Certificate(twin, new ArrayList<>(votes.values()))));
      for (int peer = 0; peer < nodes.length; peer++) {
        if (peer != node.id) {
          transmit(node.id, peer, forged);
        }
      }
    }
  }

  private ConsensusMessage corrupt(ConsensusMessage message) {
    byte[] garbage = new byte[64];
    random.nextBytes(garbage);
    return switch (message) {
      case VertexMessage m -> new VertexMessage(m.vertex().withSignature(garbage));
      case VoteMessage m -> new VoteMessage(m.vote().withSignature(garbage));
      case CertificateMessage m -> {
        List<Vote> votes = new ArrayList<>(m.certificate().votes());
        votes.set(0, votes.get(0).withSignature(garbage));
        yield new CertificateMessage(new Certificate(m.certificate().vertex(), votes));
      }
      default -> message;
    };
  }

  // ------------------------------------------------------------------ clients

  private long connection(Client c) {
    return ((long) nodes[c.home].incarnation << 32) | (c.index + 1);
  }

  /** The client's next step: new runs when nothing is pending, then (re)send what is. */
  private void act(Client c) {
    if (c.waiting || c.done) {
      return;
    }
    if (c.pending.isEmpty()) {
      if (now >= config.clientsStopMs() * MS) {
        c.done = true;
        return;
      }
      int count = 1 + random.nextInt(2);
      long unixNow = UNIX_START_NS + now;
      for (int i = 0; i < count; i++) {
        byte[] run =
            new AgentRunBuilder()
                .chainId(CHAIN)
                .nonce(c.nextNonce++)
                .taskId(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
                .model(new byte[32])
                .startedAt(unixNow - 1_000_000_000L)
                .endedAt(unixNow)
                .inputTokens(10 + random.nextInt(1000))
                .outputTokens(20 + random.nextInt(1000))
                .computeMs(30)
                .gpuMs(40)
                .peakMemoryBytes(1 << 20)
                .outcome(RunOutcome.SUCCESS)
                .maxFee(Long.MAX_VALUE)
                .sign(c.key);
        byte[] id = new byte[32];
        slot.transactionId(new UnsafeBuffer(run), 0, sha, id, 0);
        runs.put(HexFormat.of().formatHex(id), new RunState(c.index, id));
        c.pending.add(run);
      }
    }
    c.requestId++;
    c.requests.put(c.requestId, c.pending);
    UnsafeBuffer frame =
        new UnsafeBuffer(
            new byte[Wire.HEADER_LENGTH + Wire.SUBMIT_RECORDS + c.pending.size() * Wire.RECORD]);
    int length = Wire.submitHeader(frame, 0, c.requestId, c.pending.size());
    for (int i = 0; i < c.pending.size(); i++) {
      frame.putBytes(Wire.HEADER_LENGTH + Wire.SUBMIT_RECORDS + i * Wire.RECORD, c.pending.get(i));
    }
    c.waiting = true;
    schedule(
        now + CLIENT_LINK_NS,
        Kind.CLIENT_FRAME,
        c.home,
        c.index,
        Arrays.copyOf(frame.byteArray(), length),
        connection(c));
    schedule(now + REPLY_TIMEOUT_NS, Kind.CLIENT_TIMEOUT, -1, c.index, null, c.requestId);
  }

  private void deliverClient(Event e) {
    Node node = nodes[e.node];
    if (node.down || !network.clientConnected(e.node, e.extra)) {
      return; // lost with the crash: the client times out and sends again
    }
    UnsafeBuffer buffer = new UnsafeBuffer(e.frame);
    node.transport.listener().onClientFrame(e.extra, buffer, 0, e.frame.length);
  }

  private void onReply(Client c, byte[] frame) {
    UnsafeBuffer b = new UnsafeBuffer(frame);
    if (Wire.validate(b, 0, frame.length) != Wire.FrameError.OK) {
      fail("validator " + c.home + " sent client " + c.index + " a malformed frame");
      return;
    }
    if (Wire.type(b, 0) != MessageType.SUBMIT_RESULT) {
      return;
    }
    int p = Wire.HEADER_LENGTH;
    long requestId = b.getLong(p + Wire.REQUEST_ID, ByteOrder.LITTLE_ENDIAN);
    int count = Short.toUnsignedInt(b.getShort(p + Wire.COUNT16, ByteOrder.LITTLE_ENDIAN));
    List<byte[]> records = c.requests.remove(requestId);
    if (records == null || records.size() != count) {
      fail("client " + c.index + " got an answer to no request of its own: " + requestId);
      return;
    }
    List<byte[]> retry = new ArrayList<>();
    byte[] id = new byte[32];
    for (int i = 0; i < count; i++) {
      TxStatus status = TxStatus.fromCode(Byte.toUnsignedInt(b.getByte(p + Wire.RESULT_CODES + i)));
      slot.transactionId(new UnsafeBuffer(records.get(i)), 0, sha, id, 0);
      RunState run = runs.get(HexFormat.of().formatHex(id));
      if (status == TxStatus.ACCEPTED) {
        run.accepted = true;
      } else if (status == TxStatus.OVERLOADED) {
        overloadedAnswers++;
        retry.add(records.get(i));
      } else if (!run.accepted) {
        run.refused = status;
      }
    }
    if (c.waiting && requestId == c.requestId) {
      c.waiting = false;
      c.pending = retry;
      long pauseMs = retry.isEmpty() ? 20 + random.nextInt(280) : 50 + random.nextInt(200);
      schedule(now + pauseMs * MS, Kind.CLIENT_ACT, -1, c.index, null, 0);
    }
  }

  // ------------------------------------------------------------------ invariants

  private void fail(String message) {
    if (violation == null) {
      violation = message;
    }
  }

  private long commitsAfterHeal = Long.MAX_VALUE;
  private long minExecuted = Long.MAX_VALUE;
  private long executedRuns;
  private long expiredRuns;
  private long refusedRuns;
  private long acceptedRuns;
  private byte[] digest = new byte[32];

  private void checkEnd() {
    List<Node> honest = new ArrayList<>();
    for (Node node : nodes) {
      if (!node.byzantine) {
        honest.add(node);
      }
    }
    // No fork: the commit logs agree at every index two validators hold.
    Node longest = honest.get(0);
    for (Node node : honest) {
      if (node.node().primary().lastCommittedIndex()
          > longest.node().primary().lastCommittedIndex()) {
        longest = node;
      }
    }
    long last = longest.node().primary().lastCommittedIndex();
    for (Node node : honest) {
      long mine = node.node().primary().lastCommittedIndex();
      for (long i = 0; i <= mine; i++) {
        if (!Arrays.equals(chainAt(node.store, i), chainAt(longest.store, i))) {
          fail("fork: validators " + node.id + " and " + longest.id + " differ at commit " + i);
          return;
        }
      }
    }
    // Same state: equal state roots at every commit executed by two validators.
    Map<Long, byte[]> roots = new HashMap<>();
    List<Map<String, Integer>> consumed = new ArrayList<>();
    for (Node node : honest) {
      long executed = node.node().execution().executedSequence();
      minExecuted = Math.min(minExecuted, executed);
      commitsAfterHeal = Math.min(commitsAfterHeal, executed - node.executedAtHeal);
      Map<String, Integer> counts = new HashMap<>();
      for (long s = 1; s <= executed; s++) {
        StoredCommit commit = node.node().queries().commit(s).orElse(null);
        if (commit == null) {
          fail("validator " + node.id + " executed commit " + s + " but does not hold it");
          return;
        }
        byte[] root = commit.record().stateRoot();
        byte[] seen = roots.putIfAbsent(s, root);
        if (seen != null && !Arrays.equals(seen, root)) {
          fail("state: validator " + node.id + " has another state root at commit " + s);
          return;
        }
        for (Receipt r : commit.receipts()) {
          if (r.code().consumesNonce()) {
            counts.merge(HexFormat.of().formatHex(r.txId()), 1, Integer::sum);
          }
        }
      }
      consumed.add(counts);
    }
    // Exactly once, and liveness: every accepted run executed everywhere, or expired.
    for (int h = 0; h < honest.size(); h++) {
      for (Map.Entry<String, Integer> e : consumed.get(h).entrySet()) {
        if (e.getValue() > 1) {
          fail("run " + e.getKey() + " executed " + e.getValue() + " times on " + honest.get(h).id);
          return;
        }
        if (!runs.containsKey(e.getKey())) {
          fail("validator " + honest.get(h).id + " executed a run no client signed");
          return;
        }
      }
    }
    for (Map.Entry<String, RunState> e : runs.entrySet()) {
      RunState run = e.getValue();
      if (run.refused != null) {
        refusedRuns++;
      }
      if (!run.accepted) {
        continue;
      }
      acceptedRuns++;
      int everywhere = 0;
      for (Map<String, Integer> counts : consumed) {
        everywhere += counts.getOrDefault(e.getKey(), 0) > 0 ? 1 : 0;
      }
      if (everywhere == honest.size()) {
        executedRuns++;
        continue;
      }
      Node home = nodes[clients[run.client].home];
      if (everywhere == 0 && home.node().queryAnswer(run.id) == ValidatorNode.EXPIRED_ANSWER) {
        expiredRuns++;
        continue;
      }
      fail(
          "accepted run "
              + e.getKey().substring(0, 16)
              + " of client "
              + run.client
              + " (validator "
              + home.id
              + ") executed on "
              + everywhere
              + " of "
              + honest.size()
              + " honest validators; its validator answers "
              + home.node().queryAnswer(run.id));
      return;
    }
    if (commitsAfterHeal < 1) {
      fail("liveness: an honest validator executed no commit after the heal");
      return;
    }
    sha.reset();
    sha.update(chainAt(longest.store, last), 0, 32);
    sha.update(roots.getOrDefault(minExecuted, new byte[32]), 0, 32);
    byte[] counts = new byte[24];
    java.nio.ByteBuffer.wrap(counts)
        .putLong(acceptedRuns)
        .putLong(executedRuns)
        .putLong(minExecuted);
    sha.update(counts, 0, counts.length);
    sha.digest(digest, 0);
  }

  private ValidatorSimResult result() {
    return new ValidatorSimResult(
        seed,
        violation,
        faultLog.toString().strip(),
        minExecuted == Long.MAX_VALUE ? 0 : minExecuted,
        commitsAfterHeal == Long.MAX_VALUE ? 0 : commitsAfterHeal,
        runs.size(),
        acceptedRuns,
        executedRuns,
        expiredRuns,
        refusedRuns,
        overloadedAnswers,
        unanswered,
        restarts,
        peerFrames,
        HexFormat.of().formatHex(digest));
  }
}
