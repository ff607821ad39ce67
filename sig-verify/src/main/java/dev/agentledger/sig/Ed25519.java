package dev.agentledger.sig;

import java.security.SecureRandom;
import java.util.Objects;

/**
 * Ed25519 signing and verification on byte arrays: the API the rest of the project uses.
 *
 * <p>Signatures are RFC 8032 (PureEdDSA, no context). Verification follows the ZIP-215 rules
 * documented in {@code package-info.java}; the backing implementation is {@link Ed25519Engine}. All
 * methods are thread-safe and allocate nothing beyond what their signature implies.
 */
public final class Ed25519 {
  /** Bytes of an encoded public key (a compressed Edwards point). */
  public static final int PUBLIC_KEY_BYTES = 32;

  /** Bytes of a secret seed (RFC 8032 calls it the private key). */
  public static final int SEED_BYTES = 32;

  /** Bytes of a signature: R (32) followed by S (32). */
  public static final int SIGNATURE_BYTES = 64;

  private Ed25519() {}

  /** Derives the public key of {@code seed}. */
  public static byte[] publicKey(byte[] seed) {
    checkLength("seed", seed, SEED_BYTES);
    byte[] publicKey = new byte[PUBLIC_KEY_BYTES];
    Ed25519Engine.publicKey(seed, 0, publicKey, 0);
    return publicKey;
  }

  /** Signs {@code message} with {@code seed}; derives the public key on every call. */
  public static byte[] sign(byte[] seed, byte[] message) {
    return sign(seed, publicKey(seed), message, 0, message.length);
  }

  /** Signs {@code message[offset, offset + length)} with a seed and its public key. */
  public static byte[] sign(byte[] seed, byte[] publicKey, byte[] message, int offset, int length) {
    byte[] signature = new byte[SIGNATURE_BYTES];
    sign(seed, publicKey, message, offset, length, signature, 0);
    return signature;
  }

  /** Signs into {@code signature[signatureOffset, +64)}; the hot-path form. */
  public static void sign(
      byte[] seed,
      byte[] publicKey,
      byte[] message,
      int offset,
      int length,
      byte[] signature,
      int signatureOffset) {
    checkLength("seed", seed, SEED_BYTES);
    checkLength("public key", publicKey, PUBLIC_KEY_BYTES);
    Objects.checkFromIndexSize(offset, length, message.length);
    Objects.checkFromIndexSize(signatureOffset, SIGNATURE_BYTES, signature.length);
    Ed25519Engine.sign(seed, 0, publicKey, 0, message, offset, length, signature, signatureOffset);
  }

  /** Verifies {@code signature} of {@code message} under {@code publicKey} (ZIP-215 rules). */
  public static boolean verify(byte[] publicKey, byte[] signature, byte[] message) {
    return verify(publicKey, 0, signature, 0, message, 0, message.length);
  }

  /** Verifies with explicit offsets; lengths of key and signature are fixed. */
  public static boolean verify(
      byte[] publicKey,
      int publicKeyOffset,
      byte[] signature,
      int signatureOffset,
      byte[] message,
      int messageOffset,
      int messageLength) {
    Objects.checkFromIndexSize(publicKeyOffset, PUBLIC_KEY_BYTES, publicKey.length);
    Objects.checkFromIndexSize(signatureOffset, SIGNATURE_BYTES, signature.length);
    Objects.checkFromIndexSize(messageOffset, messageLength, message.length);
    return Ed25519Engine.verify(
        publicKey,
        publicKeyOffset,
        signature,
        signatureOffset,
        message,
        messageOffset,
        messageLength);
  }

  /** A fresh key pair from {@code random} (use a {@link SecureRandom} for real keys). */
  public static Ed25519KeyPair generate(SecureRandom random) {
    byte[] seed = new byte[SEED_BYTES];
    random.nextBytes(seed);
    return Ed25519KeyPair.fromSeed(seed);
  }

  static void checkLength(String what, byte[] bytes, int expected) {
    Objects.requireNonNull(bytes, what);
    if (bytes.length != expected) {
      throw new IllegalArgumentException(
          what + " must be " + expected + " bytes, got " + bytes.length);
    }
  }
}
