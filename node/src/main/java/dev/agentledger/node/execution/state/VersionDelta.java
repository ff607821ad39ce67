package dev.agentledger.node.execution.state;

import java.util.Arrays;

/**
 * What one state version changed: for each key it wrote (by {@link LatestValues} entry), the value
 * the key held before (its length, -1 when absent) and the version that had written that. Reading
 * an older version walks these before-images back from the newest value. After the version is
 * complete, {@link #order} lists the positions in key order (binary search). Reused from a pool: no
 * allocation per version in steady state.
 *
 * <p>Sorting: each position becomes one {@code long}, the key's first 40 bits above the position's
 * 24, sorted as primitives (no key is read while sorting); positions whose 40-bit prefixes tie are
 * then ordered by their whole keys. State keys are SHA-256 outputs, so ties are rare.
 */
final class VersionDelta {
  /**
   * Heap bytes one position of capacity takes: entry, before-length, before-version, before-value
   * slot, order and sort key.
   */
  static final int ENTRY_BYTES = 4 + 2 + 8 + LatestValues.MAX_VALUE_BYTES + 4 + 8;

  /**
   * Capacity (positions) up to which a delta of a pruned version stays pooled for reuse; a larger
   * one (a very large commit's) is dropped, so the pool does not keep every slot at the largest
   * commit's size.
   */
  static final int POOLED_ENTRIES = 4096;

  long version = -1;
  int count;

  /**
   * What this version costs while retained, in heap bytes: its arrays and the tree nodes it made
   * stale (set when the version closes, 0 once it is pruned).
   */
  long retainedBytes;

  int[] entries = new int[64];
  short[] beforeLengths = new short[64];
  long[] beforeVersions = new long[64];
  byte[] beforeValues = new byte[64 * LatestValues.MAX_VALUE_BYTES];
  int[] order = new int[64];
  private long[] sortKeys = new long[64];

  /** Positions a version may hold when sorted by prefix (24 bits of position). */
  private static final int PREFIX_SORT_MAX = 1 << 24;

  void reset(long version) {
    this.version = version;
    count = 0;
    retainedBytes = 0;
  }

  /** Heap bytes of this delta's arrays ({@link #ENTRY_BYTES} per position of capacity). */
  long capacityBytes() {
    return (long) entries.length * ENTRY_BYTES;
  }

  /** Records entry {@code e}'s value before this version; returns its position. */
  int add(int e, LatestValues latest) {
    if (count == entries.length) {
      int n = 2 * count;
      entries = Arrays.copyOf(entries, n);
      beforeLengths = Arrays.copyOf(beforeLengths, n);
      beforeVersions = Arrays.copyOf(beforeVersions, n);
      beforeValues = Arrays.copyOf(beforeValues, n * LatestValues.MAX_VALUE_BYTES);
      order = Arrays.copyOf(order, n);
    }
    int p = count++;
    entries[p] = e;
    beforeLengths[p] = latest.lengths[e];
    beforeVersions[p] = latest.versions[e];
    latest.copyValue(e, beforeValues, p * LatestValues.MAX_VALUE_BYTES);
    return p;
  }

  /** The before-image at position {@code p} as a new array, or null when absent. */
  byte[] before(int p) {
    int length = beforeLengths[p];
    int from = p * LatestValues.MAX_VALUE_BYTES;
    return length < 0 ? null : Arrays.copyOfRange(beforeValues, from, from + length);
  }

  /** Sorts {@link #order} by key (the tree's batch order). */
  void sortByKey(LatestValues latest) {
    if (count >= PREFIX_SORT_MAX) {
      for (int i = 0; i < count; i++) {
        order[i] = i;
      }
      quicksort(latest, 0, count - 1);
      return;
    }
    if (sortKeys.length < count) {
      sortKeys = new long[entries.length]; // grown with the entries (doubling), not to the count
    }
    for (int i = 0; i < count; i++) {
      // Unsigned order of the prefix as signed order of the longs: flip the sign bit.
      sortKeys[i] = ((latest.prefix(entries[i]) >>> 24) << 24 | i) ^ Long.MIN_VALUE;
    }
    sortLongs(sortKeys, 0, count - 1);
    for (int i = 0; i < count; i++) {
      order[i] = (int) (sortKeys[i] & (PREFIX_SORT_MAX - 1));
    }
    for (int i = 1; i < count; i++) {
      if (sortKeys[i] >>> 24 == sortKeys[i - 1] >>> 24) {
        int k = i;
        while (k < count && sortKeys[k] >>> 24 == sortKeys[i - 1] >>> 24) {
          k++;
        }
        insertionSort(latest, i - 1, k - 1);
        i = k - 1;
      }
    }
  }

