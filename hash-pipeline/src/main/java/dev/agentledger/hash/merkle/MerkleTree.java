package dev.agentledger.hash.merkle;

import dev.agentledger.hash.Sha256;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * An RFC 6962 / RFC 9162 Merkle tree held level by level: level 0 holds the leaf hashes, level
 * {@code k+1} holds {@code SHA-256(0x01 || L[2i] || L[2i+1])}, and an unpaired last node is carried
 * up unchanged. The carry makes node {@code j} of level {@code k} equal to the RFC's {@code MTH(D[j
 * 2^k : min((j+1) 2^k, n)])}, so the root is the RFC tree head and every node an inclusion or
 * consistency proof needs is a stored node.
 *
 * <p>Levels are hashed pair-wise through a {@link LevelHasher} (the multi-buffer engine by
 * default), in parallel across the common fork-join pool when a level is large.
 */
public final class MerkleTree {
  private static final int H = TreeHash.HASH_BYTES;

  /** Pairs below which a level is hashed on the calling thread. */
  private static final int PARALLEL_PAIRS = 1 << 13;

  private final int size;

  /** levels[k] holds count(k) hashes packed 32 bytes each; empty tree: no levels. */
  private final byte[][] levels;

  private MerkleTree(int size, byte[][] levels) {
    this.size = size;
    this.levels = levels;
  }

  // ---------------------------------------------------------------------------------------------
  // Tree heads without keeping the tree.

  /** The RFC 6962 tree head of {@code leaves} (leaf data, hashed with the 0x00 prefix). */
  public static byte[] root(List<byte[]> leaves) {
    return build(leaves).root();
  }

  /** The RFC 6962 tree head of {@code leaves} (leaf data, hashed with the 0x00 prefix). */
  public static byte[] root(byte[][] leaves) {
    return build(List.of(leaves)).root();
  }

  /** The tree head over leaf hashes already computed ({@code SHA-256(0x00 || d)} each). */
  public static byte[] rootOfLeafHashes(byte[][] leafHashes) {
    return ofLeafHashes(leafHashes).root();
  }

  // ---------------------------------------------------------------------------------------------
  // Building.

  /** Builds the tree over leaf data with the default engine. */
  public static MerkleTree build(List<byte[]> leaves) {
    return build(leaves, LevelHashers.defaultHasher());
  }

  /** Builds the tree over leaf data, hashing interior levels with {@code hasher}. */
  public static MerkleTree build(List<byte[]> leaves, LevelHasher hasher) {
    int n = leaves.size();
    byte[] level0 = new byte[n * H];
    boolean all32 = true;
    for (byte[] leaf : leaves) {
      all32 &= leaf.length == H;
    }
    if (all32 && n > 0) {
      byte[] packed = new byte[n * H];
      for (int i = 0; i < n; i++) {
        System.arraycopy(leaves.get(i), 0, packed, i * H, H);
      }
      hasher.hashLeaves32(packed, 0, n, level0, 0);
    } else {
      Sha256 sha = Sha256.perThread();
      for (int i = 0; i < n; i++) {
        byte[] leaf = leaves.get(i);
        TreeHash.leafHash(sha, leaf, 0, leaf.length, level0, i * H);
      }
    }
    return fromLevel0(n, level0, hasher);
  }

  /** Builds the tree over leaf hashes (each 32 bytes) with the default engine. */
  public static MerkleTree ofLeafHashes(byte[][] leafHashes) {
    byte[] level0 = new byte[leafHashes.length * H];
    for (int i = 0; i < leafHashes.length; i++) {
      TreeHash.checkHash(leafHashes[i], "leaf hash " + i);
      System.arraycopy(leafHashes[i], 0, level0, i * H, H);
    }
    return fromLevel0(leafHashes.length, level0, LevelHashers.defaultHasher());
  }

  /**
   * Builds the tree over {@code count} leaf hashes packed 32 bytes each in {@code packedLeafHashes}
   * (the array is kept as level 0, not copied).
   */
  public static MerkleTree ofPackedLeafHashes(
      byte[] packedLeafHashes, int count, LevelHasher hasher) {
    if (count < 0 || (long) count * H > packedLeafHashes.length) {
      throw new IllegalArgumentException("count " + count + " does not fit the packed array");
    }
    return fromLevel0(count, packedLeafHashes, hasher);
  }

  private static MerkleTree fromLevel0(int n, byte[] level0, LevelHasher hasher) {
    if (n == 0) {
      return new MerkleTree(0, new byte[0][]);
    }
    List<byte[]> levels = new ArrayList<>();
    levels.add(level0);
    int count = n;
    byte[] current = level0;
    while (count > 1) {
      int pairs = count >>> 1;
      int next = (count + 1) >>> 1;
      byte[] parent = new byte[next * H];
      hashLevel(hasher, current, pairs, parent);
      if ((count & 1) == 1) {
        System.arraycopy(current, (count - 1) * H, parent, pairs * H, H);
      }
      levels.add(parent);
      current = parent;
      count = next;
    }
    return new MerkleTree(n, levels.toArray(new byte[0][]));
  }

