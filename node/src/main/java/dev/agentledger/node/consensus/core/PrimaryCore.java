package dev.agentledger.node.consensus.core;

import dev.agentledger.node.committee.Committee;
import dev.agentledger.node.consensus.core.ConsensusMessage.BatchMessage;
import dev.agentledger.node.consensus.core.ConsensusMessage.CertificateMessage;
import dev.agentledger.node.consensus.core.ConsensusMessage.FetchRequest;
import dev.agentledger.node.consensus.core.ConsensusMessage.FetchResponse;
import dev.agentledger.node.consensus.core.ConsensusMessage.VertexMessage;
import dev.agentledger.node.consensus.core.ConsensusMessage.VoteMessage;
import dev.agentledger.node.consensus.core.ConsensusStore.VoteRecord;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The primary of one validator as a single-threaded state machine (Narwhal's primary, Danezis et
 * al., EuroSys 2022, section 4; Bullshark's round-advance timeouts): messages and ticks in ({@link
 * #onMessage}, {@link #onTick}, {@link #onLocalBatch}, each with the current time), messages out
 * through a {@link PrimaryOutbox}, commits out through a {@link CommittedSubDagStream}. It never
 * reads a clock, spawns a thread or touches I/O other than its {@link ConsensusStore}.
 *
 * <p>Signatures are checked before a message gets here ({@link MessageVerifier}, in parallel
 * batches); this class checks everything else: membership, rounds, parent quorums, one vote per
 * (author, round), causal completeness of the DAG.
 *
 * <p>Round advance: with certificates of round r holding a quorum of stake, propose r+1 naming all
 * of them as parents, and as weak links every certificate of an older round above the gc round that
 * is neither committed nor named by any certificate this primary holds (so not in the new vertex's
 * causal history otherwise: Bullshark's weak edges, {@link WeakLink}); in an even round wait for
 * the anchor first, in an odd round for the anchor's support (>1/3) or a quorum not supporting it;
 * either wait ends after the leader timeout ({@code leaderTimeoutMs}, or adaptive between bounds:
 * {@link #setLeaderTimeoutBounds}). Pacing on top, none of it needed for safety: empty and idle
 * proposal delays, a minimum round time, and a short wait for a round's last certificates ({@link
 * #setStragglerWaitMs}). An own vertex still uncertified when the primary moves on gives its
 * batches to the next proposal.
 *
 * <p>Parts with one job each, pure and tested on their own: {@link ProposalPacer} (when the next
 * proposal may go), {@link OwnBatches} (the own batches until their commit), {@link LeaderTimeout},
 * {@link Bullshark} (the commit rule).
 */
public final class PrimaryCore {
  private final PrimaryConfig config;
  private final Committee committee;
  private final int me;
  private final Signer signer;
  private final ConsensusStore store;
  private final PrimaryOutbox outbox;
  private final CommittedSubDagStream stream;
  private final Bullshark.State consensus;

  private long proposedRound = -1;
  private Vertex ownVertex;
  private final TreeMap<Integer, Vote> ownVotes = new TreeMap<>();
  private boolean ownCertified;
  private Certificate lastOwnCertificate;
  private long roundStartMs;
  private long lastVertexSendMs;
  private long lastCertificateSendMs;

  /**
   * The wait before the last own certificate is broadcast again: {@code resendMs}, doubling after
   * each repeat up to this factor times it, back to {@code resendMs} with each new own certificate.
   */
  static final long MAX_CERTIFICATE_RESEND_FACTOR = 16;

  private long certificateResendMs;

  /** Certificates waiting for parents, and who waits for which parent. */
  private final Map<Digest, Certificate> waiting = new LinkedHashMap<>();

  private final Map<Digest, List<Certificate>> dependents = new HashMap<>();

  /** Vertices of others waiting for parents or batches before a vote. */
  private final Map<Digest, PendingVertex> pendingVertices = new LinkedHashMap<>();

  /** Missing certificates and batches: when last asked, how often, and whom first. */
  private final Map<Digest, Missing> missingCertificates = new LinkedHashMap<>();

  private final Map<Digest, Missing> missingBatches = new LinkedHashMap<>();

  /**
   * Own batches waiting for a vertex or for the commit of the vertex that named them. A vertex that
   * no anchor ever reaches (it was certified late, or never, and the next round was built without
   * it) cannot be committed once its round falls to the gc round, so its batches go back to the
   * front of the queue for the next proposal; a batch is thus never lost and never ordered twice.
   */
  private final OwnBatches ownBatches = new OwnBatches();

  private final ProposalPacer pacer;

  /** Set when a certificate or batch arrived, so that pending vertices are worth a second look. */
  private boolean pendingDirty;

  /**
   * Accepted certificates naming at least one batch and not yet committed, by digest, with their
   * round: while any is left above the gc round there is something to order, so the committee keeps
   * the fast pace (the gc round must come in fast rounds for an unnamed one to be proposed again).
   */
  private final Map<Digest, Long> unorderedBatchCertificates = new HashMap<>();

  /**
   * Certificates in the DAG above the gc round, not committed, that no certificate in the DAG names
   * as a parent or weak link: the next proposal names those of older rounds as weak links, so every
   * certificate held is in its causal history.
   */
  private final Map<Digest, Certificate> unreferenced = new HashMap<>();

  /** The gc round of the last garbage collection that looked for freed waiting certificates. */
  private long lastCollectedGc = Long.MIN_VALUE;

  private long equivocationsSeen;
  private long invalidSeen;

  /** Where own batches and vertices spend their time here: {@link #pathTimes}. */
  private final PathTimes path = new PathTimes();

  /** When each own batch waiting for a vertex arrived ({@link #onLocalBatch}). */
  private final Map<Digest, Long> batchArrivalMs = new HashMap<>();

  /** When each own vertex not yet committed (or collected) was proposed, by round. */
  private final TreeMap<Long, Long> ownProposalMs = new TreeMap<>();

  /** The highest round whose certificates reached a quorum here, and when. */
  private long quorumRoundSeen = -1;

  private long quorumRoundSeenMs;

  /** The time of the input being handled (commits are published deep inside it). */
  private long inputNowMs;

  /**
   * The last vote cast per author, as in the store plus the staged votes (an author absent here is
   * read from the store once): the one-vote-per-(author, round) check reads no store per vertex.
   */
  private final Map<Integer, VoteRecord> lastVotes = new HashMap<>();

  /**
   * Votes cast but not yet durable: inside a vote group ({@link #beginVoteGroup}) they wait for one
   * store write at its end ({@link ConsensusStore#putVotes}); outside one each is written and sent
   * at once. A vote leaves only after its write.
   */
  private final List<Vertex> stagedVotes = new ArrayList<>();

  private boolean voteGroup;

  private record PendingVertex(Vertex vertex, int from) {}

  private static final class Missing {
    final int hint;
    long lastAskedMs;
    int attempts;

    Missing(int hint, long nowMs) {
      this.hint = hint;
      this.lastAskedMs = nowMs;
    }
  }

  /**
   * A primary that resumes from {@code store} (empty for a fresh validator): it replays the
   * committed sequence into the commit rule, reloads the certificates above the gc round, and takes
   * back its last own vertex, so it neither re-publishes a commit nor proposes or votes against
   * what it did before.
   */
  public PrimaryCore(
      PrimaryConfig config,
      Committee committee,
      int me,
      Signer signer,
      ConsensusStore store,
      PrimaryOutbox outbox,
      CommittedSubDagStream stream,
      long nowMs) {
    this.config = config;
    this.committee = committee;
    this.me = me;
    this.signer = signer;
    this.store = store;
    this.outbox = outbox;
    this.stream = stream;
    this.pacer = new ProposalPacer(config.leaderTimeoutMs());
    this.certificateResendMs = config.resendMs();
    this.consensus =
        new Bullshark.State(
            committee,
            new LeaderSchedule(committee, config.reputation(), config.reputationWindow()),
            config.gcDepth());
    for (CommittedSubDag d : store.committed()) {
      Bullshark.restoreCommitted(consensus, d);
    }
    for (Certificate c : store.certificatesAbove(consensus.gcRound())) {
      if (!Bullshark.insertOnly(consensus, c)) {
        throw new IllegalStateException("store holds two certificates for one slot: " + c);
      }
      if (!c.vertex().batches().isEmpty() && !consensus.isCommitted(c.digest())) {
        unorderedBatchCertificates.put(c.digest(), c.round());
      }
      noteReferences(c);
    }
    publish(Bullshark.tryCommit(consensus));
    proposedRound = store.highestOwnRound();
    if (proposedRound >= 0) {
      ownVertex = store.ownVertex(proposedRound);
      ownVotes.put(me, Vote.create(ownVertex, me, signer));
      ownCertified = consensus.dag().contains(ownVertex.digest());
      lastVertexSendMs = Long.MIN_VALUE / 2;
    }
    for (long r = proposedRound; r >= 0 && r > proposedRound - 4; r--) {
      Certificate c = consensus.dag().get(r, me);
      if (c != null) {
        lastOwnCertificate = c;
        break;
      }
    }
    roundStartMs = nowMs;
  }

  // ---------------------------------------------------------------- inputs

  /** A verified message from validator {@code from}. */
  public void onMessage(int from, ConsensusMessage message, long nowMs) {
    inputNowMs = nowMs;
    if (!committee.isMember(from) || from == me) {
      return;
    }
    switch (message) {
      case VertexMessage m -> onVertex(from, m.vertex(), nowMs);
      case VoteMessage m -> onVote(m.vote(), nowMs);
      case CertificateMessage m -> onCertificate(from, m.certificate(), nowMs);
      case FetchRequest m -> onFetchRequest(from, m);
      case FetchResponse m -> onFetchResponse(from, m, nowMs);
      case BatchMessage m -> onBatch(m.batch());
    }
    recheckPendingVertices(nowMs);
    tryPropose(nowMs);
  }

  /**
   * A batch this validator's own workers sealed: kept, pushed to peers, named by the next vertex,
   * which goes out at once when the round allows it (an idle-paced primary does not wait for its
   * idle delay or its next tick).
   */
  public void onLocalBatch(Batch batch, long nowMs) {
    inputNowMs = nowMs;
    batchArrivalMs.putIfAbsent(batch.digest(), nowMs);
    store.putBatch(batch);
    ownBatches.add(batch.digest());
    outbox.broadcast(new BatchMessage(batch));
    tryPropose(nowMs);
  }

  /** Time passes: timeouts, re-sends, fetch retries, garbage collection. */
  public void onTick(long nowMs) {
    inputNowMs = nowMs;
    collectGarbage();
    tryPropose(nowMs);
    if (ownVertex != null && !ownCertified && nowMs - lastVertexSendMs >= config.resendMs()) {
      for (int v = 0; v < committee.size(); v++) {
        if (v != me && !ownVotes.containsKey(v)) {
          outbox.send(v, new VertexMessage(ownVertex));
        }
      }
      lastVertexSendMs = nowMs;
    }
    if (lastOwnCertificate != null && nowMs - lastCertificateSendMs >= certificateResendMs) {
      // A peer that missed it asks for it once a child names it; the repeat is for a peer that
      // missed it while the committee is quiet, so it backs off until the next own certificate.
      outbox.broadcast(new CertificateMessage(lastOwnCertificate));
      lastCertificateSendMs = nowMs;
      certificateResendMs =
          Math.min(certificateResendMs * 2, config.resendMs() * MAX_CERTIFICATE_RESEND_FACTOR);
    }
    retryFetches(nowMs);
  }

  // ---------------------------------------------------------------- vertices and votes

  private void onVertex(int from, Vertex v, long nowMs) {
    if (v.epoch() != committee.epoch() || !committee.isMember(v.author()) || v.author() == me) {
      invalidSeen++;
      return;
    }
    if (v.round() <= consensus.gcRound() + 1 || pendingVertices.containsKey(v.digest())) {
      return;
    }
    if ((v.round() == 0) != v.parents().isEmpty()) {
      invalidSeen++;
      return;
    }
    if (isReady(v)) {
      tryVote(v);
    } else {
      pendingVertices.put(v.digest(), new PendingVertex(v, from));
      askForMissing(v, from, nowMs);
    }
  }

  private boolean isReady(Vertex v) {
    for (Digest p : v.parents()) {
      if (!consensus.dag().contains(p)) {
        return false;
      }
    }
    for (WeakLink w : v.weakLinks()) {
      if (w.round() > consensus.gcRound() && !consensus.dag().contains(w.digest())) {
        return false;
      }
    }
    for (Digest b : v.batches()) {
      if (store.batch(b) == null) {
        return false;
      }
    }
    return true;
  }

  /** Parents all of round r-1, distinct authors, more than 2/3 of the stake (round 0: none). */
  private boolean hasValidParents(Vertex v) {
    if (v.round() == 0) {
      return v.parents().isEmpty();
    }
    boolean[] seen = new boolean[committee.size()];
    long stake = 0;
    for (Digest p : v.parents()) {
      Certificate parent = consensus.dag().get(p);
      if (parent == null || parent.round() != v.round() - 1 || seen[parent.author()]) {
        return false;
      }
      seen[parent.author()] = true;
      stake += committee.stake(parent.author());
    }
    return stake >= committee.quorumThreshold();
  }

  /**
   * Weak links of distinct certificates of rounds before the parents' (the codec checks the
   * rounds), each one above the gc round held with the round it claims.
   */
  private boolean hasValidWeakLinks(Vertex v) {
    java.util.Set<Digest> seen = new java.util.HashSet<>();
    for (WeakLink w : v.weakLinks()) {
      if (!seen.add(w.digest()) || w.round() + 1 >= v.round()) {
        return false;
      }
      if (w.round() > consensus.gcRound()) {
        Certificate linked = consensus.dag().get(w.digest());
        if (linked == null || linked.round() != w.round()) {
          return false;
        }
      }
    }
    return true;
  }

  private void tryVote(Vertex v) {
    if (!hasValidParents(v) || !hasValidWeakLinks(v)) {
      invalidSeen++;
      return;
    }
    VoteRecord last = lastVote(v.author());
    if (last != null) {
      if (last.round() > v.round()) {
        return;
      }
      if (last.round() == v.round()) {
        if (!last.vertex().equals(v.digest())) {
          equivocationsSeen++;
        } else if (!isStaged(v)) { // a staged vote goes out with its group
          outbox.send(v.author(), new VoteMessage(Vote.create(v, me, signer)));
        }
        return;
      }
    }
    lastVotes.put(v.author(), new VoteRecord(v.round(), v.digest()));
    stagedVotes.add(v);
    if (!voteGroup) {
      flushVotes();
    }
  }

  private VoteRecord lastVote(int author) {
    VoteRecord last = lastVotes.get(author);
    if (last == null) {
      last = store.lastVote(author);
      if (last != null) {
        lastVotes.put(author, last);
      }
    }
    return last;
  }

  private boolean isStaged(Vertex v) {
    for (Vertex staged : stagedVotes) {
      if (staged.digest().equals(v.digest())) {
        return true;
      }
    }
    return false;
  }

  /** The staged votes made durable in one store write, then sent. */
  private void flushVotes() {
    if (stagedVotes.isEmpty()) {
      return;
    }
    store.putVotes(stagedVotes);
    sendStagedVotes();
  }

  private void sendStagedVotes() {
    for (Vertex v : stagedVotes) {
      outbox.send(v.author(), new VoteMessage(Vote.create(v, me, signer)));
    }
    stagedVotes.clear();
  }

  /**
   * From now until {@link #endVoteGroup}, the votes this primary casts are staged: the driver
   * brackets one duty cycle's messages, so that the votes they cause take one durable write (one
   * fsync) instead of one each. Nothing else changes: a vote is still durable before it is sent,
   * and the one-vote-per-(author, round) check sees the staged votes.
   */
  public void beginVoteGroup() {
    voteGroup = true;
  }

  /** Ends the vote group: its votes are written (one store write) and sent. */
  public void endVoteGroup() {
    voteGroup = false;
    flushVotes();
  }

  private void onVote(Vote vote, long nowMs) {
    if (ownVertex == null
        || ownCertified
        || !vote.vertex().equals(ownVertex.digest())
        || !committee.isMember(vote.voter())) {
      return;
    }
    ownVotes.putIfAbsent(vote.voter(), vote);
    long stake = 0;
    for (int voter : ownVotes.keySet()) {
      stake += committee.stake(voter);
    }
    if (stake >= committee.quorumThreshold()) {
      Certificate certificate = new Certificate(ownVertex, new ArrayList<>(ownVotes.values()));
      ownCertified = true;
      path.onOwnCertified(nowMs - roundStartMs);
      lastOwnCertificate = certificate;
      lastCertificateSendMs = nowMs;
      certificateResendMs = config.resendMs();
      outbox.broadcast(new CertificateMessage(certificate));
      acceptCertificate(certificate, nowMs);
    }
  }

  // ---------------------------------------------------------------- certificates

  private void onCertificate(int from, Certificate c, long nowMs) {
    Vertex v = c.vertex();
    if (v.epoch() != committee.epoch()
        || !committee.isMember(v.author())
        || !c.hasQuorum(committee)) {
      invalidSeen++;
      return;
    }
    if (c.round() <= consensus.gcRound()
        || consensus.dag().contains(c.digest())
        || waiting.containsKey(c.digest())) {
      return;
    }
    if ((v.round() == 0) != v.parents().isEmpty()) {
      invalidSeen++;
      return;
    }
    List<Digest> missing = missingParents(c);
    if (missing.isEmpty()) {
      acceptCertificate(c, nowMs);
      return;
    }
    waiting.put(c.digest(), c);
    missingCertificates.remove(c.digest());
    List<Digest> ask = new ArrayList<>();
    for (Digest p : missing) {
      dependents.computeIfAbsent(p, k -> new ArrayList<>()).add(c);
      if (!waiting.containsKey(p) && !missingCertificates.containsKey(p)) {
        missingCertificates.put(p, new Missing(from, nowMs));
        ask.add(p);
      }
    }
    if (!ask.isEmpty()) {
      outbox.send(from, new FetchRequest(ask, List.of()));
    }
  }

  private List<Digest> missingParents(Certificate c) {
    if (c.round() - 1 <= consensus.gcRound()) {
      return List.of();
    }
    List<Digest> missing = new ArrayList<>(0);
    for (Digest p : c.parents()) {
      if (!consensus.dag().contains(p)) {
        missing.add(p);
      }
    }
    for (WeakLink w : c.weakLinks()) {
      if (w.round() > consensus.gcRound() && !consensus.dag().contains(w.digest())) {
        missing.add(w.digest());
      }
    }
    return missing;
  }

  /** Inserts a certificate whose parents are present, then every waiting one it unblocks. */
  private void acceptCertificate(Certificate first, long nowMs) {
    ArrayDeque<Certificate> todo = new ArrayDeque<>();
    todo.add(first);
    while (!todo.isEmpty()) {
      Certificate c = todo.poll();
      waiting.remove(c.digest());
      missingCertificates.remove(c.digest());
      if (c.round() > consensus.gcRound()
          && (c.round() - 1 <= consensus.gcRound() || hasValidParents(c.vertex()))) {
        store.putCertificate(c);
        pendingDirty = true;
        noteQuorum(c.round(), nowMs);
        if (!c.vertex().batches().isEmpty()) {
          unorderedBatchCertificates.put(c.digest(), c.round());
        }
        long conflictsBefore = consensus.conflicts();
        List<CommittedSubDag> commits = Bullshark.process(consensus, c);
        if (consensus.conflicts() != conflictsBefore) {
          equivocationsSeen++;
        } else if (consensus.dag().contains(c.digest())) {
          noteReferences(c);
        }
        publish(commits);
      } else if (c.round() > consensus.gcRound()) {
        invalidSeen++;
      }
      List<Certificate> unblocked = dependents.remove(c.digest());
      if (unblocked != null) {
        for (Certificate d : unblocked) {
          if (waiting.containsKey(d.digest()) && missingParents(d).isEmpty()) {
            waiting.remove(d.digest());
            todo.add(d);
          }
        }
      }
    }
  }

  /** {@code c} is in the DAG: what it names is referenced, and it is not (yet). */
  private void noteReferences(Certificate c) {
    for (Digest p : c.parents()) {
      unreferenced.remove(p);
    }
    for (WeakLink w : c.weakLinks()) {
      unreferenced.remove(w.digest());
    }
    if (!consensus.isCommitted(c.digest())) {
      unreferenced.put(c.digest(), c);
    }
  }

  private void publish(List<CommittedSubDag> commits) {
    for (CommittedSubDag d : commits) {
      if (stagedVotes.isEmpty()) {
        store.appendCommitted(d);
      } else { // the staged votes ride in the commit's write, and go out now
        store.appendCommitted(d, stagedVotes);
        sendStagedVotes();
      }
      for (Certificate c : d.certificates()) {
        if (c.author() == me) {
          Long proposedMs = ownProposalMs.remove(c.round());
          if (proposedMs != null) {
            path.onOwnCommitted(inputNowMs - proposedMs, d.anchorRound() - c.round());
          }
          ownBatches.committed(c.round());
        }
        unorderedBatchCertificates.remove(c.digest());
        unreferenced.remove(c.digest());
      }
      stream.publish(d);
    }
  }

  // ---------------------------------------------------------------- fetching

  private void onFetchRequest(int from, FetchRequest request) {
    List<Certificate> certificates = new ArrayList<>();
    for (Digest d : request.certificates()) {
      if (certificates.size() >= config.maxFetchItems()) {
        break;
      }
      Certificate c = store.certificate(d);
      if (c != null) {
        certificates.add(c);
      }
    }
    List<Batch> batches = new ArrayList<>();
    for (Digest d : request.batches()) {
      if (batches.size() >= config.maxFetchItems()) {
        break;
      }
      Batch b = store.batch(d);
      if (b != null) {
        batches.add(b);
      }
    }
    if (!certificates.isEmpty() || !batches.isEmpty()) {
      outbox.send(from, new FetchResponse(certificates, batches));
    }
  }

  private void onFetchResponse(int from, FetchResponse response, long nowMs) {
    for (Batch b : response.batches()) {
      onBatch(b);
    }
    List<Certificate> sorted = new ArrayList<>(response.certificates());
    sorted.sort(Comparator.comparingLong(Certificate::round).thenComparingInt(Certificate::author));
    for (Certificate c : sorted) {
      onCertificate(from, c, nowMs);
    }
  }

  private void onBatch(Batch b) {
    if (store.batch(b.digest()) == null) {
      store.putBatch(b);
      pendingDirty = true;
    }
    missingBatches.remove(b.digest());
  }

  private void askForMissing(Vertex v, int from, long nowMs) {
    List<Digest> certificates = new ArrayList<>();
    List<Digest> named = new ArrayList<>(v.parents());
    for (WeakLink w : v.weakLinks()) {
      if (w.round() > consensus.gcRound()) {
        named.add(w.digest());
      }
    }
    for (Digest p : named) {
      if (!consensus.dag().contains(p)
          && !waiting.containsKey(p)
          && !missingCertificates.containsKey(p)) {
        missingCertificates.put(p, new Missing(from, nowMs));
        certificates.add(p);
      }
    }
    List<Digest> batches = new ArrayList<>();
    for (Digest b : v.batches()) {
      if (store.batch(b) == null && !missingBatches.containsKey(b)) {
        missingBatches.put(b, new Missing(v.author(), nowMs));
        batches.add(b);
      }
    }
    if (!certificates.isEmpty() || !batches.isEmpty()) {
      outbox.send(from, new FetchRequest(certificates, batches));
    }
  }

  /** Asks again for what is still missing, from the next peer in turn. */
  private void retryFetches(long nowMs) {
    Map<Integer, List<Digest>> certificates = new TreeMap<>();
    Map<Integer, List<Digest>> batches = new TreeMap<>();
    due(missingCertificates, certificates, nowMs);
    due(missingBatches, batches, nowMs);
    for (int peer = 0; peer < committee.size(); peer++) {
      List<Digest> c = certificates.getOrDefault(peer, List.of());
      List<Digest> b = batches.getOrDefault(peer, List.of());
      if (!c.isEmpty() || !b.isEmpty()) {
        outbox.send(peer, new FetchRequest(c, b));
      }
    }
  }

  private void due(Map<Digest, Missing> missing, Map<Integer, List<Digest>> byPeer, long nowMs) {
    int n = committee.size();
    for (Map.Entry<Digest, Missing> e : missing.entrySet()) {
      Missing m = e.getValue();
      if (nowMs - m.lastAskedMs < config.fetchRetryMs()) {
        continue;
      }
      m.attempts++;
      m.lastAskedMs = nowMs;
      int peer = Math.floorMod(m.hint + m.attempts, n);
      if (peer == me) {
        peer = Math.floorMod(peer + 1, n);
      }
      List<Digest> list = byPeer.computeIfAbsent(peer, k -> new ArrayList<>());
      if (list.size() < config.maxFetchItems()) {
        list.add(e.getKey());
      }
    }
  }

  private void recheckPendingVertices(long nowMs) {
    if (pendingVertices.isEmpty() || !pendingDirty) {
      return;
    }
    pendingDirty = false;
    List<Vertex> ready = new ArrayList<>();
    for (Iterator<PendingVertex> it = pendingVertices.values().iterator(); it.hasNext(); ) {
      PendingVertex p = it.next();
      if (isReady(p.vertex())) {
        it.remove();
        ready.add(p.vertex());
      }
    }
    for (Vertex v : ready) {
      tryVote(v);
    }
  }

  // ---------------------------------------------------------------- proposing

  private void tryPropose(long nowMs) {
    if (proposedRound < 0) {
      propose(0, List.of(), List.of(), nowMs);
      return;
    }
    boolean nothingToOrder = nothingToOrder();
    if (!pacer.roundTimeAllows(
        ownBatches.waitingCount(),
        config.maxBatchesPerVertex(),
        nothingToOrder,
        nowMs - roundStartMs)) {
      return;
    }
    Dag dag = consensus.dag();
    long quorumRound = -1;
    long quorumStake = 0;
    for (long r = dag.maxRound(); r >= proposedRound; r--) {
      long stake = dag.stakeAt(r, committee);
      if (stake >= committee.quorumThreshold()) {
        quorumRound = r;
        quorumStake = stake;
        break;
      }
    }
    if (quorumRound < 0) {
      return;
    }
    boolean leaderIn = quorumRound == proposedRound && leaderPresent(quorumRound);
    if (!pacer.quorumAllows(
        quorumRound,
        proposedRound,
        leaderIn,
        quorumStake == committee.totalStake(),
        pacer.isIdlePaced(nothingToOrder),
        nowMs - roundStartMs,
        nowMs)) {
      return;
    }
    List<Digest> parents = new ArrayList<>();
    for (Certificate c : dag.round(quorumRound)) {
      if (c != null) {
        parents.add(c.digest());
      }
    }
    propose(quorumRound + 1, parents, weakLinks(quorumRound), nowMs);
  }

  private static final Comparator<Certificate> ROUND_AUTHOR =
      Comparator.comparingLong(Certificate::round)
          .thenComparingInt(Certificate::author)
          .thenComparing(Certificate::digest);

  /**
   * Weak links for a vertex whose parents are of {@code parentRound}: the unreferenced certificates
   * of older rounds above the gc round, oldest first, at most {@link ConsensusCodec#MAX_WEAK_LINKS}
   * (the rest go with the next proposal).
   */
  private List<WeakLink> weakLinks(long parentRound) {
    if (unreferenced.isEmpty()) {
      return List.of();
    }
    long gc = consensus.gcRound();
    List<Certificate> older = new ArrayList<>();
    for (Certificate c : unreferenced.values()) {
      if (c.round() < parentRound && c.round() > gc && !consensus.isCommitted(c.digest())) {
        older.add(c);
      }
    }
    older.sort(ROUND_AUTHOR);
    int n = Math.min(older.size(), ConsensusCodec.MAX_WEAK_LINKS);
    List<WeakLink> links = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      links.add(new WeakLink(older.get(i).round(), older.get(i).digest()));
    }
    return links;
  }

  /**
   * Whether the wait for round {@code round}'s leader is answered: every certificate of the round
   * is in, or (even round) the anchor is, or (odd round) the anchor has support of more than a
   * third of the stake or a quorum does not support it.
   */
  private boolean leaderPresent(long round) {
    Dag dag = consensus.dag();
    if (dag.stakeAt(round, committee) == committee.totalStake()) {
      return true;
    }
    LeaderSchedule schedule = consensus.schedule();
    if ((round & 1) == 0) {
      return dag.get(round, schedule.leader(round)) != null;
    }
    int leader = schedule.leader(round - 1);
    long support = 0;
    long against = 0;
    for (Certificate c : dag.round(round)) {
      if (c == null) {
        continue;
      }
      boolean votes = false;
      for (Digest p : c.parents()) {
        Certificate parent = dag.get(p);
        if (parent != null && parent.author() == leader) {
          votes = true;
          break;
        }
      }
      if (votes) {
        support += committee.stake(c.author());
      } else {
        against += committee.stake(c.author());
      }
    }
    return support >= committee.validityThreshold() || against >= committee.quorumThreshold();
  }

  private void propose(long round, List<Digest> parents, List<WeakLink> weakLinks, long nowMs) {
    if (ownVertex != null && !ownCertified && ownVertex.round() < round) {
      // Left uncertified: this primary moves on without it and drops the votes that would still
      // come for it, and only its author can assemble its certificate (votes are sent to the
      // author alone), so it can never be ordered. Its batches ride in this proposal instead of
      // waiting for the round to fall to the gc round (seconds under load: the demo's latency
      // tail).
      ownBatches.abandon(ownVertex.round());
    }
    List<Digest> batches = ownBatches.propose(round, config.maxBatchesPerVertex());
    for (Digest b : batches) {
      Long arrived = batchArrivalMs.remove(b);
      if (arrived != null) {
        path.onBatchProposed(nowMs - arrived);
      }
    }
    path.onProposal(
        round - 1 == quorumRoundSeen ? nowMs - quorumRoundSeenMs : -1, !batches.isEmpty());
    ownProposalMs.put(round, nowMs);
    Vertex v = Vertex.create(committee.epoch(), round, me, batches, parents, weakLinks, signer);
    if (stagedVotes.isEmpty()) {
      store.putOwnProposal(v);
    } else { // the staged votes ride in the proposal's write, and go out now
      store.putOwnProposal(v, stagedVotes);
      sendStagedVotes();
    }
    proposedRound = round;
    ownVertex = v;
    ownVotes.clear();
    ownVotes.put(me, Vote.create(v, me, signer));
    ownCertified = false;
    roundStartMs = nowMs;
    lastVertexSendMs = nowMs;
    outbox.broadcast(new VertexMessage(v));
    if (committee.stake(me) >= committee.quorumThreshold()) {
      onVote(ownVotes.get(me), nowMs);
    }
  }

  /** Notes when round {@code round}'s certificates first hold a quorum here. */
  private void noteQuorum(long round, long nowMs) {
    if (round > quorumRoundSeen
        && consensus.dag().stakeAt(round, committee) >= committee.quorumThreshold()) {
      quorumRoundSeen = round;
      quorumRoundSeenMs = nowMs;
    }
  }

  private void collectGarbage() {
    long gc = consensus.gcRound();
    ownBatches.collect(gc);
    ownProposalMs.headMap(gc, true).clear();
    pendingVertices.values().removeIf(p -> p.vertex().round() <= gc + 1);
    unorderedBatchCertificates.values().removeIf(round -> round <= gc);
    unreferenced.values().removeIf(c -> c.round() <= gc);
    List<Digest> old = new ArrayList<>();
    for (Certificate c : waiting.values()) {
      if (c.round() <= gc) {
        old.add(c.digest());
      }
    }
    for (Digest d : old) {
      waiting.remove(d);
    }
    if (!old.isEmpty()) {
      dependents.values().forEach(list -> list.removeIf(c -> c.round() <= gc));
      dependents.values().removeIf(List::isEmpty);
    }
    if (gc == lastCollectedGc) {
      return;
    }
    lastCollectedGc = gc;
    // Anything that became insertable because what it waited for fell below the gc round.
    List<Certificate> free = new ArrayList<>();
    for (Certificate c : waiting.values()) {
      if (missingParents(c).isEmpty()) {
        free.add(c);
      }
    }
    for (Certificate c : free) {
      acceptCertificate(c, 0);
    }
  }

  /**
   * Proposals that name no batch wait {@code ms} after the previous proposal, so an idle committee
   * advances a few rounds per second instead of as fast as the network allows (default 0).
   */
  public void setEmptyProposalDelayMs(long ms) {
    pacer.setEmptyProposalDelayMs(ms);
  }

  /**
   * When nothing is left to order (no own batch waiting or proposed and not yet committed, no
   * uncommitted certificate above the gc round naming a batch, and no peer's certificate of a round
   * above the own proposed round), proposals that name no batch wait {@code ms} instead of the
   * empty-proposal delay: an idle committee then costs a round every {@code ms}, while a committee
   * with batches in flight keeps the fast pace until they are committed or, for a certificate no
   * later vertex named, until its round falls to the gc round and its author proposes its batches
   * again. An own batch is proposed at once whatever the pace. A pacing choice only: safety never
   * depends on it, and liveness holds for any value. A value not above the empty-proposal delay
   * turns it off (the default).
   */
  public void setIdleProposalDelayMs(long ms) {
    pacer.setIdleProposalDelayMs(ms);
  }

  /**
   * Paces rounds under load: a proposal naming fewer than {@code maxBatchesPerVertex} batches waits
   * at least {@code ms} after this validator's previous proposal (a full vertex goes at once). Each
   * round costs every validator a vertex, votes and certificates to sign, verify and store,
   * whatever it carries, so fewer and fuller rounds leave the cores to the transactions; the price
   * is up to {@code ms} more latency per round. A pacing choice only, like the other delays: safety
   * never depends on it. 0 (the default) turns it off.
   */
  public void setMinRoundMs(long ms) {
    pacer.setMinRoundMs(ms);
  }

  /**
   * Gives the last certificates of a round a moment: once the certificates of the round this
   * primary would build on hold a quorum, it still waits up to {@code ms} for the others before
   * proposing. Without it the slowest validator's certificate tends to arrive just after everyone
   * moved on, no next-round vertex names it, and its batches wait for the gc round (dozens of
   * rounds) to be proposed again: the commit-latency tail of a loaded 2-core demo. A pacing choice
   * only: safety never depends on it, and the wait ends when all certificates are in. 0 turns it
   * off (the default).
   */
  public void setStragglerWaitMs(long ms) {
    pacer.setStragglerWaitMs(ms);
  }

  /**
   * Lets the leader timeout adapt between {@code minMs} and {@code maxMs} ({@link LeaderTimeout}):
   * it doubles after a wait that ran out and shrinks by an eighth after a wait the leader ended,
   * starting from the configured {@code leaderTimeoutMs}. Equal bounds fix it at that value (the
   * default is the configured value, fixed). A pacing choice only: safety never depends on it.
   */
  public void setLeaderTimeoutBounds(long minMs, long maxMs) {
    pacer.setLeaderTimeout(new LeaderTimeout(config.leaderTimeoutMs(), minMs, maxMs));
  }

  /** The leader timeout now in force. */
  public long leaderTimeoutMs() {
    return pacer.leaderTimeout().currentMs();
  }

  /**
   * Whether a vote for {@code vertex} would count if it came now: it names the own vertex, which
   * still waits for its quorum. Any other vote is dropped by {@link #onMessage} whatever its
   * signature (the vote that comes after the certificate was formed, as the last of a committee's
   * votes usually does, or one for an own vertex left behind), so the driver need not verify it;
   * the answer stays false for that vertex from then on (its certificate is kept, later own
   * vertices have other digests).
   */
  public boolean wantsVote(Digest vertex) {
    return ownVertex != null && !ownCertified && ownVertex.digest().equals(vertex);
  }

  /** Whether the DAG holds this certificate (the driver skips verifying a repeat of it). */
  public boolean knowsCertificate(Digest digest) {
    return consensus.dag().contains(digest);
  }

  /** Leader waits that ran out so far. */
  public long leaderTimeouts() {
    return pacer.leaderTimeout().timeouts();
  }

  /**
   * True while proposals wait the idle proposal delay: nothing is left to order and no peer is a
   * round ahead. The driver may tick less often then; any message or own batch ends it.
   */
  public boolean isIdlePaced() {
    return pacer.isIdlePaced(nothingToOrder());
  }

  /**
   * No own batch waits for a vertex or for its commit, no certificate above the gc round naming a
   * batch is uncommitted, and no peer's certificate is of a round above the own proposed round.
   */
  private boolean nothingToOrder() {
    return ownBatches.isSettled() && unorderedBatchCertificates.isEmpty() && !peersAhead();
  }

  /**
   * A certificate of a round above the own proposed round: a peer moved on, so this primary follows
   * at the fast pace instead of waiting out its idle delay. A peer that has not seen a commit the
   * others made is not idle (its view still holds uncommitted batches) and keeps proposing; the
   * certificate that would let it commit may be one no vertex it holds names (a Byzantine author
   * withheld it from that peer alone), so only a later vertex of the others, naming it as a parent,
   * lets the lagging peer fetch it. Following the round that peer certified makes that vertex come
   * in a round trip instead of an idle delay. The parents of the certificate above form a quorum at
   * or above the own round, so the proposal can go at once; after it the own round is the highest
   * again. An idle committee still advances a round per idle delay: the first primary whose delay
   * runs out proposes, and the others follow within a round trip.
   */
  private boolean peersAhead() {
    return consensus.dag().maxRound() > proposedRound;
  }

  // ---------------------------------------------------------------- observation

  /**
   * Own batches proposed again: their vertex was left uncertified when this primary moved on, or it
   * was certified but fell below the gc round uncommitted.
   */
  public long reproposedBatches() {
    return ownBatches.reproposed();
  }

  /**
   * Own vertices left uncertified when this primary moved to a later round (their batches were
   * proposed again).
   */
  public long abandonedVertices() {
    return ownBatches.abandoned();
  }

  public int id() {
    return me;
  }

  /**
   * Whether an own batch is still this primary's to order (waiting for a vertex, or named by an own
   * vertex whose commit it has not seen): an own batch neither held nor ordered is lost. A linear
   * scan, for checks and tests.
   */
  public boolean holdsOwnBatch(Digest batch) {
    return ownBatches.holds(batch);
  }

  /** Certificates ordered only through a weak link so far (see {@link Bullshark}). */
  public long weaklyOrderedCertificates() {
    return consensus.weaklyOrdered();
  }

  /** Batch references of those certificates. */
  public long weaklyOrderedBatches() {
    return consensus.weaklyOrderedBatches();
  }

  /** Where own batches and vertices spent their time so far (see {@link PathTimes}). */
  public PathTimes pathTimes() {
    return path;
  }

  /** Highest round this validator proposed in. */
  public long proposedRound() {
    return proposedRound;
  }

  public Bullshark.State consensus() {
    return consensus;
  }

  /** Conflicting vertices or certificates seen from Byzantine authors. */
  public long equivocationsSeen() {
    return equivocationsSeen;
  }

  /** Messages refused as malformed. */
  public long invalidSeen() {
    return invalidSeen;
  }

  /** Certificates waiting for their parents. */
  public int waitingCount() {
    return waiting.size();
  }
}
