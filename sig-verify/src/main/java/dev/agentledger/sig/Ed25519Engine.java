package dev.agentledger.sig;

/**
 * The arithmetic behind {@link Ed25519}. Interim: delegates to BouncyCastle's RFC 8032 code until
 * the project's own field and group arithmetic replaces it (sig-verify issue); callers never see
 * the difference because only {@link Ed25519} is public.
 */
final class Ed25519Engine {
  private Ed25519Engine() {}

  static void publicKey(byte[] seed, int seedOffset, byte[] publicKey, int publicKeyOffset) {
    org.bouncycastle.math.ec.rfc8032.Ed25519.generatePublicKey(
        seed, seedOffset, publicKey, publicKeyOffset);
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
    org.bouncycastle.math.ec.rfc8032.Ed25519.sign(
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
    return org.bouncycastle.math.ec.rfc8032.Ed25519.verify(
        signature, signatureOffset, publicKey, publicKeyOffset, message, messageOffset, messageLength);
  }
}
