package dev.agentledger.hash.smt;

import dev.agentledger.hash.Sha256;
import dev.agentledger.hash.simd.MultiBufferSha256;
import dev.agentledger.hash.simd.WarmSha256;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The state tree held in memory: the same tree, hashing and proofs as {@link SparseMerkleTree}
 * (identical roots for identical content), with nodes in pages of a {@link PageCache} (native
 * frames outside the Java heap, at most the cache's bound resident, the rest paged out to its
 * backing) instead of a content-addressed {@link NodeStore}, updated once per batch, level by
 * level. The nodes and leaves, about 150 bytes per key, are the bulk of a large state; off the heap
 * they cost the collector nothing and are counted apart ({@link #offHeapBytes}). Every page access
 * goes through the cache and uses the page before the next access (which may evict it).
 *
 * <p>An {@link #update} of a sorted batch descends once from the root, one depth at a time: the
 * subtrees the batch touches at depth d (a node and the range of keys under it) are one array
 * segment, and the next depth's segment is appended after it (no recursion and no object per node).
 * Walking a whole depth before the next lets the processor load many independent nodes at once
 * instead of one pointer after another, which is what a tree much larger than the caches costs.
 * Where the descent reaches an empty subtree or a leaf, the new subtree is built there. The walk
 * back up, deepest segment first, copies the touched paths (persistent: older versions keep their
 * nodes) and shares every prefix the batch's keys have in common. Hashing is deferred: the new
 * leaves are hashed together, then the new internal nodes one depth at a time, deepest first, each
 * depth as one call of the multi-buffer engine ({@link MultiBufferSha256#hashPrefixed64}, {@link
 * MultiBufferSha256#LANES} messages per vector, through {@link WarmSha256}: the JDK's SHA-256 while
 * the engine is cold); depths with fewer than {@link #SIMD_MIN} nodes use the single-stream
 * SHA-256. A batch of k keys in a tree of n costs about k (log2 n - log2 k + 2) hashes.
 *
 * <p>Versions and pruning (the stale-node index of the Jellyfish Merkle tree, Gao et al. 2021,
 * section 5): a node replaced by version v is stale since v, reachable only from versions before v.
 * {@link #prune} with horizon h drops the roots of versions before h and returns the nodes stale
 * since h or earlier to the free list, so memory is bounded by the retained versions. Versions from
 * {@link #oldestVersion} to {@link #latestVersion} are provable.
 *
 * <p>No allocation per update in steady state: the arena, free list, per-depth work lists and
 * hashing scratch grow to their high-water mark and are reused. The arena grows a page ({@link
 * PageCache#PAGE_BYTES}) at a time, never by copying: a growing state adds a page now and then
 * instead of doubling arrays of hundreds of megabytes. The cache's frames come from an automatic
 * arena: freed when the cache is no longer reachable, and, as native segments, counted against the
 * JVM's direct-memory limit ({@code -XX:MaxDirectMemorySize}). One writer; {@link #prove} and
 * {@link #root} may be called from other threads (every public method holds this object's lock).
 */
public final class ArenaSparseMerkleTree {
  /** Depths with fewer new nodes than this are hashed one by one with the JDK's SHA-256. */
  static final int SIMD_MIN = Math.max(2, MultiBufferSha256.LANES / 2);

  private static final int NIL = -1;
  private static final int H = 32;

  /**
   * Bytes of an internal node's record: its children's hashes (64 bytes, one cache line, the node's
   * own SHA-256 message after the prefix) and their two links (8 bytes, the next line).
   */
  static final int NODE_BYTES = 128;

  private static final int LINKS = 2 * H;

  /** Internal nodes per page ({@link PageCache#PAGE_BYTES} over {@link #NODE_BYTES}). */
  static final int PAGE_NODES = PageCache.PAGE_BYTES / NODE_BYTES;

  private static final int NODE_BITS = Integer.numberOfTrailingZeros(PAGE_NODES);
  private static final int NODE_MASK = PAGE_NODES - 1;

  /** Leaf slots per page of leaves (key and value hash, 64 bytes a slot). */
  private static final int LEAF_BITS = Integer.numberOfTrailingZeros(PageCache.PAGE_BYTES / 64);

  private static final int LEAF_MASK = (1 << LEAF_BITS) - 1;

  /** The key of the existing leaf {@link #build} works under, copied out of its leaf slot. */
  private final byte[] existingKey = new byte[H];

  // ---- the arena. A link is NIL (the empty subtree), an internal node i >= 0, or a leaf: -2 - s
  // for leaf slot s (key || valueHash, 64 bytes, in leafPages). Internal node i = p * PAGE_NODES +
  // j has its record at bytes [128j, 128j + 128) of nodePages[p]: the left and the right child's
  // hashes at [0, 64) and their links at [64, 72). A node's own hash is kept in its parent's record
  // (the root's beside the version's root link), so the descent brings in a path node's sibling
  // hash with its links, a new node's message is its record's first line, and a leaf is only its
  // slot.
  private final PageCache.Space nodePages;
  private int allocated;
  private int[] free = new int[1024];
  private int freeCount;
  private int liveInternal;
  private final PageCache.Space leafPages;
  private int leafSlots;
  private int[] freeLeaves = new int[1024];
  private int freeLeafCount;

  // ---- versions: roots (links) and their hashes of [oldest, latest] in a ring.
  private int[] roots = new int[64];
  private byte[] rootHashes = new byte[64 * H];
  private long oldest;
  private long latest = -1;

  // ---- stale-node index: FIFO of (link, stale since version); releasing one reads nothing from
  // the arena.
  private int[] staleNode = new int[1024];
  private long[] staleSince = new long[1024];
  private int staleHead;
  private int staleCount;

  // ---- where a subtree's hash is, as the walk back passes it up (a "ref"): EMPTY (zeros), OLD
  // (node << 1 | side: in that old node's record), OLD_ROOT (the previous version's root hash),
  // a new leaf's (PENDING_LEAF | index in newLeaves) or a new node's (PENDING_NODE | depth << 32 |
  // index in dirty[depth]) digest, written into its parent's record (or the root hash) once hashed.
  private static final long EMPTY = -1L;
  private static final long OLD_ROOT = 1L << 48;
  private static final long PENDING_LEAF = 2L << 48;
  private static final long PENDING_NODE = 3L << 48;

  /** A digest's target: a node's record side ({@code node << 1 | side}) or the new root's hash. */
  private static final int ROOT_TARGET = -1;

  // ---- the descent: one segment per depth, entry e is the subtree node[e] (its hash at ref[e])
  // under which the batch keys [from[e], to[e]) go; down[2e], down[2e+1] are its children's entries
  // (NIL: untouched, BUILT: e was built in place), result[e] the subtree after the update and
  // resultRef[e] where its hash is.
  private static final int BUILT = -3;
  private int[] entryNode = new int[256];
  private long[] entryRef = new long[256];
  private int[] entryFrom = new int[256];
  private int[] entryTo = new int[256];
  private int[] entryDown = new int[512];

  /** The children of entryNode[e] as the descent read them, so the walk back reads no links. */
  private int[] entryLinks = new int[512];

  private int[] entryResult = new int[256];
  private long[] entryResultRef = new long[256];
  private final int[] depthStart = new int[SparseMerkleTree.DEPTH + 2];

  /** The ref of the subtree {@link #build} or {@link #combine} returned last. */
  private long builtRef;

  // ---- per-update work lists and scratch. The new internal nodes of each depth as pairs (node,
  // digest target), and the new leaves' digest targets with their messages (key || valueHash),
  // kept as they are made so that hashing reads no leaf slot back from the arena.
  private final int[][] dirty = new int[SparseMerkleTree.DEPTH + 1][];
  private final int[] dirtyCount = new int[SparseMerkleTree.DEPTH + 1];
  private int[] leafTargets = new int[256];
  private int newLeafCount;
  private byte[] leafMessages = new byte[64 * 256];
  private byte[] messages = new byte[64 * 256];
  private byte[] digests = new byte[32 * 256];
  private final byte[] record = new byte[2 * H];
  private final Sha256 sha = new Sha256();
  private final byte[] one = new byte[H];
  private long hashCount;

  // ---- the batch being applied.
  private byte[] batchKeys;
  private byte[] batchValueHashes;
  private boolean[] batchRemoved;
  private long batchVersion;

  /**
   * An empty tree whose pages stay in memory ({@code initialNodes}: a size hint, unused since pages
   * are added as the tree grows).
   */
  public ArenaSparseMerkleTree(int initialNodes) {
    this(PageCache.unbounded());
  }

  /**
   * An empty tree whose pages live in {@code cache} (resident while the cache has room, else paged
   * out to its backing); the cache may hold other spaces too.
   */
  public ArenaSparseMerkleTree(PageCache cache) {
    nodePages = cache.newSpace();
    leafPages = cache.newSpace();
    for (int d = 0; d < dirty.length; d++) {
      dirty[d] = new int[16];
    }
  }

  /**
   * Makes the next update create {@code version}, the oldest retained: a tree rebuilt from the
   * values a store kept (after a restart, the versions before it are gone). Empty trees only.
   */
  public synchronized void startAt(long version) {
    if (latest != -1 || allocated != 0 || version < 0) {
      throw new IllegalStateException("only an empty tree can start at a later version");
    }
    latest = version - 1;
    oldest = version;
  }

  /**
   * Runs the multi-buffer engine for at most {@code budgetNanos} (or 5,000 calls, enough for C2 to
   * compile it): a caller pays the warm-up once at start-up, not in its first commits, where the
   * interpreted Vector API costs about a hundred times the compiled code. Returns the calls made.
   */
  public static int warmUp(long budgetNanos) {
    byte[] in = new byte[64 * MultiBufferSha256.LANES * 4];
    byte[] out = new byte[32 * MultiBufferSha256.LANES * 4];
    long start = System.nanoTime();
    int i = 0;
    for (; i < 5_000 && System.nanoTime() - start < budgetNanos; i++) {
      in[i & 63] = (byte) i;
      MultiBufferSha256.hashPrefixed64(i & 1, in, 0, MultiBufferSha256.LANES * 4, out, 0);
      in[(i + 7) & 63] ^= out[i & 31];
    }
    return i;
  }

  /** The newest version, -1 before the first update (the empty tree). */
  public synchronized long latestVersion() {
    return latest;
  }

  /** The oldest version still provable (0 before any pruning; -1 counts as provable too). */
  public synchronized long oldestVersion() {
    return oldest;
  }

  /** Nodes in use, internal nodes and leaves (all retained versions together). */
  public synchronized int liveNodes() {
    return liveInternal + leafSlotsInUse();
  }

  /**
   * Nodes only versions before the newest reach (replaced since, waiting for {@link #prune}): what
   * the older retained versions cost in the arena.
   */
  public synchronized int staleNodes() {
    return staleCount;
  }

  /**
   * Bytes of the arena's pages, resident or paged out: the tree's internal nodes ({@link
   * #NODE_BYTES} each) and leaves (64 bytes each), a page of {@link PageCache#PAGE_BYTES} at a
   * time, never freed while the tree lives (a freed node's place is reused). What is resident is
   * the cache's ({@link PageCache#residentBytes}).
   */
  public synchronized long offHeapBytes() {
    return (long) (nodePages.pages() + leafPages.pages()) * PageCache.PAGE_BYTES;
  }

  /** Leaf slots in use (all retained versions together). */
  synchronized int leafSlotsInUse() {
    return leafSlots - freeLeafCount;
  }

  /** SHA-256 compressions of 65-byte messages done by updates so far (leaves and nodes). */
  public synchronized long hashCount() {
    return hashCount;
  }

  /** Whether {@code version} can be read and proved. */
  public synchronized boolean isRetained(long version) {
    return version == -1 && oldest == 0 || version >= oldest && version <= latest;
  }

  /** The root of {@code version} ({@code -1}: the empty tree). */
  public synchronized byte[] root(long version) {
    byte[] out = new byte[H];
    copyRootHash(version, out, 0);
    return out;
  }

  /** Copies the newest root into {@code out} at {@code offset} (no allocation). */
  public synchronized void latestRoot(byte[] out, int offset) {
    copyRootHash(latest, out, offset);
  }

  private void copyRootHash(long version, byte[] out, int offset) {
    if (rootNode(version) == NIL) {
      Arrays.fill(out, offset, offset + H, (byte) 0);
    } else {
      System.arraycopy(rootHashes, ring(version) * H, out, offset, H);
    }
  }

  private int rootNode(long version) {
    if (version == -1 && oldest == 0) {
      return NIL;
    }
    if (version < oldest || version > latest) {
      throw new IllegalArgumentException(
          "state version " + version + " is not retained (" + oldest + ".." + latest + ")");
    }
    return roots[ring(version)];
  }

  private int ring(long version) {
    return (int) (version & (roots.length - 1));
  }

  // ---------------------------------------------------------------------------------------------
  // Proofs.

  /** A membership or non-membership proof of {@code key} at {@code version}. */
  public synchronized SmtProof prove(long version, byte[] key) {
    if (key == null || key.length != H) {
      throw new IllegalArgumentException("keys have 32 bytes");
    }
    int node = rootNode(version);
    List<byte[]> siblings = new ArrayList<>();
    for (int depth = 0; ; depth++) {
      if (node == NIL) {
        return new SmtProof(siblings, null, null);
      }
      if (isLeaf(node)) {
        byte[] leaf = new byte[2 * H];
        PageCache.copyOut(leafAddress(slotOf(node)), leaf, 0, 2 * H);
        return new SmtProof(
            siblings, Arrays.copyOfRange(leaf, 0, H), Arrays.copyOfRange(leaf, H, 2 * H));
      }
      int bit = SparseMerkleTree.bit(key, depth);
      long at = nodeAddress(nodePages.readAddress(node >>> NODE_BITS), node);
      byte[] sibling = new byte[H];
      PageCache.copyOut(at + (1 - bit) * H, sibling, 0, H);
      siblings.add(sibling);
      node = PageCache.getInt(at + LINKS + 4 * bit);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Updates.

  /**
   * Applies a sorted batch to the newest version and makes the result the next version: {@code
   * count} keys packed in {@code keys} (strictly increasing, unsigned), their value hashes packed
   * in {@code valueHashes}; {@code removed[i]} deletes key i (its value hash is then ignored).
   * Returns the new version. The arrays are only read, and only during the call.
   */
  public synchronized long update(byte[] keys, byte[] valueHashes, boolean[] removed, int count) {
    for (int i = 1; i < count; i++) {
      if (Arrays.compareUnsigned(keys, (i - 1) * H, i * H, keys, i * H, (i + 1) * H) >= 0) {
        throw new IllegalArgumentException("keys must be strictly increasing (index " + i + ")");
      }
    }
    long version = latest + 1;
    if (version - oldest + 1 > roots.length) {
      growRoots();
    }
    batchKeys = keys;
    batchValueHashes = valueHashes;
    batchRemoved = removed;
    batchVersion = version;
    int oldRoot = latest < oldest ? NIL : roots[ring(latest)];
    int newRoot;
    try {
      if (count == 0) {
        newRoot = oldRoot;
        builtRef = oldRoot == NIL ? EMPTY : OLD_ROOT;
      } else {
        newRoot = descend(oldRoot, count, version);
      }
      long ref = builtRef;
      if (ref == EMPTY) {
        Arrays.fill(rootHashes, ring(version) * H, ring(version) * H + H, (byte) 0);
      } else if (ref == OLD_ROOT) {
        System.arraycopy(rootHashes, ring(latest) * H, rootHashes, ring(version) * H, H);
      } else if (ref < OLD_ROOT) {
        copyOld(ref, rootHashes, ring(version) * H);
      }
      // a pending root keeps ROOT_TARGET, written when hashed
      hashPending();
    } finally {
      batchKeys = null;
      batchValueHashes = null;
      batchRemoved = null;
    }
    roots[ring(version)] = newRoot;
    latest = version;
    return version;
  }

  /**
   * Forgets every version before {@code horizon} (at most the newest version): their roots go and
   * the nodes only they reached return to the free list.
   */
  public synchronized void prune(long horizon) {
    if (horizon <= oldest) {
      return;
    }
    if (horizon > latest) {
      throw new IllegalArgumentException("cannot prune the newest version " + latest);
    }
    while (staleCount > 0 && staleSince[staleHead] <= horizon) {
      release(staleNode[staleHead]);
      staleHead = (staleHead + 1) & (staleNode.length - 1);
      staleCount--;
    }
    oldest = horizon;
  }

  /**
   * The batch's keys {@code [0, count)} applied under {@code root}, depth by depth (see the class
   * comment); returns the new root, its hash's ref in {@link #builtRef}.
   */
  private int descend(int root, int count, long version) {
    int entries = 0;
    entries = push(entries, root, root == NIL ? EMPTY : OLD_ROOT, 0, count);
    int depth = 0;
    depthStart[0] = 0;
    for (int first = 0; first < entries; depth++) {
      int last = entries;
      depthStart[depth + 1] = last;
      for (int e = first; e < last; e++) {
        int node = entryNode[e];
        int from = entryFrom[e];
        int to = entryTo[e];
        if (node < 0) { // empty or a leaf
          entryDown[2 * e] = BUILT;
          entryResult[e] = build(depth, from, to, node, entryRef[e], version);
          entryResultRef[e] = builtRef;
          continue;
        }
        long links = nodeAddress(nodePages.readAddress(node >>> NODE_BITS), node) + LINKS;
        int oldLeft = PageCache.getInt(links);
        int oldRight = PageCache.getInt(links + 4);
        int split =
            to - from == 1
                ? (bitAt(batchKeys, from * H, depth) == 0 ? to : from)
                : split(from, to, depth);
        entryLinks[2 * e] = oldLeft;
        entryLinks[2 * e + 1] = oldRight;
        int left = NIL;
        int right = NIL;
        if (from < split) {
          left = entries;
          entries = push(entries, oldLeft, (long) node << 1, from, split);
        }
        if (split < to) {
          right = entries;
          entries = push(entries, oldRight, (long) node << 1 | 1, split, to);
        }
        entryDown[2 * e] = left;
        entryDown[2 * e + 1] = right;
      }
      first = last;
    }
    // Back up, deepest first: a node whose children changed is replaced by a new one.
    for (int d = depth - 1; d >= 0; d--) {
      for (int e = depthStart[d]; e < depthStart[d + 1]; e++) {
        int left = entryDown[2 * e];
        if (left == BUILT) {
          continue;
        }
        int right = entryDown[2 * e + 1];
        int node = entryNode[e];
        int oldLeft = entryLinks[2 * e];
        int oldRight = entryLinks[2 * e + 1];
        int l = left == NIL ? oldLeft : entryResult[left];
        int r = right == NIL ? oldRight : entryResult[right];
        if (l == oldLeft && r == oldRight) {
          entryResult[e] = node;
          entryResultRef[e] = entryRef[e];
        } else {
          long lref = left == NIL ? (long) node << 1 : entryResultRef[left];
          long rref = right == NIL ? (long) node << 1 | 1 : entryResultRef[right];
          markStale(node, version);
          entryResult[e] = combine(l, lref, r, rref, d);
          entryResultRef[e] = builtRef;
        }
      }
    }
    builtRef = entryResultRef[0];
    return entryResult[0];
  }

  /** Appends the entry (node, ref, [from, to)) to the descent; returns the new entry count. */
  private int push(int entries, int node, long ref, int from, int to) {
    if (entries == entryNode.length) {
      int n = 2 * entries;
      entryNode = Arrays.copyOf(entryNode, n);
      entryRef = Arrays.copyOf(entryRef, n);
      entryFrom = Arrays.copyOf(entryFrom, n);
      entryTo = Arrays.copyOf(entryTo, n);
      entryResult = Arrays.copyOf(entryResult, n);
      entryResultRef = Arrays.copyOf(entryResultRef, n);
      entryDown = Arrays.copyOf(entryDown, 2 * n);
      entryLinks = Arrays.copyOf(entryLinks, 2 * n);
    }
    entryNode[entries] = node;
    entryRef[entries] = ref;
    entryFrom[entries] = from;
    entryTo[entries] = to;
    return entries + 1;
  }

  /**
   * The subtree at {@code depth} holding updates {@code [from, to)} and, unless one of them
   * replaces or removes it, the existing leaf {@code existing} (NIL when none; its hash at {@code
   * existingRef}). The result's ref goes to {@link #builtRef}.
   */
  private int build(int depth, int from, int to, int existing, long existingRef, long version) {
    int puts = 0;
    int lastPut = -1;
    boolean overridden = false;
    if (existing != NIL) {
      PageCache.copyOut(leafAddress(slotOf(existing)), existingKey, 0, H);
    }
    for (int i = from; i < to; i++) {
      if (!batchRemoved[i]) {
        puts++;
        lastPut = i;
      }
      if (existing != NIL && Arrays.equals(batchKeys, i * H, i * H + H, existingKey, 0, H)) {
        overridden = true;
      }
    }
    if (overridden) {
      markStale(existing, version);
    }
    boolean keep = existing != NIL && !overridden;
    int total = puts + (keep ? 1 : 0);
    if (total == 0) {
      builtRef = EMPTY;
      return NIL;
    }
    if (total == 1) {
      if (keep) {
        builtRef = existingRef;
        return existing;
      }
      return newLeaf(lastPut);
    }
    if (depth == SparseMerkleTree.DEPTH) {
      throw new IllegalStateException("two leaves at full depth: duplicate keys");
    }
    int split = split(from, to, depth);
    int leftExisting = NIL;
    int rightExisting = NIL;
    if (keep) {
      if (bitAt(existingKey, 0, depth) == 0) {
        leftExisting = existing;
      } else {
        rightExisting = existing;
      }
    }
    int l = build(depth + 1, from, split, leftExisting, existingRef, version);
    long lref = builtRef;
    int r = build(depth + 1, split, to, rightExisting, existingRef, version);
    return combine(l, lref, r, builtRef, depth);
  }

  /**
   * Two children joined: empty + empty is empty, a lone leaf moves up, else a new node (its record
   * filled with the children's links and the hashes known now; a pending child's digest is written
   * into it when hashed). The result's ref goes to {@link #builtRef}.
   */
  private int combine(int l, long lref, int r, long rref, int depth) {
    if (l == NIL && (r == NIL || isLeaf(r))) {
      builtRef = rref;
      return r;
    }
    if (r == NIL && isLeaf(l)) {
      builtRef = lref;
      return l;
    }
    int n = allocate();
    resolve(lref, n << 1);
    resolve(rref, n << 1 | 1);
    long at = nodeAddress(nodePages.writeAddress(n >>> NODE_BITS), n);
    PageCache.copyIn(record, 0, at, 2 * H);
    PageCache.setInt(at + LINKS, l);
    PageCache.setInt(at + LINKS + 4, r);
    int[] level = dirty[depth];
    int index = dirtyCount[depth]++;
    int pos = 2 * index;
    if (pos + 2 > level.length) {
      level = dirty[depth] = Arrays.copyOf(level, 2 * level.length + 2);
    }
    level[pos] = n;
    level[pos + 1] = ROOT_TARGET;
    builtRef = PENDING_NODE | (long) depth << 32 | index;
    return n;
  }

  /**
   * Puts the hash at {@code ref} into {@link #record}'s side of {@code target} (node << 1 | side),
   * or, for a pending digest, makes {@code target} where it is written.
   */
  private void resolve(long ref, int target) {
    int offset = (target & 1) * H;
    if (ref == EMPTY) {
      Arrays.fill(record, offset, offset + H, (byte) 0);
    } else if (ref < OLD_ROOT) {
      copyOld(ref, record, offset);
    } else if (ref == OLD_ROOT) {
      System.arraycopy(rootHashes, ring(latest) * H, record, offset, H);
    } else if ((ref & PENDING_NODE) == PENDING_NODE) {
      dirty[(int) (ref >>> 32) & 0xFFFF][2 * (int) ref + 1] = target;
    } else {
      leafTargets[(int) ref] = target;
    }
  }

  /** Copies the hash at an old node's record side ({@code ref = node << 1 | side}) to out. */
  private void copyOld(long ref, byte[] out, int offset) {
    int node = (int) (ref >>> 1);
    PageCache.copyOut(
        nodeAddress(nodePages.readAddress(node >>> NODE_BITS), node) + (ref & 1) * H,
        out,
        offset,
        H);
  }

  private int newLeaf(int i) {
    int slot = allocateLeafSlot();
    long leaf = leafPages.writeAddress(slot >>> LEAF_BITS) + leafOffset(slot);
    PageCache.copyIn(batchKeys, i * H, leaf, H);
    PageCache.copyIn(batchValueHashes, i * H, leaf + H, H);
    if (newLeafCount == leafTargets.length) {
      leafTargets = Arrays.copyOf(leafTargets, 2 * leafTargets.length);
      leafMessages = Arrays.copyOf(leafMessages, 2 * H * leafTargets.length);
    }
    System.arraycopy(batchKeys, i * H, leafMessages, newLeafCount * 2 * H, H);
    System.arraycopy(batchValueHashes, i * H, leafMessages, newLeafCount * 2 * H + H, H);
    leafTargets[newLeafCount] = ROOT_TARGET;
    builtRef = PENDING_LEAF | newLeafCount++;
    return -2 - slot;
  }

  /**
   * Hashes the new leaves, then the new internal nodes deepest first, each digest written where its
   * parent's record (or the new root) keeps it.
   */
  private void hashPending() {
    int count = newLeafCount;
    ensureScratch(count);
    hashMessages(0x00, leafMessages, leafTargets, 0, 1, count);
    newLeafCount = 0;
    for (int depth = SparseMerkleTree.DEPTH; depth >= 0; depth--) {
      count = dirtyCount[depth];
      if (count == 0) {
        continue;
      }
      int[] level = dirty[depth];
      ensureScratch(count);
      for (int i = 0; i < count; i++) {
        int n = level[2 * i];
        PageCache.copyOut(
            nodeAddress(nodePages.readAddress(n >>> NODE_BITS), n), messages, i * 2 * H, 2 * H);
      }
      hashMessages(0x01, messages, level, 1, 2, count);
      dirtyCount[depth] = 0;
    }
  }

  /**
   * Digest i = SHA-256(prefix || in[64i, 64i + 64)) goes to the target {@code targets[first +
   * stride * i]}.
   */
  private void hashMessages(
      int prefix, byte[] in, int[] targets, int first, int stride, int count) {
    hashCount += count;
    if (count >= SIMD_MIN) {
      WarmSha256.hashPrefixed64(prefix, in, 0, count, digests, 0);
      for (int i = 0; i < count; i++) {
        writeDigest(targets[first + stride * i], digests, i * H);
      }
      return;
    }
    for (int i = 0; i < count; i++) {
      sha.reset().update((byte) prefix).update(in, i * 2 * H, 2 * H).digest(one, 0);
      writeDigest(targets[first + stride * i], one, 0);
    }
  }

  private void writeDigest(int target, byte[] digest, int offset) {
    if (target == ROOT_TARGET) {
      System.arraycopy(digest, offset, rootHashes, ring(batchVersion) * H, H);
    } else {
      int node = target >>> 1;
      PageCache.copyIn(
          digest,
          offset,
          nodeAddress(nodePages.writeAddress(node >>> NODE_BITS), node) + (target & 1) * H,
          H);
    }
  }

  private void ensureScratch(int count) {
    if (messages.length < count * 2 * H) {
      int n = Math.max(count, messages.length / H);
      messages = new byte[n * 2 * H];
      digests = new byte[n * H];
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The arena.

  private int allocate() {
    liveInternal++;
    if (freeCount > 0) {
      return free[--freeCount];
    }
    if ((allocated & NODE_MASK) == 0) {
      nodePages.addPage();
    }
    return allocated++;
  }

  /** Internal node {@code node}'s record in the node page at {@code page} (the page's address). */
  private static long nodeAddress(long page, int node) {
    return page + (long) (node & NODE_MASK) * NODE_BYTES;
  }

  private static boolean isLeaf(int link) {
    return link < NIL;
  }

  private static int slotOf(int leafLink) {
    return -2 - leafLink;
  }

  /**
   * The address of leaf slot {@code slot}'s key || valueHash, to read (valid until the next page
   * access).
   */
  private long leafAddress(int slot) {
    return leafPages.readAddress(slot >>> LEAF_BITS) + leafOffset(slot);
  }

  /** Where leaf slot {@code slot}'s key || valueHash starts in its leaf page. */
  private static long leafOffset(int slot) {
    return (long) (slot & LEAF_MASK) * 2 * H;
  }

  private int allocateLeafSlot() {
    if (freeLeafCount > 0) {
      return freeLeaves[--freeLeafCount];
    }
    if ((leafSlots & LEAF_MASK) == 0) {
      leafPages.addPage();
    }
    return leafSlots++;
  }

  /** Returns {@code link} (an internal node or a leaf) to its free list. */
  private void release(int link) {
    if (isLeaf(link)) {
      if (freeLeafCount == freeLeaves.length) {
        freeLeaves = Arrays.copyOf(freeLeaves, 2 * freeLeaves.length);
      }
      freeLeaves[freeLeafCount++] = slotOf(link);
      return;
    }
    liveInternal--;
    if (freeCount == free.length) {
      free = Arrays.copyOf(free, 2 * free.length);
    }
    free[freeCount++] = link;
  }

  /** Queues {@code link} (an internal node or a leaf) as stale since {@code version}. */
  private void markStale(int link, long version) {
    if (staleCount == staleNode.length) {
      int n = 2 * staleNode.length;
      int[] nodes = new int[n];
      long[] since = new long[n];
      for (int i = 0; i < staleCount; i++) {
        int j = (staleHead + i) & (staleNode.length - 1);
        nodes[i] = staleNode[j];
        since[i] = staleSince[j];
      }
      staleNode = nodes;
      staleSince = since;
      staleHead = 0;
    }
    int tail = (staleHead + staleCount) & (staleNode.length - 1);
    staleNode[tail] = link;
    staleSince[tail] = version;
    staleCount++;
  }

  private void growRoots() {
    int[] grown = new int[2 * roots.length];
    byte[] grownHashes = new byte[2 * roots.length * H];
    for (long v = Math.max(oldest, 0); v <= latest; v++) {
      int to = (int) (v & (grown.length - 1));
      grown[to] = roots[ring(v)];
      System.arraycopy(rootHashes, ring(v) * H, grownHashes, to * H, H);
    }
    roots = grown;
    rootHashes = grownHashes;
  }

  /** First index in {@code [from, to)} whose key has bit {@code depth} set (keys sorted). */
  private int split(int from, int to, int depth) {
    int lo = from;
    int hi = to;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (bitAt(batchKeys, mid * H, depth) == 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private static int bitAt(byte[] bytes, int offset, int depth) {
    return (bytes[offset + (depth >>> 3)] >>> (7 - (depth & 7))) & 1;
  }
}
