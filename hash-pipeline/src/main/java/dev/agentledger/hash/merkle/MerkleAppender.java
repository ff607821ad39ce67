package dev.agentledger.hash.merkle;

import dev.agentledger.hash.Sha256;
import java.util.ArrayList;
import java.util.List;

/**
 * Extends an RFC 6962 tree by batches without rehashing what came before: it keeps the compact
 * range {@code [0, size)}, one perfect-subtree root per set bit of {@code size}, largest first (the
 * "frontier"). A batch is cut into aligned power-of-two chunks whose subtree roots are hashed level
 * by level through a {@link LevelHasher} (so large batches use the multi-buffer engine), then
 * merged into the frontier. The tree head folds the frontier from the right, which is exactly the
 * RFC's split at the largest power of two.
 *
 * <p>Not thread-safe: one appender per writer.
 */
public final class MerkleAppender {
  private static final int H = TreeHash.HASH_BYTES;

  private final LevelHasher hasher;
  private final List<byte[]> nodes = new ArrayList<>();
  private final List<Integer> heights = new ArrayList<>();
  private long size;
  private byte[] scratch = new byte[0];
  private byte[] scratch2 = new byte[0];

  /** An appender for the empty tree, hashing with the default engine. */
  public MerkleAppender() {
    this(LevelHashers.defaultHasher());
  }

  public MerkleAppender(LevelHasher hasher) {
    this.hasher = hasher;
  }

  /**
   * Resumes from a stored frontier: the subtree roots for the set bits of {@code size}, largest
   * first (as {@link #frontier()} returns them).
   */
  public static MerkleAppender resume(long size, List<byte[]> frontier, LevelHasher hasher) {
    if (size < 0 || Long.bitCount(size) != frontier.size()) {
      throw new IllegalArgumentException(
          "a frontier of size " + size + " has " + Long.bitCount(size) + " nodes");
    }
    MerkleAppender appender = new MerkleAppender(hasher);
    int i = 0;
    for (int bit = 63; bit >= 0; bit--) {
      if ((size >>> bit & 1) == 1) {
        byte[] node = frontier.get(i++);
        TreeHash.checkHash(node, "frontier node");
        appender.nodes.add(node.clone());
        appender.heights.add(bit);
      }
    }
    appender.size = size;
    return appender;
  }

  /** Leaves appended so far. */
  public long size() {
    return size;
  }

  /**
   * The compact range: subtree roots for the set bits of {@link #size()}, largest first (copies).
   */
  public List<byte[]> frontier() {
    List<byte[]> copy = new ArrayList<>(nodes.size());
    nodes.forEach(node -> copy.add(node.clone()));
    return copy;
  }

  /** Appends one leaf given by its data. */
  public void append(byte[] leaf) {
    push(TreeHash.leafHash(leaf), 0);
    size++;
  }

  /** Appends one leaf hash. */
  public void appendLeafHash(byte[] leafHash) {
    TreeHash.checkHash(leafHash, "leaf hash");
    push(leafHash.clone(), 0);
    size++;
  }

  /** Appends {@code count} leaf hashes packed 32 bytes each from {@code offset}. */
  public void appendLeafHashes(byte[] packed, int offset, int count) {
    if (offset < 0 || count < 0 || offset + (long) count * H > packed.length) {
      throw new IndexOutOfBoundsException("packed leaf hashes out of range");
    }
    int done = 0;
    while (done < count) {
      int remaining = count - done;
      // Largest power of two that fits the rest of the batch and keeps the chunk aligned.
      int k = 31 - Integer.numberOfLeadingZeros(remaining);
      if (size != 0) {
        k = Math.min(k, Long.numberOfTrailingZeros(size));
      }
      int chunk = 1 << k;
      push(subtreeRoot(packed, offset + done * H, chunk), k);
      size += chunk;
      done += chunk;
    }
  }

  /** The tree head of the leaves appended so far. */
  public byte[] root() {
    if (nodes.isEmpty()) {
      return TreeHash.emptyRoot();
    }
    Sha256 sha = Sha256.perThread();
    byte[] r = nodes.get(nodes.size() - 1).clone();
    for (int i = nodes.size() - 2; i >= 0; i--) {
      TreeHash.nodeHash(sha, nodes.get(i), 0, r, 0, r, 0);
    }
    return r;
  }

  private void push(byte[] node, int height) {
    Sha256 sha = Sha256.perThread();
    byte[] current = node;
    int h = height;
    while (!heights.isEmpty() && heights.get(heights.size() - 1) == h) {
      byte[] left = nodes.remove(nodes.size() - 1);
      heights.remove(heights.size() - 1);
      byte[] parent = new byte[H];
      TreeHash.nodeHash(sha, left, 0, current, 0, parent, 0);
      current = parent;
      h++;
    }
    nodes.add(current);
    heights.add(h);
  }

  /** Root of the perfect tree over {@code count} (a power of two) packed leaf hashes. */
  private byte[] subtreeRoot(byte[] packed, int offset, int count) {
    if (count == 1) {
      byte[] leaf = new byte[H];
      System.arraycopy(packed, offset, leaf, 0, H);
      return leaf;
    }
    if (scratch.length < count / 2 * H) {
      scratch = new byte[count / 2 * H];
      scratch2 = new byte[Math.max(H, count / 4 * H)];
    }
    byte[] from = scratch;
    byte[] to = scratch2;
    hasher.hashPairs(packed, offset, count / 2, from, 0);
    for (int n = count / 2; n > 1; n /= 2) {
      hasher.hashPairs(from, 0, n / 2, to, 0);
      byte[] swap = from;
      from = to;
      to = swap;
    }
    byte[] root = new byte[H];
    System.arraycopy(from, 0, root, 0, H);
    return root;
  }
}
