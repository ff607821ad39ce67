package dev.agentledger.node.ingress;

/**
 * Verifies a {@link RunSignatureBatch} and sets every item's answer. The ingress depends only on
 * this interface: {@link ServiceBatchVerifier} runs batches on sig-verify's VerifierService
 * (batched, multi-threaded, routed to a backend; used by {@code node run}), {@link
 * SingleEd25519Verifier} verifies inline on the caller's thread (tests, simulator). Switching is
 * one line of wiring.
 */
@FunctionalInterface
public interface BatchSignatureVerifier {
  void verify(RunSignatureBatch batch);
}
