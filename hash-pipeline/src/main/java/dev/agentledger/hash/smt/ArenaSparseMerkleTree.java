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
 * A depth's nodes are independent of each other, so their reads, the cache misses that a tree much
 * larger than the caches costs, need not wait one for another: the descent takes a depth's entries
 * {@link #TOUCH_CHUNK} at a time and first loads each one's links, then each leaf's key, in tight
 * loops of nothing else, so that the processor has many misses in flight at once; the work on the
 * entries then finds their lines in cache. As it leaves a chunk it loads the hashes of the chunk's
 * siblings (the other child of a path node with one child on the batch's paths), whose misses then
 * overlap the next chunk's work; hashing reads the children's hashes of a depth's new nodes the
 * same way again, and finds the siblings' lines in a nearer cache. Where the descent reaches an
 * empty subtree or a leaf, the new subtree is built there. The walk back up, deepest segment first,
 * copies the touched paths (persistent: older versions keep their nodes) and shares every prefix
 * the batch's keys have in common. Hashing is deferred: the new leaves are hashed together, then
 * the new internal nodes one depth at a time, deepest first, each depth as one call of the
 * multi-buffer engine ({@link MultiBufferSha256#hashPrefixed64}, {@link MultiBufferSha256#LANES}
 * messages per vector, through {@link WarmSha256}: the JDK's SHA-256 while the engine is cold);
 * depths with fewer than {@link #SIMD_MIN} nodes use the single-stream SHA-256. A batch of k keys
 * in a tree of n costs about k (log2 n - log2 k + 2) hashes.
 *
 * <p>Versions and pruning (the stale-node index of the Jellyfish Merkle tree, Gao et al. 2021,
 * section 5): a node replaced by version v is stale since v, reachable only from versions before v.
 * {@link #prune} with horizon h drops the roots of versions before h and returns the nodes stale
 * since h or earlier (their slots free), so memory is bounded by the retained versions. Versions
 * from {@link #oldestVersion} to {@link #latestVersion} are provable.
 *
 * <p>Where new nodes go: node slots come in blocks of {@link #BLOCK_NODES} consecutive nodes, and a
 * freed node is not reused on its own. New nodes fill one block's free slots in address order, then
 * the next block: the oldest of the pool (blocks with at least {@link #REUSE_FREE} free slots), or,
 * with the pool empty, a new block at the arena's end. So the new nodes of a commit sit many to a
 * cache line of links and of hashes, not one per line wherever a node was freed 64 versions before.
 * The bound: a block outside the pool and not being filled has more than {@code BLOCK_NODES -
 * REUSE_FREE} nodes in use, and blocks are added only with the pool empty, so the arena holds at
 * most {@code BLOCK_NODES / (BLOCK_NODES - REUSE_FREE)} (2) times the peak of nodes in use, plus a
 * block ({@link #arenaNodes}). Nothing moves: no compaction, no relinking.
 *
 * <p>No allocation per update in steady state: the arena, block pool, leaf free list, per-depth
 * work lists and hashing scratch grow to their high-water mark and are reused. The arena grows a
 * page ({@link PageCache#PAGE_BYTES}) at a time, never by copying: a growing state adds a page now
 * and then instead of doubling arrays of hundreds of megabytes. The cache's frames are native slabs
 * freed when the cache is no longer reachable (anonymous mappings on Linux, outside the JVM's
 * direct-memory limit; see {@link PageCache}). One writer; {@link #prove} and {@link #root} may be
 * called from other threads (every public method holds this object's lock).
 */
public final class ArenaSparseMerkleTree {
  /** Depths with fewer new nodes than this are hashed one by one with the JDK's SHA-256. */
  static final int SIMD_MIN = Math.max(2, MultiBufferSha256.LANES / 2);

  private static final int NIL = -1;
  private static final int LEAF = -2;
  private static final int H = 32;

  /** Consecutive node slots a block: the unit in which freed nodes return to use. */
  static final int BLOCK_NODES = 64;

  private static final int BLOCK_BITS = Integer.numberOfTrailingZeros(BLOCK_NODES);

  /**
   * Free slots of {@link #BLOCK_NODES} at which a block returns to use: the arena stays within
   * {@code BLOCK_NODES / (BLOCK_NODES - REUSE_FREE)} times its peak of live and stale nodes, plus a
   * block (see {@link #arenaNodes}).
   */
  static final int REUSE_FREE = 32;

  /** Nodes per page of hashes ({@link PageCache#PAGE_BYTES} over 32 bytes a hash). */
  static final int PAGE_NODES = PageCache.PAGE_BYTES / 32;

  private static final int PAGE_BITS = Integer.numberOfTrailingZeros(PAGE_NODES);
  private static final int PAGE_MASK = PAGE_NODES - 1;

  /** Nodes per page of links (two ints a node). */
  private static final int LINK_BITS = Integer.numberOfTrailingZeros(PageCache.PAGE_BYTES / 8);

  private static final int LINK_MASK = (1 << LINK_BITS) - 1;

  /** Leaf slots per page of leaves (key and value hash, 64 bytes a slot). */
  private static final int LEAF_BITS = Integer.numberOfTrailingZeros(PageCache.PAGE_BYTES / 64);

  private static final int LEAF_MASK = (1 << LEAF_BITS) - 1;

  /** The key of the existing leaf {@link #build} works under, copied out of its leaf slot. */
  private final byte[] existingKey = new byte[H];

  // ---- the arena, native pages of PAGE_NODES: node i = p * PAGE_NODES + j has its hash at bytes
  // [32j, 32j+32) of hashPages[p] and two int links at [8j, 8j+8) of linkPages[p]: the children's
  // indices (an
  // internal node) or LEAF and a slot s (a leaf, whose key || valueHash is in leafPages at 64 bytes
  // per slot, paged the same way). Links and hashes apart: the descent reads only links (eight
  // nodes per cache line), hashing reads and writes only hashes (two per line, never split).
  private final PageCache.Space hashPages;
  private final PageCache.Space linkPages;

  /** Node slots in the arena ({@link #BLOCK_NODES} a block, added a block at a time). */
  private int allocated;

  private int liveNodes;

  // ---- node slots, in blocks of BLOCK_NODES consecutive nodes: blockFree[b] has bit j set when
  // node BLOCK_NODES * b + j is free. A freed node is not reused on its own: its block returns to
  // use (the pool, first in first out) once at least reuseFree of its slots are free, and new nodes
  // fill the current block's free slots in address order before the next block is taken, so the
  // new nodes of a commit share cache lines (eight links, two hashes a line) instead of landing one
  // per line wherever single freed nodes were.
  private final int reuseFree;
  private long[] blockFree = new long[64];
  private boolean[] blockInUse = new boolean[64];
  private int[] pool = new int[64];
  private int poolHead;
  private int poolCount;
  private int current = NIL;
  private final PageCache.Space leafPages;
  private int leafSlots;
  private int[] freeLeaves = new int[1024];
  private int freeLeafCount;

  // ---- versions: roots of [oldest, latest] in a ring.
  private int[] roots = new int[64];
  private long oldest;
  private long latest = -1;

  // ---- stale-node index: FIFO of (node, its leaf slot or NIL, stale since version). The slot is
  // kept beside the node so that releasing it reads nothing from the arena (a cache miss each).
  private int[] staleNode = new int[1024];
  private int[] staleSlot = new int[1024];
  private long[] staleSince = new long[1024];
  private int staleHead;
  private int staleCount;

  // ---- the descent: one segment per depth, entry e is the subtree node[e] under which the batch
  // keys [from[e], to[e]) go; down[2e], down[2e+1] are its children's entries (NIL: untouched,
  // BUILT: e was built in place), result[e] the subtree after the update.
  private static final int BUILT = -3;
  private int[] entryNode = new int[256];
  private int[] entryFrom = new int[256];
  private int[] entryTo = new int[256];
  private int[] entryDown = new int[512];

  /** The children of entryNode[e] as the descent read them, so the walk back reads no node. */
  private int[] entryLinks = new int[512];

  private int[] entryResult = new int[256];
  private final int[] depthStart = new int[SparseMerkleTree.DEPTH + 2];

  // ---- per-update work lists and scratch. The new internal nodes of each depth as triples (node,
  // left child, right child), and the new leaves with their messages (key || valueHash), kept as
  // they are made so that hashing reads no link or leaf slot back from the arena.
  private final int[][] dirty = new int[SparseMerkleTree.DEPTH + 1][];
  private final int[] dirtyCount = new int[SparseMerkleTree.DEPTH + 1];
  private int[] newLeaves = new int[256];
  private int newLeafCount;
  private byte[] leafMessages = new byte[64 * 256];
  private byte[] messages = new byte[64 * 256];
  private byte[] digests = new byte[32 * 256];
  private final Sha256 sha = new Sha256();
  private final byte[] one = new byte[H];
  private long hashCount;

  /**
   * Entries of the descent, or new nodes of a depth, whose scattered reads are issued together
   * before they are used (see {@link #touchLinks}): enough to keep the processor's misses in flight
   * (Zen 3: about 24 from L1), few enough that their lines stay in L1 and L2 until used.
   */
  static final int TOUCH_CHUNK = 64;

  /** Whether the reads are issued ahead in chunks (off only in a test holding the two equal). */
  boolean touchAhead = true;

  /** The siblings of a chunk of the descent's path nodes, whose hashes it loads early. */
  private final int[] siblingTouch = new int[TOUCH_CHUNK];

  /** The sum of the touched words, kept so that the loads that touch lines are not removed. */
  private long touched;

  // ---- the batch being applied.
  private byte[] batchKeys;
  private byte[] batchValueHashes;
  private boolean[] batchRemoved;

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
    this(cache, REUSE_FREE);
  }

  /**
   * An empty tree in {@code cache} whose blocks of nodes return to use once {@code reuseFree} of
   * their {@link #BLOCK_NODES} slots are free (1: every freed node, one at a time).
   */
  ArenaSparseMerkleTree(PageCache cache, int reuseFree) {
    if (reuseFree < 1 || reuseFree > BLOCK_NODES) {
      throw new IllegalArgumentException("reuseFree must be 1.." + BLOCK_NODES + ": " + reuseFree);
    }
    this.reuseFree = reuseFree;
    hashPages = cache.newSpace();
    linkPages = cache.newSpace();
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

  /** Nodes in use (all retained versions together). */
  public synchronized int liveNodes() {
    return liveNodes;
  }

  /**
   * Node slots in the arena, in use or free. Every block but the current one and those in the pool
   * has fewer than {@link #REUSE_FREE} free slots, and a block is added only with the pool empty,
   * so this stays at most {@code BLOCK_NODES / (BLOCK_NODES - REUSE_FREE)} (2) times the peak of
   * {@link #liveNodes}, plus one block.
   */
  public synchronized int arenaNodes() {
    return allocated;
  }

  /**
   * Nodes only versions before the newest reach (replaced since, waiting for {@link #prune}): what
   * the older retained versions cost in the arena.
   */
  public synchronized int staleNodes() {
    return staleCount;
  }

  /**
   * Bytes of the arena's pages, resident or paged out: the tree's nodes and leaves (a page of
   * {@link PageCache#PAGE_BYTES} at a time, never freed while the tree lives; a freed node's place
   * is reused with its block, see {@link #arenaNodes}). What is resident is the cache's ({@link
   * PageCache#residentBytes}).
   */
  public synchronized long offHeapBytes() {
    return (long) (hashPages.pages() + linkPages.pages() + leafPages.pages())
        * PageCache.PAGE_BYTES;
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
    copyHash(rootNode(version), out, 0);
    return out;
  }

  /** Copies the newest root into {@code out} at {@code offset} (no allocation). */
  public synchronized void latestRoot(byte[] out, int offset) {
    copyHash(rootNode(latest), out, offset);
  }

  private int rootNode(long version) {
    if (version == -1 && oldest == 0) {
      return NIL;
    }
    if (version < oldest || version > latest) {
      throw new IllegalArgumentException(
          "state version " + version + " is not retained (" + oldest + ".." + latest + ")");
    }
    return roots[(int) (version & (roots.length - 1))];
  }

  private void copyHash(int node, byte[] out, int offset) {
    if (node == NIL) {
      Arrays.fill(out, offset, offset + H, (byte) 0);
    } else {
      PageCache.copyOut(
          hashAddress(hashPages.readAddress(node >>> PAGE_BITS), node), out, offset, H);
    }
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
      if (left(node) == LEAF) {
        byte[] leaf = new byte[2 * H];
        PageCache.copyOut(leafAddress(right(node)), leaf, 0, 2 * H);
        return new SmtProof(
            siblings, Arrays.copyOfRange(leaf, 0, H), Arrays.copyOfRange(leaf, H, 2 * H));
      }
      int next;
      int other;
      if (SparseMerkleTree.bit(key, depth) == 0) {
        next = left(node);
        other = right(node);
      } else {
        next = right(node);
        other = left(node);
      }
      byte[] sibling = new byte[H];
      copyHash(other, sibling, 0);
      siblings.add(sibling);
      node = next;
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
    batchKeys = keys;
    batchValueHashes = valueHashes;
    batchRemoved = removed;
    long version = latest + 1;
    int oldRoot = latest < oldest ? NIL : roots[(int) (latest & (roots.length - 1))];
    int newRoot;
    try {
      newRoot = count == 0 ? oldRoot : descend(oldRoot, count, version);
      hashPending();
    } finally {
      batchKeys = null;
      batchValueHashes = null;
      batchRemoved = null;
    }
    if (version - oldest + 1 > roots.length) {
      growRoots();
    }
    roots[(int) (version & (roots.length - 1))] = newRoot;
    latest = version;
    return version;
  }

  /**
   * Forgets every version before {@code horizon} (at most the newest version): their roots go and
   * the nodes only they reached are freed.
   */
  public synchronized void prune(long horizon) {
    if (horizon <= oldest) {
      return;
    }
    if (horizon > latest) {
      throw new IllegalArgumentException("cannot prune the newest version " + latest);
    }
    while (staleCount > 0 && staleSince[staleHead] <= horizon) {
      release(staleNode[staleHead], staleSlot[staleHead]);
      staleHead = (staleHead + 1) & (staleNode.length - 1);
      staleCount--;
    }
    oldest = horizon;
  }

  /**
   * The batch's keys {@code [0, count)} applied under {@code root}, depth by depth (see the class
   * comment); returns the new root.
   */
  private int descend(int root, int count, long version) {
    int entries = 0;
    entries = push(entries, root, 0, count);
    int depth = 0;
    depthStart[0] = 0;
    for (int first = 0; first < entries; depth++) {
      int last = entries;
      depthStart[depth + 1] = last;
      for (int c = first; c < last; c += TOUCH_CHUNK) {
        int end = Math.min(last, c + TOUCH_CHUNK);
        if (touchAhead && end - c > 1) {
          touchLinks(c, end);
          touchLeaves(c, end);
        }
        int siblings = 0;
        for (int e = c; e < end; e++) {
          int node = entryNode[e];
          int from = entryFrom[e];
          int to = entryTo[e];
          int oldLeft = NIL;
          int oldRight = NIL;
          if (node != NIL) {
            long links = linkAddress(linkPages.readAddress(node >>> LINK_BITS), node);
            oldLeft = PageCache.getInt(links);
            oldRight = PageCache.getInt(links + 4);
          }
          if (node == NIL || oldLeft == LEAF) {
            entryDown[2 * e] = BUILT;
            entryResult[e] = build(depth, from, to, node, version);
            continue;
          }
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
            entries = push(entries, oldLeft, from, split);
          }
          if (split < to) {
            right = entries;
            entries = push(entries, oldRight, split, to);
          }
          entryDown[2 * e] = left;
          entryDown[2 * e + 1] = right;
          if (left == NIL) {
            siblingTouch[siblings++] = oldLeft;
          } else if (right == NIL) {
            siblingTouch[siblings++] = oldRight;
          }
        }
        if (touchAhead && siblings > 1) {
          touchHashes(siblingTouch, siblings);
        }
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
        } else {
          markStale(node, NIL, version);
          entryResult[e] = combine(l, r, d);
        }
      }
    }
    return entryResult[0];
  }

  /**
   * Loads one word of the links of each entry in {@code [first, last)}, back to back, and keeps
   * their sum ({@link #touched}) so that the JIT keeps the loads. Java has no prefetch instruction;
   * a load whose value is not waited on acts as one: the loads are independent of each other, so
   * the processor has many of their cache misses in flight at once, where the descent's loop, with
   * a binary search and appends between one entry's links and the next, has few; the loop then
   * finds the lines in cache. Resident pages only: a page paged out is left for the loop to fault.
   */
  private void touchLinks(int first, int last) {
    long sum = 0;
    for (int e = first; e < last; e++) {
      long links = residentLinks(entryNode[e]);
      if (links != 0) {
        sum += PageCache.getInt(links);
      }
    }
    touched += sum;
  }

  /** Loads the key of each leaf among the entries {@code [first, last)} (see touchLinks). */
  private void touchLeaves(int first, int last) {
    long sum = 0;
    for (int e = first; e < last; e++) {
      long links = residentLinks(entryNode[e]);
      if (links != 0 && PageCache.getInt(links) == LEAF) {
        int slot = PageCache.getInt(links + 4);
        long leaves = leafPages.residentAddress(slot >>> LEAF_BITS);
        if (leaves != 0) {
          sum += PageCache.getInt(leaves + leafOffset(slot));
        }
      }
    }
    touched += sum;
  }

  /** The address of {@code node}'s links where their page is resident, else 0 (also for NIL). */
  private long residentLinks(int node) {
    if (node == NIL) {
      return 0;
    }
    long page = linkPages.residentAddress(node >>> LINK_BITS);
    return page == 0 ? 0 : linkAddress(page, node);
  }

  /**
   * Loads one word of the hash of both children of the new nodes {@code [first, last)} of a depth's
   * triples {@code level} (one of them new, just hashed; the other the old sibling, usually a
   * miss), back to back (see {@link #touchLinks}).
   */
  private void touchChildHashes(int[] level, int first, int last) {
    long sum = 0;
    for (int i = first; i < last; i++) {
      sum += hashWord(level[3 * i + 1]) + hashWord(level[3 * i + 2]);
    }
    touched += sum;
  }

  /**
   * Loads one word of the hash of each of {@code nodes[0, count)}: the siblings of a chunk of the
   * descent's path nodes, whose hashes the new nodes above them hash with. Issued as the descent
   * leaves the chunk, their misses overlap the next chunk's work, and hashing, later, finds the
   * lines in a nearer cache (see {@link #touchLinks}).
   */
  private void touchHashes(int[] nodes, int count) {
    long sum = 0;
    for (int i = 0; i < count; i++) {
      sum += hashWord(nodes[i]);
    }
    touched += sum;
  }

  /** The first word of {@code node}'s hash where it is resident, else 0. */
  private int hashWord(int node) {
    if (node < 0) {
      return 0;
    }
    long page = hashPages.residentAddress(node >>> PAGE_BITS);
    return page == 0 ? 0 : PageCache.getInt(hashAddress(page, node));
  }

  /** Appends the entry (node, [from, to)) to the descent; returns the new entry count. */
  private int push(int entries, int node, int from, int to) {
    if (entries == entryNode.length) {
      int n = 2 * entries;
      entryNode = Arrays.copyOf(entryNode, n);
      entryFrom = Arrays.copyOf(entryFrom, n);
      entryTo = Arrays.copyOf(entryTo, n);
      entryResult = Arrays.copyOf(entryResult, n);
      entryDown = Arrays.copyOf(entryDown, 2 * n);
      entryLinks = Arrays.copyOf(entryLinks, 2 * n);
    }
    entryNode[entries] = node;
    entryFrom[entries] = from;
    entryTo[entries] = to;
    return entries + 1;
  }

  /**
   * The subtree at {@code depth} holding updates {@code [from, to)} and, unless one of them
   * replaces or removes it, the existing leaf {@code existing} (NIL when none).
   */
  private int build(int depth, int from, int to, int existing, long version) {
    int puts = 0;
    int lastPut = -1;
    boolean overridden = false;
    if (existing != NIL) {
      PageCache.copyOut(leafAddress(right(existing)), existingKey, 0, H);
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
      markStale(existing, right(existing), version);
    }
    boolean keep = existing != NIL && !overridden;
    int total = puts + (keep ? 1 : 0);
    if (total == 0) {
      return NIL;
    }
    if (total == 1) {
      return keep ? existing : newLeaf(lastPut);
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
    int l = build(depth + 1, from, split, leftExisting, version);
    int r = build(depth + 1, split, to, rightExisting, version);
    return combine(l, r, depth);
  }

  /** Two children joined: empty + empty is empty, a lone leaf moves up, else a new node. */
  private int combine(int l, int r, int depth) {
    if (l == NIL && (r == NIL || left(r) == LEAF)) {
      return r;
    }
    if (r == NIL && left(l) == LEAF) {
      return l;
    }
    int n = allocate();
    setLinks(n, l, r);
    int[] level = dirty[depth];
    int at = 3 * dirtyCount[depth]++;
    if (at + 3 > level.length) {
      level = dirty[depth] = Arrays.copyOf(level, 2 * level.length + 3);
    }
    level[at] = n;
    level[at + 1] = l;
    level[at + 2] = r;
    return n;
  }

  private int newLeaf(int i) {
    int n = allocate();
    int slot = allocateLeafSlot();
    setLinks(n, LEAF, slot);
    long leaf = leafPages.writeAddress(slot >>> LEAF_BITS) + leafOffset(slot);
    PageCache.copyIn(batchKeys, i * H, leaf, H);
    PageCache.copyIn(batchValueHashes, i * H, leaf + H, H);
    if (newLeafCount == newLeaves.length) {
      newLeaves = Arrays.copyOf(newLeaves, 2 * newLeaves.length);
      leafMessages = Arrays.copyOf(leafMessages, 2 * H * newLeaves.length);
    }
    System.arraycopy(batchKeys, i * H, leafMessages, newLeafCount * 2 * H, H);
    System.arraycopy(batchValueHashes, i * H, leafMessages, newLeafCount * 2 * H + H, H);
    newLeaves[newLeafCount++] = n;
    return n;
  }

  /** Hashes the new leaves, then the new internal nodes deepest first. */
  private void hashPending() {
    int count = newLeafCount;
    ensureScratch(count);
    hashMessages(0x00, leafMessages, newLeaves, 1, count);
    newLeafCount = 0;
    for (int depth = SparseMerkleTree.DEPTH; depth >= 0; depth--) {
      count = dirtyCount[depth];
      if (count == 0) {
        continue;
      }
      int[] level = dirty[depth];
      ensureScratch(count);
      for (int c = 0; c < count; c += TOUCH_CHUNK) {
        int end = Math.min(count, c + TOUCH_CHUNK);
        if (touchAhead && end - c > 1) {
          touchChildHashes(level, c, end);
        }
        for (int i = c; i < end; i++) {
          copyHash(level[3 * i + 1], messages, i * 2 * H);
          copyHash(level[3 * i + 2], messages, i * 2 * H + H);
        }
      }
      hashMessages(0x01, messages, level, 3, count);
      dirtyCount[depth] = 0;
    }
  }

  /** {@code hash(targets[stride * i]) = SHA-256(prefix || in[64i, 64i + 64))}. */
  private void hashMessages(int prefix, byte[] in, int[] targets, int stride, int count) {
    hashCount += count;
    if (count >= SIMD_MIN) {
      WarmSha256.hashPrefixed64(prefix, in, 0, count, digests, 0);
      for (int i = 0; i < count; i++) {
        int n = targets[stride * i];
        PageCache.copyIn(
            digests, i * H, hashAddress(hashPages.writeAddress(n >>> PAGE_BITS), n), H);
      }
      return;
    }
    for (int i = 0; i < count; i++) {
      sha.reset().update((byte) prefix).update(in, i * 2 * H, 2 * H).digest(one, 0);
      int n = targets[stride * i];
      PageCache.copyIn(one, 0, hashAddress(hashPages.writeAddress(n >>> PAGE_BITS), n), H);
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
    liveNodes++;
    long mask = current == NIL ? 0 : blockFree[current];
    if (mask == 0) {
      current = nextBlock();
      mask = blockFree[current];
    }
    blockFree[current] = mask & (mask - 1);
    return current << BLOCK_BITS | Long.numberOfTrailingZeros(mask);
  }

  /**
   * The block new nodes go to once the current one is full: the pool's oldest, or, with the pool
   * empty, a new block at the arena's end.
   */
  private int nextBlock() {
    if (current != NIL) {
      blockInUse[current] = false;
    }
    if (poolCount > 0) {
      int b = pool[poolHead];
      poolHead = (poolHead + 1) & (pool.length - 1);
      poolCount--;
      return b;
    }
    int b = allocated >>> BLOCK_BITS;
    if ((allocated & PAGE_MASK) == 0) {
      hashPages.addPage();
    }
    if ((allocated & LINK_MASK) == 0) {
      linkPages.addPage();
    }
    allocated += BLOCK_NODES;
    if (b == blockFree.length) {
      blockFree = Arrays.copyOf(blockFree, 2 * b);
      blockInUse = Arrays.copyOf(blockInUse, 2 * b);
    }
    blockFree[b] = -1L;
    blockInUse[b] = true;
    return b;
  }

  /** Frees {@code node}'s slot; its block goes back to the pool once enough of it is free. */
  private void freeNode(int node) {
    int b = node >>> BLOCK_BITS;
    long mask = blockFree[b] | 1L << node;
    blockFree[b] = mask;
    if (!blockInUse[b] && Long.bitCount(mask) >= reuseFree) {
      blockInUse[b] = true;
      if (poolCount == pool.length) {
        int[] grown = new int[2 * pool.length];
        for (int i = 0; i < poolCount; i++) {
          grown[i] = pool[(poolHead + i) & (pool.length - 1)];
        }
        pool = grown;
        poolHead = 0;
      }
      pool[(poolHead + poolCount++) & (pool.length - 1)] = b;
    }
  }

  /** Node {@code node}'s hash in the hash page at {@code page} (the page's address). */
  private static long hashAddress(long page, int node) {
    return page + (long) (node & PAGE_MASK) * H;
  }

  /** Node {@code node}'s two links (ints) in the link page at {@code page}. */
  private static long linkAddress(long page, int node) {
    return page + ((long) (node & LINK_MASK) << 3);
  }

  private int left(int node) {
    return PageCache.getInt(linkAddress(linkPages.readAddress(node >>> LINK_BITS), node));
  }

  private int right(int node) {
    return PageCache.getInt(linkAddress(linkPages.readAddress(node >>> LINK_BITS), node) + 4);
  }

  private void setLinks(int node, int left, int right) {
    long links = linkAddress(linkPages.writeAddress(node >>> LINK_BITS), node);
    PageCache.setInt(links, left);
    PageCache.setInt(links + 4, right);
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

  /** Frees {@code node} and, when {@code slot} is not NIL (a leaf), its leaf slot. */
  private void release(int node, int slot) {
    liveNodes--;
    if (slot != NIL) {
      if (freeLeafCount == freeLeaves.length) {
        freeLeaves = Arrays.copyOf(freeLeaves, 2 * freeLeaves.length);
      }
      freeLeaves[freeLeafCount++] = slot;
    }
    freeNode(node);
  }

  /** Queues {@code node} (with its leaf slot, NIL for an internal node) as stale since version. */
  private void markStale(int node, int slot, long version) {
    if (staleCount == staleNode.length) {
      int n = 2 * staleNode.length;
      int[] nodes = new int[n];
      int[] slots = new int[n];
      long[] since = new long[n];
      for (int i = 0; i < staleCount; i++) {
        int j = (staleHead + i) & (staleNode.length - 1);
        nodes[i] = staleNode[j];
        slots[i] = staleSlot[j];
        since[i] = staleSince[j];
      }
      staleNode = nodes;
      staleSlot = slots;
      staleSince = since;
      staleHead = 0;
    }
    int tail = (staleHead + staleCount) & (staleNode.length - 1);
    staleNode[tail] = node;
    staleSlot[tail] = slot;
    staleSince[tail] = version;
    staleCount++;
  }

  private void growRoots() {
    int[] grown = new int[2 * roots.length];
    for (long v = oldest; v <= latest; v++) {
      grown[(int) (v & (grown.length - 1))] = roots[(int) (v & (roots.length - 1))];
    }
    roots = grown;
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
