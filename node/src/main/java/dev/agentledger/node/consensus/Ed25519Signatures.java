package dev.agentledger.node.consensus;

import dev.agentledger.node.consensus.core.Committee;
import dev.agentledger.node.consensus.core.SignatureVerifier;
import dev.agentledger.node.consensus.core.Signer;
import dev.agentledger.sig.Ed25519;

/** Ed25519 (RFC 8032, ZIP-215 verification) behind the consensus signature interfaces. */
public final class Ed25519Signatures {
  private Ed25519Signatures() {}

  /** Signs with the 32-byte {@code seed}; the public key is derived once. */
  public static Signer signer(byte[] seed) {
    byte[] secret = seed.clone();
    byte[] publicKey = Ed25519.publicKey(secret);
    return message -> Ed25519.sign(secret, publicKey, message, 0, message.length);
  }

  /** Verifies against the committee's public keys. */
  public static SignatureVerifier verifier(Committee committee) {
    return (signer, message, signature) ->
        committee.isMember(signer)
            && signature.length == Ed25519.SIGNATURE_BYTES
            && Ed25519.verify(committee.publicKey(signer), signature, message);
  }
}
