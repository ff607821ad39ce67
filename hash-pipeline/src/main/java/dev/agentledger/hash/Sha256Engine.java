package dev.agentledger.hash;

/**
 * A SHA-256 engine for batches of equal-length messages, plus the two fixed-size inputs of RFC 6962
 * trees. Implementations: {@link Sha256Engines#single()} (the JDK intrinsic, one message at a time)
 * and {@link Sha256Engines#simd()} (multi-buffer, one message per vector lane); {@link
 * Sha256Engines#adaptive()} chooses between them by batch size. All are thread-safe and allocate
 * nothing per message.
 */
public interface Sha256Engine {
  /** Report name: {@code project-single}, {@code project-simd}, {@code adaptive}. */
  String name();

  /**
   * SHA-256 of {@code count} messages of {@code messageBytes} bytes, packed back to back from
   * {@code inOffset}; the digests are packed 32 bytes each from {@code outOffset}.
   */
  void digestFixed(byte[] in, int inOffset, int messageBytes, int count, byte[] out, int outOffset);

  /** {@code out[i] = SHA-256(0x01 || children[2i] || children[2i+1])}, 32-byte children packed. */
  void hashNodes(byte[] children, int childOffset, int pairCount, byte[] out, int outOffset);

  /** {@code out[i] = SHA-256(0x00 || data[i])} for 32-byte items packed from {@code dataOffset}. */
  void hashLeaves32(byte[] data, int dataOffset, int count, byte[] out, int outOffset);
}
