package dev.agentledger.node.consensus.core;

/**
 * Where this primary's own batches and vertices spend their time, as sums and counts (one update
 * per batch or vertex, none per transaction), for the latency decomposition in the status JSON:
 *
 * <ul>
 *   <li>an own certified batch's wait for the own vertex that names it;
 *   <li>the wait from the round to build on holding a quorum to the proposal (the pacing waits: the
 *       leader and straggler waits, the empty-proposal delay, the minimum round time, tick
 *       granularity), split by whether the proposal named a batch;
 *   <li>an own vertex's time from its proposal to its certificate (the votes' round trip);
 *   <li>an own vertex's time from its proposal to the commit that orders it, and the rounds from
 *       its round to the anchor's.
 * </ul>
 *
 * Plain counters, written by the primary's thread; a reader on another thread may see them a moment
 * late.
 */
public final class PathTimes {
  private long batchesProposed;
  private long batchWaitMs;
  private long proposals;
  private long proposalsWithBatches;
  private long quorumWaits;
  private long quorumWaitMs;
  private long quorumWaitsWithBatches;
  private long quorumWaitWithBatchesMs;
  private long certified;
  private long certifyMs;
  private long committed;
  private long commitMs;
  private long commitRounds;

  void onBatchProposed(long waitedMs) {
    batchesProposed++;
    batchWaitMs += waitedMs;
  }

  /**
   * @param sinceQuorumMs time since the parents' round reached a quorum here, or -1 when unknown
   */
  void onProposal(long sinceQuorumMs, boolean withBatches) {
    proposals++;
    if (withBatches) {
      proposalsWithBatches++;
    }
    if (sinceQuorumMs >= 0) {
      quorumWaits++;
      quorumWaitMs += sinceQuorumMs;
      if (withBatches) {
        quorumWaitsWithBatches++;
        quorumWaitWithBatchesMs += sinceQuorumMs;
      }
    }
  }

  void onOwnCertified(long sinceProposalMs) {
    certified++;
    certifyMs += sinceProposalMs;
  }

  void onOwnCommitted(long sinceProposalMs, long rounds) {
    committed++;
    commitMs += sinceProposalMs;
    commitRounds += rounds;
  }

  public long batchesProposed() {
    return batchesProposed;
  }

  /** Sum over own batches of the wait from their arrival to the own vertex naming them. */
  public long batchWaitMs() {
    return batchWaitMs;
  }

  public long proposals() {
    return proposals;
  }

  public long proposalsWithBatches() {
    return proposalsWithBatches;
  }

  /** Proposals whose parents' round reached its quorum here (the others followed a peer). */
  public long quorumWaits() {
    return quorumWaits;
  }

  /** Sum over those of the time from the quorum to the proposal. */
  public long quorumWaitMs() {
    return quorumWaitMs;
  }

  public long quorumWaitsWithBatches() {
    return quorumWaitsWithBatches;
  }

  public long quorumWaitWithBatchesMs() {
    return quorumWaitWithBatchesMs;
  }

  public long certified() {
    return certified;
  }

  /** Sum over own certificates of the time from the proposal to the certificate. */
  public long certifyMs() {
    return certifyMs;
  }

  public long committed() {
    return committed;
  }

  /** Sum over committed own vertices of the time from the proposal to the commit. */
  public long commitMs() {
    return commitMs;
  }

  /** Sum over committed own vertices of the anchor's round minus the vertex's round. */
  public long commitRounds() {
    return commitRounds;
  }
}
