package dev.agentledger.node.consensus.core;

/**
 * Verifies a signature by committee member {@code signer}. Implementations: Ed25519 over the
 * committee's keys (production), and a fake scheme for the simulator. Must be thread-safe: the
 * parallel verifier calls it from many threads.
 */
public interface SignatureVerifier {
  boolean verify(int signer, byte[] message, byte[] signature);
}
