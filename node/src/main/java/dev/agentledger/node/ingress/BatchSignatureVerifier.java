package dev.agentledger.node.ingress;

/**
 * Verifies a {@link SignatureBatch} and sets every item's answer. The ingress depends only on this
 * interface, so the sig-verify module's VerifierService (batched, accelerated) replaces the
 * interim {@link SingleEd25519Verifier} in one line of wiring.
 */
@FunctionalInterface
public interface BatchSignatureVerifier {
  void verify(SignatureBatch batch);
}
