package dev.agentledger.bench.demo;

/**
 * Fetches a committed run with its inclusion proof from a cluster's query API and verifies the
 * proof offline against a commit certificate ({@link HttpProofClient} is the implementation).
 */
public interface ProofClient extends AutoCloseable {
  /**
   * Outcome of one proof check.
   *
   * @param fetched a node returned the run and a proof
   * @param verified the proof verified against a commit certificate signed by a quorum, and it is a
   *     proof of exactly the record that was submitted
   * @param detail why not, when not; the verifier's summary when verified
   */
  record Check(boolean fetched, boolean verified, String detail) {}

  /**
   * Fetches and verifies the proof of {@code record} (the signed bytes sent), whose id is {@code
   * transactionId}.
   */
  Check fetchAndVerify(byte[] transactionId, byte[] record) throws Exception;

  @Override
  void close() throws Exception;
}