  /** Sorts {@code a[lo..hi]} ascending, in place (no allocation). */
  static void sortLongs(long[] a, int lo, int hi) {
    while (hi - lo > 16) {
      int mid = (lo + hi) >>> 1;
      if (a[mid] < a[lo]) {
        swap(a, mid, lo);
      }
      if (a[hi] < a[lo]) {
        swap(a, hi, lo);
      }
      if (a[hi] < a[mid]) {
        swap(a, hi, mid);
      }
      long pivot = a[mid];
      int i = lo;
      int j = hi;
      while (i <= j) {
        while (a[i] < pivot) {
          i++;
        }
        while (a[j] > pivot) {
          j--;
        }
        if (i <= j) {
          swap(a, i++, j--);
        }
      }
      if (j - lo < hi - i) {
        sortLongs(a, lo, j);
        lo = i;
      } else {
        sortLongs(a, i, hi);
        hi = j;
      }
    }
    for (int i = lo + 1; i <= hi; i++) {
      long v = a[i];
      int k = i - 1;
      for (; k >= lo && a[k] > v; k--) {
        a[k + 1] = a[k];
      }
      a[k + 1] = v;
    }
  }

  private static void swap(long[] a, int i, int j) {
    long t = a[i];
    a[i] = a[j];
    a[j] = t;
  }

  private void insertionSort(LatestValues latest, int lo, int hi) {
    for (int i = lo + 1; i <= hi; i++) {
      for (int k = i; k > lo && less(latest, k, k - 1); k--) {
        swap(k, k - 1);
      }
    }
  }

  /** The position of {@code key} (after {@link #sortByKey}), or -1. */
  int find(LatestValues latest, byte[] key) {
    return find(latest, key, 0);
  }

  /** The position of entry {@code e}'s key (after {@link #sortByKey}), or -1. */
  int findEntry(LatestValues latest, int e) {
    int lo = 0;
    int hi = count - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = latest.compareKeys(entries[order[mid]], e);
      if (c < 0) {
        lo = mid + 1;
      } else if (c > 0) {
        hi = mid - 1;
      } else {
        return order[mid];
      }
    }
    return -1;
  }

  /**
   * The position of the key at {@code key[offset, offset + 32)} (after {@link #sortByKey}), or -1.
   */
  int find(LatestValues latest, byte[] key, int offset) {
    int lo = 0;
    int hi = count - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = latest.compareKey(entries[order[mid]], key, offset);
      if (c < 0) {
        lo = mid + 1;
      } else if (c > 0) {
        hi = mid - 1;
      } else {
        return order[mid];
      }
    }
    return -1;
  }

  private void quicksort(LatestValues latest, int lo, int hi) {
    while (hi - lo > 16) {
      int mid = (lo + hi) >>> 1;
      if (less(latest, mid, lo)) {
        swap(mid, lo);
      }
      if (less(latest, hi, lo)) {
        swap(hi, lo);
      }
      if (less(latest, hi, mid)) {
        swap(hi, mid);
      }
      int pivot = order[mid];
      int i = lo;
      int j = hi;
      while (i <= j) {
        while (latest.compareKeys(entries[order[i]], entries[pivot]) < 0) {
          i++;
        }
        while (latest.compareKeys(entries[order[j]], entries[pivot]) > 0) {
          j--;
        }
        if (i <= j) {
          swap(i++, j--);
        }
      }
      if (j - lo < hi - i) {
        quicksort(latest, lo, j);
        lo = i;
      } else {
        quicksort(latest, i, hi);
        hi = j;
      }
    }
    for (int i = lo + 1; i <= hi; i++) {
      for (int k = i; k > lo && less(latest, k, k - 1); k--) {
        swap(k, k - 1);
      }
    }
  }

  private boolean less(LatestValues latest, int a, int b) {
    return latest.compareKeys(entries[order[a]], entries[order[b]]) < 0;
  }

  private void swap(int a, int b) {
    int t = order[a];
    order[a] = order[b];
    order[b] = t;
  }
}
