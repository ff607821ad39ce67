package dev.agentledger.hash.smt;

import dev.agentledger.hash.Sha256;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveTask;

/**
 * The state tree: a sparse Merkle tree over 256-bit keys, path = the key's bits from the most
 * significant, with versioned, content-addressed nodes in a {@link NodeStore}. See the package
 * documentation for the hashing scheme. Each {@link #update} of a sorted batch creates the next
 * version; older versions stay readable (nodes are shared, never rewritten).
 *
 * <p>Thread-safety: reads of committed versions may run concurrently; updates are serialized by the
 * caller (one writer, the execution stage). A batch is split across the common fork-join pool at
 * the top of the tree when it is large enough to pay for it.
 */
public final class SparseMerkleTree {
  public static final int KEY_BYTES = 32;
  public static final int DEPTH = 256;

  /**
   * The hash of an empty subtree, at every height: 32 zero bytes (no SHA-256 output, in practice).
   */
  static final byte[] EMPTY = new byte[32];

  private static final byte LEAF = 0x00;
  private static final byte INTERNAL = 0x01;

  /** Updates per subtree below which the recursion stays on the calling thread. */
  private static final int PARALLEL_UPDATES = 1024;

  private final NodeStore store;

  public SparseMerkleTree(NodeStore store) {
    this.store = store;
  }

  /** The hash of the empty tree. */
  public static byte[] emptyRoot() {
    return EMPTY.clone();
  }

  /** The root of {@code version} ({@code -1}: the empty tree before any update). */
  public byte[] root(long version) {
    if (version == -1) {
      return EMPTY.clone();
    }
    byte[] root = store.root(version);
    if (root == null) {
      throw new IllegalArgumentException("no version " + version);
    }
    return root;
  }

  /** The newest version, or -1 when the tree was never updated. */
  public long latestVersion() {
    return store.latestVersion();
  }

  // ---------------------------------------------------------------------------------------------
  // Hashing (see package-info for the scheme).

  static byte[] leafHash(Sha256 sha, byte[] key, byte[] valueHash) {
    byte[] out = new byte[32];
    sha.reset().update(LEAF).update(key, 0, 32).update(valueHash, 0, 32).digest(out, 0);
    return out;
  }

  static byte[] internalHash(Sha256 sha, byte[] left, byte[] right) {
    byte[] out = new byte[32];
    sha.reset().update(INTERNAL).update(left, 0, 32).update(right, 0, 32).digest(out, 0);
    return out;
  }

  /** The value hash a leaf commits to: {@code SHA-256(value)}. */
  public static byte[] valueHash(byte[] value) {
    return Sha256.digest(value);
  }

  static int bit(byte[] key, int depth) {
    return (key[depth >>> 3] >>> (7 - (depth & 7))) & 1;
  }

  // ---------------------------------------------------------------------------------------------
  // Reads.

  /** The value hash stored for {@code key} at {@code version}, if any. */
  public Optional<byte[]> get(long version, byte[] key) {
    SmtProof proof = prove(version, key);
    return Optional.ofNullable(proof.memberValueHash(key));
  }

  /** A membership or non-membership proof of {@code key} at {@code version}. */
  public SmtProof prove(long version, byte[] key) {
    checkKey(key);
    byte[] current = root(version);
    List<byte[]> siblings = new ArrayList<>();
    for (int depth = 0; ; depth++) {
      if (Arrays.equals(current, EMPTY)) {
        return new SmtProof(siblings, null, null);
      }
      byte[] node = load(current);
      if (node[0] == LEAF) {
        return new SmtProof(
            siblings, Arrays.copyOfRange(node, 1, 33), Arrays.copyOfRange(node, 33, 65));
      }
      byte[] left = Arrays.copyOfRange(node, 1, 33);
      byte[] right = Arrays.copyOfRange(node, 33, 65);
      if (bit(key, depth) == 0) {
        siblings.add(right);
        current = left;
      } else {
        siblings.add(left);
        current = right;
      }
    }
  }

  private byte[] load(byte[] hash) {
    byte[] node = store.node(hash);
    if (node == null || node.length != 65) {
      throw new IllegalStateException(
          "node store lacks node " + java.util.HexFormat.of().formatHex(hash));
    }
    return node;
  }

  // ---------------------------------------------------------------------------------------------
  // Updates.

