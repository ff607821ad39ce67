package dev.agentledger.node.sim;

import dev.agentledger.hash.Sha256;
import dev.agentledger.node.committee.Committee;
import dev.agentledger.node.consensus.Ed25519Signatures;
import dev.agentledger.node.consensus.core.Batch;
import dev.agentledger.node.consensus.core.Certificate;
import dev.agentledger.node.consensus.core.CommittedSubDag;
import dev.agentledger.node.consensus.core.ConsensusMessage;
import dev.agentledger.node.consensus.core.ConsensusMessage.BatchMessage;
import dev.agentledger.node.consensus.core.ConsensusMessage.CertificateMessage;
import dev.agentledger.node.consensus.core.ConsensusMessage.VertexMessage;
import dev.agentledger.node.consensus.core.ConsensusMessage.VoteMessage;
import dev.agentledger.node.consensus.core.Digest;
import dev.agentledger.node.consensus.core.MessageSignatures;
import dev.agentledger.node.consensus.core.MessageVerifier;
import dev.agentledger.node.consensus.core.PrimaryCore;
import dev.agentledger.node.consensus.core.PrimaryOutbox;
import dev.agentledger.node.consensus.core.SignatureVerifier;
import dev.agentledger.node.consensus.core.Signer;
import dev.agentledger.node.consensus.core.Vertex;
import dev.agentledger.node.consensus.core.Vote;
import dev.agentledger.node.consensus.memory.InMemoryConsensusStore;
import dev.agentledger.sig.Ed25519;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A deterministic simulation of a committee of primaries on one thread: one seeded random
 * generator, a priority queue of timed events (ties broken by insertion order), a network with
 * per-link latency, jitter (reordering), loss, slow periods, partitions and healing, crashes with
 * restart from each validator's {@link InMemoryConsensusStore}, and Byzantine validators
 * (equivocation, withholding, bad signatures, double votes, or mute).
 *
 * <p>Invariants, checked on every commit: <b>safety</b> — the committed sequences of honest
 * validators are prefixes of one another (compared commit by commit against the longest one), and
 * no two certificates exist for one (round, author); <b>durability</b> — a restarted validator's
 * stored sequence equals what it published before the crash and continues from it; <b>ordered
 * once</b> — no certificate is ordered twice, and no batch of an honest author is named by two
 * ordered certificates; and at the end <b>liveness</b> — after the heal every honest validator made
 * at least {@code minCommitsAfterHeal} commits. Certificates an honest validator held that fell
 * below its garbage-collection round unordered are counted ({@link SimResult#orphaned()}): weak
 * links exist so that there are none. The same seed replays the same run: {@link
 * SimResult#runDigest()} hashes every commit.
 */
public final class Simulator {
  private static final int TICK_MS = 50;
  private static final int BATCH_MS = 100;
  private static final double LOSS_PROBABILITY = 0.03;
  private static final double BADSIG_PROBABILITY = 0.15;

  /** Batch period of the overloaded validator ({@link Fault#OVERLOAD}). */
  private static final int OVERLOADED_BATCH_MS = BATCH_MS / 5;

  private enum Kind {
    DELIVER,
    TICK,
    BATCH,
    CRASH,
    RESTART,
    PARTITION,
    HEAL_PARTITION,
    SLOW,
    HEAL_ALL,
    END,
    TRACE
  }

  private record Event(
      long time,
      long seq,
      Kind kind,
      int node,
      int from,
      ConsensusMessage message,
      int[] groups,
      long extra) {}

  private final SimConfig config;
  private final long seed;
  private final SplittableRandom random;
  private final Committee committee;
  private final SignatureVerifier verifier;
  private final Signer[] signers;
  private final MessageVerifier messageVerifier;
  private final MessageSignatures scratch = new MessageSignatures();
  private final java.util.Set<Certificate> verifiedCertificates =
      java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
  private final Node[] nodes;
  private final PriorityQueue<Event> queue =
      new PriorityQueue<>(
          (a, b) -> a.time != b.time ? Long.compare(a.time, b.time) : Long.compare(a.seq, b.seq));
  private long now;
  private long sequence;
  private boolean ended;

  private final long[][] latencyMs;
  private int[] partitionGroups;
  private final long[] slowUntil;
  private final long[] slowExtraMs;
  private boolean faultsActive = true;

  private final List<Digest> reference = new ArrayList<>();
  private final Map<Long, Digest> slots = new HashMap<>();
  private String violation;

  private final Map<Digest, Long> proposedAtMs = new HashMap<>();

  /** Certificates in the reference sequence, and the honest batches they name. */
  private final java.util.Set<Digest> orderedCertificates = new java.util.HashSet<>();

  private final java.util.Set<Digest> orderedBatches = new java.util.HashSet<>();
  private final java.util.Set<Digest> honestBatches = new java.util.HashSet<>();

  /**
   * Each honest batch's author and that author's incarnation (restarts so far) when it sealed it.
   */
  private final Map<Digest, long[]> batchAuthors = new HashMap<>();

  /** The overloaded honest validator ({@link Fault#OVERLOAD}), or -1. */
  private int overloaded = -1;

  private long crashLostBatches;
  private long[] vertexLatencies = new long[1024];
  private int vertexLatencyCount;
  private long anchorCommits;
  private double anchorRoundsSum;
  private double anchorMsSum;
  private long messages;
  private long droppedInvalid;
  private final Sha256 runHash = new Sha256();
  private final ByteBuffer hashBuffer = ByteBuffer.allocate(64);
  private final StringBuilder faultLog = new StringBuilder();

  private final class Node implements PrimaryOutbox {
    final int id;
    final boolean byzantine;
    final EnumSet<Fault> behaviours;
    final InMemoryConsensusStore store = new InMemoryConsensusStore();
    final List<Digest> published = new ArrayList<>();
    final boolean[] withheld;
    final Map<Digest, Vertex> equivocationOf = new HashMap<>();
    final Map<Digest, long[]> equivocationMask = new HashMap<>();
    final Map<Digest, TreeMap<Integer, Vote>> equivocationVotes = new HashMap<>();
    PrimaryCore core;
    boolean crashed;
    int incarnation;
    long commitsAtHeal = -1;
    long batches;

    Node(int id, boolean byzantine, EnumSet<Fault> behaviours) {
      this.id = id;
      this.byzantine = byzantine;
      this.behaviours = behaviours;
      this.withheld = new boolean[config.validators()];
    }

    @Override
    public void send(int to, ConsensusMessage message) {
      outbound(this, to, message);
    }

    @Override
    public void broadcast(ConsensusMessage message) {
      for (int to = 0; to < nodes.length; to++) {
        if (to != id) {
          outbound(this, to, message);
        }
      }
    }

    void start() {
      core =
          new PrimaryCore(
              config.primary(),
              committee,
              id,
              signers[id],
              store,
              this,
              d -> onCommit(this, d),
              now);
    }
  }

  public Simulator(SimConfig config, long seed) {
    this.config = config;
    this.seed = seed;
    this.random = new SplittableRandom(seed);
    int n = config.validators();
    // DPoS genesis: each validator's stake is the sum of 1-3 delegations, 100-110 units in all
    List<Committee.Validator> validators = new ArrayList<>();
    signers = new Signer[n];
    FakeSignatureScheme fake = config.realSignatures() ? null : new FakeSignatureScheme(n, seed);
    for (int i = 0; i < n; i++) {
      long stake = 100 + random.nextInt(11);
      int parts = 1 + random.nextInt(3);
      List<Committee.Delegation> delegations = new ArrayList<>();
      long left = stake;
      for (int p = 0; p < parts; p++) {
        long amount = p == parts - 1 ? left : 1 + random.nextLong(left - (parts - p - 1));
        delegations.add(new Committee.Delegation("delegator-" + i + "-" + p, amount));
        left -= amount;
      }
      byte[] publicKey;
      if (config.realSignatures()) {
        byte[] keySeed = new byte[Ed25519.SEED_BYTES];
        random.nextBytes(keySeed);
        publicKey = Ed25519.publicKey(keySeed);
        signers[i] = Ed25519Signatures.signer(keySeed);
      } else {
        publicKey = new byte[32];
        publicKey[0] = (byte) i;
        signers[i] = fake.signer(i);
      }
      validators.add(new Committee.Validator(i, "v" + i, publicKey, stake, delegations));
    }
    committee = new Committee(0, 0, validators);
    verifier = config.realSignatures() ? Ed25519Signatures.verifier(committee) : fake;
    messageVerifier = new MessageVerifier(committee);

    // Byzantine validators: random, their stake under 1/3
    boolean[] byzantine = Byzantine.choose(committee, config.byzantine(), random);
    EnumSet<Fault> enabled = Byzantine.enabled(config.faults());
    nodes = new Node[n];
    for (int i = 0; i < n; i++) {
      EnumSet<Fault> behaviours =
          byzantine[i] ? Byzantine.behaviours(enabled, random) : EnumSet.noneOf(Fault.class);
      if (byzantine[i]) {
        Byzantine.describe(faultLog, i, behaviours);
      }
      nodes[i] = new Node(i, byzantine[i], behaviours);
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
    slowUntil = new long[n];
    slowExtraMs = new long[n];
  }

  /** Runs one seed with {@code config}. */
  public static SimResult run(SimConfig config, long seed) {
    return new Simulator(config, seed).run();
  }

  /**
   * Prints every validator's progress every {@code periodMs} of simulated time (debugging a seed).
   */
  public Simulator trace(java.io.PrintWriter out, long periodMs) {
    this.traceOut = out;
    this.tracePeriodMs = periodMs;
    return this;
  }

  private java.io.PrintWriter traceOut;
  private long tracePeriodMs;

  public SimResult run() {
    scheduleFaults();
    if (traceOut != null) {
      schedule(0, Kind.TRACE, -1, -1, null, null, 0);
    }
    for (Node node : nodes) {
      node.start();
      schedule(random.nextInt(TICK_MS), Kind.TICK, node.id, -1, null, null, 0);
      schedule(random.nextInt(BATCH_MS), Kind.BATCH, node.id, -1, null, null, 0);
    }
    schedule(config.healAtMs(), Kind.HEAL_ALL, -1, -1, null, null, 0);
    schedule(config.durationMs(), Kind.END, -1, -1, null, null, 0);
    while (!ended && violation == null && !queue.isEmpty()) {
      Event e = queue.poll();
      now = e.time;
      handle(e);
    }
    if (violation == null) {
      checkEnd();
    }
    return result();
  }

  // ------------------------------------------------------------------ faults

  private void scheduleFaults() {
    long heal = config.healAtMs();
    int n = nodes.length;
    if (config.faults().contains(Fault.PARTITION)) {
      for (long t = 500 + random.nextInt(1500); t < heal - 500; ) {
        long duration = 800 + random.nextInt(2700);
        int[] groups = new int[n];
        int first = random.nextInt(n);
        for (int i = 0; i < n; i++) {
          groups[i] = i == first ? 0 : (i == (first + 1) % n ? 1 : random.nextInt(2));
        }
        schedule(t, Kind.PARTITION, -1, -1, null, groups, 0);
        schedule(Math.min(t + duration, heal), Kind.HEAL_PARTITION, -1, -1, null, null, 0);
        faultLog
            .append("partition@")
            .append(t)
            .append('+')
            .append(duration)
            .append(Arrays.toString(groups).replace(" ", ""))
            .append(' ');
        t += duration + 500 + random.nextInt(3000);
      }
    }
    if (config.faults().contains(Fault.CRASH)) {
      List<Integer> honest = new ArrayList<>();
      for (Node node : nodes) {
        if (!node.byzantine) {
          honest.add(node.id);
        }
      }
      int crashes = 0;
      for (long t = 500 + random.nextInt(2000); t < heal - 1000 && crashes < 3; crashes++) {
        int victim = honest.get(random.nextInt(honest.size()));
        long down = 500 + random.nextInt(3500);
        schedule(t, Kind.CRASH, victim, -1, null, null, 0);
        schedule(Math.min(t + down, heal), Kind.RESTART, victim, -1, null, null, 0);
        faultLog
            .append("crash")
            .append(victim)
            .append('@')
            .append(t)
            .append('+')
            .append(down)
            .append(' ');
        t += down + 300 + random.nextInt(2000);
      }
    }
    if (config.faults().contains(Fault.DELAY)) {
      for (long t = random.nextInt(1000); t < heal; t += 300 + random.nextInt(1500)) {
        int victim = random.nextInt(n);
        long extra = 200 + random.nextInt(1300);
        schedule(t, Kind.SLOW, victim, -1, null, null, extra);
      }
      faultLog.append("delay ");
    }
    if (config.faults().contains(Fault.LOSS)) {
      faultLog.append("loss ");
    }
    if (config.faults().contains(Fault.OVERLOAD)) {
      List<Integer> honest = new ArrayList<>();
      for (Node node : nodes) {
        if (!node.byzantine) {
          honest.add(node.id);
        }
      }
      overloaded = honest.get(random.nextInt(honest.size()));
      faultLog.append("overload").append(overloaded).append(' ');
    }
  }

  // ------------------------------------------------------------------ events

  private void schedule(
      long time,
      Kind kind,
      int node,
      int from,
      ConsensusMessage message,
      int[] groups,
      long extra) {
    queue.add(new Event(time, sequence++, kind, node, from, message, groups, extra));
  }

  private void handle(Event e) {
    switch (e.kind) {
      case DELIVER -> deliver(e.from, nodes[e.node], e.message);
      case TICK -> {
        Node node = nodes[e.node];
        if (!node.crashed) {
          node.core.onTick(now);
        }
        schedule(now + TICK_MS, Kind.TICK, e.node, -1, null, null, 0);
      }
      case BATCH -> {
        Node node = nodes[e.node];
        if (!node.crashed) {
          byte[] payload = new byte[48];
          ByteBuffer.wrap(payload)
              .putInt(node.id)
              .putLong(node.batches++)
              .putLong(now)
              .putLong(seed);
          Batch batch = Batch.of(payload);
          if (!node.byzantine) {
            honestBatches.add(batch.digest());
            batchAuthors.put(batch.digest(), new long[] {node.id, node.incarnation});
          }
          node.core.onLocalBatch(batch, now);
        }
        schedule(
            now + (e.node == overloaded ? OVERLOADED_BATCH_MS : BATCH_MS),
            Kind.BATCH,
            e.node,
            -1,
            null,
            null,
            0);
      }
      case CRASH -> {
        Node node = nodes[e.node];
        node.crashed = true;
        node.core = null;
        node.incarnation++;
      }
      case RESTART -> restart(nodes[e.node]);
      case PARTITION -> partitionGroups = e.groups;
      case HEAL_PARTITION -> partitionGroups = null;
      case SLOW -> {
        slowUntil[e.node] = now + 300 + random.nextInt(2000);
        slowExtraMs[e.node] = e.extra;
      }
      case HEAL_ALL -> {
        faultsActive = false;
        partitionGroups = null;
        for (Node node : nodes) {
          if (node.crashed) {
            restart(node);
          }
        }
        for (Node node : nodes) {
          node.commitsAtHeal = node.published.size();
        }
      }
      case END -> ended = true;
      case TRACE -> {
        StringBuilder line =
            new StringBuilder(
                "t="
                    + now
                    + (partitionGroups == null
                        ? ""
                        : " partition=" + Arrays.toString(partitionGroups).replace(" ", "")));
        for (Node node : nodes) {
          line.append(" | v")
              .append(node.id)
              .append(node.byzantine ? "b" : "")
              .append(node.crashed ? " DOWN" : "");
          if (node.core != null) {
            line.append(" r=")
                .append(node.core.proposedRound())
                .append(" dag=")
                .append(node.core.consensus().dag().maxRound())
                .append(" c=")
                .append(node.published.size())
                .append("@")
                .append(node.core.consensus().lastCommittedRound())
                .append(" w=")
                .append(node.core.waitingCount());
          }
        }
        for (Node node : nodes) {
          if (!node.byzantine && node.core != null) {
            var state = node.core.consensus();
            line.append(" || anchors seen by v").append(node.id).append(':');
            for (long r = Math.max(0, state.lastCommittedRound() + 2);
                r <= state.dag().maxRound();
                r += 2) {
              int leader = state.schedule().leader(r);
              Certificate anchor = state.dag().get(r, leader);
              line.append(" r")
                  .append(r)
                  .append("=v")
                  .append(leader)
                  .append(
                      anchor == null
                          ? "(none)"
                          : "(support "
                              + dev.agentledger.node.consensus.core.Bullshark.support(state, anchor)
                              + ")");
            }
            break;
          }
        }
        traceOut.println(line);
        traceOut.flush();
        schedule(now + tracePeriodMs, Kind.TRACE, -1, -1, null, null, 0);
      }
    }
  }

  private void restart(Node node) {
    if (!node.crashed) {
      return;
    }
    List<CommittedSubDag> stored = node.store.committed();
    if (stored.size() != node.published.size()) {
      fail(
          "durability: validator "
              + node.id
              + " stored "
              + stored.size()
              + " commits but had published "
              + node.published.size());
      return;
    }
    for (int i = 0; i < stored.size(); i++) {
      if (!stored.get(i).digest().equals(node.published.get(i))) {
        fail("durability: validator " + node.id + " commit #" + i + " changed across restart");
        return;
      }
    }
    node.crashed = false;
    node.start();
  }

  // ------------------------------------------------------------------ network

  private void outbound(Node node, int to, ConsensusMessage message) {
    if (node.crashed) {
      return;
    }
    if (message instanceof VertexMessage vm && vm.vertex().author() == node.id) {
      proposedAtMs.putIfAbsent(vm.vertex().digest(), now);
    }
    if (node.byzantine) {
      if (node.behaviours.isEmpty() || node.withheld[to]) {
        return;
      }
      if (node.behaviours.contains(Fault.EQUIVOCATE)
          && message instanceof VertexMessage vm
          && vm.vertex().author() == node.id) {
        message = equivocate(node, vm.vertex(), to);
      }
      if (node.behaviours.contains(Fault.BADSIG) && random.nextDouble() < BADSIG_PROBABILITY) {
        message = corrupt(message);
      }
    }
    transmit(node.id, to, message);
  }

  private void transmit(int from, int to, ConsensusMessage message) {
    if (faultsActive) {
      if (partitionGroups != null && partitionGroups[from] != partitionGroups[to]) {
        return;
      }
      if (config.faults().contains(Fault.LOSS) && random.nextDouble() < LOSS_PROBABILITY) {
        return;
      }
    }
    long delay = latencyMs[from][to] + random.nextInt(25);
    if (faultsActive && (from == overloaded || to == overloaded)) {
      delay += 100 + random.nextInt(501);
    }
    if (faultsActive && (slowUntil[from] > now || slowUntil[to] > now)) {
      delay += slowUntil[from] > now ? slowExtraMs[from] : slowExtraMs[to];
    }
    messages++;
    schedule(now + delay, Kind.DELIVER, to, from, message, null, 0);
  }

  private void deliver(int from, Node node, ConsensusMessage message) {
    if (node.crashed) {
      return;
    }
    if (!verified(message)) {
      droppedInvalid++;
      return;
    }
    if (node.byzantine) {
      if (message instanceof VoteMessage vm
          && node.equivocationVotes.containsKey(vm.vote().vertex())) {
        collectEquivocationVote(node, vm.vote());
        return;
      }
      if (node.behaviours.contains(Fault.DOUBLEVOTE)
          && message instanceof VertexMessage vm
          && vm.vertex().author() != node.id) {
        outbound(
            node,
            vm.vertex().author(),
            new VoteMessage(Vote.create(vm.vertex(), node.id, signers[node.id])));
      }
    }
    node.core.onMessage(from, message, now);
  }

  /**
   * Signature check of an inbound message. Certificates travel as shared objects in the simulation,
   * so one that verified once is remembered by identity (a real node caches verified certificate
   * digests the same way); the answer is the same, only cheaper.
   */
  private boolean verified(ConsensusMessage message) {
    List<Certificate> certificates =
        switch (message) {
          case CertificateMessage m -> List.of(m.certificate());
          case ConsensusMessage.FetchResponse m -> m.batches().isEmpty() ? m.certificates() : null;
          default -> null;
        };
    if (certificates != null
        && !certificates.isEmpty()
        && verifiedCertificates.containsAll(certificates)) {
      return true;
    }
    boolean ok = messageVerifier.verify(message, verifier, scratch);
    if (ok && certificates != null) {
      verifiedCertificates.addAll(certificates);
    }
    return ok;
  }

  // ------------------------------------------------------------------ Byzantine behaviour

  /**
   * Half of the peers (chosen per vertex) get a second, validly signed vertex for the same round.
   */
  private ConsensusMessage equivocate(Node node, Vertex v, int to) {
    Vertex twin = node.equivocationOf.get(v.digest());
    if (twin == null) {
      byte[] payload = new byte[40];
      ByteBuffer.wrap(payload)
          .putLong(0xE9E9E9E9L)
          .putInt(node.id)
          .putLong(v.round())
          .putLong(seed);
      Batch extra = Batch.of(payload);
      node.store.putBatch(extra);
      List<Digest> batches = new ArrayList<>(v.batches());
      batches.add(extra.digest());
      twin =
          Vertex.create(
              v.epoch(),
              v.round(),
              v.author(),
              batches,
              v.parents(),
              v.weakLinks(),
              signers[node.id]);
      node.equivocationOf.put(v.digest(), twin);
      node.equivocationMask.put(v.digest(), new long[] {random.nextLong()});
      TreeMap<Integer, Vote> votes = new TreeMap<>();
      votes.put(node.id, Vote.create(twin, node.id, signers[node.id]));
      node.equivocationVotes.put(twin.digest(), votes);
      for (int peer = 0; peer < nodes.length; peer++) {
        if (peer != node.id) {
          transmit(node.id, peer, new BatchMessage(extra));
        }
      }
    }
    long mask = node.equivocationMask.get(v.digest())[0];
    return ((mask >>> (to & 63)) & 1) == 0 ? new VertexMessage(v) : new VertexMessage(twin);
  }

  /**
   * If honest validators ever gave the twin a quorum, the Byzantine author certifies and spreads
   * it.
   */
  private void collectEquivocationVote(Node node, Vote vote) {
    TreeMap<Integer, Vote> votes = node.equivocationVotes.get(vote.vertex());
    if (Byzantine.crossesQuorum(committee, votes, vote)) {
      Vertex twin = null;
      for (Vertex t : node.equivocationOf.values()) {
        if (t.digest().equals(vote.vertex())) {
          twin = t;
        }
      }
      Certificate forged = new Certificate(twin, new ArrayList<>(votes.values()));
      for (int peer = 0; peer < nodes.length; peer++) {
        if (peer != node.id) {
          transmit(node.id, peer, new CertificateMessage(forged));
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

  // ------------------------------------------------------------------ invariants

  private void onCommit(Node node, CommittedSubDag subDag) {
    Digest digest = subDag.digest();
    if (!node.byzantine) {
      if (subDag.index() != node.published.size()) {
        fail(
            "durability: validator "
                + node.id
                + " published commit #"
                + subDag.index()
                + " after "
                + node.published.size());
        return;
      }
      int index = (int) subDag.index();
      if (index < reference.size()) {
        if (!reference.get(index).equals(digest)) {
          fail(
              "safety: validator "
                  + node.id
                  + " commit #"
                  + index
                  + " (anchor "
                  + subDag.anchor()
                  + ") differs from another honest validator's");
          return;
        }
      } else {
        reference.add(digest);
        for (Certificate c : subDag.certificates()) {
          if (!orderedCertificates.add(c.digest())) {
            fail("ordered once: certificate " + c + " ordered a second time in commit #" + index);
            return;
          }
          for (Digest b : c.vertex().batches()) {
            if (honestBatches.contains(b) && !orderedBatches.add(b)) {
              fail("ordered once: batch " + b + " ordered a second time, by " + c);
              return;
            }
          }
        }
      }
      for (Certificate c : subDag.certificates()) {
        Digest previous = slots.putIfAbsent(c.round() * 4096 + c.author(), c.digest());
        if (previous != null && !previous.equals(c.digest())) {
          fail(
              "safety: two certificates committed for round "
                  + c.round()
                  + " author "
                  + c.author());
          return;
        }
        Long proposed = proposedAtMs.get(c.digest());
        if (proposed != null) {
          if (vertexLatencyCount == vertexLatencies.length) {
            vertexLatencies = Arrays.copyOf(vertexLatencies, vertexLatencyCount * 2);
          }
          vertexLatencies[vertexLatencyCount++] = now - proposed;
        }
      }
      Long anchorProposed = proposedAtMs.get(subDag.anchor().digest());
      if (node.core != null && anchorProposed != null) {
        anchorCommits++;
        anchorRoundsSum += node.core.proposedRound() - subDag.anchorRound();
        anchorMsSum += now - anchorProposed;
      }
      hashBuffer.clear();
      hashBuffer.putInt(node.id).putLong(subDag.index()).putLong(now);
      runHash.update(hashBuffer.array(), 0, hashBuffer.position());
      runHash.update(digest.toBytes(), 0, Digest.BYTES);
    }
    node.published.add(digest);
  }

  private void checkEnd() {
    checkNoBatchLost();
    if (violation != null) {
      return;
    }
    for (Node node : nodes) {
      if (node.byzantine) {
        continue;
      }
      if (node.core != null && node.core.consensus().conflicts() > 0) {
        fail("safety: validator " + node.id + " saw two certificates for one slot");
        return;
      }
      long after = node.published.size() - Math.max(0, node.commitsAtHeal);
      if (after < config.minCommitsAfterHeal()) {
        fail(
            "liveness: validator "
                + node.id
                + " committed "
                + after
                + " times after the heal at "
                + config.healAtMs()
                + " ms (needs "
                + config.minCommitsAfterHeal()
                + ")");
        return;
      }
    }
  }

  /**
   * Every honest batch is ordered, or still its author's to order: a batch neither ordered nor held
   * by its author's primary would never be ordered. Batches of an author that crashed after sealing
   * them are counted apart ({@link SimResult#crashLostBatches()}): the restarted primary does not
   * hold them (a real validator offers their transactions again from its ingress log).
   */
  private void checkNoBatchLost() {
    List<Digest> sorted = new ArrayList<>(honestBatches);
    sorted.sort(java.util.Comparator.comparing(Digest::hex));
    for (Digest b : sorted) {
      if (orderedBatches.contains(b)) {
        continue;
      }
      long[] author = batchAuthors.get(b);
      Node node = nodes[(int) author[0]];
      if (node.crashed || node.incarnation != author[1]) {
        crashLostBatches++;
        continue;
      }
      if (!node.core.holdsOwnBatch(b)) {
        fail("lost: batch " + b + " of validator " + node.id + " is neither ordered nor held");
        return;
      }
    }
  }

  private void fail(String message) {
    if (violation == null) {
      violation = message + " at " + now + " ms";
    }
  }

  private SimResult result() {
    long minCommits = Long.MAX_VALUE;
    long maxRound = -1;
    long equivocations = 0;
    long weaklyOrdered = 0;
    java.util.Set<Digest> orphaned = new java.util.HashSet<>();
    java.util.Set<Digest> orphanedBatches = new java.util.HashSet<>();
    for (Node node : nodes) {
      if (!node.byzantine) {
        minCommits = Math.min(minCommits, node.published.size());
        if (node.core != null) {
          maxRound = Math.max(maxRound, node.core.proposedRound());
          equivocations += node.core.equivocationsSeen();
          weaklyOrdered = Math.max(weaklyOrdered, node.core.weaklyOrderedCertificates());
          long gc = node.core.consensus().gcRound();
          for (Certificate c : node.store.certificatesAbove(-1)) {
            if (c.round() > gc) {
              break;
            }
            if (!orderedCertificates.contains(c.digest())) {
              orphaned.add(c.digest());
              for (Digest b : c.vertex().batches()) {
                if (honestBatches.contains(b) && !orderedBatches.contains(b)) {
                  orphanedBatches.add(b);
                }
              }
            }
          }
        }
      }
    }
    long[] latencies = Arrays.copyOf(vertexLatencies, vertexLatencyCount);
    Arrays.sort(latencies);
    long p50 = latencies.length == 0 ? -1 : latencies[latencies.length / 2];
    long p99 =
        latencies.length == 0
            ? -1
            : latencies[
                (int) Math.min(latencies.length - 1, Math.ceil(latencies.length * 0.99) - 1)];
    hashBuffer.clear();
    hashBuffer.putLong(messages).putLong(droppedInvalid).putLong(sequence);
    runHash.update(hashBuffer.array(), 0, hashBuffer.position());
    String digest = Digest.of(runHash.digest()).hex();
    return new SimResult(
        seed,
        violation,
        digest,
        minCommits == Long.MAX_VALUE ? 0 : minCommits,
        maxRound,
        anchorCommits == 0 ? 0 : anchorRoundsSum / anchorCommits,
        anchorCommits == 0 ? 0 : anchorMsSum / anchorCommits,
        p50,
        p99,
        messages,
        droppedInvalid,
        equivocations,
        weaklyOrdered,
        orphaned.size(),
        orphanedBatches.size(),
        crashLostBatches,
        faultLog.toString().strip());
  }
}
