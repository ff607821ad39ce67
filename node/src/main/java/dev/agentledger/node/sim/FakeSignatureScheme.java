package dev.agentledger.node.sim;

import dev.agentledger.node.consensus.core.SignatureVerifier;
import dev.agentledger.node.consensus.core.Signer;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A FAKE signature scheme for the simulator only: a keyed 64-bit hash of the message under a
 * per-validator secret, padded to 64 bytes. It is not a signature (the verifier knows every
 * secret), but within the simulation no code path signs for another validator, so a Byzantine
 * validator can still only produce valid tags for itself, and tampering or a wrong signer is
 * caught. {@code SimulatorEd25519Test} runs the same simulations with real Ed25519.
 */
public final class FakeSignatureScheme implements SignatureVerifier {
  private final long[] secrets;

  public FakeSignatureScheme(int validators, long seed) {
    SplittableRandom random = new SplittableRandom(seed ^ 0x5EED5EEDL);
    secrets = new long[validators];
    for (int i = 0; i < validators; i++) {
      secrets[i] = random.nextLong();
    }
  }

  /** The signer of validator {@code index}. */
  public Signer signer(int index) {
    return message -> tag(index, message);
  }

  @Override
  public boolean verify(int signer, byte[] message, byte[] signature) {
    return signer >= 0 && signer < secrets.length && Arrays.equals(tag(signer, message), signature);
  }

  private byte[] tag(int index, byte[] message) {
    long h = secrets[index];
    for (byte b : message) {
      h = (h ^ (b & 0xFF)) * 0x100000001B3L;
      h ^= h >>> 29;
    }
    h ^= h >>> 31;
    byte[] out = new byte[64];
    for (int i = 0; i < 8; i++) {
      out[i] = (byte) (h >>> (8 * i));
    }
    out[8] = (byte) index;
    return out;
  }
}
