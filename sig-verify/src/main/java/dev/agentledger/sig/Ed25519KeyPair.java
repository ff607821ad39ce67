package dev.agentledger.sig;

import java.util.Arrays;

/**
 * An Ed25519 seed with its public key, derived once. Holds secret material: {@link #toString()}
 * never prints the seed, and {@link #destroy()} zeroes it.
 */
public final class Ed25519KeyPair {
  private final byte[] seed;
  private final byte[] publicKey;

  private Ed25519KeyPair(byte[] seed, byte[] publicKey) {
    this.seed = seed;
    this.publicKey = publicKey;
  }

  /** Derives the key pair of a 32-byte seed (copied). */
  public static Ed25519KeyPair fromSeed(byte[] seed) {
    Ed25519.checkLength("seed", seed, Ed25519.SEED_BYTES);
    byte[] copy = seed.clone();
    return new Ed25519KeyPair(copy, Ed25519.publicKey(copy));
  }

  /** A copy of the secret seed. */
  public byte[] seed() {
    return seed.clone();
  }

  /** A copy of the public key. */
  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** Signs {@code message}. */
  public byte[] sign(byte[] message) {
    return Ed25519.sign(seed, publicKey, message, 0, message.length);
  }

  /**
   * Signs {@code message[offset, offset + length)} into {@code signature[signatureOffset, +64)}.
   */
  public void sign(byte[] message, int offset, int length, byte[] signature, int signatureOffset) {
    Ed25519.sign(seed, publicKey, message, offset, length, signature, signatureOffset);
  }

  /** Zeroes the seed; the pair cannot sign afterwards. */
  public void destroy() {
    Arrays.fill(seed, (byte) 0);
  }

  @Override
  public String toString() {
    return "Ed25519KeyPair[public=" + java.util.HexFormat.of().formatHex(publicKey) + "]";
  }
}
