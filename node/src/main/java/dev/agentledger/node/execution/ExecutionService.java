package dev.agentledger.node.execution;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentledger.node.commit.CommitSignature;
import dev.agentledger.node.consensus.PrimaryService;
import dev.agentledger.node.execution.core.CommittedInput;
import dev.agentledger.node.idle.ParkingIdleStrategy;
import dev.agentledger.node.idle.StageAgent;
import dev.agentledger.node.net.MessageType;
import dev.agentledger.node.net.Wire;
import dev.agentledger.node.query.QueryStore;
import dev.agentledger.node.storage.Store;
import dev.agentledger.sig.Ed25519KeyPair;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Runs the {@link ExecutionStage} of one validator behind consensus, as one agent ({@link
 * #agent()}): reads each consensus commit (index {@code k}, ledger sequence {@code k + 1}) from the
 * durable {@code commits} column with its worker batches, executes it, broadcasts this validator's
 * commit signature ({@code COMMIT_SIG}) and adds the peers' signatures until the commit is
 * certified.
 *
 * <p><b>Restart and catch-up.</b> The stage knows the last sequence it executed (0 for a fresh or
 * in-memory state); everything after it is read back from the commit log, so replay after a restart
 * and normal operation are one code path. Commits still uncertified a second after execution (the
 * peers signed them while this node was down or behind) are asked for with {@code
 * COMMIT_SIG_REQUEST}; a peer answers from its query store, re-signing the stored commit hash
 * (Ed25519 signing is deterministic, so the answer equals the signature it broadcast).
 *
 * <p><b>Peers ahead.</b> A signature of a commit not executed here yet is kept (bounded) until it
 * is. A signature whose hash differs from this node's hash of the same sequence is counted as a
 * divergence and never added: it cannot verify against this node's hash.
 */
public final class ExecutionService implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(ExecutionService.class.getName());

  /** Signatures held for commits not executed yet: at most this many sequences ahead. */
  static final long MAX_AHEAD = 10_000;

  private static final long REQUEST_AFTER_NS = TimeUnit.SECONDS.toNanos(1);
  private static final long REQUEST_EVERY_NS = TimeUnit.MILLISECONDS.toNanos(300);

  private record PeerMessage(
      int peer, byte type, long sequence, int count, byte[] hash, byte[] signature) {}

  /**
   * Longest wait for a peer message or a {@link #wake()} while nothing is left to execute: the
   * timers left (asking for missing signatures) run every few hundred ms.
   */
  static final long IDLE_WAIT_MS = 100;

  private final ExecutionStage stage;
  private final QueryStore queries;
  private final Store store;
  private final PrimaryService primary;
  private final dev.agentledger.node.committee.Committee committee;
  private final int self;
  private final Ed25519KeyPair key;
  private final PrimaryService.PeerSender sender;
  private final LongSupplier nanoClock;
  private final ManyToOneConcurrentArrayQueue<PeerMessage> inbound =
      new ManyToOneConcurrentArrayQueue<>(65_536);
  private final TreeMap<Long, List<PeerMessage>> early = new TreeMap<>();
  private final TreeMap<Long, Long> executedAt = new TreeMap<>();
  private final UnsafeBuffer frame =
      new UnsafeBuffer(new byte[Wire.HEADER_LENGTH + Wire.COMMIT_SIG_LENGTH]);
  private final List<PeerMessage> drained = new ArrayList<>();
  private final CommitReader reader;
  private final ParkingIdleStrategy idle =
      new ParkingIdleStrategy(10, 2, 20_000, IDLE_WAIT_MS * 1_000_000L, null);
  private final StageAgent stageAgent;
  private volatile boolean running = true;
  private volatile long highestPeerSequence;
  private volatile long divergent;
  private volatile long droppedMessages;
  private volatile long signaturesAdded;
  private volatile Throwable failure;
  private volatile long executedSequence;
  private volatile long executedTransactions;
  private long lastRequestNs;

  public ExecutionService(
      ExecutionStage stage,
      QueryStore queries,
      Store store,
      PrimaryService primary,
      dev.agentledger.node.committee.Committee committee,
      int self,
      Ed25519KeyPair key,
      PrimaryService.PeerSender sender,
      LongSupplier nanoClock) {
    this.stage = stage;
    this.queries = queries;
    this.store = store;
    this.primary = primary;
    this.committee = committee;
    this.self = self;
    this.key = key;
    this.sender = sender;
    this.nanoClock = nanoClock;
    this.executedSequence = stage.lastSequence();
    this.reader = new CommitReader(store);
    this.stageAgent =
        new StageAgent(
            new Agent() {
              @Override
              public int doWork() {
                return ExecutionService.this.doWork();
              }

              @Override
              public String roleName() {
                return "execution-" + self;
              }
            },
            idle,
            StageAgent.Lane.PIPELINE);
  }

  // ---------------------------------------------------------------- inputs (I/O threads)

  /** A validated COMMIT_SIG or COMMIT_SIG_REQUEST frame from an authenticated peer. */
  public void onPeerFrame(int peer, DirectBuffer buffer, int offset, int length) {
    int p = offset + Wire.HEADER_LENGTH;
    byte type = Wire.type(buffer, offset);
    long sequence = buffer.getLong(p + Wire.COMMIT_SEQUENCE, ByteOrder.LITTLE_ENDIAN);
    PeerMessage m;
    if (type == MessageType.COMMIT_SIG) {
      byte[] hash = new byte[32];
      byte[] signature = new byte[64];
      buffer.getBytes(p + Wire.COMMIT_HASH, hash);
      buffer.getBytes(p + Wire.COMMIT_SIGNATURE, signature);
      m = new PeerMessage(peer, type, sequence, 1, hash, signature);
    } else {
      int count =
          Short.toUnsignedInt(
              buffer.getShort(p + Wire.COMMIT_REQUEST_COUNT, ByteOrder.LITTLE_ENDIAN));
      m = new PeerMessage(peer, type, sequence, count, null, null);
    }
    if (!inbound.offer(m)) {
      droppedMessages++;
    }
    idle.wake();
  }

  /**
   * Consensus wrote a commit (primary thread): execution runs it now instead of at its next wait.
   */
  public void wake() {
    idle.wake();
  }

  // ---------------------------------------------------------------- the execution agent

  /**
   * One duty cycle of the execution agent: the queued peer messages, then up to 64 commits that
   * consensus has written and this node has not executed, then the timers (asking peers for missing
   * commit signatures). Returns the messages and commits taken. A failure stops execution for good
   * (execution is deterministic: it would repeat) and is reported by {@link #failure()}.
   */
  private int doWork() {
    if (!running || failure != null) {
      return 0;
    }
    int work = 0;
    try {
      inbound.drainTo(drained, 4096);
      if (!drained.isEmpty()) {
        work += drained.size();
        for (PeerMessage m : drained) {
          onMessage(m);
        }
        drained.clear();
      }
      long target = primary.lastCommittedIndex() + 1;
      int executed = 0;
      while (running && stage.lastSequence() < target && executed < 64) {
        executeNext();
        executed++;
      }
      work += executed;
      askForMissingSignatures();
    } catch (RuntimeException e) {
      drained.clear();
      if (!running) {
        return 0;
      }
      failure = e;
      if (store.writeFailure() == null) { // a failed store is reported once, by the node
        LOG.log(System.Logger.Level.ERROR, "execution on validator " + self + " stopped", e);
      }
    }
    return work;
  }

  /**
   * The execution agent (role {@code execution-<v>}): the single thread that executes, signs and
   * certifies commits, whoever runs it.
   */
  public StageAgent agent() {
    return stageAgent;
  }

  private void executeNext() {
    long sequence = stage.lastSequence() + 1;
    CommittedInput input = reader.read(sequence);
    CommitSignature own = stage.execute(input);
    executedTransactions += input.records().size(); // single writer: this agent
    executedSequence = sequence;
    long now = nanoClock.getAsLong();
    executedAt.put(sequence, now);
    while (executedAt.size() > 4096) {
      executedAt.pollFirstEntry();
    }
    if (own != null) {
      broadcast(sequence, stage.lastCommitHash(), own.signature());
    }
    List<PeerMessage> held = early.remove(sequence);
    if (held != null) {
      held.forEach(this::addSignature);
    }
    early.headMap(sequence, true).clear();
  }

  private void onMessage(PeerMessage m) {
    if (m.peer() < 0 || m.peer() >= committee.size() || m.peer() == self) {
      return;
    }
    if (m.type() == MessageType.COMMIT_SIG_REQUEST) {
      answer(m);
      return;
    }
    if (m.sequence() > highestPeerSequence) {
      highestPeerSequence = m.sequence();
    }
    long last = stage.lastSequence();
    if (m.sequence() > last) {
      if (m.sequence() <= last + MAX_AHEAD) {
        early.computeIfAbsent(m.sequence(), k -> new ArrayList<>(committee.size())).add(m);
      }
      return;
    }
    addSignature(m);
  }

  private void addSignature(PeerMessage m) {
    // The stage holds the hash of every commit still collecting signatures: no stored commit is
    // read or decoded per signature.
    if (!stage.awaitsSignatures(m.sequence())) {
      return;
    }
    if (!stage.awaitsSignaturesOf(m.sequence(), m.hash())) {
      divergent++;
      LOG.log(
          System.Logger.Level.WARNING,
          "validator "
              + m.peer()
              + " signed a different commit "
              + m.sequence()
              + " than validator "
              + self
              + " executed");
      return;
    }
    byte[] peerKey = new byte[32];
    committee.copyKey(m.peer(), peerKey, 0);
    if (stage.addSignature(m.sequence(), new CommitSignature(peerKey, m.signature()))) {
      signaturesAdded++;
    }
  }

  /** A peer asks for this validator's signatures of {@code [sequence, sequence + count)}. */
  private void answer(PeerMessage m) {
    long last = Math.min(stage.lastSequence(), m.sequence() + m.count() - 1);
    for (long s = m.sequence(); s <= last; s++) {
      Optional<byte[]> commit = key == null ? Optional.empty() : stage.commitHash(s);
      if (commit.isPresent()) {
        byte[] hash = commit.get();
        CommitSignature signature = CommitSignature.sign(key, hash);
        int n = Wire.commitSignature(frame, 0, s, hash, signature.signature());
        sender.send(m.peer(), frame, 0, n);
      }
    }
  }

  /** Asks every peer for the signatures of the oldest commits still uncertified after a second. */
  private void askForMissingSignatures() {
    long now = nanoClock.getAsLong();
    if (now - lastRequestNs < REQUEST_EVERY_NS) {
      return;
    }
    long oldest = stage.oldestUncertified();
    if (oldest <= 0) {
      return;
    }
    Long at = executedAt.get(oldest);
    if (at != null && now - at < REQUEST_AFTER_NS) {
      return;
    }
    lastRequestNs = now;
    UnsafeBuffer request =
        new UnsafeBuffer(new byte[Wire.HEADER_LENGTH + Wire.COMMIT_REQUEST_LENGTH]);
    int count = (int) Math.min(Wire.MAX_COMMIT_REQUEST, stage.lastSequence() - oldest + 1);
    int n = Wire.commitSignatureRequest(request, 0, oldest, count);
    for (int peer = 0; peer < committee.size(); peer++) {
      if (peer != self) {
        sender.send(peer, request, 0, n);
      }
    }
  }

  private void broadcast(long sequence, byte[] hash, byte[] signature) {
    int n = Wire.commitSignature(frame, 0, sequence, hash, signature);
    for (int peer = 0; peer < committee.size(); peer++) {
      if (peer != self) {
        sender.send(peer, frame, 0, n);
      }
    }
  }

  /**
   * Reads ledger commit {@code sequence} (consensus commit {@code sequence - 1}) back from the
   * commit log and the worker batches it names: the same input on every validator, in the order the
   * consensus committer wrote it. Allocates its own buffers; the execution agent reads through one
   * reused {@link CommitReader} instead.
   */
  public static CommittedInput readCommit(Store store, long sequence) {
    return new CommitReader(store).read(sequence);
  }

  // ---------------------------------------------------------------- observation

  /**
   * A state key's newest value as execution holds it now (see {@link ExecutionStage#stateValue}).
   */
  public byte[] stateValue(byte[] key) {
    return stage.stateValue(key);
  }

  /** The last commit sequence executed here. */
  public long executedSequence() {
    return executedSequence;
  }

  /**
   * Transactions in the commits this service executed since it started (a transaction named twice
   * counts twice, as in {@link PrimaryService#committedTransactions()}).
   */
  public long executedTransactions() {
    return executedTransactions;
  }

  /** The highest commit sequence any peer has signed. */
  public long highestPeerSequence() {
    return highestPeerSequence;
  }

  /** Why execution stopped, or null while it runs. */
  public Throwable failure() {
    return failure;
  }

  /** Executed everything consensus committed and is no more than two commits behind any peer. */
  public boolean caughtUp() {
    long executed = executedSequence;
    return failure == null
        && executed == primary.lastCommittedIndex() + 1
        && primary.pendingCommits() == 0
        && executed >= highestPeerSequence - 2;
  }

  /**
   * Puts the status member {@code execution} into {@code status}, and beside it the operator's
   * catch-up view: {@code executedSequence}, {@code certifiedSequence}, {@code highestPeerSequence}
   * and {@code caughtUp}.
   */
  public void status(ObjectNode status) {
    long executed = executedSequence;
    long certified = queries.latestCertifiedSequence();
    ObjectNode json = status.putObject("execution");
    json.put("executedSequence", executed)
        .put("certifiedSequence", certified)
        .put("highestPeerSequence", highestPeerSequence)
        .put("signaturesAdded", signaturesAdded)
        .put("divergentSignatures", divergent)
        .put("droppedMessages", droppedMessages);
    stage.retainedStateStatus(json.putObject("retainedState"));
    stage.stateMemoryStatus(json.putObject("stateMemory"));
    if (failure == null) {
      json.putNull("failed");
    } else {
      json.put("failed", String.valueOf(failure.getMessage()));
    }
    status
        .put("executedSequence", executed)
        .put("certifiedSequence", certified)
        .put("highestPeerSequence", highestPeerSequence)
        .put("caughtUp", caughtUp());
  }

  @Override
  public void close() {
    running = false;
  }
}
