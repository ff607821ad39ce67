package dev.agentledger.node.execution.state;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The newest value of every state key, in primitive arrays: an open-addressing table (linear
 * probing; state keys are SHA-256 outputs, so their first four bytes are the hash) over entries
 * that never move or go away. Entry {@code e}: key at {@link #keyOffset} in its {@link #keyPage},
 * value at {@link #valueOffset} in its {@link #valuePage} ({@link #MAX_VALUE_BYTES} at most), its
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

  /** Entries per page of keys and of values: both grow a page at a time, never by copying. */
  static final int PAGE_ENTRIES = 1 << 13;

  private static final int PAGE_BITS = 13;
  private static final int PAGE_MASK = PAGE_ENTRIES - 1;

  private byte[][] keyPages;
  private byte[][] valuePages;
  private int pagedEntries;
  short[] lengths;
  long[] versions;
  int[] pendingPositions;
  boolean[] dirty;
  boolean[] once;
  boolean[] packed;
  private int size;
  private int[] index;
  private int mask;

  LatestValues(int initialEntries) {
    int n = Math.max(16, initialEntries);
    int pages = (n + PAGE_ENTRIES - 1) >>> PAGE_BITS;
    keyPages = new byte[pages][];
    valuePages = new byte[pages][];
    for (int p = 0; p < pages; p++) {
      keyPages[p] = new byte[32 * PAGE_ENTRIES];
      valuePages[p] = new byte[MAX_VALUE_BYTES * PAGE_ENTRIES];
    }
    pagedEntries = pages * PAGE_ENTRIES;
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

  /** The page holding entry {@code e}'s key, at {@link #keyOffset}. */
  byte[] keyPage(int e) {
    return keyPages[e >>> PAGE_BITS];
  }

  static int keyOffset(int e) {
    return (e & PAGE_MASK) << 5;
  }

  /** The page holding entry {@code e}'s value, at {@link #valueOffset}. */
  byte[] valuePage(int e) {
    return valuePages[e >>> PAGE_BITS];
  }

  static int valueOffset(int e) {
    return (e & PAGE_MASK) * MAX_VALUE_BYTES;
  }

  /** The entry of {@code key[offset, offset + 32)}, or -1. */
  int find(byte[] key, int offset) {
    for (int slot = hash(key, offset) & mask; ; slot = (slot + 1) & mask) {
      int e = index[slot] - 1;
      if (e < 0) {
        return -1;
      }
      if (Arrays.equals(keyPage(e), keyOffset(e), keyOffset(e) + 32, key, offset, offset + 32)) {
        return e;
      }
    }
  }

  /** The entry of the key, added (absent, never written: version -1) when new. */
  int findOrAdd(byte[] key, int offset) {
    int slot = hash(key, offset) & mask;
    for (; ; slot = (slot + 1) & mask) {
      int e = index[slot] - 1;
      if (e < 0) {
        break;
      }
      if (Arrays.equals(keyPage(e), keyOffset(e), keyOffset(e) + 32, key, offset, offset + 32)) {
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
    System.arraycopy(key, offset, keyPage(e), keyOffset(e), 32);
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
      System.arraycopy(value, offset, valuePage(e), valueOffset(e), length);
    }
  }

  /** Copies entry {@code e}'s value into {@code out} from 0; its length, or -1 when absent. */
  int copy(int e, byte[] out) {
    int length = lengths[e];
    if (length > 0) {
      System.arraycopy(valuePage(e), valueOffset(e), out, 0, length);
    }
    return length;
  }

  /** Entry {@code e}'s value as a new array, or null when absent. */
  byte[] value(int e) {
    int length = lengths[e];
    return length < 0
        ? null
        : Arrays.copyOfRange(valuePage(e), valueOffset(e), valueOffset(e) + length);
  }

  /** Unsigned order of the keys of two entries. */
  int compareKeys(int a, int b) {
    return Arrays.compareUnsigned(
        keyPage(a), keyOffset(a), keyOffset(a) + 32, keyPage(b), keyOffset(b), keyOffset(b) + 32);
  }

  /** The first eight bytes of entry {@code e}'s key, big-endian (unsigned order of keys). */
  long prefix(int e) {
    return (long) LONG.get(keyPage(e), keyOffset(e));
  }

  /** Unsigned order of entry {@code e}'s key and {@code key[offset, offset + 32)}. */
  int compareKey(int e, byte[] key, int offset) {
    return Arrays.compareUnsigned(
        keyPage(e), keyOffset(e), keyOffset(e) + 32, key, offset, offset + 32);
  }

  private void grow() {
    int n = 2 * lengths.length;
    while (pagedEntries < n) {
      int p = pagedEntries >>> PAGE_BITS;
      if (p == keyPages.length) {
        keyPages = Arrays.copyOf(keyPages, 2 * p);
        valuePages = Arrays.copyOf(valuePages, 2 * p);
      }
      keyPages[p] = new byte[32 * PAGE_ENTRIES];
      valuePages[p] = new byte[MAX_VALUE_BYTES * PAGE_ENTRIES];
      pagedEntries += PAGE_ENTRIES;
    }
    lengths = Arrays.copyOf(lengths, n);
    versions = Arrays.copyOf(versions, n);
    pendingPositions = Arrays.copyOf(pendingPositions, n);
    dirty = Arrays.copyOf(dirty, n);
    once = Arrays.copyOf(once, n);
    packed = Arrays.copyOf(packed, n);
    index = new int[2 * index.length];
    mask = index.length - 1;
    for (int e = 0; e < size - 1; e++) {
      int slot = hash(keyPage(e), keyOffset(e)) & mask;
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
