package dev.agentledger.node.sim;

/**
 * What one seed produced.
 *
 * @param violation null when every invariant held, else the first violation
 * @param runDigest hex SHA-256 over every honest commit (validator, index, sub-DAG digest, time)
 *     and the message counts: equal for equal seeds
 * @param minCommits commits of the honest validator that committed least
 * @param maxRound highest round any honest validator proposed in
 * @param anchorLatencyRounds mean rounds from an anchor's round to the proposer round at commit
 * @param anchorLatencyMs mean simulated ms from anchor proposal to commit
 * @param vertexLatencyP50Ms median simulated ms from any vertex's proposal to its commit
 * @param vertexLatencyP99Ms 99th percentile of the same
 * @param weaklyOrdered certificates an honest validator ordered only through a weak link (the most
 *     of any honest validator)
 * @param orphaned certificates an honest validator held that fell below its garbage-collection
 *     round without being ordered
 * @param orphanedBatches batches of honest authors named by those certificates and never ordered
 * @param crashLostBatches honest batches neither ordered nor held at the end whose author crashed
 *     after sealing them (its restarted primary no longer holds them)
 */
public record SimResult(
    long seed,
    String violation,
    String runDigest,
    long minCommits,
    long maxRound,
    double anchorLatencyRounds,
    double anchorLatencyMs,
    long vertexLatencyP50Ms,
    long vertexLatencyP99Ms,
    long messages,
    long droppedInvalid,
    long equivocationsSeen,
    long weaklyOrdered,
    long orphaned,
    long orphanedBatches,
    long crashLostBatches,
    String faultLog) {
  public boolean ok() {
    return violation == null;
  }
}
