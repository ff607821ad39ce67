package dev.agentledger.hash.merkle;

import dev.agentledger.hash.Sha256;

/** {@link LevelHasher} over the JDK intrinsic, one message at a time ({@code project-single}). */
public final class SingleStreamLevelHasher implements LevelHasher {
  /** The shared instance (stateless; each thread uses its own digest). */
  public static final SingleStreamLevelHasher INSTANCE = new SingleStreamLevelHasher();

  private SingleStreamLevelHasher() {}

  @Override
  public void hashPairs(
      byte[] children, int childOffset, int pairCount, byte[] parents, int parentOffset) {
    Sha256 hasher = Sha256.perThread();
    for (int i = 0; i < pairCount; i++) {
      int c = childOffset + 2 * i * TreeHash.HASH_BYTES;
      TreeHash.nodeHash(
          hasher,
          children,
          c,
          children,
          c + TreeHash.HASH_BYTES,
          parents,
          parentOffset + i * TreeHash.HASH_BYTES);
    }
  }

  @Override
  public void hashLeaves32(byte[] data, int dataOffset, int count, byte[] out, int outOffset) {
    Sha256 hasher = Sha256.perThread();
    for (int i = 0; i < count; i++) {
      TreeHash.leafHash(
          hasher,
          data,
          dataOffset + i * TreeHash.HASH_BYTES,
          TreeHash.HASH_BYTES,
          out,
          outOffset + i * TreeHash.HASH_BYTES);
    }
  }

  @Override
  public String name() {
    return "project-single";
  }
}
