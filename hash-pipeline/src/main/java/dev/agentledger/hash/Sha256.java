package dev.agentledger.hash;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Single-stream SHA-256 through the JDK's {@link MessageDigest}, which HotSpot intrinsifies with
 * SHA-NI (or AVX2) where the CPU has it. One instance per thread; reusable, no allocation per
 * digest.
 */
public final class Sha256 {
  /** Bytes of a SHA-256 digest. */
  public static final int DIGEST_BYTES = 32;

  private static final ThreadLocal<Sha256> PER_THREAD = ThreadLocal.withInitial(Sha256::new);

  private final MessageDigest digest;

  /** A new, empty hasher. */
  public Sha256() {
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK provides no SHA-256", e);
    }
  }

  /** The calling thread's hasher, reset. */
  public static Sha256 perThread() {
    Sha256 hasher = PER_THREAD.get();
    hasher.reset();
    return hasher;
  }

  /** SHA-256 of {@code data}: a convenience that allocates the result. */
  public static byte[] digest(byte[] data) {
    return perThread().update(data, 0, data.length).digest();
  }

  public Sha256 reset() {
    digest.reset();
    return this;
  }

  public Sha256 update(byte[] data, int offset, int length) {
    digest.update(data, offset, length);
    return this;
  }

  public Sha256 update(byte value) {
    digest.update(value);
    return this;
  }

  public Sha256 update(java.nio.ByteBuffer data) {
    digest.update(data);
    return this;
  }

  /** Finishes into {@code out[offset, offset + 32)} and resets. */
  public void digest(byte[] out, int offset) {
    try {
      digest.digest(out, offset, DIGEST_BYTES);
    } catch (java.security.DigestException e) {
      throw new IllegalArgumentException("no room for a digest at offset " + offset, e);
    }
  }

  /** Finishes into a new array and resets. */
  public byte[] digest() {
    return digest.digest();
  }
}
