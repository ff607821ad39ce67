package dev.agentledger.node.execution.state;

import dev.agentledger.hash.Sha256;
import dev.agentledger.node.execution.core.StateStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A 256-bit sparse Merkle tree over the state, persistent (every update copies its path, old roots
 * stay readable), so each commit's tree can be kept as a {@link Snapshot} and proofs served against
 * any certified root.
 *
 * <p>Hashing (domain-separated, SHA-256): leaf {@code H(0x00 || key || H(value))}, internal node
 * {@code H(0x01 || left || right)}, empty subtree 32 zero bytes. A subtree holding a single leaf is
 * that leaf (the path is cut short where the key becomes unique), so a tree of n keys is about
 * log2(n) deep rather than 256: the compact layout of the Diem/Aptos Jellyfish Merkle tree and of
 * Dahlberg, Pulls, Peeters, "Efficient Sparse Merkle Trees" (2016). Keys are read most significant
 * bit first.
 *
 * <p>Until hash-pipeline's sparse Merkle tree (with its node store) lands, this is the
 * implementation behind {@link StateStore}; the proof format ({@link SparseMerkleProof}) is what
 * the offline verifier checks.
 */
public final class SparseMerkleState implements StateStore {
  /** The hash of an empty subtree (and the root of an empty tree). */
  static final byte[] EMPTY = new byte[32];

  private sealed interface Node permits Leaf, Internal {
    byte[] hash();
  }

  private record Leaf(byte[] key, byte[] value, byte[] valueHash, byte[] hash) implements Node {}

  private record Internal(Node left, Node right, byte[] hash) implements Node {}

  /** A read-only view of the tree at one moment. */
  public static final class Snapshot implements ProvableState {
    private final Node root;

    private Snapshot(Node root) {
      this.root = root;
    }

    @Override
    public byte[] root() {
      return root == null ? EMPTY.clone() : root.hash().clone();
    }

    @Override
    public byte[] get(byte[] key) {
      return lookup(root, key);
    }

    @Override
    public SparseMerkleProof prove(byte[] key) {
      return SparseMerkleState.prove(root, key);
    }
  }

  private Node root;

  @Override
  public byte[] get(byte[] key) {
    return lookup(root, key);
  }

  @Override
  public void put(byte[] key, byte[] value) {
    if (key.length != 32) {
      throw new IllegalArgumentException("state keys are 32 bytes");
    }
    root = value == null ? delete(root, 0, key) : insert(root, 0, key.clone(), value.clone());
  }

  @Override
  public byte[] root() {
    return root == null ? EMPTY.clone() : root.hash().clone();
  }

  /** The tree as it is now; later writes do not change it. */
  public Snapshot snapshot() {
    return new Snapshot(root);
  }

  public SparseMerkleProof prove(byte[] key) {
    return prove(root, key);
  }

  // ---- hashing -----------------------------------------------------------------------------

  static byte[] leafHash(byte[] key, byte[] valueHash) {
    byte[] out = new byte[32];
    Sha256 h = Sha256.perThread();
    h.reset().update((byte) 0).update(key, 0, 32).update(valueHash, 0, 32).digest(out, 0);
    return out;
  }

  static byte[] nodeHash(byte[] left, byte[] right) {
    byte[] out = new byte[32];
    Sha256 h = Sha256.perThread();
    h.reset().update((byte) 1).update(left, 0, 32).update(right, 0, 32).digest(out, 0);
    return out;
  }

  static boolean bit(byte[] key, int index) {
    return (key[index >>> 3] & (0x80 >>> (index & 7))) != 0;
  }

  private static byte[] hashOf(Node node) {
    return node == null ? EMPTY : node.hash();
  }

  private static Internal internal(Node left, Node right) {
    return new Internal(left, right, nodeHash(hashOf(left), hashOf(right)));
  }

  private static Leaf leaf(byte[] key, byte[] value) {
    byte[] valueHash = Sha256.digest(value);
    return new Leaf(key, value, valueHash, leafHash(key, valueHash));
  }

  // ---- tree operations ---------------------------------------------------------------------

  private static byte[] lookup(Node node, byte[] key) {
    int depth = 0;
    while (node instanceof Internal internal) {
      node = bit(key, depth++) ? internal.right() : internal.left();
    }
    if (node instanceof Leaf leaf && Arrays.equals(leaf.key(), key)) {
      return leaf.value().clone();
    }
    return null;
  }

  private static Node insert(Node node, int depth, byte[] key, byte[] value) {
    if (node == null) {
      return leaf(key, value);
    }
    if (node instanceof Internal internal) {
      return bit(key, depth)
          ? internal(internal.left(), insert(internal.right(), depth + 1, key, value))
          : internal(insert(internal.left(), depth + 1, key, value), internal.right());
    }
    Leaf existing = (Leaf) node;
    if (Arrays.equals(existing.key(), key)) {
      return leaf(key, value);
    }
    return split(existing, leaf(key, value), depth);
  }

  /** Two leaves that share the path down to {@code depth}: internal nodes until they diverge. */
  private static Node split(Leaf a, Leaf b, int depth) {
    boolean bitA = bit(a.key(), depth);
    boolean bitB = bit(b.key(), depth);
    if (bitA == bitB) {
      Node below = split(a, b, depth + 1);
      return bitA ? internal(null, below) : internal(below, null);
    }
    return bitA ? internal(b, a) : internal(a, b);
  }

  private static Node delete(Node node, int depth, byte[] key) {
    if (node == null) {
      return null;
    }
    if (node instanceof Leaf leaf) {
      return Arrays.equals(leaf.key(), key) ? null : leaf;
    }
    Internal internal = (Internal) node;
    Node left = internal.left();
    Node right = internal.right();
    if (bit(key, depth)) {
      right = delete(right, depth + 1, key);
      if (right == internal.right()) {
        return internal;
      }
    } else {
      left = delete(left, depth + 1, key);
      if (left == internal.left()) {
        return internal;
      }
    }
    // Collapse: a subtree left with a single leaf becomes that leaf.
    if (left == null && (right == null || right instanceof Leaf)) {
      return right;
    }
    if (right == null && left instanceof Leaf) {
      return left;
    }
    return internal(left, right);
  }

  private static SparseMerkleProof prove(Node node, byte[] key) {
    if (key.length != 32) {
      throw new IllegalArgumentException("state keys are 32 bytes");
    }
    List<byte[]> siblings = new ArrayList<>();
    int depth = 0;
    while (node instanceof Internal internal) {
      if (bit(key, depth++)) {
        siblings.add(hashOf(internal.left()).clone());
        node = internal.right();
      } else {
        siblings.add(hashOf(internal.right()).clone());
        node = internal.left();
      }
    }
    if (node instanceof Leaf leaf) {
      return new SparseMerkleProof(
          key.clone(), leaf.key().clone(), leaf.valueHash().clone(), siblings);
    }
    return new SparseMerkleProof(key.clone(), null, null, siblings);
  }
}
