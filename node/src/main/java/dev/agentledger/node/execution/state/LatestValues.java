package dev.agentledger.node.execution.state;

import dev.agentledger.hash.smt.PageCache;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The newest value of every state key: an open-addressing table (linear probing; state keys are
 * SHA-256 outputs, so their first four bytes are the hash) over entries that never move or go away.
 * Entry {@code e}: its key (32 bytes) and value ({@link #MAX_VALUE_BYTES} at most) in pages of a
 * {@link PageCache} (native frames outside the Java heap, paged out to the cache's backing when it
 * is bounded; {@link #offHeapBytes}; read through {@link #copyKey} and {@link #copyValue}), and in
 * primitive arrays on the heap the first eight bytes of its key (lookups, sorting and rehashing
 * compare these and touch a key page only on a tie, so looking up an absent key reads no page), its
 * length ({@code -1}: absent or removed), the version that last wrote it, its position in that
 * version's {@link VersionDelta} while the version is being written, whether it changed since the
 * store's last checkpoint, whether it was written once as a new key and goes packed into the next
 * checkpoint ({@code once}), and whether a packed record on disk may hold an older value of it
 * ({@code packed}). Single writer; the owner synchronizes readers.
 */
final class LatestValues {
  /** The longest value a state key may hold (records are fixed-layout and shorter). */
  static final int MAX_VALUE_BYTES = 128;

  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  /** Entries per page of keys (32 bytes each); both kinds of page grow one at a time. */
  static final int PAGE_ENTRIES = PageCache.PAGE_BYTES / 32;

  private static final int PAGE_BITS = Integer.numberOfTrailingZeros(PAGE_ENTRIES);
  private static final int PAGE_MASK = PAGE_ENTRIES - 1;

  /** Entries per page of values ({@link #MAX_VALUE_BYTES} each). */
  private static final int VALUE_BITS =
      Integer.numberOfTrailingZeros(PageCache.PAGE_BYTES / MAX_VALUE_BYTES);

  private static final int VALUE_MASK = (1 << VALUE_BITS) - 1;

  private final PageCache.Space keyPages;
  private final PageCache.Space valuePages;
  private final byte[] keyScratch = new byte[32];

  /** The first eight bytes of each entry's key, big-endian. */
  private long[] prefixes;

  short[] lengths;
  long[] versions;
  int[] pendingPositions;
  boolean[] dirty;
  boolean[] once;
  boolean[] packed;
  private int size;
  private int[] index;
  private int mask;

  /** A table whose pages stay in memory. */
  LatestValues(int initialEntries) {
    this(initialEntries, PageCache.unbounded());
  }

  /** A table whose key and value pages live in {@code cache}. */
  LatestValues(int initialEntries, PageCache cache) {
    int n = Math.max(16, initialEntries);
    keyPages = cache.newSpace();
    valuePages = cache.newSpace();
    prefixes = new long[n];
    lengths = new short[n];
    versions = new long[n];
    pendingPositions = new int[n];
    dirty = new boolean[n];
    once = new boolean[n];
    packed = new boolean[n];
    int slots = Integer.highestOneBit(Math.max(32, 2 * n - 1)) << 1;
    index = new int[slots];
    mask = slots - 1;
  }

  int size() {
    return size;
  }

  /** Bytes of the key and value pages, resident or paged out. */
  long offHeapBytes() {
    return (long) (keyPages.pages() + valuePages.pages()) * PageCache.PAGE_BYTES;
  }

  /** The address of entry {@code e}'s key, to read (valid until the next page access). */
  private long keyAddress(int e) {
    return keyPages.readAddress(e >>> PAGE_BITS) + keyOffset(e);
  }

  private static long keyOffset(int e) {
    return (long) (e & PAGE_MASK) << 5;
  }

  private static long valueOffset(int e) {
    return (long) (e & VALUE_MASK) * MAX_VALUE_BYTES;
  }

  /** Copies entry {@code e}'s key (32 bytes) into {@code out} at {@code offset}. */
  void copyKey(int e, byte[] out, int offset) {
    PageCache.copyOut(keyAddress(e), out, offset, 32);
  }

  /**
   * Copies entry {@code e}'s value ({@link #lengths}{@code [e]} bytes, none when absent) to out.
   */
  void copyValue(int e, byte[] out, int offset) {
    int length = lengths[e];
    if (length > 0) {
      PageCache.copyOut(
          valuePages.readAddress(e >>> VALUE_BITS) + valueOffset(e), out, offset, length);
    }
  }

  /** Whether entry {@code e}'s key is {@code key[offset, offset + 32)}. */
  private boolean keyEquals(int e, byte[] key, int offset) {
    if (prefixes[e] != (long) LONG.get(key, offset)) {
      return false;
    }
    return PageCache.equals32(keyAddress(e), key, offset);
  }

  /** The entry of {@code key[offset, offset + 32)}, or -1. */
  int find(byte[] key, int offset) {
    for (int slot = hash(key, offset) & mask; ; slot = (slot + 1) & mask) {
      int e = index[slot] - 1;
      if (e < 0) {
        return -1;
      }
      if (keyEquals(e, key, offset)) {
        return e;
      }
    }
  }

  /** The sum of the words {@link #touch} loaded, kept so that the JIT keeps the loads. */
  private long touched;

  /**
   * Loads, for each of the {@code count} keys at {@code keys[offset + 32i, offset + 32i + 32)}, the
   * lines a {@link #find} of it reads: its first index slot, then (for the entry there) the entry's
   * key prefix, key and value. Each phase's loads are independent of one another, so their cache
   * misses overlap (see {@code ArenaSparseMerkleTree.touchLinks}); the finds that follow then hit.
   * Reads only: nothing changes, whatever the keys are (absent, or not state keys at all). Resident
   * pages only: a page paged out is left for the find to fault.
   */
  void touch(byte[] keys, int offset, int count) {
    long sum = 0;
    for (int i = 0; i < count; i++) {
      sum += index[hash(keys, offset + 32 * i) & mask];
    }
    for (int i = 0; i < count; i++) {
      int e = index[hash(keys, offset + 32 * i) & mask] - 1;
      if (e < 0) {
        continue;
      }
      sum += prefixes[e] + touchLines(e);
    }
    touched += sum;
  }

  /**
   * Loads the key line and the first value line of entries {@code entries[order[i]]} for {@code i
   * in [from, to)}, back to back, so that their cache misses overlap before {@link #copyKey} and
   * {@link #copyValue} read them (see {@link #touch}). Reads only; resident pages only.
   */
  void touchEntries(int[] entries, int[] order, int from, int to) {
    long sum = 0;
    for (int i = from; i < to; i++) {
      sum += touchLines(entries[order[i]]);
    }
    touched += sum;
  }

  /** Reads entry {@code e}'s key line and first value line where resident; their sum, unused. */
  private long touchLines(int e) {
    long sum = 0;
    long k = keyPages.residentAddress(e >>> PAGE_BITS);
    if (k != 0) {
      sum += PageCache.getInt(k + keyOffset(e));
    }
    long v = valuePages.residentAddress(e >>> VALUE_BITS);
    if (v != 0) {
      sum += PageCache.getInt(v + valueOffset(e));
    }
    return sum;
  }

  /** The entry of the key, added (absent, never written: version -1) when new. */
  int findOrAdd(byte[] key, int offset) {
    int slot = hash(key, offset) & mask;
    for (; ; slot = (slot + 1) & mask) {
      int e = index[slot] - 1;
      if (e < 0) {
        break;
      }
      if (keyEquals(e, key, offset)) {
        return e;
      }
    }
    int e = size++;
    if (e == lengths.length) {
      grow();
      return addAfterGrowth(key, offset, e);
    }
    index[slot] = e + 1;
    init(key, offset, e);
    return e;
  }

  private int addAfterGrowth(byte[] key, int offset, int e) {
    int slot = hash(key, offset) & mask;
    while (index[slot] != 0) {
      slot = (slot + 1) & mask;
    }
    index[slot] = e + 1;
    init(key, offset, e);
    return e;
  }

  private void init(byte[] key, int offset, int e) {
    if ((e & PAGE_MASK) == 0) {
      keyPages.addPage();
    }
    if ((e & VALUE_MASK) == 0) {
      valuePages.addPage();
    }
    prefixes[e] = (long) LONG.get(key, offset);
    PageCache.copyIn(key, offset, keyPages.writeAddress(e >>> PAGE_BITS) + keyOffset(e), 32);
    lengths[e] = -1;
    versions[e] = -1;
  }

  /** Sets entry {@code e} to {@code value[0, length)}, or to absent when {@code length < 0}. */
  void set(int e, byte[] value, int offset, int length) {
    if (length > MAX_VALUE_BYTES) {
      throw new IllegalArgumentException("state values have at most " + MAX_VALUE_BYTES + " bytes");
    }
    lengths[e] = (short) length;
    if (length > 0) {
      PageCache.copyIn(
          value, offset, valuePages.writeAddress(e >>> VALUE_BITS) + valueOffset(e), length);
    }
  }

  /** Copies entry {@code e}'s value into {@code out} from 0; its length, or -1 when absent. */
  int copy(int e, byte[] out) {
    copyValue(e, out, 0);
    return lengths[e];
  }

  /** Entry {@code e}'s value as a new array, or null when absent. */
  byte[] value(int e) {
    int length = lengths[e];
    if (length < 0) {
      return null;
    }
    byte[] out = new byte[length];
    copyValue(e, out, 0);
    return out;
  }

  /** Unsigned order of the keys of two entries. */
  int compareKeys(int a, int b) {
    int c = Long.compareUnsigned(prefixes[a], prefixes[b]);
    if (c != 0) {
      return c;
    }
    // One page at a time: a's key copied out before b's page is touched.
    copyKey(a, keyScratch, 0);
    return -compareKey(b, keyScratch, 0);
  }

  /** The first eight bytes of entry {@code e}'s key, big-endian (unsigned order of keys). */
  long prefix(int e) {
    return prefixes[e];
  }

  /** Unsigned order of entry {@code e}'s key and {@code key[offset, offset + 32)}. */
  int compareKey(int e, byte[] key, int offset) {
    int c = Long.compareUnsigned(prefixes[e], (long) LONG.get(key, offset));
    if (c != 0) {
      return c;
    }
    long k = keyAddress(e);
    for (int i = 8; i < 32; i += 8) {
      c = Long.compareUnsigned(PageCache.getLongBigEndian(k + i), (long) LONG.get(key, offset + i));
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  private void grow() {
    int n = 2 * lengths.length;
    prefixes = Arrays.copyOf(prefixes, n);
    lengths = Arrays.copyOf(lengths, n);
    versions = Arrays.copyOf(versions, n);
    pendingPositions = Arrays.copyOf(pendingPositions, n);
    dirty = Arrays.copyOf(dirty, n);
    once = Arrays.copyOf(once, n);
    packed = Arrays.copyOf(packed, n);
    index = new int[2 * index.length];
    mask = index.length - 1;
    for (int e = 0; e < size - 1; e++) {
      int h = (int) (prefixes[e] >>> 32);
      int slot = (h ^ (h >>> 16)) & mask;
      while (index[slot] != 0) {
        slot = (slot + 1) & mask;
      }
      index[slot] = e + 1;
    }
  }

  private static int hash(byte[] key, int offset) {
    int h = (int) INT.get(key, offset);
    return h ^ (h >>> 16);
  }
}
