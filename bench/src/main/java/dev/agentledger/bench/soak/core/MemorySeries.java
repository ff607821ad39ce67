package dev.agentledger.bench.soak.core;

import java.util.Arrays;

/**
 * One validator's memory samples over a soak, in the order taken: time since the load started
 * (nanoseconds), resident set size and heap used, and the {@link MemoryPart}s (bytes; -1 when that
 * sample could not read it).
 */
public final class MemorySeries {
  private final String name;
  private long[] timeNs = new long[64];
  private long[] rssBytes = new long[64];
  private long[] heapBytes = new long[64];
  private long[][] parts = new long[64][];
  private int size;

  public MemorySeries(String name) {
    this.name = name;
  }

  public String name() {
    return name;
  }

  /** Adds one sample with its parts unknown; times must not go backwards. */
  public void add(long tNs, long rss, long heapUsed) {
    add(tNs, rss, heapUsed, MemoryPart.unknown());
  }

  /**
   * Adds one sample; {@code parts} holds a value per {@link MemoryPart} (by ordinal, -1: unknown).
   * Times must not go backwards.
   */
  public void add(long tNs, long rss, long heapUsed, long[] parts) {
    if (parts.length != MemoryPart.values().length) {
      throw new IllegalArgumentException(
          name + ": " + parts.length + " parts, expected " + MemoryPart.values().length);
    }
    if (size > 0 && tNs < timeNs[size - 1]) {
      throw new IllegalArgumentException(
          name + ": sample at " + tNs + " ns is before the previous one at " + timeNs[size - 1]);
    }
    if (size == timeNs.length) {
      timeNs = Arrays.copyOf(timeNs, size * 2);
      rssBytes = Arrays.copyOf(rssBytes, size * 2);
      heapBytes = Arrays.copyOf(heapBytes, size * 2);
      this.parts = Arrays.copyOf(this.parts, size * 2);
    }
    this.parts[size] = parts.clone();
    timeNs[size] = tNs;
    rssBytes[size] = rss;
    heapBytes[size] = heapUsed;
    size++;
  }

  public int size() {
    return size;
  }

  public long timeNs(int i) {
    return timeNs[checked(i)];
  }

  public long rss(int i) {
    return rssBytes[checked(i)];
  }

  public long heap(int i) {
    return heapBytes[checked(i)];
  }

  /** Part {@code part} of sample {@code i} (-1: unknown). */
  public long part(int i, MemoryPart part) {
    return parts[checked(i)][part.ordinal()];
  }

  private int checked(int i) {
    if (i < 0 || i >= size) {
      throw new IndexOutOfBoundsException(i + " of " + size);
    }
    return i;
  }
}
