package dev.agentledger.sig;

import dev.agentledger.sig.curve25519.Ed25519Context;

/**
 * The arithmetic behind {@link Ed25519}: the project's own Ed25519 ({@link Ed25519Context}), one
 * context per thread so that no call allocates.
 */
final class Ed25519Engine {
  private static final ThreadLocal<Ed25519Context> CONTEXT =
      ThreadLocal.withInitial(Ed25519Context::new);

  private Ed25519Engine() {}

  static Ed25519Context context() {
    return CONTEXT.get();
  }

  static void publicKey(byte[] seed, int seedOffset, byte[] publicKey, int publicKeyOffset) {
    CONTEXT.get().publicKey(seed, seedOffset, publicKey, publicKeyOffset);
  }

  static void sign(
      byte[] seed,
      int seedOffset,
      byte[] publicKey,
      int publicKeyOffset,
      byte[] message,
      int messageOffset,
      int messageLength,
      byte[] signature,
      int signatureOffset) {
    CONTEXT
        .get()
        .sign(
            seed,
            seedOffset,
            publicKey,
            publicKeyOffset,
            message,
            messageOffset,
            messageLength,
            signature,
            signatureOffset);
  }

  static boolean verify(
      byte[] publicKey,
      int publicKeyOffset,
      byte[] signature,
      int signatureOffset,
      byte[] message,
      int messageOffset,
      int messageLength) {
    return CONTEXT
        .get()
        .verify(
            publicKey,
            publicKeyOffset,
            signature,
            signatureOffset,
            message,
            messageOffset,
            messageLength);
  }
}
