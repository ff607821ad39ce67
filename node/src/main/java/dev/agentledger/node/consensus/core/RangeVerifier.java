package dev.agentledger.node.consensus.core;

/**
 * Verifies items {@code [from, to)} of a {@link MessageSignatures} and records each verdict with
 * {@link MessageSignatures#setResult}. Unlike {@link SignatureVerifier} it sees a whole range, so
 * an implementation can check it as one batch. One instance per thread.
 */
public interface RangeVerifier {
  void verifyRange(MessageSignatures batch, int from, int to);

  /** Item by item with a per-signature verifier. */
  static RangeVerifier of(SignatureVerifier verifier) {
    return (batch, from, to) -> batch.verifyRange(verifier, from, to);
  }
}
