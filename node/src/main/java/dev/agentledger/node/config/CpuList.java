package dev.agentledger.node.config;

import java.util.Arrays;
import java.util.BitSet;

/**
 * A set of CPU numbers in the kernel's list format ({@code 0-3,8,10-11}, see cpuset(7)), used to
 * pin a node's threads and as systemd's {@code CPUAffinity=}. Empty means "no pinning".
 */
public final class CpuList {
  /** The largest CPU number accepted (the kernel's usual NR_CPUS ceiling). */
  public static final int MAX_CPU = 8191;

  private static final CpuList EMPTY = new CpuList(new int[0]);
  private final int[] cpus;

  private CpuList(int[] cpus) {
    this.cpus = cpus;
  }

  public static CpuList empty() {
    return EMPTY;
  }

  public static CpuList of(int... cpus) {
    BitSet set = new BitSet();
    for (int cpu : cpus) {
      if (cpu < 0 || cpu > MAX_CPU) {
        throw new IllegalArgumentException("CPU " + cpu + " is out of range (0.." + MAX_CPU + ")");
      }
      set.set(cpu);
    }
    return new CpuList(set.stream().toArray());
  }

  /** Parses {@code 0-3,8}; an empty or blank string is the empty list. */
  public static CpuList parse(String text) {
    if (text == null || text.isBlank()) {
      return EMPTY;
    }
    BitSet set = new BitSet();
    for (String part : text.split(",", -1)) {
      String item = part.strip();
      if (item.isEmpty()) {
        throw new IllegalArgumentException(
            "'" + text + "' has an empty item; expected a list like 0-3,8");
      }
      int dash = item.indexOf('-');
      int from = number(text, dash < 0 ? item : item.substring(0, dash));
      int to = dash < 0 ? from : number(text, item.substring(dash + 1));
      if (to < from) {
        throw new IllegalArgumentException("'" + item + "' is a descending range");
      }
      set.set(from, to + 1);
    }
    return new CpuList(set.stream().toArray());
  }

  private static int number(String text, String digits) {
    try {
      int cpu = Integer.parseInt(digits.strip());
      if (cpu < 0 || cpu > MAX_CPU) {
        throw new IllegalArgumentException("CPU " + cpu + " is out of range (0.." + MAX_CPU + ")");
      }
      return cpu;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is not a CPU list like 0-3,8");
    }
  }

  public boolean isEmpty() {
    return cpus.length == 0;
  }

  public int size() {
    return cpus.length;
  }

  /** The CPU numbers, ascending. */
  public int[] toArray() {
    return cpus.clone();
  }

  public boolean contains(int cpu) {
    return Arrays.binarySearch(cpus, cpu) >= 0;
  }

  /** The canonical list form with ranges collapsed ({@code 0-3,8}); empty string when empty. */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder();
    int i = 0;
    while (i < cpus.length) {
      int j = i;
      while (j + 1 < cpus.length && cpus[j + 1] == cpus[j] + 1) {
        j++;
      }
      if (!text.isEmpty()) {
        text.append(',');
      }
      text.append(cpus[i]);
      if (j > i) {
        text.append('-').append(cpus[j]);
      }
      i = j + 1;
    }
    return text.toString();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CpuList list && Arrays.equals(cpus, list.cpus);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(cpus);
  }
}
