package dev.agentledger.node.consensus.core;

/**
 * When the primary's proposer may propose its next vertex: the pacing on top of the round-advance
 * rule, none of it needed for safety. A pure state machine over the times its caller passes in.
 *
 * <ul>
 *   <li>Without own batches, wait the empty-proposal delay after the previous proposal (Narwhal's
 *       max header delay), or the idle-proposal delay while nothing is left to order.
 *   <li>A proposal that does not fill a vertex waits the minimum round time.
 *   <li>Once the round to build on holds a quorum: when it is the own round, wait for its leader
 *       (even round: the anchor; odd round: its support) up to the leader timeout ({@link
 *       LeaderTimeout}, adaptive between bounds), and up to the straggler wait for the rest of its
 *       certificates.
 * </ul>
 */
final class ProposalPacer {
  /** Without own batches, wait this long after the last proposal; 0: never wait. */
  private long emptyProposalDelayMs;

  /** The empty-proposal delay while nothing is left to order; not above the other: off. */
  private long idleProposalDelayMs = -1;

  /** A proposal that does not fill a vertex waits this long after the previous one; 0: off. */
  private long minRoundMs;

  /** Wait this long after a round's certificates first hold a quorum for the rest; 0: off. */
  private long stragglerWaitMs;

  private LeaderTimeout leaderTimeout;

  /** The round whose certificates last reached a quorum, and when it was first seen. */
  private long quorumSeenRound = -1;

  private long quorumSeenMs;

  ProposalPacer(long leaderTimeoutMs) {
    this.leaderTimeout = LeaderTimeout.fixed(leaderTimeoutMs);
  }

  void setEmptyProposalDelayMs(long ms) {
    this.emptyProposalDelayMs = Math.max(0, ms);
  }

  void setIdleProposalDelayMs(long ms) {
    this.idleProposalDelayMs = ms;
  }

  void setMinRoundMs(long ms) {
    this.minRoundMs = Math.max(0, ms);
  }

  void setStragglerWaitMs(long ms) {
    this.stragglerWaitMs = Math.max(0, ms);
  }

  void setLeaderTimeout(LeaderTimeout timeout) {
    this.leaderTimeout = timeout;
  }

  LeaderTimeout leaderTimeout() {
    return leaderTimeout;
  }

  /** Whether proposals wait the idle delay: it is on and {@code nothingToOrder}. */
  boolean isIdlePaced(boolean nothingToOrder) {
    return nothingToOrder && idleProposalDelayMs > emptyProposalDelayMs;
  }

  /** The wait of a proposal naming no batch. */
  long emptyDelayMs(boolean nothingToOrder) {
    return isIdlePaced(nothingToOrder) ? idleProposalDelayMs : emptyProposalDelayMs;
  }

  /**
   * Whether the time since the previous proposal allows another, before looking at the DAG.
   *
   * @param ownBatches own batches waiting to be proposed
   * @param maxBatchesPerVertex the most one vertex names (a full vertex skips the minimum round)
   */
  boolean roundTimeAllows(
      int ownBatches, int maxBatchesPerVertex, boolean nothingToOrder, long sinceProposalMs) {
    if (ownBatches == 0 && sinceProposalMs < emptyDelayMs(nothingToOrder)) {
      return false;
    }
    return ownBatches >= maxBatchesPerVertex || sinceProposalMs >= minRoundMs;
  }

  /**
   * With the certificates of {@code quorumRound} holding a quorum: whether to propose on them now.
   * Building on the own round waits for its leader and its stragglers; when it goes, the leader
   * timeout learns whether the leader came (not under the idle pace, where every wait outlasts it).
   *
   * @param leaderIn whether the wait for the leader of {@code quorumRound} is answered
   * @param allIn whether every certificate of {@code quorumRound} is in
   */
  boolean quorumAllows(
      long quorumRound,
      long proposedRound,
      boolean leaderIn,
      boolean allIn,
      boolean idlePaced,
      long sinceProposalMs,
      long nowMs) {
    if (quorumRound != quorumSeenRound) {
      quorumSeenRound = quorumRound;
      quorumSeenMs = nowMs;
    }
    boolean waitsForLeader = quorumRound == proposedRound;
    if (waitsForLeader && !leaderIn && sinceProposalMs < leaderTimeout.currentMs()) {
      return false;
    }
    if (waitsForLeader && nowMs - quorumSeenMs < stragglerWaitMs && !allIn) {
      return false;
    }
    if (waitsForLeader && !idlePaced) {
      if (leaderIn) {
        leaderTimeout.onLeaderArrived();
      } else {
        leaderTimeout.onTimeout();
      }
    }
    return true;
  }
}
