package dev.agentledger.node.ingress;

import dev.agentledger.sig.Ed25519;

/**
 * The interim verifier: one {@link Ed25519#verify} per item (ZIP-215 rules), on the caller's
 * thread.
 */
public final class SingleEd25519Verifier implements BatchSignatureVerifier {
  @Override
  public void verify(RunSignatureBatch batch) {
    int m = batch.messageLength();
    for (int i = 0; i < batch.count(); i++) {
      batch.setValid(
          i,
          Ed25519.verify(
              batch.keys,
              i * RunSignatureBatch.KEY,
              batch.signatures,
              i * 64,
              batch.messages,
              i * m,
              m));
    }
  }
}