  /**
   * Applies a batch to the newest version and commits the result as the next version. {@code keys}
   * must be strictly increasing (unsigned, big-endian); {@code values[i]} null deletes the key.
   * Returns the new root.
   */
  public byte[] update(byte[][] keys, byte[][] values) {
    if (keys.length != values.length) {
      throw new IllegalArgumentException("keys and values differ in number");
    }
    byte[][] valueHashes = new byte[keys.length][];
    for (int i = 0; i < keys.length; i++) {
      checkKey(keys[i]);
      if (i > 0 && Arrays.compareUnsigned(keys[i - 1], keys[i]) >= 0) {
        throw new IllegalArgumentException("keys must be strictly increasing (index " + i + ")");
      }
      valueHashes[i] = values[i] == null ? null : valueHash(values[i]);
    }
    return updateHashes(keys, valueHashes);
  }

  /** Convenience: sorts a map's entries and applies them as one batch (null value: delete). */
  public byte[] update(Map<byte[], byte[]> changes) {
    List<Map.Entry<byte[], byte[]>> entries = new ArrayList<>(changes.entrySet());
    entries.sort((a, b) -> Arrays.compareUnsigned(a.getKey(), b.getKey()));
    byte[][] keys = new byte[entries.size()][];
    byte[][] values = new byte[entries.size()][];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = entries.get(i).getKey();
      values[i] = entries.get(i).getValue();
    }
    return update(keys, values);
  }

  /** As {@link #update(byte[][], byte[][])} with value hashes given directly (null: delete). */
  public byte[] updateHashes(byte[][] keys, byte[][] valueHashes) {
    long version = store.latestVersion();
    byte[] oldRoot = root(version);
    Batch batch = new Batch(keys, valueHashes);
    Sub result =
        keys.length >= PARALLEL_UPDATES && ForkJoinPool.getCommonPoolParallelism() > 1
            ? ForkJoinPool.commonPool()
                .invoke(new UpdateTask(this, oldRoot, false, 0, 0, keys.length, batch))
            : apply(oldRoot, false, 0, 0, keys.length, batch, Sha256.perThread());
    store.commit(version + 1, result.hash, result.keys, result.values);
    return result.hash.clone();
  }

  /** The sorted batch: keys and value hashes (null = delete). */
  private record Batch(byte[][] keys, byte[][] valueHashes) {}

  /** A subtree result: its hash, whether it is a single leaf, and the nodes it created. */
  private static final class Sub {
    final byte[] hash;
    final boolean leaf;
    final List<byte[]> keys;
    final List<byte[]> values;

    Sub(byte[] hash, boolean leaf, List<byte[]> keys, List<byte[]> values) {
      this.hash = hash;
      this.leaf = leaf;
      this.keys = keys;
      this.values = values;
    }

    static Sub empty() {
      return new Sub(EMPTY, false, new ArrayList<>(), new ArrayList<>());
    }
  }

  private static final class UpdateTask extends RecursiveTask<Sub> {
    private final SparseMerkleTree tree;
    private final byte[] node;
    private final boolean nodeIsKnownLeaf;
    private final int depth;
    private final int from;
    private final int to;
    private final Batch batch;

    UpdateTask(
        SparseMerkleTree tree,
        byte[] node,
        boolean leaf,
        int depth,
        int from,
        int to,
        Batch batch) {
      this.tree = tree;
      this.node = node;
      this.nodeIsKnownLeaf = leaf;
      this.depth = depth;
      this.from = from;
      this.to = to;
      this.batch = batch;
    }

    @Override
    protected Sub compute() {
      return tree.apply(node, nodeIsKnownLeaf, depth, from, to, batch, Sha256.perThread());
    }
  }

  /**
   * Applies updates {@code [from, to)} (all under this subtree's path) to the subtree at {@code
   * depth} whose hash is {@code node}; returns the new subtree.
   */
  private Sub apply(
      byte[] node, boolean knownLeaf, int depth, int from, int to, Batch batch, Sha256 sha) {
    if (from == to) {
      return new Sub(node, knownLeaf, new ArrayList<>(), new ArrayList<>());
    }
    if (Arrays.equals(node, EMPTY)) {
      return build(depth, from, to, batch, null, null, sha);
    }
    byte[] encoded = load(node);
    if (encoded[0] == LEAF) {
      byte[] existingKey = Arrays.copyOfRange(encoded, 1, 33);
      byte[] existingValue = Arrays.copyOfRange(encoded, 33, 65);
      return build(depth, from, to, batch, existingKey, existingValue, sha);
    }
    byte[] left = Arrays.copyOfRange(encoded, 1, 33);
    byte[] right = Arrays.copyOfRange(encoded, 33, 65);
    int split = split(batch.keys, from, to, depth);
    Sub l;
    Sub r;
    if (to - from >= PARALLEL_UPDATES
        && split > from
        && split < to
        && ForkJoinPool.getCommonPoolParallelism() > 1) {
      UpdateTask rightTask = new UpdateTask(this, right, false, depth + 1, split, to, batch);
      rightTask.fork();
      l = apply(left, false, depth + 1, from, split, batch, Sha256.perThread());
      r = rightTask.join();
    } else {
      l = apply(left, false, depth + 1, from, split, batch, sha);
      r = apply(right, false, depth + 1, split, to, batch, sha);
    }
    return combine(l, r, sha);
  }

  /**
   * Builds the subtree at {@code depth} holding the updates {@code [from, to)} plus, unless one of
   * them overrides it, the one existing leaf ({@code existingKey}, may be null).
   */
  private Sub build(
      int depth,
      int from,
      int to,
      Batch batch,
      byte[] existingKey,
      byte[] existingValue,
      Sha256 sha) {
    int puts = 0;
    int lastPut = -1;
    boolean existingOverridden = false;
    for (int i = from; i < to; i++) {
      if (batch.valueHashes[i] != null) {
        puts++;
        lastPut = i;
      }
      if (existingKey != null && Arrays.equals(batch.keys[i], existingKey)) {
        existingOverridden = true;
      }
    }
    boolean keepExisting = existingKey != null && !existingOverridden;
    int total = puts + (keepExisting ? 1 : 0);
    if (total == 0) {
      return Sub.empty();
    }
    if (total == 1) {
      return keepExisting
          ? leaf(existingKey, existingValue, sha)
          : leaf(batch.keys[lastPut], batch.valueHashes[lastPut], sha);
    }
    if (depth == DEPTH) {
      throw new IllegalStateException("two leaves at full depth: duplicate keys");
    }
    int split = split(batch.keys, from, to, depth);
    byte[] leftKey = null;
    byte[] leftValue = null;
    byte[] rightKey = null;
    byte[] rightValue = null;
    if (keepExisting) {
      if (bit(existingKey, depth) == 0) {
        leftKey = existingKey;
        leftValue = existingValue;
      } else {
        rightKey = existingKey;
        rightValue = existingValue;
      }
    }
    Sub l = build(depth + 1, from, split, batch, leftKey, leftValue, sha);
    Sub r = build(depth + 1, split, to, batch, rightKey, rightValue, sha);
    return combine(l, r, sha);
  }

  private static Sub leaf(byte[] key, byte[] valueHash, Sha256 sha) {
    byte[] encoded = new byte[65];
    encoded[0] = LEAF;
    System.arraycopy(key, 0, encoded, 1, 32);
    System.arraycopy(valueHash, 0, encoded, 33, 32);
    byte[] hash = leafHash(sha, key, valueHash);
    List<byte[]> keys = new ArrayList<>();
    List<byte[]> values = new ArrayList<>();
    keys.add(hash);
    values.add(encoded);
    return new Sub(hash, true, keys, values);
  }

  /**
   * Joins two child subtrees: empty + empty is empty, a lone leaf moves up, else a new internal
   * node.
   */
  private Sub combine(Sub l, Sub r, Sha256 sha) {
    boolean leftEmpty = Arrays.equals(l.hash, EMPTY);
    boolean rightEmpty = Arrays.equals(r.hash, EMPTY);
    if (leftEmpty && rightEmpty) {
      return Sub.empty();
    }
    if (leftEmpty && isLeaf(r)) {
      return r;
    }
    if (rightEmpty && isLeaf(l)) {
      return l;
    }
    byte[] hash = internalHash(sha, l.hash, r.hash);
    byte[] encoded = new byte[65];
    encoded[0] = INTERNAL;
    System.arraycopy(l.hash, 0, encoded, 1, 32);
    System.arraycopy(r.hash, 0, encoded, 33, 32);
    List<byte[]> keys = l.keys;
    List<byte[]> values = l.values;
    keys.addAll(r.keys);
    values.addAll(r.values);
    keys.add(hash);
    values.add(encoded);
    return new Sub(hash, false, keys, values);
  }

  /** Whether a subtree is a single leaf (an unchanged subtree is looked up). */
  private boolean isLeaf(Sub sub) {
    if (sub.leaf) {
      return true;
    }
    if (!sub.keys.isEmpty() || Arrays.equals(sub.hash, EMPTY)) {
      return false;
    }
    return load(sub.hash)[0] == LEAF;
  }

  /** First index in {@code [from, to)} whose key has bit {@code depth} set (keys sorted). */
  private static int split(byte[][] keys, int from, int to, int depth) {
    int lo = from;
    int hi = to;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (bit(keys[mid], depth) == 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private static void checkKey(byte[] key) {
    if (key == null || key.length != KEY_BYTES) {
      throw new IllegalArgumentException("keys have " + KEY_BYTES + " bytes");
    }
  }
}
