package dev.agentledger.bench.soak.core;

import java.util.Arrays;

/**
 * One validator's memory samples over a soak, in the order taken: time since the load started
 * (nanoseconds), resident set size and heap used (bytes; -1 when that sample could not read it).
 */
public final class MemorySeries {
  private final String name;
  private long[] timeNs = new long[64];
  private long[] rssBytes = new long[64];
  private long[] heapBytes = new long[64];
  private int size;

  public MemorySeries(String name) {
    this.name = name;
  }

  public String name() {
    return name;
  }

  /** Adds one sample; times must not go backwards. */
  public void add(long tNs, long rss, long heapUsed) {
    if (size > 0 && tNs < timeNs[size - 1]) {
      throw new IllegalArgumentException(
          name + ": sample at " + tNs + " ns is before the previous one at " + timeNs[size - 1]);
    }
    if (size == timeNs.length) {
      timeNs = Arrays.copyOf(timeNs, size * 2);
      rssBytes = Arrays.copyOf(rssBytes, size * 2);
      heapBytes = Arrays.copyOf(heapBytes, size * 2);
    }
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

  private int checked(int i) {
    if (i < 0 || i >= size) {
      throw new IndexOutOfBoundsException(i + " of " + size);
    }
    return i;
  }
}