  private static void hashLevel(LevelHasher hasher, byte[] children, int pairs, byte[] parents) {
    if (pairs < PARALLEL_PAIRS || ForkJoinPool.getCommonPoolParallelism() < 2) {
      hasher.hashPairs(children, 0, pairs, parents, 0);
    } else {
      ForkJoinPool.commonPool().invoke(new LevelTask(hasher, children, parents, 0, pairs));
    }
  }

  /** Splits a level into ranges of at least {@code PARALLEL_PAIRS / 2} pairs. */
  private static final class LevelTask extends RecursiveAction {
    private final LevelHasher hasher;
    private final byte[] children;
    private final byte[] parents;
    private final int from;
    private final int to;

    LevelTask(LevelHasher hasher, byte[] children, byte[] parents, int from, int to) {
      this.hasher = hasher;
      this.children = children;
      this.parents = parents;
      this.from = from;
      this.to = to;
    }

    @Override
    protected void compute() {
      if (to - from <= PARALLEL_PAIRS) {
        hasher.hashPairs(children, 2 * from * H, to - from, parents, from * H);
        return;
      }
      int mid = (from + (to - from) / 2) & ~63;
      invokeAll(
          new LevelTask(hasher, children, parents, from, mid),
          new LevelTask(hasher, children, parents, mid, to));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Reading.

  /** Number of leaves. */
  public int size() {
    return size;
  }

  /** The tree head (SHA-256 of the empty string for the empty tree). */
  public byte[] root() {
    if (size == 0) {
      return TreeHash.emptyRoot();
    }
    return node(levels.length - 1, 0);
  }

  /** The hash of leaf {@code index}. */
  public byte[] leafHash(int index) {
    java.util.Objects.checkIndex(index, size);
    return node(0, index);
  }

  private byte[] node(int level, int index) {
    byte[] out = new byte[H];
    System.arraycopy(levels[level], index * H, out, 0, H);
    return out;
  }

  /** {@code MTH(D[lo:hi])} for a range the RFC recursion produces (aligned, or ending at size). */
  private byte[] rangeHash(int lo, int hi) {
    int width = hi - lo;
    int k = 32 - Integer.numberOfLeadingZeros(width - 1); // ceil(log2(width))
    if ((lo & ((1 << k) - 1)) != 0 || (lo + (1 << k) != hi && hi != size)) {
      throw new IllegalStateException(
          "range [" + lo + ", " + hi + ") is not a node of a tree of " + size);
    }
    return node(k, lo >>> k);
  }

  // ---------------------------------------------------------------------------------------------
  // Proofs.

  /**
   * The RFC 9162 section 2.1.3.1 inclusion proof of leaf {@code index}: siblings, leaf side first.
   */
  public InclusionProof inclusionProof(int index) {
    java.util.Objects.checkIndex(index, size);
    List<byte[]> path = new ArrayList<>();
    int i = index;
    int count = size;
    for (int level = 0; count > 1; level++) {
      int sibling = i ^ 1;
      if (sibling < count) {
        path.add(node(level, sibling));
      }
      i >>>= 1;
      count = (count + 1) >>> 1;
    }
    return new InclusionProof(index, size, path);
  }

  /**
   * The RFC 9162 section 2.1.4.1 consistency proof from the tree of the first {@code oldSize}
   * leaves to this tree.
   */
  public ConsistencyProof consistencyProof(int oldSize) {
    if (oldSize < 0 || oldSize > size) {
      throw new IllegalArgumentException("old size " + oldSize + " outside [0, " + size + "]");
    }
    List<byte[]> path = new ArrayList<>();
    if (oldSize > 0 && oldSize < size) {
      subproof(oldSize, 0, size, true, path);
    }
    return new ConsistencyProof(oldSize, size, path);
  }

  private void subproof(int m, int lo, int hi, boolean complete, List<byte[]> path) {
    int n = hi - lo;
    if (m == n) {
      if (!complete) {
        path.add(rangeHash(lo, hi));
      }
      return;
    }
    int k = Integer.highestOneBit(n - 1); // largest power of two < n
    if (m <= k) {
      subproof(m, lo, lo + k, complete, path);
      path.add(rangeHash(lo + k, hi));
    } else {
      subproof(m - k, lo + k, hi, false, path);
      path.add(rangeHash(lo, lo + k));
    }
  }
}
