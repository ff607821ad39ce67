package dev.agentledger.sig.service;

/** Receives the verdict of an item offered to a {@link VerifierService}, on a verifier thread. */
@FunctionalInterface
public interface VerdictListener {
  /**
   * Called once per accepted item, with the caller's tag. Must be quick and must not block: it runs
   * on the verifier thread (hand the result to the next stage's queue).
   */
  void onVerdict(long tag, boolean valid);
}
