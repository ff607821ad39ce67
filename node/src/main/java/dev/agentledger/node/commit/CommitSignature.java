package dev.agentledger.node.commit;

import dev.agentledger.sig.Ed25519;
import dev.agentledger.sig.Ed25519KeyPair;
import java.nio.charset.StandardCharsets;

/**
 * One validator's Ed25519 signature of a commit: over {@code "agentledger/commit/v1" ||
 * commit_hash}, so a commit signature can never be replayed as a signature of anything else.
 */
public record CommitSignature(byte[] validator, byte[] signature) {
  public static final byte[] DOMAIN = "agentledger/commit/v1".getBytes(StandardCharsets.US_ASCII);

  public CommitSignature {
    if (validator.length != 32 || signature.length != 64) {
      throw new IllegalArgumentException("validator key is 32 bytes, signature 64");
    }
    validator = validator.clone();
    signature = signature.clone();
  }

  public static byte[] message(byte[] commitHash) {
    byte[] message = new byte[DOMAIN.length + 32];
    System.arraycopy(DOMAIN, 0, message, 0, DOMAIN.length);
    System.arraycopy(commitHash, 0, message, DOMAIN.length, 32);
    return message;
  }

  public static CommitSignature sign(Ed25519KeyPair validator, byte[] commitHash) {
    return new CommitSignature(validator.publicKey(), validator.sign(message(commitHash)));
  }

  public boolean verify(byte[] commitHash) {
    return Ed25519.verify(validator, signature, message(commitHash));
  }
}
