package dev.agentledger.accel;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Array-in, array-out calls for tools and cross-check tests (not for hot paths, which keep reusable
 * direct buffers): {@code tool merkle-root --backend B} and {@code tool ed25519-verify --batch
 * --backend B} are one call each.
 */
public final class Backends {
  private Backends() {}

  /** ZIP-215 verdicts of the triples, in order, computed by the backend in one batch. */
  public static boolean[] verifyEd25519(
      Backend backend, byte[][] publicKeys, byte[][] signatures, byte[][] messages) {
    boolean[] out = new boolean[publicKeys.length];
    if (publicKeys.length == 0) {
      return out;
    }
    Ed25519Batch batch = Ed25519Batch.of(publicKeys, signatures, messages);
    ByteBuffer verdicts = ByteBuffer.allocateDirect(publicKeys.length);
    backend.ed25519VerifyBatch(batch, verdicts).join();
    for (int i = 0; i < out.length; i++) {
      out[i] = verdicts.get(i) == 1;
    }
    return out;
  }

  /**
   * The RFC 6962 tree head of the leaves (raw leaf data): leaf hashes SHA-256(0x00 || leaf) on the
   * host, the tree on the backend. The empty tree's head is SHA-256 of the empty string.
   */
  public static byte[] merkleRootOfLeaves(Backend backend, List<byte[]> leaves) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      if (leaves.isEmpty()) {
        return md.digest();
      }
      ByteBuffer hashes = ByteBuffer.allocateDirect(32 * leaves.size());
      for (int i = 0; i < leaves.size(); i++) {
        md.update((byte) 0);
        md.update(leaves.get(i));
        hashes.put(32 * i, md.digest());
      }
      ByteBuffer root = ByteBuffer.allocateDirect(32);
      backend.merkleRoot(hashes, leaves.size(), root).join();
      byte[] out = new byte[32];
      root.get(0, out);
      return out;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK always provides SHA-256", e);
    }
  }
}
