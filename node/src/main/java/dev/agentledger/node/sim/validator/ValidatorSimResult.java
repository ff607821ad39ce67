package dev.agentledger.node.sim.validator;

/**
 * The outcome of one whole-validator simulation ({@link ValidatorSimulator}).
 *
 * @param seed the seed
 * @param violation the first invariant broken, or null
 * @param faultLog the faults injected
 * @param commits executed commits on the honest validator that executed the fewest
 * @param commitsAfterHeal the fewest commits an honest validator executed after the heal
 * @param submitted runs the clients signed
 * @param accepted runs answered ACCEPTED
 * @param executed accepted runs executed (nonce consumed) on every honest validator
 * @param expired accepted runs their validator answers as expired (dropped for a nonce gap)
 * @param refused runs refused with a final status (not OVERLOADED)
 * @param overloaded OVERLOADED answers (each retried)
 * @param unanswered submissions the client gave up waiting for (a crash), each resent
 * @param restarts validators started again from their store
 * @param peerFrames frames delivered between validators
 * @param runDigest hash of the honest commit chain, state roots and client outcomes: the same seed
 *     gives the same digest
 */
public record ValidatorSimResult(
    long seed,
    String violation,
    String faultLog,
    long commits,
    long commitsAfterHeal,
    long submitted,
    long accepted,
    long executed,
    long expired,
    long refused,
    long overloaded,
    long unanswered,
    int restarts,
    long peerFrames,
    String runDigest) {
  public boolean ok() {
    return violation == null;
  }
}
