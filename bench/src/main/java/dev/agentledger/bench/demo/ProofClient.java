package dev.agentledger.bench.demo;

/**
 * Fetches a committed run with its inclusion proof from the cluster's query API and verifies the
 * proof offline against a commit certificate (branch execution provides the implementation through
 * {@link java.util.ServiceLoader}, {@code META-INF/services/dev.agentledger.bench.demo.ProofClient$Factory}).
 */
public interface ProofClient extends AutoCloseable {
  /**
   * Outcome of one proof check.
   *
   * @param fetched the node returned the run and a proof
   * @param verified the proof verified against a commit certificate signed by a quorum
   * @param detail why not, when not
   */
  record Check(boolean fetched, boolean verified, String detail) {}

  /** Fetches and verifies the proof of the transaction with id {@code transactionId} (32 bytes). */
  Check fetchAndVerify(byte[] transactionId) throws Exception;

  @Override
  void close() throws Exception;

  /** Makes a proof client for a running cluster described by its data directory. */
  interface Factory {
    ProofClient connect(java.nio.file.Path clusterDir) throws Exception;
  }
}
