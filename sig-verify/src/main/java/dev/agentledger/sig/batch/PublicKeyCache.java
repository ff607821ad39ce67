package dev.agentledger.sig.batch;

import dev.agentledger.sig.curve25519.NielsPoint;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A bounded cache of decompressed public keys: the 32 encoded bytes of A to the Niels form of the
 * point they decode to (ZIP-215 decoding is a function of those bytes alone), so that a key seen
 * again costs a 32-byte compare and a copy instead of a decompression (a 251-squaring
 * exponentiation). Only keys that decoded are stored; an encoding that is not a point is never
 * cached and is decoded (and rejected) every time, exactly as without the cache.
 *
 * <p>Two-way set associative: {@code entries / 2} sets chosen by a hash of the key bytes, the least
 * recently used way of a full set is replaced. The size is fixed at construction; the arrays are
 * allocated at the first insert and the points of a slot the first time the slot is filled, then
 * reused, so a warm cache allocates nothing. An adversary choosing keys can only cause evictions (a
 * miss costs what every key cost before the cache), never a wrong point: a hit requires all 32
 * bytes equal. Not thread-safe: one instance per verifier (per thread).
 */
public final class PublicKeyCache {
  /** Entries of the default cache (about 200 bytes each once filled). */
  public static final int DEFAULT_ENTRIES = 16_384;

  /**
   * Entries of the cache a {@link CpuBatchVerifier} makes when none is given: the system property
   * {@code agentledger.ed25519.keyCache} (0 turns the cache off), else {@link #DEFAULT_ENTRIES}.
   */
  public static int configuredEntries() {
    return Integer.getInteger("agentledger.ed25519.keyCache", DEFAULT_ENTRIES);
  }

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final int setMask;
  private final int entries;
  // Allocated at the first insert (a verifier that never sees a key costs nothing):
  private long[] keys; // 4 words per slot
  private boolean[] filled;
  private NielsPoint[] points; // a slot's point is allocated when the slot is first filled
  private byte[] lastUsedWay; // per set: the way used most recently (0 or 1)
  private long hits;
  private long misses;
  private long evictions;

  /**
   * @param entries a power of two, at least 2 (two ways per set)
   */
  public PublicKeyCache(int entries) {
    if (entries < 2 || Integer.bitCount(entries) != 1) {
      throw new IllegalArgumentException("entries must be a power of two >= 2: " + entries);
    }
    this.entries = entries;
    this.setMask = entries / 2 - 1;
  }

  /** Slots in the cache. */
  public int entries() {
    return entries;
  }

  /**
   * Copies the cached point of the key at {@code key[off, +32)} into {@code out}; false (out
   * untouched) when the key is not cached.
   */
  public boolean lookup(byte[] key, int off, NielsPoint out) {
    if (keys == null) {
      misses++;
      return false;
    }
    long w0 = (long) LONGS.get(key, off);
    long w1 = (long) LONGS.get(key, off + 8);
    long w2 = (long) LONGS.get(key, off + 16);
    long w3 = (long) LONGS.get(key, off + 24);
    int set = set(w0, w1, w2, w3);
    for (int way = 0; way < 2; way++) {
      int slot = 2 * set + way;
      if (filled[slot] && matches(slot, w0, w1, w2, w3)) {
        out.set(points[slot]);
        lastUsedWay[set] = (byte) way;
        hits++;
        return true;
      }
    }
    misses++;
    return false;
  }

  /**
   * Stores {@code point}, the Niels form of the point that the key at {@code key[off, +32)} decodes
   * to (callers store only keys that decoded). Replaces an empty way, else the least recently used
   * one.
   */
  public void insert(byte[] key, int off, NielsPoint point) {
    if (keys == null) {
      keys = new long[4 * entries];
      filled = new boolean[entries];
      points = new NielsPoint[entries];
      lastUsedWay = new byte[entries / 2];
    }
    long w0 = (long) LONGS.get(key, off);
    long w1 = (long) LONGS.get(key, off + 8);
    long w2 = (long) LONGS.get(key, off + 16);
    long w3 = (long) LONGS.get(key, off + 24);
    int set = set(w0, w1, w2, w3);
    int way;
    if (filled[2 * set] && matches(2 * set, w0, w1, w2, w3)) {
      way = 0;
    } else if (filled[2 * set + 1] && matches(2 * set + 1, w0, w1, w2, w3)) {
      way = 1;
    } else if (!filled[2 * set]) {
      way = 0;
    } else if (!filled[2 * set + 1]) {
      way = 1;
    } else {
      way = 1 - lastUsedWay[set];
      evictions++;
    }
    int slot = 2 * set + way;
    keys[4 * slot] = w0;
    keys[4 * slot + 1] = w1;
    keys[4 * slot + 2] = w2;
    keys[4 * slot + 3] = w3;
    if (points[slot] == null) {
      points[slot] = new NielsPoint();
    }
    points[slot].set(point);
    filled[slot] = true;
    lastUsedWay[set] = (byte) way;
  }

  /** Lookups that found the key. */
  public long hits() {
    return hits;
  }

  /** Lookups that did not. */
  public long misses() {
    return misses;
  }

  /** Inserts that replaced another key. */
  public long evictions() {
    return evictions;
  }

  /** Filled slots (at most {@link #entries}). */
  public int size() {
    int n = 0;
    if (filled == null) {
      return 0;
    }
    for (boolean f : filled) {
      n += f ? 1 : 0;
    }
    return n;
  }

  private boolean matches(int slot, long w0, long w1, long w2, long w3) {
    int k = 4 * slot;
    return keys[k] == w0 && keys[k + 1] == w1 && keys[k + 2] == w2 && keys[k + 3] == w3;
  }

  private int set(long w0, long w1, long w2, long w3) {
    long h = (w0 ^ Long.rotateLeft(w1, 17) ^ Long.rotateLeft(w2, 31) ^ Long.rotateLeft(w3, 47));
    h *= 0x9E3779B97F4A7C15L;
    return (int) (h >>> 40) & setMask;
  }
}
